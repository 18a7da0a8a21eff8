// Windows planner inputs built the way a Windows machine's are: netsh and reg output in the captured
// layouts of test/fixtures/win32 (English or German, with the numbers of the case), parsed by the real
// Windows snapshot parser and the planner's facts reader.
import { readFileSync } from 'node:fs';
import type { PlanInput } from '../../../electron/node/tuning/plan-input.js';
import { win32FactsFromRaw } from '../../../electron/node/tuning/win32-facts.js';
import { parseSnapshot } from '../../../electron/node/platform/parse-snapshot.js';
import type { RawSnapshot, RawSource } from '../../../electron/node/platform/types.js';
import { HOST, churnSample } from './plan-fixtures.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/win32/${name}`, import.meta.url), 'latin1');

/** What a case changes on the captured Windows (null: that source was not read). */
export interface WinCase {
  ipv4?: { start: number; num: number } | null;
  ipv6?: { start: number; num: number } | null;
  /** Excluded ranges as "low high [*]" lines; default the captured table; null: not read. */
  excluded?: string[] | null;
  /** TcpTimedWaitDelay seconds; 'not set' (reg exits 1: empty bytes); null: not read. */
  timedWaitDelay?: number | 'not set' | null;
  language?: 'en' | 'de';
}

const dynamic = (lang: 'en' | 'de', r: { start: number; num: number }): string =>
  fixture(lang === 'en' ? 'netsh-dynamicport-tcp.txt' : 'netsh-dynamicport-tcp-de.txt').replace('49152', String(r.start)).replace('16384', String(r.num));

/** The sources of a Windows read with this case's values. */
export function winRaw(c: WinCase = {}): RawSnapshot {
  const lang = c.language ?? 'en';
  const src = (name: string, text: string): RawSource => ({ name, status: 'ok', durationMs: 5, data: Buffer.from(text, 'latin1') });
  const sources: RawSource[] = [];
  const v4 = c.ipv4 === undefined ? { start: 49152, num: 16384 } : c.ipv4;
  const v6 = c.ipv6 === undefined ? { start: 49152, num: 16384 } : c.ipv6;
  if (v4) sources.push(src('netsh-dynamicport-tcp-ipv4', dynamic(lang, v4)));
  if (v6) sources.push(src('netsh-dynamicport-tcp-ipv6', dynamic(lang, v6)));
  if (c.excluded !== null) {
    const captured = fixture(lang === 'en' ? 'netsh-excludedportrange-tcp.txt' : 'netsh-excludedportrange-tcp-de.txt');
    if (c.excluded === undefined) sources.push(src('netsh-excludedportrange-tcp-ipv4', captured));
    else {
      // The captured header and footer around this case's rows.
      const [head, rest] = captured.split(/(?<=-{10}\s+-{8}\r?\n)/);
      const foot = rest!.slice(rest!.search(/\r?\n\r?\n/));
      sources.push(src('netsh-excludedportrange-tcp-ipv4', head + c.excluded.map((l) => `${l.replace(/^(\d+) (\d+)/, (_m, a: string, b: string) => `${a.padStart(10)}  ${b.padStart(10)}`)}`).join('\n') + foot));
    }
  }
  const tw = c.timedWaitDelay === undefined ? 'not set' : c.timedWaitDelay;
  if (tw === 'not set') sources.push({ name: 'reg-tcptimedwaitdelay', status: 'ok', durationMs: 4, data: Buffer.alloc(0) });
  else if (tw !== null) sources.push(src('reg-tcptimedwaitdelay', fixture('reg-tcptimedwaitdelay.txt').replace('0x1e', `0x${tw.toString(16)}`)));
  return { platform: 'win32', time: 1_800_000_000_000, sources };
}

/** A Windows planner input (TIME-WAIT churn by default), parsed from the captured outputs. */
export function winInput(c: WinCase = {}, over: Partial<PlanInput> = {}): PlanInput {
  const raw = winRaw(c);
  return {
    platform: 'win32',
    kernel: parseSnapshot(raw).kernel,
    sample: churnSample(),
    listeningPorts: [135, 445, 5985],
    boundPorts: [],
    environment: HOST,
    sysctlFiles: null,
    options: {},
    now: 1_800_000_000_000,
    win32: win32FactsFromRaw(raw),
    ...over,
  };
}
