// Helpers of the browser tests: a static server for wasm/www/dist on a free
// local port, and Debian's headless Chromium driven by playwright-core
// (installed with the page's dev dependencies in wasm/www/node_modules).
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const dist = join(root, 'wasm/www/dist');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Flags for headless Chromium in a container, with nothing reaching the network by itself. */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.geojson': 'application/geo+json', '.csv': 'text/csv', '.wasm': 'application/wasm',
  '.tif': 'image/tiff', '.txt': 'text/plain',
};

/** Serves `dir` on 127.0.0.1 at a free port; resolves to `{ url, close }`. */
export function serve(dir = dist) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(normalize(dir + sep)) && file !== normalize(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** A package from the page's node_modules (playwright-core, geotiff; scripts/build-web.sh installs them). */
export function fromWww(name) {
  const require = createRequire(join(root, 'wasm/www/package.json'));
  try {
    return require(name);
  } catch {
    throw new Error(`${name} is not installed in wasm/www/node_modules: run scripts/build-web.sh`);
  }
}

const playwright = () => fromWww('playwright-core');

/**
 * Launches headless Chromium with a fresh profile; resolves to
 * `{ context, page, close }`. The page keeps every console message and page
 * error in `page.log` and every request URL in `page.requests`.
 */
export async function launch({ width = 1440, height = 900 } = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), or run scripts/test-web.sh`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'bbcov-chromium-'));
  const context = await playwright().chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width, height },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.log = [];
  page.requests = [];
  page.on('console', (m) => page.log.push({ type: m.type(), text: m.text(), location: m.location() }));
  page.on('pageerror', (e) => page.log.push({ type: 'pageerror', text: String(e.stack ?? e) }));
  page.on('request', (r) => page.requests.push(r.url()));
  page.on('requestfailed', (r) => page.log.push({ type: 'requestfailed', text: `${r.url()}: ${r.failure()?.errorText}` }));
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/** Console errors, page errors and failed requests seen so far. */
export function errorsOf(page) {
  return page.log.filter((m) => m.type === 'error' || m.type === 'pageerror' || m.type === 'requestfailed');
}
