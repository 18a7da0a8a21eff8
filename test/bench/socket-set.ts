// A large TCP socket set for benchmarks: a network namespace holding, by default, 72,000 ESTABLISHED
// sockets (both ends of 36,000 loopback connections) and at least 100,000 TIME-WAIT sockets.
//
//   await withSocketSet(async (set) => {
//     await set.refresh(20_000);                          // TIME-WAIT topped up to last 20 s more
//     const out = await set.runScript(file, ['--inner']); // a TypeScript file run inside the namespace
//   });
//
// How the set is made (and why):
// - ip_local_port_range 1024-65535 and servers on ports below 1024 (outside the range), tcp_tw_reuse=0
//   so every TIME-WAIT keeps its 4-tuple, tcp_max_tw_buckets raised so none is destroyed early.
// - A connect() needs a unique 4-tuple per destination, so the TIME-WAIT sockets are spread over
//   several destinations (addresses 127.0.0.1-4 x ports 81-84), each far below its ~64,500 ports.
// - fs.nr_open caps a process at 20,000 fds and each held connection costs two, so ESTABLISHED pairs
//   are spread over several holder processes (9,000 connections each).
// - TIME-WAIT holds no fd but lasts exactly 60 s: refresh() counts those that will outlive the next
//   measurement and makes new ones until the target is met (churner processes that exit when done).
// Everything is bounded (counts, timeouts, a lifetime guard in every child) and the namespace with all
// its processes is deleted at the end, also when the measurement fails.
//
// Run as a script, this file is one of the children: --role hold | churn (see childMain()).
import net from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { canUseNamespaces, createNamespace, type ExecOptions, type ExecResult, type Namespace } from '../netns/netns.js';

/** How big the set is. */
export interface SocketSetOptions {
  /** ESTABLISHED sockets (two per connection). Default 72,000. */
  established?: number;
  /** TIME-WAIT sockets kept alive by refresh(). Default 100,000. */
  timeWait?: number;
  /** Progress messages (default: stderr). */
  log?: (line: string) => void;
}

/** Sockets per ss state name in the namespace. */
export type SocketCounts = Record<string, number>;

/** The namespace holding the set, and what can be done in it. */
export interface SocketSet {
  /** The namespace's name (pw-bench-…). */
  readonly name: string;
  readonly ns: Namespace;
  readonly target: { established: number; timeWait: number };
  /** Runs argv inside the namespace (no shell). */
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Runs a TypeScript file inside the namespace (node --import tsx) and resolves with its stdout. */
  runScript(file: string, args?: readonly string[], opts?: { timeoutMs?: number }): Promise<string>;
  /** Makes new TIME-WAIT sockets until at least the target count will still exist `forMs` from now. */
  refresh(forMs?: number): Promise<SocketCounts>;
  /** Sockets per state now (from ss). */
  counts(): Promise<SocketCounts>;
}

const repo = fileURLToPath(new URL('../../', import.meta.url));
const thisFile = fileURLToPath(import.meta.url);
const CONNECTIONS_PER_HOLDER = 9_000;
const CHURN_DESTINATIONS = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'].flatMap((h) => [81, 82, 83, 84].map((p) => `${h}:${p}`));
const CHURNERS = 2;
const CHILD_LIFETIME_MS = 15 * 60_000;
const TIME_WAIT_MS = 60_000;
const REFRESH_MARGIN_MS = 10_000;

/** Runs fn with a freshly built socket set and always deletes it afterwards. */
export async function withSocketSet<T>(fn: (set: SocketSet) => Promise<T>, opts: SocketSetOptions = {}): Promise<T> {
  const support = canUseNamespaces();
  if (!support.ok) throw new Error(`the benchmark needs network namespaces: ${support.reason}`);
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const target = { established: opts.established ?? 72_000, timeWait: opts.timeWait ?? 100_000 };
  const ns = await createNamespace('bench');
  // Ctrl-C or kill: exit normally, so the namespace harness's exit hook kills the children and deletes it.
  const onSignal = (signal: NodeJS.Signals): void => process.exit(signal === 'SIGINT' ? 130 : 143);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const [key, value] of [
      ['net.ipv4.ip_local_port_range', '1024 65535'],
      ['net.ipv4.tcp_tw_reuse', '0'],
      ['net.ipv4.tcp_max_tw_buckets', '1000000'],
      ['net.core.somaxconn', '65535'],
      ['net.ipv4.tcp_max_syn_backlog', '65535'],
    ] as const) {
      await ns.sysctl(key, value);
    }
    const set = new SocketSetImpl(ns, target, log);
    await set.startHolders();
    return await fn(set);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await ns.destroy();
  }
}

