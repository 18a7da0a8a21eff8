// macOS planner inputs built the way a Mac's are: sysctl output in the captured layout
// (test/fixtures/darwin/sysctl-*.txt, with the numbers of the case) parsed by the real macOS snapshot
// parser and the planner's facts reader. The sample parts come from plan-fixtures.ts.
import { readFileSync } from 'node:fs';
import type { PlanInput } from '../../../electron/node/tuning/plan-input.js';
import { darwinFactsFromRaw, type DarwinTuningFacts } from '../../../electron/node/tuning/darwin-facts.js';
import { parseSnapshot } from '../../../electron/node/platform/parse-snapshot.js';
import type { RawSnapshot } from '../../../electron/node/platform/types.js';
import { HOST, churnSample } from './plan-fixtures.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/darwin/${name}`, import.meta.url), 'utf8');

/** What a case changes on the captured Mac (numbers; null leaves the key out of sysctl's output). */
export interface MacCase {
  first?: number | null;
  last?: number | null;
  msl?: number | null;
  bootFiles?: DarwinTuningFacts['bootFiles'];
}

/** sysctl output as the backend reads it: the captured lines with this case's numbers. */
export function macSysctlText(c: MacCase = {}): string {
  const lines = (fixture('sysctl-portrange.txt') + fixture('sysctl-msl.txt')).split('\n').filter((l) => l.trim() !== '');
  const out: string[] = [];
  for (const l of lines) {
    const [key] = l.split(':');
    const v = key === 'net.inet.ip.portrange.first' ? c.first : key === 'net.inet.ip.portrange.last' ? c.last : key === 'net.inet.tcp.msl' ? c.msl : undefined;
    if (v === null) continue;
    out.push(v === undefined ? l : `${key}: ${v}`);
  }
  return `${out.join('\n')}\n`;
}

/** A RawSnapshot of a Mac with this case's sysctl values. */
export function macRaw(c: MacCase = {}): RawSnapshot {
  return { platform: 'darwin', time: 1_800_000_000_000, sources: [{ name: 'sysctl-net-inet', status: 'ok', durationMs: 3, data: Buffer.from(macSysctlText(c)) }] };
}

/** A macOS planner input (TIME-WAIT churn by default), parsed from the captured outputs. */
export function macInput(c: MacCase = {}, over: Partial<PlanInput> = {}): PlanInput {
  const raw = macRaw(c);
  const snapshot = parseSnapshot(raw);
  return {
    platform: 'darwin',
    kernel: snapshot.kernel,
    sample: churnSample(),
    listeningPorts: [22, 8080],
    boundPorts: [],
    environment: HOST,
    sysctlFiles: null,
    options: {},
    now: 1_800_000_000_000,
    darwin: darwinFactsFromRaw(raw, c.bootFiles === undefined ? [] : c.bootFiles),
    ...over,
  };
}
