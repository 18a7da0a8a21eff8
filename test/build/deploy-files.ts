// Reading the deployment files under build/ the way their tools do, for the tests: the unit's keys, the
// serve arguments each file starts Portwatch with, and a copy of the built CLI any user can run.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../netns/portwatch-cli.js';

export const UNIT_PATH = join(REPO_ROOT, 'build/systemd/portwatch.service');
export const RULES_PATH = join(REPO_ROOT, 'build/prometheus/portwatch-rules.yml');
export const RULES_TEST_PATH = join(REPO_ROOT, 'build/prometheus/portwatch-rules.test.yml');
export const DASHBOARD_PATH = join(REPO_ROOT, 'build/grafana/portwatch.json');
export const DAEMONSET_PATH = join(REPO_ROOT, 'build/kubernetes/portwatch-daemonset.yaml');
export const CONTAINERFILE_PATH = join(REPO_ROOT, 'build/container/Containerfile');

/** The values of one key of a unit file's [Service] section, in order (systemd's own reading: one per line). */
export function unitValues(unit: string, key: string): string[] {
  return unit
    .split('\n')
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) => l.slice(key.length + 1).trim());
}

/**
 * The built CLI (out/node) and the addon copied into a fresh world-readable directory, so a test can run it as
 * another user wherever the checkout lives. Null when the build is missing.
 */
export function copyBuiltCli(): { dir: string; cli: string } | null {
  const out = join(REPO_ROOT, 'out/node');
  if (!existsSync(join(out, 'electron/cli/portwatch.js'))) return null;
  const dir = mkdtempSync(join(tmpdir(), 'pw-fleet-cli-'));
  chmodSync(dir, 0o755);
  cpSync(out, join(dir, 'out/node'), { recursive: true });
  const addon = join(REPO_ROOT, 'build/Release/sock_diag.node');
  if (existsSync(addon)) {
    mkdirSync(join(dir, 'build/Release'), { recursive: true });
    cpSync(addon, join(dir, 'build/Release/sock_diag.node'));
  }
  cpSync(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  return { dir, cli: join(dir, 'out/node/electron/cli/portwatch.js') };
}

/** Reads a file of the repository. */
export function readRepoFile(path: string): string {
  return readFileSync(path, 'utf8');
}