class SocketSetImpl implements SocketSet {
  constructor(
    readonly ns: Namespace,
    readonly target: { established: number; timeWait: number },
    private readonly log: (line: string) => void,
  ) {}

  get name(): string {
    return this.ns.name;
  }

  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult> {
    return this.ns.exec(argv, opts);
  }

  async runScript(file: string, args: readonly string[] = [], opts: { timeoutMs?: number } = {}): Promise<string> {
    const r = await this.ns.execOrThrow([process.execPath, '--import', 'tsx', file, ...args], { cwd: repo, timeoutMs: opts.timeoutMs ?? 10 * 60_000 });
    if (r.stderr.trim()) this.log(r.stderr.trim());
    return r.stdout;
  }

  /** Starts the holder processes and waits until all their connections are ESTABLISHED. */
  async startHolders(): Promise<void> {
    const connections = Math.ceil(this.target.established / 2);
    const holders = Math.ceil(connections / CONNECTIONS_PER_HOLDER);
    const started = Date.now();
    const procs = Array.from({ length: holders }, (_, i) => {
      const count = Math.min(CONNECTIONS_PER_HOLDER, connections - i * CONNECTIONS_PER_HOLDER);
      // each holder has its own server (127.0.1.i:80): its connections are one destination of their own
      return this.ns.spawn([process.execPath, '--import', 'tsx', thisFile, '--role', 'hold', '--listen', `127.0.1.${i + 1}:80`, '--count', String(count)], { cwd: repo });
    });
    for (const p of procs) {
      const e = await p.waitForEvent((ev) => ev.ready === true || typeof ev.error === 'string', 120_000);
      if (typeof e.error === 'string') throw new Error(`holder ${p.pid}: ${e.error}`);
    }
    this.log(`socket set ${this.name}: ${connections} connections held by ${holders} processes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  async counts(): Promise<SocketCounts> {
    return (await this.survey(0)).counts;
  }

  /**
   * One `ss -Htano` of the namespace: sockets per state, and how many TIME-WAIT sockets have more than
   * `ms` left (ss -o shows the time left on the timewait timer).
   */
  private async survey(ms: number): Promise<{ counts: SocketCounts; lasting: number }> {
    const r = await this.ns.execOrThrow(['ss', '-Htano'], { timeoutMs: 60_000 });
    const counts: SocketCounts = {};
    let lasting = 0;
    for (const line of r.stdout.split('\n')) {
      const state = line.slice(0, line.indexOf(' '));
      if (!state) continue;
      counts[state] = (counts[state] ?? 0) + 1;
      if (state !== 'TIME-WAIT') continue;
      const m = /timer:\(timewait,(?:(\d+)min)?(?:(\d+)sec)?(?:(\d+)ms)?/.exec(line);
      const left = m ? Number(m[1] ?? 0) * 60_000 + Number(m[2] ?? 0) * 1000 + Number(m[3] ?? 0) : 0;
      if (left > ms) lasting++;
    }
    return { counts, lasting };
  }

  async refresh(forMs = 20_000): Promise<SocketCounts> {
    if (forMs + REFRESH_MARGIN_MS >= TIME_WAIT_MS) throw new Error(`TIME-WAIT lasts 60 s: cannot keep it for ${forMs} ms`);
    const started = Date.now();
    let made = 0;
    // Bounded: a few rounds; each round makes what is missing (sockets made early in a slow round
    // may already be too old at its end, hence more than one).
    for (let round = 0; ; round++) {
      // margin: sockets made early in this round age while the rest are made
      const { counts, lasting } = await this.survey(forMs + REFRESH_MARGIN_MS);
      const missing = this.target.timeWait - lasting;
      if (missing <= 0 || round === 4) {
        if (made > 0) this.log(`socket set ${this.name}: ${made} TIME-WAIT made in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
        if (missing > 0) this.log(`socket set ${this.name}: ${missing} TIME-WAIT short of the target after 5 rounds (the machine is slow)`);
        return counts;
      }
      const per = Math.ceil(missing / CHURNERS);
      const churners = Array.from({ length: CHURNERS }, (_, i) => {
        const destinations = CHURN_DESTINATIONS.filter((_, j) => j % CHURNERS === i).join(',');
        return this.ns.spawn([process.execPath, '--import', 'tsx', thisFile, '--role', 'churn', '--to', destinations, '--count', String(per)], { cwd: repo });
      });
      for (const c of churners) {
        const e = await c.waitForEvent((ev) => ev.done === true || typeof ev.error === 'string', 180_000);
        if (typeof e.error === 'string') throw new Error(`churner ${c.pid}: ${e.error}`);
        made += Number(e.ok);
        const codes = e.codes as Record<string, number> | undefined;
        if (codes && Object.keys(codes).length > 0) this.log(`socket set ${this.name}: churner ${c.pid} failures ${JSON.stringify(codes)}`);
        await c.wait(10_000);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Children (run inside the namespace)

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function endpoint(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(':');
  return { host: text.slice(0, i), port: Number(text.slice(i + 1)) };
}

function listen(host: string, port: number, onSocket: (s: net.Socket) => void): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer(onSocket);
    server.once('error', reject);
    server.listen({ host, port, backlog: 65535 }, () => resolve(server));
  });
}

