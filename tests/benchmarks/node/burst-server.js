// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// A base server that floods: it answers a client's handshake as the guides' server does
// (connected, usernameSet, roomJoined, pong), then sends COUNT guides-format chatMessages as fast
// as the client takes them, and times how long the client needs to take them all in.
//
// The clock starts at the first send and stops at a protocol barrier: after the last message the
// server sends a WebSocket ping, and when its pong is back, a second one. The same barrier after
// roomJoined comes before the flood. A client answers a ping
// only once it has handled every frame before it (Qt and ws both handle frames in order and pong
// from the same loop); the second round trip also covers work a client defers to its next
// event-loop pass (batched model inserts, buffered output). Prints one JSON line per client.
//
// Usage: node burst-server.js [port] [count] [--once]   (--once: exit after the first client)
const WebSocket = require('ws');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const once = process.argv.includes('--once');
const count = Number(args[1] || 100000);
const now = Date.now();

// An unmasked, final text frame (RFC 6455, section 5.2), as a server sends it.
function textFrame(text) {
  const payload = Buffer.from(text);
  const n = payload.length;
  let header;
  if (n < 126) {
    header = Buffer.from([0x81, n]);
  } else if (n < 65536) {
    header = Buffer.from([0x81, 126, n >> 8, n & 0xff]);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([header, payload]);
}
// The whole flood is encoded and framed before anyone connects and goes out in one write, so the
// server costs next to nothing while it runs: the client's decoding is what gets measured.
const messages = [];
for (let i = 0; i < count; i++) {
  messages.push(textFrame(JSON.stringify({ type: 'chatMessage', user: 'burst', text: `message ${i} with a little text in it`, timestamp: now })));
}
const floodBytes = Buffer.concat(messages);
messages.length = 0;

// Two ping round trips: the client has handled everything sent before the first ping and has
// been back to its event loop since (see the top of this file).
function barrier(ws, then) {
  let pongs = 0;
  const onPong = () => {
    if (++pongs === 1) {
      ws.ping();
      return;
    }
    ws.off('pong', onPong);
    then();
  };
  ws.on('pong', onPong);
  ws.ping();
}

function flood(ws) {
  const t0 = process.hrtime.bigint();
  // ws writes its frames straight to the same socket, so the pings follow the flood.
  ws._socket.write(floodBytes);
  barrier(ws, () => {
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(JSON.stringify({ server: 'node-burst', messages: count, seconds: +seconds.toFixed(4), perSecond: Math.round(count / seconds) }));
    ws.close(1000);
    if (once) wss.close(() => process.exit(0));
  });
}

const wss = new WebSocket.Server({ port: Number(args[0] || 0) });
wss.on('connection', (ws) => {
  ws.send(JSON.stringify({ type: 'connected', clientId: 'burst' }));
  ws.on('message', (data) => {
    let m;
    try { m = JSON.parse(data.toString()); } catch (e) { return; }
    if (m.type === 'setUsername') ws.send(JSON.stringify({ type: 'usernameSet', username: m.username }));
    if (m.type === 'ping') ws.send(JSON.stringify({ type: 'pong', timestamp: m.timestamp, serverTime: Date.now() }));
    if (m.type === 'joinRoom') {
      ws.send(JSON.stringify({ type: 'roomJoined', room: m.room, userCount: 1 }));
      // The flood starts once the client has settled after joining (a desktop app may still be
      // showing its window): the start-up is not part of taking in a burst.
      barrier(ws, () => flood(ws));
    }
  });
});
wss.on('listening', () => console.log(`node burst-server listening on ws://127.0.0.1:${wss.address().port}`));
process.on('SIGTERM', () => process.exit(0));
