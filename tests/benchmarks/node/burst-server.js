// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// Sends COUNT chatMessages as fast as it can to each client once it joins a room: the "server
// burst" that the client-ingest benchmarks measure.  Usage: node burst-server.js [port] [count]
const WebSocket = require('ws');
const count = Number(process.argv[3] || 100000);
const now = Date.now();
const frames = [];
for (let i = 0; i < count; i++) {
  frames.push(JSON.stringify({ type: 'chatMessage', user: 'burst', text: `message ${i} with a little text in it`, timestamp: now }));
}
const wss = new WebSocket.Server({ port: Number(process.argv[2] || 0) });
wss.on('connection', (ws) => {
  ws.send(JSON.stringify({ type: 'connected', clientId: 'burst' }));
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.type === 'setUsername') ws.send(JSON.stringify({ type: 'usernameSet', username: m.username }));
    if (m.type === 'joinRoom') {
      ws.send(JSON.stringify({ type: 'roomJoined', room: m.room, userCount: 1 }));
      // Frames are encoded before the clock starts on the client, so the burst is as fast as the
      // socket allows and the client's decoding is what gets measured.
      for (const frame of frames) ws.send(frame);
    }
  });
});
wss.on('listening', () => console.log(`node burst-server listening on ws://127.0.0.1:${wss.address().port}`));
process.on('SIGTERM', () => process.exit(0));
