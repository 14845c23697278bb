// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
// Baseline for bench_login: one PBKDF2-HMAC-SHA256 derivation with Node's crypto.pbkdf2Sync
// (OpenSSL), the same parameters as Natter's password records, median of RUNS in CPU time (this
// process runs it on its one JavaScript thread).
// Usage: node pbkdf2.js [runs] [iterations]   Prints one JSON line.
const crypto = require('crypto');

const runs = Number(process.argv[2] || 3);
const iterations = Number(process.argv[3] || 600000);
const password = Buffer.from('correct horse battery staple');
const salt = crypto.randomBytes(16);
const times = [];
for (let i = 0; i < runs; i++) {
  const start = process.cpuUsage();
  crypto.pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const used = process.cpuUsage(start);
  times.push((used.user + used.system) / 1e3);
}
times.sort((a, b) => a - b);
const ms = times[Math.floor(times.length / 2)];
console.log(JSON.stringify({ iterations, derivationMs: ms, loginsPerSecond: 1000 / ms }));
