// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// Node baseline for client ingest: joins a room and decodes COUNT chatMessages, then prints the rate.
// Usage: node ingest-client.js URL [count]
const WebSocket = require('ws');
const [url, countArg] = process.argv.slice(2);
const count = Number(countArg || 100000);
const ws = new WebSocket(url);
let got = 0, t0 = 0;
ws.on('open', () => {
  ws.send(JSON.stringify({ type: 'setUsername', username: 'ingest' }));
  ws.send(JSON.stringify({ type: 'joinRoom', room: 'bench' }));
});
ws.on('message', (data) => {
  const m = JSON.parse(data.toString());
  if (m.type === 'roomJoined') t0 = process.hrtime.bigint();
  if (m.type === 'chatMessage' && ++got === count) {
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const rss = process.memoryUsage().rss / 1048576;
    console.log(JSON.stringify({ client: 'node-ws', messages: got, seconds: +s.toFixed(3), perSecond: Math.round(got / s), rssMiB: +rss.toFixed(1) }));
    ws.close(1000);
  }
});
