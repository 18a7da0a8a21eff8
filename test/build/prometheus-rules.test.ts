// build/prometheus/portwatch-rules.yml: promtool checks it and runs its unit tests (portwatch-rules.test.yml);
// the unit tests can fail: with a `for:` longer than the look-back window, the burst case fails.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROMTOOL, promtoolUnavailable } from '../fleet/exporter.js';
import { RULES_PATH, RULES_TEST_PATH, readRepoFile } from './deploy-files.js';

function promtool(args: string[], cwd?: string): { status: number | null; output: string } {
  const r = spawnSync(PROMTOOL, args, { encoding: 'utf8', timeout: 60_000, ...(cwd ? { cwd } : {}) });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe.skipIf(promtoolUnavailable() !== null)('build/prometheus/portwatch-rules.yml', () => {
  it('passes promtool check rules', () => {
    const r = promtool(['check', 'rules', RULES_PATH]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS: 9 rules found');
  });

  it('passes its unit tests: warning before exhaustion, critical on exhaustion, on a burst and on an episode between scrapes, none on a healthy host', () => {
    const r = promtool(['test', 'rules', RULES_TEST_PATH]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS');
  });

  it('fails those tests when the critical alert would miss a burst (for: longer than its look-back)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-fleet-rules-'));
    const rules = readRepoFile(RULES_PATH);
    const slow = rules.replace(/(expr: max_over_time\(portwatch_severity_level\[2m\]\) >= 4\n\s+for: )30s/, '$15m');
    expect(slow).not.toBe(rules);
    writeFileSync(join(dir, 'portwatch-rules.yml'), slow);
    copyFileSync(RULES_TEST_PATH, join(dir, 'portwatch-rules.test.yml'));
    const r = promtool(['test', 'rules', 'portwatch-rules.test.yml'], dir);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('alertname: PortwatchEphemeralPortsExhausted, time: 5m30s');
  });
});
