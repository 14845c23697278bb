// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// The one load client of tools/bench.sh's capacity areas, used unchanged against natter-server and
// the Node.js `ws` baseline (chat-server.js); guides' protocol only. One JSON line per result.
//
//   node capacity-client.js storm  URL CLIENTS BATCH ROOMS [PREFIX]   connect + setUsername +
//        joinRoom in batches (the next batch once the last has joined), then print and stay idle
//        until SIGTERM or stdin closes (the runner measures the server meanwhile). Names are
//        PREFIX0, PREFIX1, … (default u): load clients on the nodes of one cluster need their own,
//        since a name held on one node is refused on the others
//   node capacity-client.js fanout URL SENDERS RECEIVERS COUNT   every sender bursts COUNT
//        messages into one room; ends when every receiver has them all
//   node capacity-client.js paced  URL SENDERS RECEIVERS RATE SECONDS   senders send RATE
//        messages/s in all, each carrying its send time; receivers note the delivery latency
//
// URL may be several, comma separated (nodes of one natter-server cluster): in fanout and paced,
// senders connect to the first, receivers to each in turn.
//
// Clients connect from 127.0.0.2 … 127.0.0.51 in turn (LOCAL_ADDRESSES=n to change), so that
// 10,000 connections do not run out of one address's ephemeral ports across runs, and so that a
// server with per-address caps sees at most CLIENTS/50 per address, as behind many NATs.
const WebSocket = require('ws');
const readline = require('readline');

const [mode, urlList, ...args] = process.argv.slice(2);
const urls = urlList.split(',');
const url = urls[0];
const addresses = Number(process.env.LOCAL_ADDRESSES || 50);
let nextAddress = 0;
const out = (o) => console.log(JSON.stringify(o));

function client(name, room, handlers = {}, target = url) {
  const localAddress = `127.0.0.${2 + (nextAddress++ % addresses)}`;
  // The client must not be what is measured: no UTF-8 check, and receivers look into the raw
  // buffer rather than decode each message.
  const ws = new WebSocket(target, { localAddress, perMessageDeflate: false, skipUTF8Validation: true });
  const login = () => {
    ws.send(JSON.stringify({ type: 'setUsername', username: name }));
    ws.send(JSON.stringify({ type: 'joinRoom', room }));
  };
  ws.on('open', login);
  ws.on('message', (d) => {
    if (handlers.raw && handlers.raw(ws, d)) return;
    // Refused for now (a cluster node whose Redis is away): asked again when the server says, as
    // natter's own client does.
    if (d.includes('"retryAfterMs"') && d.includes('"error"')) {
      const e = JSON.parse(d);
      if (e.request === 'setUsername' || e.request === 'joinRoom') {
        if (handlers.retried) handlers.retried();
        setTimeout(login, e.retryAfterMs);
        return;
      }
    }
    if (d.includes('"roomJoined"') && handlers.joined) handlers.joined(ws);
  });
  ws.on('error', (e) => { if (handlers.error) handlers.error(ws, e); });
  ws.on('unexpected-response', (req, res) => { if (handlers.error) handlers.error(ws, new Error(`HTTP ${res.statusCode}`)); });
  return ws;
}

function stayUntilTold(sockets) {
  const done = () => { for (const ws of sockets) ws.terminate(); process.exit(0); };
  process.on('SIGTERM', done);
  readline.createInterface({ input: process.stdin }).on('close', done);
}

function storm() {
  const [n, batch, rooms] = args.slice(0, 3).map(Number);
  const prefix = args[3] || 'u';
  const sockets = [];
  let failed = 0, retried = 0, started = 0, joinedInBatch = 0;
  const t0 = process.hrtime.bigint();
  function nextBatch() {
    joinedInBatch = 0;
    const size = Math.min(batch, n - started);
    if (size === 0) {
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      out({ mode: 'storm', clients: n, batch, rooms, failed, retried, seconds: +s.toFixed(3),
            clientsPerSecond: Math.round(n / s) });
      stayUntilTold(sockets);
      return;
    }
    for (let i = 0; i < size; i++, started++) {
      const id = started;
      const onJoined = () => { if (++joinedInBatch === size) nextBatch(); };
      const connect = () => client(`${prefix}${id}`, `room${id % rooms}`, {
        joined: onJoined,
        // A refused or reset connection is counted and tried again: the time includes the retry.
        error: (ws) => { failed++; ws.terminate(); setTimeout(() => { sockets[id] = connect(); }, 100); },
        retried: () => { retried++; },
      });
      sockets[id] = connect();
    }
  }
  nextBatch();
}

