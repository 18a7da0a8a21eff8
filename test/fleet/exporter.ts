// `portwatch serve --metrics-only` started through the real CLI inside a namespace, and `promtool check
// metrics` on what it answers: the pieces the fleet tests share.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Namespace, NsProcess } from '../netns/netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';

/** Debian's promtool (package prometheus). */
export const PROMTOOL = '/usr/bin/promtool';

/** Why promtool cannot run here, or null. */
export function promtoolUnavailable(): string | null {
  return existsSync(PROMTOOL) ? null : `${PROMTOOL} is missing (apt-get install -y prometheus)`;
}

/** A running exporter inside a namespace. */
export interface ExporterInNs {
  process: NsProcess;
  port: number;
  url: string;
}

/** Starts `portwatch serve --metrics-only --port N` inside the namespace and waits for its address (keepMounts: see Namespace.spawn). */
export async function startExporterInNamespace(ns: Namespace, port: number, extra: string[] = [], opts: { keepMounts?: boolean } = {}): Promise<ExporterInNs> {
  const p = ns.spawn([process.execPath, '--import', 'tsx', CLI_ENTRY, 'serve', '--metrics-only', '--port', String(port), ...extra], { cwd: REPO_ROOT, ...opts });
  const line = await p.waitForLine(/Portwatch exporter: http:\/\/[^ ]+\/metrics/, 30_000);
  const m = /(http:\/\/([^ /]+):(\d+)\/metrics)/.exec(line)!;
  return { process: p, url: m[1]!, port: Number(m[3]) };
}

/** What `promtool check metrics` says about exposition text: its exit status and every line it printed. */
export function promtoolCheckMetrics(text: string): { status: number | null; output: string } {
  const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}
