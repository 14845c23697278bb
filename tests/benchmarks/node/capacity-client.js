// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// The connection-storm load client of tools/bench.sh's storm, idle and connections areas, used
// unchanged against natter-server and the Node.js `ws` baseline (chat-server.js); guides' protocol
// only. One JSON line. (Bursts and paced latency: bench_load_client, in C++, since this client
// saturates its core long before natter-server does.)
//
//   node capacity-client.js storm  URL CLIENTS BATCH ROOMS [PREFIX]   connect + setUsername +
//        joinRoom in batches (the next batch once the last has joined), then print and stay idle
//        until SIGTERM or stdin closes (the runner measures the server meanwhile). Names are
//        PREFIX0, PREFIX1, … (default u): load clients on the nodes of one cluster need their own,
//        since a name held on one node is refused on the others
//
// Clients connect from 127.0.0.2 … 127.0.0.51 in turn (LOCAL_ADDRESSES=n to change), so that
// 10,000 connections do not run out of one address's ephemeral ports across runs, and so that a
// server with per-address caps sees at most CLIENTS/50 per address, as behind many NATs.
const WebSocket = require('ws');
const readline = require('readline');

const [mode, url, ...args] = process.argv.slice(2);
const addresses = Number(process.env.LOCAL_ADDRESSES || 50);
let nextAddress = 0;
const out = (o) => console.log(JSON.stringify(o));

function client(name, room, handlers = {}) {
  const localAddress = `127.0.0.${2 + (nextAddress++ % addresses)}`;
  // The client must not be what is measured: no UTF-8 check, and messages are looked at in the
  // raw buffer rather than decoded.
  const ws = new WebSocket(url, { localAddress, perMessageDeflate: false, skipUTF8Validation: true });
  const login = () => {
    ws.send(JSON.stringify({ type: 'setUsername', username: name }));
    ws.send(JSON.stringify({ type: 'joinRoom', room }));
  };
  ws.on('open', login);
  ws.on('message', (d) => {
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

({ storm })[mode]();
