// The demo's tiny server: serves the page and its bundle, and /slow, an endpoint that answers after
// a random latency, so the page has real requests to time out and cancel. /stats reports what the
// server saw (the end-to-end test checks that cancelled requests were really aborted).
//   node examples/browser/server.mjs [port]     (default 8080; 0 picks a free port)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

const files = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/dist/app.js': ['dist/app.js', 'text/javascript; charset=utf-8'],
  '/dist/app.js.map': ['dist/app.js.map', 'application/json'],
};

/** A number in [0, 1) that looks random but depends only on `key` (FNV-1a, then murmur3's fmix32). */
function spread(key) {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/** Starts the server; resolves with its URL and a close function. */
export function startServer(port = 8080) {
  const stats = { started: 0, finished: 0, aborted: 0, inFlight: 0 };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/slow') {
      // Latency in [min, max] ms, spread pseudo-randomly but fixed per request id (so runs repeat).
      const min = Number(url.searchParams.get('min') ?? 0);
      const max = Number(url.searchParams.get('max') ?? 2000);
      const ms = Math.round(min + spread(url.searchParams.get('id') ?? '') * Math.max(0, max - min));
      stats.started++;
      stats.inFlight++;
      const timer = setTimeout(() => {
        stats.finished++;
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ id: url.searchParams.get('id'), ms }));
      }, ms);
      res.on('close', () => {
        stats.inFlight--;
        if (!res.writableFinished) { clearTimeout(timer); stats.aborted++; }
      });
      return;
    }
    if (url.pathname === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(stats));
      return;
    }
    const file = files[url.pathname];
    if (file === undefined) { res.writeHead(404).end('not found'); return; }
    try {
      const body = await readFile(here + file[0]);
      res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`${file[0]} is missing: build the demo with npm run demo:build`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      resolve({
        url: `http://127.0.0.1:${actual}/`,
        stats,
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startServer(Number(process.argv[2] ?? 8080));
  console.log(`giambio browser demo: ${url}`);
}
