// The examples (examples/*.mjs) import the built package (dist/), so these tests drive them with
// dist's own loop and sockets: one kernel, as in `npm start`. They need `npm run build` first
// (`npm test` does it). Everything runs over loopback with bounded loops; children are killed in
// `finally` blocks.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Operation } from '../../src/task.js';
import type { TaskPool } from '../../src/pool.js';
import { expectNoLeakedHandles, handleCounts } from './helpers.js';

type Core = typeof import('../../src/index.js');
type Node = typeof import('../../src/node/index.js');
type Socket = import('../../src/node/index.js').AsyncSocket;

type Address = import('../../src/node/index.js').ServerAddress;
type Status = import('../../src/index.js').TaskStatus<Address>;
interface EchoModule {
  WELCOME: string; PROMPT: string; GOODBYE: string;
  echoServer(status: Status, options?: { port?: number; host?: string; log?: (line: string) => void }): Operation<void>;
}
interface ChatModule {
  ASK_NAME: string; NAME_TAKEN: string;
  welcomeLine(name: string): string; joinedLine(name: string): string; leftLine(name: string): string;
  relayLine(name: string, address: string, text: string): string;
  chatServer(status: Status, options?: { port?: number; host?: string }): Operation<void>;
}
interface ProxyModule {
  proxyServer(status: Status, options: { port: number; target: { host: string; port: number }; seconds?: number; log?: (line: string) => void }): Operation<void>;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = (file: string): string => new URL(`../../dist/${file}`, import.meta.url).href;
const example = (file: string): string => new URL(`../../examples/${file}`, import.meta.url).href;

let g: Core;
let io: Node;
let echo: EchoModule;
let chat: ChatModule;
let proxy: ProxyModule;

beforeAll(async () => {
  if (!existsSync(new URL('../../dist/node.mjs', import.meta.url))) {
    throw new Error('the examples run against dist/: run `npm run build` first (npm test does)');
  }
  g = await import(dist('index.mjs')) as Core;
  io = await import(dist('node.mjs')) as Node;
  echo = await import(example('echo-server.mjs')) as EchoModule;
  proxy = await import(example('proxy.mjs')) as ProxyModule;
});

/** Runs `main` on dist's loop with the Node host, then checks no handle was left open. */
async function runDist<T>(main: () => Operation<T>): Promise<T> {
  const before = handleCounts();
  const result = await new g.EventLoop({ host: io.nodeHost }).run(main);
  await expectNoLeakedHandles(before);
  return result;
}

/** Reads until the text received ends with `suffix` (bounded: 64 reads); returns all of it. */
function* readUntil(sock: Socket, suffix: string): Operation<string> {
  let got = '';
  for (let i = 0; i < 64 && !got.endsWith(suffix); i++) {
    const data = yield* sock.receive();
    if (data.length === 0) break;
    got += Buffer.from(data).toString('utf8');
  }
  return got;
}

function* readToEof(sock: Socket): Operation<string> {
  let got = '';
  for (let i = 0; i < 64; i++) {
    const data = yield* sock.receive();
    if (data.length === 0) return got;
    got += Buffer.from(data).toString('utf8');
  }
  throw new Error('no EOF');
}

/**
 * Starts a start-able example server (serveTcp inside) on an ephemeral port with `pool.start`, runs
 * `body({ address }, pool)`, then cancels the pool (closing the listener and every connection).
 */
function withServer<T>(startFn: (status: Status) => Operation<void>, body: (server: { address: Address }, pool: TaskPool) => Operation<T>): () => Operation<T> {
  return function* () {
    let result: T;
    yield* g.createPool(function* (pool) {
      const address = yield* pool.start(startFn);
      result = yield* body({ address }, pool);
      pool.cancel();
    });
    return result!;
  };
}

describe('examples/echo-server.mjs', () => {
  it("speaks giambio's echo protocol: welcome, prompt, Got: <line>, exit", async () => {
    const transcript = await runDist(withServer((st) => echo.echoServer(st, { port: 0 }), function* (server) {
      const sock = yield* io.connect('127.0.0.1', server.address.port);
      try {
        const out: string[] = [yield* readUntil(sock, echo.PROMPT)];
        yield* sock.sendAll('hello\n');
        out.push(yield* readUntil(sock, echo.PROMPT));
        yield* sock.sendAll('two\nlines\n'); // two lines in one packet
        out.push(yield* readUntil(sock, `lines\n${echo.PROMPT}`));
        yield* sock.sendAll('spl');
        yield* g.sleep(5);
        yield* sock.sendAll('it\n'); // one line over two packets
        out.push(yield* readUntil(sock, echo.PROMPT));
        yield* sock.sendAll('exit\n');
        out.push(yield* readToEof(sock));
        return out;
      } finally { yield* sock.close(); }
    }));
    expect(transcript).toEqual([
      'Welcome to the server pal, feel free to send me something!\n-> ',
      'Got: hello\n-> ',
      'Got: two\n-> Got: lines\n-> ',
      'Got: split\n-> ',
      "I'm dead dude\n",
    ]);
  });

  it('serves many clients concurrently, and one client resetting does not disturb the others', async () => {
    const replies = await runDist(withServer((st) => echo.echoServer(st, { port: 0 }), function* (server) {
      const rude = yield* io.connect('127.0.0.1', server.address.port);
      yield* readUntil(rude, echo.PROMPT);
      rude.nodeSocket.resetAndDestroy();
      yield* rude.close();
      const got: string[] = [];
      yield* g.createPool(function* (clients) {
        for (let i = 0; i < 50; i++) {
          clients.spawn(function* () {
            const sock = yield* io.connect('127.0.0.1', server.address.port);
            try {
              yield* readUntil(sock, echo.PROMPT);
              for (let round = 0; round < 5; round++) {
                yield* sock.sendAll(`${i}.${round}\n`);
                got.push(yield* readUntil(sock, echo.PROMPT));
              }
            } finally { yield* sock.close(); }
          });
        }
      });
      return got;
    }));
    expect(replies).toHaveLength(250);
    expect(replies.every((r) => /^Got: \d+\.\d\n-> $/.test(r))).toBe(true);
  });
});

describe('examples/chatroom.mjs', () => {
  // Imported here, not above: it needs MemoryChannel from the core entry.
  beforeAll(async () => { chat = await import(example('chatroom.mjs')) as ChatModule; });

  it('asks for a name, refuses a duplicate, announces joins and leaves, and relays lines', async () => {
    const seen = await runDist(withServer((st) => chat.chatServer(st, { port: 0 }), function* (server) {
      const port = server.address.port;
      const alice = yield* io.connect('127.0.0.1', port);
      const bob = yield* io.connect('127.0.0.1', port);
      try {
        const log: Record<string, string[]> = { alice: [], bob: [] };
        log.alice!.push(yield* readUntil(alice, '> '));
        yield* alice.sendAll('alice\n');
        log.alice!.push(yield* readUntil(alice, '> '));
        log.bob!.push(yield* readUntil(bob, '> '));
        yield* bob.sendAll('alice\n');
        log.bob!.push(yield* readUntil(bob, '> '));
        yield* bob.sendAll('bob\n');
        log.bob!.push(yield* readUntil(bob, '> '));
        log.alice!.push(yield* readUntil(alice, '> '));
        yield* alice.sendAll('hi bob\n');
        log.alice!.push(yield* readUntil(alice, '> '));
        log.bob!.push(yield* readUntil(bob, '> '));
        yield* alice.sendEof();
        log.alice!.push(yield* readToEof(alice));
        log.bob!.push(yield* readUntil(bob, '> '));
        return { log, aliceAddress: `127.0.0.1:${alice.localPort}` };
      } finally { yield* alice.close(); yield* bob.close(); }
    }));
    expect(seen.log).toEqual({
      alice: [chat.ASK_NAME, `${chat.welcomeLine('alice')}> `, chat.joinedLine('bob'), '> ', ''],
      bob: [chat.ASK_NAME, chat.NAME_TAKEN, `${chat.welcomeLine('bob')}> `, chat.relayLine('alice', seen.aliceAddress, 'hi bob'), chat.leftLine('alice')],
    });
  });

  it('a name becomes free again when its owner leaves (no stale entry)', async () => {
    const reply = await runDist(withServer((st) => chat.chatServer(st, { port: 0 }), function* (server) {
      const port = server.address.port;
      for (let i = 0; i < 2; i++) {
        const sock = yield* io.connect('127.0.0.1', port);
        try {
          yield* readUntil(sock, '> ');
          yield* sock.sendAll('carol\n');
          const answer = yield* readUntil(sock, '> ');
          if (i === 1) return answer;
        } finally { yield* sock.close(); }
        yield* g.sleep(20);
      }
      return '';
    }));
    expect(reply).toBe(`${chat.welcomeLine('carol')}> `);
  });
});

describe('examples/proxy.mjs', () => {
  it('forwards both ways to the echo server and passes EOF on in each direction', async () => {
    const lines: string[] = [];
    const got = await runDist(withServer((st) => echo.echoServer(st, { port: 0 }), function* (echoServer) {
      const target = { host: '127.0.0.1', port: echoServer.address.port };
      return yield* withServer((st) => proxy.proxyServer(st, { port: 0, target, seconds: 5, log: (l) => lines.push(l) }), function* (proxyServer) {
        const sock = yield* io.connect('127.0.0.1', proxyServer.address.port);
        try {
          const welcome = yield* readUntil(sock, echo.PROMPT);
          yield* sock.sendAll('through the proxy\n');
          const reply = yield* readUntil(sock, echo.PROMPT);
          yield* sock.sendEof(); // → proxy → echo server: EOF ends its handler, which closes
          return [welcome, reply, yield* readToEof(sock)];
        } finally { yield* sock.close(); }
      })();
    }));
    expect(got).toEqual([`${echo.WELCOME}${echo.PROMPT}`, `Got: through the proxy\n${echo.PROMPT}`, '']);
    expect(lines.some((l) => /^Got "through the proxy\\n" from 127\.0\.0\.1:\d+, forwarding it to 127\.0\.0\.1:\d+$/.test(l))).toBe(true);
    expect(lines.some((l) => /has exited, closing connection to/.test(l))).toBe(true);
    expect(lines.some((l) => /^Proxy has exited after \d+\.\d\d seconds$/.test(l))).toBe(true);
  });

  it("a session is cut at the proxy's time limit (skipAfter) and both sockets are closed", async () => {
    const elapsed = await runDist(withServer((st) => echo.echoServer(st, { port: 0 }), function* (echoServer) {
      const target = { host: '127.0.0.1', port: echoServer.address.port };
      return yield* withServer((st) => proxy.proxyServer(st, { port: 0, target, seconds: 0.1 }), function* (proxyServer) {
        const sock = yield* io.connect('127.0.0.1', proxyServer.address.port);
        try {
          const t0 = g.clock();
          const text = yield* readToEof(sock); // the welcome, then EOF when the session is cut
          expect(text).toBe(`${echo.WELCOME}${echo.PROMPT}`);
          return g.clock() - t0;
        } finally { yield* sock.close(); }
      })();
    }));
    expect(elapsed).toBeGreaterThanOrEqual(90);
    expect(elapsed).toBeLessThan(1000);
  });

  it('a refused target closes the client instead of crashing the proxy', async () => {
    const text = await runDist(function* () {
      const dead = yield* io.listen(0, '127.0.0.1');
      const port = dead.address.port;
      yield* dead.close();
      return yield* withServer((st) => proxy.proxyServer(st, { port: 0, target: { host: '127.0.0.1', port } }), function* (proxyServer) {
        const sock = yield* io.connect('127.0.0.1', proxyServer.address.port);
        try { return yield* readToEof(sock); } finally { yield* sock.close(); }
      })();
    });
    expect(text).toBe('');
  });
});

/** Runs `node args` in the repo; resolves with its exit code, signal and output (killed after `ms`). */
function runNodeProcess(args: string[], ms: number, onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void):
  Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`node ${args.join(' ')} did not exit within ${ms} ms:\n${stdout}\n${stderr}`)); }, ms);
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk; onStdout?.(stdout, (signal) => child.kill(signal)); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

