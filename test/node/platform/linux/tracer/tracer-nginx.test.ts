// nginx as the real failing client: a reverse proxy in a pod-like namespace whose 10-port range is used
// up by 10 upstream connections held open (the upstream answers nothing; keepalive is off, so every
// request needs a new upstream connect). Further requests make nginx's upstream connect() fail with
// EADDRNOTAVAIL; nginx logs each as "(99: Cannot assign requested address)" and answers 502.
// Portwatch's tracer, running in the host namespace, must attribute exactly as many failures to the
// nginx worker (its pid and name), in that namespace, toward the upstream address and port.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectFailureTracer, tracerPreflight } from '../../../../../electron/node/platform/linux/tracer/connect-failure-tracer.js';
import { describeNetns } from '../../../../netns/describe-netns.js';
import { createNamespace, type Namespace, type NsProcess } from '../../../../netns/netns.js';

const canTrace = !('error' in tracerPreflight());
const hasNginx = spawnSync('nginx', ['-v']).status === 0;
const HELD = 10;
const FAILING = 25;
const PARALLEL = 5;

// The upstream: accepts and never answers, printing how many connections it holds (10 minutes at most).
const UPSTREAM = `
const net = require('net'); let n = 0;
net.createServer((s) => { n++; console.log(JSON.stringify({ held: n })); s.on('error', () => {}); }).listen(9000, '127.0.0.1', () => console.log(JSON.stringify({ ready: true })));
setTimeout(() => process.exit(0), 600_000);`;

// The client: HOLD requests to :8088 that stay open, then, on "go" (a second run), TOTAL requests to
// :8089, PARALLEL at a time, each read to the end and reset (no TIME-WAIT of its own). Prints statuses.
const CLIENT = `
const net = require('net'); const [mode, total, parallel] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const request = (port) => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1', () => s.write('GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n'));
  let got = ''; s.setEncoding('utf8');
  s.on('data', (d) => (got += d));
  s.on('end', () => { s.resetAndDestroy(); resolve(/^HTTP\\/1\\.\\d (\\d+)/.exec(got)?.[1] ?? 'none'); });
  s.on('error', (e) => resolve(e.code));
  s.setTimeout(20000, () => { s.destroy(); resolve('timeout'); });
});
if (mode === 'hold') {
  const held = []; for (let i = 0; i < total; i++) held.push(net.connect(8088, '127.0.0.1', function () { this.write('GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n'); }));
  console.log(JSON.stringify({ holding: total })); setTimeout(() => process.exit(0), 600_000);
} else {
  (async () => {
    const statuses = []; let next = 0;
    await Promise.all(Array.from({ length: parallel }, async () => { while (next < total) { next++; statuses.push(await request(8089)); } }));
    console.log(JSON.stringify({ statuses }));
  })();
}`;

function nginxConf(dir: string): string {
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log error;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream app { server 127.0.0.1:9000; }
  server {
    listen 127.0.0.1:8088;
    listen 127.0.0.1:8089;
    location / {
      proxy_pass http://app;
      proxy_next_upstream off;
      proxy_connect_timeout 5s;
      proxy_read_timeout 300s;
    }
  }
}
`;
}

/** The children of a process (from /proc). */
function childrenOf(parent: number): number[] {
  const kids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) kids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}

describeNetns('nginx behind the tracer: its failed upstream connects, as nginx itself logs them', () => {
  let ns: Namespace;
  let dir: string;
  let tracer: ConnectFailureTracer;
  const procs: NsProcess[] = [];
  beforeAll(async () => {
    ns = await createNamespace('tracerproof4ngx');
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
    dir = mkdtempSync(join(tmpdir(), 'pw-tracerproof4-nginx-'));
    chmodSync(dir, 0o755); // the worker (nobody) reaches its temp folders
  });
  afterAll(async () => {
    await tracer?.stop();
    for (const p of procs) p.kill('SIGKILL');
    await ns?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(canTrace && hasNginx)('counts exactly the connects nginx logs as "(99: Cannot assign requested address)", with the worker pid, name, netns and upstream', async () => {
    tracer = new ConnectFailureTracer();
    tracer.start();
    expect(await tracer.waitAttached(60_000)).toBe(true);
    const upstream = ns.spawn([process.execPath, '-e', UPSTREAM]);
    procs.push(upstream);
    await upstream.waitForEvent((e) => e.ready === true, 15_000);
    writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir));
    const master = ns.spawn(['nginx', '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;']);
    procs.push(master);
    let worker: number | undefined;
    const end = Date.now() + 15_000;
    while (worker === undefined && Date.now() < end) {
      worker = childrenOf(master.pid)[0];
      if (worker === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(worker, `nginx started no worker: ${master.stderr}`).toBeDefined();
    // every port of the range goes to an upstream connection held open
    const holder = ns.spawn([process.execPath, '-e', CLIENT, 'hold', String(HELD), '1']);
    procs.push(holder);
    await upstream.waitForEvent((e) => e.held === HELD, 20_000);
    const r = await ns.execOrThrow([process.execPath, '-e', CLIENT, 'fail', String(FAILING), String(PARALLEL)], { timeoutMs: 60_000 });
    const { statuses } = JSON.parse(r.stdout) as { statuses: string[] };
    expect(statuses).toEqual(Array(FAILING).fill('502'));
    const logged = readFileSync(join(dir, 'error.log'), 'utf8').split('\n').filter((l) => l.includes('(99: Cannot assign requested address)')).length;
    expect(logged).toBe(FAILING);
    // bpftrace prints each second's counts at its end: wait until the worker's total stops moving
    const netns = statSync(`/run/netns/${ns.name}`).ino;
    const mine = () => tracer.snapshot().filter((f) => f.pid === worker);
    const total = () => mine().reduce((n, f) => n + f.count, 0);
    const settle = Date.now() + 20_000;
    let last = -1;
    while (Date.now() < settle && (total() < logged || total() !== last)) {
      last = total();
      await new Promise((res) => setTimeout(res, 1500));
    }
    expect(mine().map(({ firstSeen: _f, lastSeen: _l, recentCount: _r, place: _p, ...f }) => f)).toEqual([
      { pid: worker, name: 'nginx', netns, syscall: 'connect', remoteAddress: '127.0.0.1', remotePort: 9000, errno: 99, count: logged },
    ]);
  }, 180_000);
});