function fanout() {
  const [senders, receivers, count] = args.map(Number);
  const total = senders + receivers;
  let joined = 0, done = 0, t0 = 0;
  const sockets = [];
  const start = () => {
    t0 = process.hrtime.bigint();
    for (let s = 0; s < senders; s++)
      for (let i = 0; i < count; i++)
        sockets[s].send(JSON.stringify({ type: 'chatMessage', text: `fan-out ${s} message ${i}` }));
  };
  const onJoined = () => { if (++joined === total) start(); };
  for (let s = 0; s < senders; s++) sockets.push(client(`s${s}`, 'fanout', { joined: onJoined }));
  for (let r = 0; r < receivers; r++) {
    let got = 0;
    sockets.push(client(`r${r}`, 'fanout', {
      joined: onJoined,
      raw: (ws, s) => {
        if (!s.includes('"chatMessage"')) return false; // s: the message's raw Buffer
        if (++got === senders * count && ++done === receivers) {
          const sec = Number(process.hrtime.bigint() - t0) / 1e9;
          out({ mode: 'fanout', senders, receivers, messages: count, seconds: +sec.toFixed(3),
                deliveredPerSecond: Math.round(receivers * senders * count / sec) });
          for (const w of sockets) w.terminate();
          process.exit(0);
        }
        return true;
      },
    }, urls[r % urls.length]));
  }
}

function paced() {
  const [senders, receivers, rate, seconds] = args.map(Number);
  const total = senders + receivers;
  const warmup = 1; // seconds sent but not counted: connections and caches settle
  let joined = 0, sent = 0;
  const latencies = [];
  const sockets = [];
  const now = () => Number(process.hrtime.bigint()) / 1e6;
  let counting = false;
  const start = () => {
    const t0 = now();
    const totalMessages = Math.round(rate * (seconds + warmup));
    const tick = () => {
      // As many as are due by now: a late timer catches up instead of lowering the rate.
      const due = Math.min(totalMessages, Math.floor((now() - t0) * rate / 1000));
      while (sent < due) {
        if (sent === Math.round(rate * warmup)) { counting = true; process.stdout.write('{"phase":"measuring"}\n'); }
        sockets[sent % senders].send(JSON.stringify({ type: 'chatMessage', text: `t=${now().toFixed(3)};${counting ? 1 : 0}` }));
        sent++;
      }
      if (sent < totalMessages) setTimeout(tick, 1);
      else setTimeout(finish, 500); // the last deliveries
    };
    tick();
  };
  const finish = () => {
    latencies.sort((a, b) => a - b);
    const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    out({ mode: 'paced', senders, receivers, rate, seconds, deliveries: latencies.length,
          expected: Math.round(rate * seconds) * receivers,
          p50Ms: +q(0.5).toFixed(3), p99Ms: +q(0.99).toFixed(3), maxMs: +latencies[latencies.length - 1].toFixed(3) });
    for (const w of sockets) w.terminate();
    process.exit(0);
  };
  const onJoined = () => { if (++joined === total) start(); };
  for (let s = 0; s < senders; s++) sockets.push(client(`s${s}`, 'paced', { joined: onJoined, raw: (ws, d) => d.includes('"t=') }));
  for (let r = 0; r < receivers; r++) {
    sockets.push(client(`r${r}`, 'paced', {
      joined: onJoined,
      raw: (ws, s) => {
        const at = s.indexOf('"t=');
        if (at < 0) return false;
        const semi = s.indexOf(59 /* ; */, at);
        if (s[semi + 1] === 49 /* 1 */) latencies.push(now() - Number(s.toString('latin1', at + 3, semi)));
        return true;
      },
    }, urls[r % urls.length]));
  }
}

({ storm, fanout, paced })[mode]();