describe('processes', () => {
  it('the demo runs a small crowd, prints the summary, and exits 0', async () => {
    const result = await runNodeProcess(['examples/demo.mjs', '--clients=40', '--rounds=20'], 10_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/connections\s+40 concurrent/);
    expect(result.stdout).toMatch(/round trips\s+800 in [\d.]+ s = [\d,]+\/s/);
    expect(result.stdout).toMatch(/latency\s+p50 [\d.]+ ms, p99 [\d.]+ ms/);
    expect(result.stdout).toMatch(/peak RSS\s+[\d.]+ MB/);
  });

  it('piped (not a TTY), the demo prints its progress as plain lines, nothing redrawn', async () => {
    const result = await runNodeProcess(['examples/demo.mjs', '--clients=40', '--rounds=50', '--progress-ms=5'], 10_000);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/[\r\u001b]/);
    expect(result.stdout).toMatch(/^progress\s+[\d,]+\/2,000 round trips, [\d,]+\/s, \d+ connections open$/m);
    expect(result.stdout).toMatch(/round trips\s+2,000 in [\d.]+ s/);
  });

  it('on a TTY (a pseudo-terminal from script(1)), the demo redraws one live progress line, then the summary', async () => {
    const command = `${JSON.stringify(process.execPath)} examples/demo.mjs --clients=40 --rounds=50`;
    const result = spawnSync('script', ['-qfec', command, '/dev/null'], { cwd: root, encoding: 'utf8', timeout: 10_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/round trips .*\| [\d,]+\/2000 \| [\d,]+\/s \| \d+ connections open/);
    expect(result.stdout).toMatch(/\u001b\[/); // redrawn in place (cursor and line control)
    expect(result.stdout).not.toMatch(/^progress\s/m);
    expect(result.stdout).toMatch(/round trips\s+2,000 in [\d.]+ s/);
  });

  it('the demo with --serve serves until SIGINT, then exits 130 (main(): cancellation, no handle left)', async () => {
    let signalled = false;
    let client: Promise<string> | null = null;
    const result = await runNodeProcess(['examples/demo.mjs', '--serve', '0'], 10_000, (text, kill) => {
      const match = /Serving on 127\.0\.0\.1:(\d+)/.exec(text);
      if (match === null || signalled) return;
      signalled = true;
      // A client stays connected, so a handler task is live when the signal cancels the tree:
      // the cancellation closes the client's connection on the way out.
      client = new g.EventLoop({ host: io.nodeHost }).run(function* () {
        const sock = yield* io.connect('127.0.0.1', Number(match[1]));
        try {
          yield* readUntil(sock, echo.PROMPT);
          kill('SIGINT');
          return yield* readToEof(sock);
        } finally { yield* sock.close(); }
      });
    });
    expect(result.code).toBe(130);
    expect(await client).toBe('');
    expect(result.stdout).toMatch(/Connection from 127\.0\.0\.1:\d+ closed/);
  });

  it('examples/echo-server.mjs exits 143 on SIGTERM', async () => {
    const result = await runNodeProcess(['examples/echo-server.mjs', '0'], 10_000, (text, kill) => {
      if (/Serving on/.test(text)) kill('SIGTERM');
    });
    expect(result.code).toBe(143);
  });

  it('after run() settles nothing keeps the process alive', async () => {
    const script = `
      import { run } from './dist/index.mjs';
      import { socketPair, readFile } from './dist/node.mjs';
      const t0 = performance.now();
      const n = await run(function* () {
        const [a, b] = yield* socketPair();
        try { yield* a.sendAll('x'); return (yield* b.receive()).length + (yield* readFile('package.json')).length; }
        finally { yield* a.close(); yield* b.close(); }
      });
      console.log('done', n > 1);
      process.on('exit', () => console.log('exit after', Math.round(performance.now() - t0), 'ms'));`;
    const result = await runNodeProcess(['--input-type=module', '-e', script], 5000);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^done true\nexit after \d+ ms\n$/);
    expect(Number(/exit after (\d+)/.exec(result.stdout)![1])).toBeLessThan(1000);
  });
});

describe('examples/hash-files.mjs', () => {
  it('hashes files in parallel on worker threads: sha256sum lines in argument order, a final progress line', async () => {
    const { createHash } = await import('node:crypto');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'giambio-hash-'));
    try {
      const contents = [Buffer.alloc(3 << 20, 7), Buffer.from('hello\n'), Buffer.alloc(0)];
      const paths = contents.map((content, i) => { const p = join(dir, `f${i}`); writeFileSync(p, content); return p; });
      const result = await runNodeProcess(['examples/hash-files.mjs', '--workers=2', ...paths], 20_000);
      expect(result.code).toBe(0);
      const expected = contents.map((content, i) => `${createHash('sha256').update(content).digest('hex')}  ${paths[i]}`);
      expect(result.stdout.trimEnd().split('\n')).toEqual(expected);
      expect(result.stderr).toMatch(/^hashed 3\/3 files, 3\.1 MB in [\d.]+ s \([\d.]+ MB\/s\)\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing file fails the program with the worker error (exit 1)', async () => {
    const result = await runNodeProcess(['examples/hash-files.mjs', 'no/such/file'], 20_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ENOENT/);
    expect(result.stderr).toMatch(/--- in worker hash#\d ---/);
  });
});
