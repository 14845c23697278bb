// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// Baseline for Natter's benchmarks: the guides' chat protocol on Node.js `ws`, written the way
// the guides do it (JSON.parse per message, broadcast by looping over the room), plus a streaming
// relay of binary file chunks to the rest of the room so file throughput can be compared.
// Usage: node chat-server.js [port]   (port 0 picks a free one; the chosen port is printed)
const WebSocket = require('ws');
const { randomUUID } = require('crypto');
const { Rooms, send } = require('./rooms');

const wss = new WebSocket.Server({ port: Number(process.argv[2] || 0), maxPayload: 1 << 20 });
const rooms = new Rooms();

wss.on('connection', (ws) => {
  const c = { id: randomUUID(), ws, username: null, room: null };
  send(ws, { type: 'connected', clientId: c.id });
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      if (c.room) rooms.toRoom(c.room, data, c, true);
      return;
    }
    let m;
    try { m = JSON.parse(data.toString()); } catch (e) {
      send(ws, { type: 'error', message: 'Invalid message format' });
      return;
    }
    switch (m.type) {
      case 'setUsername': c.username = m.username; send(ws, { type: 'usernameSet', username: c.username }); break;
      case 'joinRoom': rooms.join(c, m.room); break;
      case 'leaveRoom': rooms.leave(c); break;
      case 'chatMessage': rooms.chat(c, m.text); break;
      case 'typing': if (c.room) rooms.toRoom(c.room, JSON.stringify({ type: 'userTyping', user: c.username }), c); break;
      case 'ping': send(ws, { type: 'pong', timestamp: m.timestamp, serverTime: Date.now() }); break;
      case 'fileStart': case 'fileEnd': if (c.room) rooms.toRoom(c.room, JSON.stringify({ ...m, user: c.username }), c); break;
    }
  });
  ws.on('close', () => rooms.leave(c));
});
wss.on('listening', () => console.log(`node chat-server listening on ws://127.0.0.1:${wss.address().port}`));
process.on('SIGTERM', () => process.exit(0));
