// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// Baseline for Natter's benchmarks: the guides' chat protocol on Node.js `ws`, written the way
// the guides do it (JSON.parse per message, broadcast by looping over the room), plus a streaming
// relay of binary file chunks to the rest of the room so file throughput can be compared.
// Usage: node chat-server.js [port]   (port 0 picks a free one; the chosen port is printed)
const WebSocket = require('ws');
const { randomUUID } = require('crypto');

const wss = new WebSocket.Server({ port: Number(process.argv[2] || 0), maxPayload: 1 << 20 });
const rooms = new Map();

function send(ws, msg) {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}
function toRoom(room, payload, except, binary = false) {
  const members = rooms.get(room);
  if (!members) return;
  for (const c of members) {
    if (c !== except && c.ws.readyState === WebSocket.OPEN) c.ws.send(payload, { binary });
  }
}
function leave(c) {
  const members = rooms.get(c.room);
  if (!members) return;
  members.delete(c);
  toRoom(c.room, JSON.stringify({ type: 'userLeft', user: c.username, userCount: members.size }));
  if (members.size === 0) rooms.delete(c.room);
  c.room = null;
}

wss.on('connection', (ws) => {
  const c = { id: randomUUID(), ws, username: null, room: null };
  send(ws, { type: 'connected', clientId: c.id });
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      if (c.room) toRoom(c.room, data, c, true);
      return;
    }
    let m;
    try { m = JSON.parse(data.toString()); } catch (e) {
      send(ws, { type: 'error', message: 'Invalid message format' });
      return;
    }
    switch (m.type) {
      case 'setUsername': c.username = m.username; send(ws, { type: 'usernameSet', username: c.username }); break;
      case 'joinRoom': {
        if (c.room) leave(c);
        if (!rooms.has(m.room)) rooms.set(m.room, new Set());
        rooms.get(m.room).add(c);
        c.room = m.room;
        const n = rooms.get(m.room).size;
        toRoom(m.room, JSON.stringify({ type: 'userJoined', user: c.username, room: m.room, userCount: n }));
        send(ws, { type: 'roomJoined', room: m.room, userCount: n });
        break;
      }
      case 'leaveRoom': leave(c); break;
      case 'chatMessage':
        if (c.room) toRoom(c.room, JSON.stringify({ type: 'chatMessage', user: c.username, text: m.text, timestamp: Date.now() }), c);
        break;
      case 'typing': if (c.room) toRoom(c.room, JSON.stringify({ type: 'userTyping', user: c.username }), c); break;
      case 'ping': send(ws, { type: 'pong', timestamp: m.timestamp, serverTime: Date.now() }); break;
      case 'fileStart': case 'fileEnd': if (c.room) toRoom(c.room, JSON.stringify({ ...m, user: c.username }), c); break;
    }
  });
  ws.on('close', () => leave(c));
});
wss.on('listening', () => console.log(`node chat-server listening on ws://127.0.0.1:${wss.address().port}`));
process.on('SIGTERM', () => process.exit(0));