/** Runs `count` tasks with at most `concurrency` in flight. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** Holds `count` connections to its own server: 2 x count ESTABLISHED sockets, until killed. */
async function hold(listenOn: string, count: number): Promise<void> {
  const { host, port } = endpoint(listenOn);
  const held: net.Socket[] = [];
  await listen(host, port, (s) => {
    s.on('error', () => undefined);
    held.push(s);
  });
  let failed = 0;
  await pool(count, 200, (i) => {
    void i;
    return new Promise<void>((resolve) => {
      const c = net.connect({ host, port });
      c.on('error', () => {
        failed++;
        resolve();
      });
      c.once('connect', () => {
        held.push(c);
        resolve();
      });
    });
  });
  // wait until the server side has accepted them all (bounded)
  for (let i = 0; i < 200 && held.length < 2 * (count - failed); i++) await new Promise((r) => setTimeout(r, 50));
  emit({ ready: true, pid: process.pid, sockets: held.length, failed });
}

/** Makes `count` TIME-WAIT sockets (client closes first) toward its own servers, then exits. */
async function churn(destinations: string[], count: number): Promise<void> {
  const eps = destinations.map(endpoint);
  const servers = await Promise.all(
    eps.map(({ host, port }) =>
      listen(host, port, (s) => {
        s.on('error', () => undefined);
        s.resume(); // read to the client's FIN; allowHalfOpen is off, so Node then closes our side
      }),
    ),
  );
  const started = Date.now();
  let ok = 0;
  const codes: Record<string, number> = {};
  await pool(count, 256, (i) => {
    const { host, port } = eps[i % eps.length]!;
    return new Promise<void>((resolve) => {
      const c = net.connect({ host, port });
      c.on('error', (e: NodeJS.ErrnoException) => {
        codes[e.code ?? 'error'] = (codes[e.code ?? 'error'] ?? 0) + 1;
      });
      c.once('connect', () => {
        ok++;
        c.end(); // our FIN first: this end keeps the TIME-WAIT
      });
      c.resume();
      c.once('close', () => resolve());
    });
  });
  for (const s of servers) s.close();
  emit({ done: true, ok, codes, elapsedMs: Date.now() - started });
  // let the last server-side LAST-ACKs finish before exiting
  setTimeout(() => process.exit(0), 200);
}

async function childMain(): Promise<void> {
  const arg = (name: string): string => {
    const i = process.argv.indexOf(`--${name}`);
    const v = i > 0 ? process.argv[i + 1] : undefined;
    if (v === undefined) throw new Error(`--${name} is required`);
    return v;
  };
  setTimeout(() => process.exit(0), CHILD_LIFETIME_MS); // bounded even when nobody kills it
  const count = Number(arg('count'));
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new Error(`--count must be 1..1000000`);
  const role = arg('role');
  if (role === 'hold') await hold(arg('listen'), count);
  else if (role === 'churn') await churn(arg('to').split(','), count);
  else throw new Error(`unknown --role ${role}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  childMain().catch((e: unknown) => {
    emit({ error: e instanceof Error ? e.message : String(e) });
    process.exit(2);
  });
}
