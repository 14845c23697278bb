// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// Node baseline for file throughput: a sender streams a file from disk in the guides' framing
// (fileStart, [u32 BE index][<=64 KiB], fileEnd), keeping its send buffer under 1 MiB, through a
// relaying server to a receiver that writes the chunks to a file.
// Usage: node file-client.js URL PATH OUT   -> prints MiB/s and both sides' peak RSS
const WebSocket = require('ws');
const fs = require('fs');
const [url, path, out] = process.argv.slice(2);
const size = fs.statSync(path).size;
const CHUNK = 64 * 1024;
let peakSender = 0, t0 = 0, joined = 0;
const sample = () => { const r = process.memoryUsage().rss; if (r > peakSender) peakSender = r; };
// Both ends live in this one process, so one RSS figure covers both; it is reported as such.
setInterval(sample, 50).unref();

function client(name, onMsg) {
  const ws = new WebSocket(url);
  ws.on('open', () => {
    // natter-server relays files only to clients that declare them; the Node server ignores it.
    ws.send(JSON.stringify({ type: 'hello', client: 'node-baseline', features: ['files'] }));
    ws.send(JSON.stringify({ type: 'setUsername', username: name }));
    ws.send(JSON.stringify({ type: 'joinRoom', room: 'files' }));
  });
  ws.on('message', onMsg);
  return ws;
}
const outFd = fs.openSync(out, 'w');
let received = 0;
// Against the Node server, frames arrive as sent (4-byte header) and end with fileEnd; against
// natter-server they carry an 8-byte relay header (stream, index) and end with fileDone.
let header = 4;
const receiver = client('receiver', (d, isBinary) => {
  if (isBinary) { fs.writeSync(outFd, d, header); received += d.length - header; return; }
  const m = JSON.parse(d.toString());
  if (m.type === 'fileOffer') header = 8;
  if (m.type === 'roomJoined' && ++joined === 2) start();
  if (m.type === 'fileEnd' || m.type === 'fileDone') finish();
});
const sender = client('sender', (d) => {
  const m = JSON.parse(d.toString());
  if (m.type === 'roomJoined' && ++joined === 2) start();
});
function start() {
  t0 = process.hrtime.bigint();
  sender.send(JSON.stringify({ type: 'fileStart', name: 'bench.bin', size, mimeType: 'application/octet-stream' }));
  const fd = fs.openSync(path, 'r');
  let index = 0;
  const pump = () => {
    while (sender.bufferedAmount < 1024 * 1024) {
      const frame = Buffer.allocUnsafe(4 + CHUNK);
      const n = fs.readSync(fd, frame, 4, CHUNK, null);
      if (n === 0) { fs.closeSync(fd); sender.send(JSON.stringify({ type: 'fileEnd' })); return; }
      frame.writeUInt32BE(index++, 0);
      sender.send(frame.subarray(0, 4 + n));
    }
    setImmediate(pump);
  };
  pump();
}
function finish() {
  fs.closeSync(outFd);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  sample();
  console.log(JSON.stringify({ client: 'node-ws', bytes: received, seconds: +s.toFixed(3), MiBps: +(received / 1048576 / s).toFixed(1), peakRssMiB: +(peakSender / 1048576).toFixed(1), note: 'sender and receiver share one process' }));
  sender.close(1000); receiver.close(1000);
}
