// End-to-end plumbing: `portwatch serve` running inside a namespace (through the real CLI), a Chromium that
// runs inside the same namespace (a wrapper script that Playwright starts over a pipe), and scrapes made
// from inside the namespace. Chromium must be Debian's (/usr/bin/chromium); Playwright's downloads are not
// available here.
import { chmodSync, existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import type { Namespace, NsProcess } from '../netns/netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';

export const CHROMIUM = '/usr/bin/chromium';

/** The most recently changed file under the given folders (skipping build output and node_modules). */
function newestSource(dirs: readonly string[]): { path: string; mtimeMs: number } | null {
  let newest: { path: string; mtimeMs: number } | null = null;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile()) {
        const mtimeMs = statSync(path).mtimeMs;
        if (newest === null || mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
      }
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return newest;
}

/** Why the browser tests cannot run here, or null when they can. */
export function browserUnavailable(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install -y chromium)`;
}

/** Builds the renderer when out/renderer is missing (CI builds it before the tests); refuses a stale build. */
export function ensureRendererBuilt(): void {
  const built = join(REPO_ROOT, 'out/renderer/index.html');
  if (existsSync(built)) {
    // A build older than the page's sources would test yesterday's page; rebuilding here would race the
    // other browser test files serving the same folder, so say so instead.
    const newest = newestSource([join(REPO_ROOT, 'renderer'), join(REPO_ROOT, 'electron/common')]);
    if (newest !== null && newest.mtimeMs > statSync(built).mtimeMs) {
      throw new Error(`out/renderer is older than ${newest.path}: run \`npm run build:renderer\` before the browser tests`);
    }
    return;
  }
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts'], { cwd: REPO_ROOT, stdio: 'ignore', timeout: 120_000 });
}

/** A running `portwatch serve` inside a namespace. */
export interface ServeInNs {
  process: NsProcess;
  port: number;
  token: string;
  url: string;
}

/** Starts `portwatch serve --port N` inside the namespace and waits for its URL. */
export async function startServeInNamespace(ns: Namespace, port: number, extra: string[] = []): Promise<ServeInNs> {
  const p = ns.spawn([process.execPath, '--import', 'tsx', CLI_ENTRY, 'serve', '--port', String(port), ...extra], { cwd: REPO_ROOT });
  const line = await p.waitForLine(/Portwatch dashboard: http:\/\/127\.0\.0\.1:\d+\/\?token=/, 30_000);
  const m = /(http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)(?:&page=[A-Za-z0-9_-]+)?)/.exec(line)!;
  return { process: p, url: m[1]!, port: Number(m[2]), token: m[3]! };
}

/** Chromium's flags in every browser test: headless, no sandbox (we are root in a test box), nothing fetched. */
export const CHROMIUM_ARGS: readonly string[] = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

/** Launches Debian's Chromium in this machine's namespace. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS], timeout: 60_000 });
}

/** Launches Debian's Chromium inside the namespace. */
export async function launchChromiumIn(ns: Namespace): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-chromium-'));
  const wrapper = join(dir, 'chromium-in-netns');
  // ip execs Chromium in place inside the namespace; Playwright talks to it over the inherited pipe.
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns.name} ${CHROMIUM} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return chromium.launch({
    executablePath: wrapper,
    args: [...CHROMIUM_ARGS],
    timeout: 60_000,
  });
}

/** GETs a URL from inside the namespace (the host cannot reach its loopback). */
export async function fetchInNamespace(ns: Namespace, url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const script = `fetch(${JSON.stringify(url)}, { headers: ${JSON.stringify(headers)} }).then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })), (e) => { process.stderr.write(String(e)); process.exit(1); })`;
  const r = await ns.exec([process.execPath, '-e', script], { timeoutMs: 10_000 });
  if (r.code !== 0) throw new Error(`fetch ${url} in ${ns.name} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { status: number; body: string };
}
