/**
 * Serves the built browser demo (tools/build-demo.mjs) over HTTP with node:http, with
 * the headers that make the page cross-origin isolated (`Cross-Origin-Opener-Policy:
 * same-origin`, `Cross-Origin-Embedder-Policy: require-corp`): the condition for
 * SharedArrayBuffer, which WebAssembly threads in a browser would need. Only files
 * inside the folder are served; nothing is cached, so a rebuild shows on reload.
 *
 * Usage: node tools/serve-demo.mjs [--port N] [--host H]   (default: PORT or 8080, 0
 * picks a free port; host 127.0.0.1, 0.0.0.0 to be reached from other machines).
 * npm run demo builds first, then runs this and prints the address.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { DEMO_DIR } from './build-demo.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

/** The headers every response carries: cross-origin isolation, and no caching. */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** The file under `dir` a request path names, or null when it would leave the folder. */
const fileFor = (dir, urlPath) => {
  const path = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
  return file === dir || file.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`) ? file : null;
};

/**
 * Serves `dir` on `port` (0: any free port) at `host`; resolves with the page's
 * address and a `close` that stops the server.
 */
export const serveDemo = (dir = DEMO_DIR, port = 0, host = '127.0.0.1') => new Promise((resolvePromise, reject) => {
  const server = createServer((req, res) => {
    const send = (status, text) => {
      res.writeHead(status, { ...ISOLATION_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(text);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'only GET and HEAD');
    let file;
    try {
      file = fileFor(dir, req.url ?? '/');
    } catch {
      return send(400, 'bad path');
    }
    if (file === null) return send(403, 'outside the demo folder');
    stat(file).then((info) => {
      if (!info.isFile()) return send(404, 'not found');
      res.writeHead(200, { ...ISOLATION_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': info.size });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    }, () => send(404, 'not found'));
  });
  server.once('error', (error) => {
    reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use: pass another with --port N (0 picks a free one)`) : error);
  });
  server.listen(port, host, () => {
    const { port: actual } = server.address();
    const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    resolvePromise({ url: `http://${shown}:${actual}/`, close: () => new Promise((done) => server.close(() => done())) });
  });
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '8080' }, host: { type: 'string', default: '127.0.0.1' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`);
  await stat(join(DEMO_DIR, 'index.html')).catch(() => {
    throw new Error('the demo is not built: run node tools/build-demo.mjs first (npm run demo does both)');
  });
  const { url } = await serveDemo(DEMO_DIR, port, values.host);
  console.log(`the seqgrad browser demo: ${url}  (cross-origin isolated; Ctrl-C stops)`);
}
