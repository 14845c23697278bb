// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// The rooms of the Node.js baselines (chat-server.js, accounts-server.js), as the guides keep
// them: a Map from room name to the Set of its clients ({ ws, username, room }), a broadcast
// by looping over the room.
const WebSocket = require('ws');

function send(ws, msg) {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

class Rooms {
  constructor() {
    this.rooms = new Map();
  }

  toRoom(room, payload, except, binary = false) {
    const members = this.rooms.get(room);
    if (!members) return;
    for (const c of members) {
      if (c !== except && c.ws.readyState === WebSocket.OPEN) c.ws.send(payload, { binary });
    }
  }

  join(c, room) {
    if (c.room) this.leave(c);
    if (!this.rooms.has(room)) this.rooms.set(room, new Set());
    this.rooms.get(room).add(c);
    c.room = room;
    const n = this.rooms.get(room).size;
    this.toRoom(room, JSON.stringify({ type: 'userJoined', user: c.username, room, userCount: n }));
    send(c.ws, { type: 'roomJoined', room, userCount: n });
  }

  leave(c) {
    const members = this.rooms.get(c.room);
    if (!members) return;
    members.delete(c);
    this.toRoom(c.room, JSON.stringify({ type: 'userLeft', user: c.username, userCount: members.size }));
    if (members.size === 0) this.rooms.delete(c.room);
    c.room = null;
  }

  chat(c, text) {
    if (c.room) this.toRoom(c.room, JSON.stringify({ type: 'chatMessage', user: c.username, text, timestamp: Date.now() }), c);
  }
}

module.exports = { Rooms, send };
