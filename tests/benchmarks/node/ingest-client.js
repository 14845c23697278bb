// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// The bare Node.js baseline for client ingest: joins a room, JSON-parses every frame and keeps
// each chatMessage, nothing else. burst-server.js times it; this prints its own view as well
// (roomJoined to the last message) and exits when the server closes the connection.
// Usage: node ingest-client.js URL [count]
const WebSocket = require('ws');
const [url, countArg] = process.argv.slice(2);
const count = Number(countArg || 100000);
const ws = new WebSocket(url);
const messages = [];
let t0 = 0, seconds = 0;
ws.on('open', () => {
  ws.send(JSON.stringify({ type: 'setUsername', username: 'ingest' }));
  ws.send(JSON.stringify({ type: 'joinRoom', room: 'bench' }));
});
ws.on('message', (data) => {
  const m = JSON.parse(data.toString());
  if (m.type === 'roomJoined') t0 = process.hrtime.bigint();
  if (m.type !== 'chatMessage') return;
  messages.push(m);
  if (messages.length === count) seconds = Number(process.hrtime.bigint() - t0) / 1e9;
});
ws.on('close', () => {
  const rss = process.memoryUsage().rss / 1048576;
  console.log(JSON.stringify({ client: 'node-ws', messages: messages.length, seconds: +seconds.toFixed(3), perSecond: seconds ? Math.round(messages.length / seconds) : 0, rssMiB: +rss.toFixed(1) }));
  process.exit(messages.length === count ? 0 : 1);
});
ws.on('error', (e) => { console.error(`ingest-client: ${e.message}`); process.exit(1); });
