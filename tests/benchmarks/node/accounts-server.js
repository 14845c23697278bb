// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// Baseline for bench_loginstorm: natter-server --accounts reduced to what that benchmark uses, on
// Node.js `ws`, written plainly: `connected` says auth "accounts"; `auth` with username and
// password derives with crypto.pbkdf2 (async, libuv's thread pool; PBKDF2-HMAC-SHA256, 600,000
// iterations like Natter's records), compares with timingSafeEqual and answers `authOk` with a
// random 32-byte base64url token; after that, setUsername, joinRoom and chatMessage relay as
// chat-server.js does. The accounts are made at start, all with one password.
// Usage: node accounts-server.js PORT PASSWORD NAME...   (port 0 picks a free one; printed once
// every account's record is ready)
const WebSocket = require('ws');
const crypto = require('crypto');
const { Rooms, send } = require('./rooms');

const port = Number(process.argv[2] || 0);
const password = process.argv[3];
const names = process.argv.slice(4);
if (password === undefined || names.length === 0) {
  console.error('usage: node accounts-server.js PORT PASSWORD NAME...');
  process.exit(2);
}
const iterations = 600000;
const keyLength = 32;
const tokenLifetimeMs = 30 * 24 * 3600 * 1000;

function derive(secret, salt) {
  return new Promise((resolve, reject) =>
    crypto.pbkdf2(secret, salt, iterations, keyLength, 'sha256', (e, key) => (e ? reject(e) : resolve(key))));
}

const accounts = new Map(); // lower-cased name → { name, salt, hash }
// An unknown name costs a derivation too, so it answers no sooner than a wrong password.
const nobody = { name: null, salt: crypto.randomBytes(16), hash: crypto.randomBytes(keyLength) };

async function makeAccounts() {
  await Promise.all(names.map(async (name) => {
    const salt = crypto.randomBytes(16);
    accounts.set(name.toLowerCase(), { name, salt, hash: await derive(password, salt) });
  }));
}

const rooms = new Rooms();
function error(ws, code, message) {
  send(ws, { type: 'error', code, message });
}

async function login(c, m) {
  const account = accounts.get(String(m.username || '').toLowerCase()) || nobody;
  c.checking = true;
  const key = await derive(String(m.password || ''), account.salt);
  c.checking = false;
  if (!account.name || !crypto.timingSafeEqual(key, account.hash)) {
    error(c.ws, 'authFailed', 'Wrong name, password or token');
    return;
  }
  c.username = account.name;
  const token = crypto.randomBytes(32).toString('base64url');
  send(c.ws, { type: 'authOk', username: account.name, token, expiresAt: Date.now() + tokenLifetimeMs });
}

function serve() {
  const wss = new WebSocket.Server({ port, maxPayload: 1 << 20 });
  wss.on('connection', (ws) => {
    const c = { ws, username: null, room: null, checking: false };
    send(ws, { type: 'connected', clientId: crypto.randomUUID(), auth: 'accounts', registration: false });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let m;
      try { m = JSON.parse(data.toString()); } catch (e) {
        error(ws, 'badJson', 'Invalid message format');
        return;
      }
      if (m.type === 'ping') {
        send(ws, { type: 'pong', timestamp: m.timestamp, serverTime: Date.now() });
        return;
      }
      if (m.type === 'auth') {
        if (c.username) error(ws, 'badField', `Already logged in as '${c.username}'`);
        else if (c.checking) error(ws, 'authFailed', 'A login is already being checked');
        else login(c, m).catch((e) => error(ws, 'authFailed', String(e)));
        return;
      }
      if (!c.username) {
        error(ws, 'authRequired', 'Log in first');
        return;
      }
      switch (m.type) {
        case 'setUsername': send(ws, { type: 'usernameSet', username: c.username }); break;
        case 'joinRoom': rooms.join(c, m.room); break;
        case 'leaveRoom': rooms.leave(c); break;
        case 'chatMessage': rooms.chat(c, m.text); break;
      }
    });
    ws.on('close', () => rooms.leave(c));
  });
  wss.on('listening', () => console.log(`node accounts-server listening on ws://127.0.0.1:${wss.address().port}`));
}

process.on('SIGTERM', () => process.exit(0));
makeAccounts().then(serve, (e) => {
  console.error(e);
  process.exit(1);
});
