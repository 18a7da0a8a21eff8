// Component tests: each piece mounted with Svelte's mount() in jsdom, driven through its props and the DOM.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import DestinationsTable from '../../renderer/src/components/DestinationsTable.svelte';
import ProcessesTable from '../../renderer/src/components/ProcessesTable.svelte';
import RangeUse from '../../renderer/src/components/RangeUse.svelte';
import Header from '../../renderer/src/components/Header.svelte';
import Diagnoses from '../../renderer/src/components/Diagnoses.svelte';
import Timeline from '../../renderer/src/components/Timeline.svelte';
import KernelSettings from '../../renderer/src/components/KernelSettings.svelte';
import WindowPicker from '../../renderer/src/components/WindowPicker.svelte';
import ConnectFailures from '../../renderer/src/components/ConnectFailures.svelte';
import NamespacePicker from '../../renderer/src/components/NamespacePicker.svelte';
import StepDiagnosis from '../../renderer/src/wizard/StepDiagnosis.svelte';
import type { HostSample } from '../../electron/common/host-sample.js';
import { makeDestination, makeSample } from '../node/service/make-sample.js';
import { Analyzer } from '../../electron/node/engine/analyzer.js';
import { linuxKernel, outbound, snapshotOf } from '../node/engine/engine-fixtures.js';
import { outboundUnknownReason } from '../../electron/common/model.js';

/** What the engine makes of three outbound sockets when the range could not be read, or is not a range. */
const rangeUnknownSample = (portRange: { low: number; high: number } | null = null) =>
  new Analyzer().analyze(snapshotOf(outbound(3, { remote: '10.0.0.2', port: 80 }), { kernel: linuxKernel({ portRange }) }), { wallMs: 1, cpuMs: 1 });
const NO_RANGE = 'the ephemeral port range is unknown, and outbound means a local port inside it';

let mounted: Record<string, unknown>[] = [];
function render<P extends Record<string, unknown>>(component: unknown, props: P): HTMLElement {
  const target = document.createElement('div');
  document.body.appendChild(target);
  mounted.push(mount(component as never, { target, props }) as Record<string, unknown>);
  flushSync();
  return target;
}
afterEach(() => {
  for (const m of mounted) unmount(m);
  mounted = [];
  document.body.innerHTML = '';
});

const rowsText = (el: HTMLElement) => [...el.querySelectorAll('tbody tr')].map((r) => r.querySelector('td')!.textContent!.trim());

describe('DestinationsTable', () => {
  const dests = [
    makeDestination(100, 1000, { remoteAddress: '10.0.0.5', remotePort: 80, processes: [{ pid: 7, name: 'curl', sockets: 100 }] }),
    makeDestination(900, 1000, { remoteAddress: '10.0.0.9', remotePort: 443, processes: [{ pid: 8, name: 'nginx', sockets: 900 }] }),
    makeDestination(500, 1000, { remoteAddress: 'fd00::1', remotePort: 5432, processes: [] }),
  ];

  it('lists the most used destination first, with its owner and a meter', () => {
    const el = render(DestinationsTable, { destinations: dests, total: 3, filter: '' });
    expect(rowsText(el)[0]).toContain('10.0.0.9:443');
    expect(el.querySelector('tbody tr')!.textContent).toContain('nginx');
    expect(el.querySelector('[role="meter"]')!.getAttribute('aria-valuenow')).toBe('90');
    expect(rowsText(el)[1]).toContain('[fd00::1]:5432');
  });

  it('sorts by a column when its header is activated, and back', () => {
    const el = render(DestinationsTable, { destinations: dests, total: 3, filter: '' });
    const header = [...el.querySelectorAll('th button')].find((b) => b.textContent!.startsWith('Destination')) as HTMLButtonElement;
    header.click();
    flushSync();
    expect(rowsText(el).map((t) => t.slice(0, 9))).toEqual(['10.0.0.5:', '10.0.0.9:', '[fd00::1]']);
    expect(header.parentElement!.getAttribute('aria-sort')).toBe('ascending');
    header.click();
    flushSync();
    expect(header.parentElement!.getAttribute('aria-sort')).toBe('descending');
  });

  it('shows only destinations matching the filter, by process name too', () => {
    const el = render(DestinationsTable, { destinations: dests, total: 3, filter: 'curl' });
    expect(rowsText(el)).toHaveLength(1);
    expect(rowsText(el)[0]).toContain('10.0.0.5:80');
  });

  it('says so when nothing matches', () => {
    const el = render(DestinationsTable, { destinations: dests, total: 3, filter: 'nothing-like-this' });
    expect(el.querySelector('tbody')!.textContent).toContain('No destination matches the filter.');
  });
  it('says the destinations are unknown, not absent, when no socket table was read', () => {
    expect(render(DestinationsTable, { destinations: [], total: 0, filter: '', unknownWhy: 'no socket table could be read (see the sources)' }).querySelector('tbody')!.textContent).toBe('Unknown: no socket table could be read (see the sources).');
    expect(render(DestinationsTable, { destinations: [], total: 0, filter: '', unknownWhy: outboundUnknownReason(rangeUnknownSample()) }).querySelector('tbody')!.textContent).toBe(`Unknown: ${NO_RANGE}.`);
    expect(render(DestinationsTable, { destinations: [], total: 0, filter: '' }).querySelector('tbody')!.textContent).toBe('No outbound connection from the ephemeral range.');
  });
});

describe('ProcessesTable', () => {
  it('shows TIME-WAIT attributed to the former owner and sorts by it', () => {
    const s = makeSample(1, 10, {
      processes: [
        { pid: 1, name: 'a', sockets: 50, timeWait: 1, topDestinations: [] },
        { pid: 2, name: 'b', sockets: 5, timeWait: 400, topDestinations: ['10.0.0.2:80'] },
      ],
    });
    const el = render(ProcessesTable, { processes: s.processes, filter: '' });
    expect(rowsText(el)).toEqual(['a', 'b']);
    const tw = [...el.querySelectorAll('th button')].find((b) => b.textContent!.startsWith('TIME-WAIT')) as HTMLButtonElement;
    tw.click();
    flushSync();
    expect(rowsText(el)).toEqual(['b', 'a']);
    expect(el.textContent).toContain('owned the connection while it was established');
  });
  it('says the processes are unknown, not absent, when no socket table was read', () => {
    expect(render(ProcessesTable, { processes: [], filter: '', unknownWhy: 'no socket table could be read (see the sources)' }).querySelector('tbody')!.textContent).toBe('Unknown: no socket table could be read (see the sources).');
    expect(render(ProcessesTable, { processes: [], filter: '', unknownWhy: outboundUnknownReason(rangeUnknownSample()) }).querySelector('tbody')!.textContent).toBe(`Unknown: ${NO_RANGE}.`);
    expect(render(ProcessesTable, { processes: [], filter: '' }).querySelector('tbody')!.textContent).toBe('No process owns an outbound socket from the range.');
  });
});

describe('RangeUse', () => {
  it('shows the worst destination, its process and its share of usable ports in the severity colour', () => {
    const el = render(RangeUse, { sample: makeSample(1, 25_000) });
    expect(el.querySelector('[data-testid="worst-destination"]')!.textContent).toBe('10.0.0.2:80');
    expect(el.textContent).toContain('client (4242)');
    expect(el.querySelector('[data-testid="worst-percent"]')!.textContent).toBe('88.6 %');
    expect(el.querySelector('[data-testid="worst-use"] .util')!.className).toContain('sev-warning');
  });
  it('shows no percentage when no socket table was read: unknown, not 0 %', () => {
    const el = render(RangeUse, { sample: makeSample(1, 0, { severity: 'unknown', socketTableRead: false, worst: null, destinations: [], destinationCount: 0 }) });
    expect(el.querySelector('[data-testid="sockets-unknown"]')!.textContent).toBe('unknown: no socket table could be read (see the sources)');
    expect(el.querySelector('[data-testid="worst-percent"]')!.textContent).toBe('—');
    expect(el.textContent).not.toContain('no outbound connection');
    expect(el.textContent).not.toContain('0.0 %');
    expect(el.textContent).toContain('Usable capacity at most 28,232');
    expect(el.textContent).toContain('held by listeners (unknown without the socket table)');
  });
  it('shows no percentage and no capacity when the range is unknown, though the sockets were read', () => {
    const sample = rangeUnknownSample();
    expect(sample.socketTableRead).toBe(true);
    const el = render(RangeUse, { sample });
    expect(el.querySelector('[data-testid="sockets-unknown"]')!.textContent).toBe(`unknown: ${NO_RANGE}`);
    expect(el.querySelector('[data-testid="worst-percent"]')!.textContent).toBe('—');
    expect(el.textContent).not.toContain('0.0 %');
    expect(el.textContent).not.toContain('reserved 0');
    expect(el.textContent).toContain('Usable capacity unknown: the ephemeral port range is unknown (see the severity).');
  });
  it('counts distinct ports in use, one in the singular', () => {
    expect(render(RangeUse, { sample: makeSample(1, 25_000) }).textContent).toContain('25,000 distinct ports in use');
    expect(render(RangeUse, { sample: makeSample(1, 1) }).textContent).toContain('1 distinct port in use');
  });
  it('waits politely before the first sample', () => {
    expect(render(RangeUse, { sample: null }).textContent).toContain('Waiting for the first sample');
  });
});

describe('Header', () => {
  it('shows the severity and why, and the connection state', () => {
    const el = render(Header, {
      info: null,
      sample: makeSample(1, 1, { severity: 'critical', severityReason: 'because' }),
      connection: 'closed',
      windowSec: 300,
      onWindow: () => {},
    });
    expect(el.querySelector('[data-testid="severity"]')!.textContent).toBe('critical');
    expect(el.querySelector('[data-testid="severity-reason"]')!.textContent).toBe('because');
    expect(el.querySelector('[data-testid="connection"]')!.textContent).toContain('disconnected');
  });
});

describe('WindowPicker', () => {
  it('offers 5 min, 1 h, 24 h and 7 d and reports the choice', () => {
    const chosen: number[] = [];
    const el = render(WindowPicker, { value: 300, onChange: (s: number) => chosen.push(s) });
    const inputs = [...el.querySelectorAll('input')];
    expect(inputs.map((i) => i.parentElement!.textContent!.trim())).toEqual(['5 min', '1 h', '24 h', '7 d']);
    inputs[2]!.click();
    inputs[3]!.click();
    expect(chosen).toEqual([86400, 7 * 86400]);
  });
});

describe('Diagnoses', () => {
  it('shows evidence and puts application fixes before kernel relief', () => {
    const el = render(Diagnoses, {
      diagnoses: [
        {
          id: 'time-wait-churn',
          severity: 'critical',
          title: 'TIME-WAIT churn',
          summary: 'New connection per request.',
          evidence: ['27,000 TIME-WAIT sockets toward 10.0.0.2:80'],
          recommendations: [
            { kind: 'kernel', text: 'Widen the range (relief).', setting: { key: 'net.ipv4.ip_local_port_range', current: '32768 60999', suggested: '15000 65000' } },
            { kind: 'application', text: 'Enable keep-alive.' },
          ],
        },
      ],
    });
    const text = el.textContent!;
    expect(text).toContain('27,000 TIME-WAIT sockets');
    expect(text.indexOf('Enable keep-alive.')).toBeLessThan(text.indexOf('Widen the range'));
    expect(text).toContain('15000 65000');
  });
  it('says when there is nothing to report', () => {
    expect(render(Diagnoses, { diagnoses: [] }).textContent).toContain('Nothing to report: no pattern of trouble in the latest sample.');
  });
  it('says what was judged when no socket table was read', () => {
    const text = render(Diagnoses, { diagnoses: [], unknownWhy: 'no socket table could be read (see the sources)' }).textContent!;
    expect(text).toContain('Nothing to report from what could be read. The patterns in sockets are unknown: no socket table could be read (see the sources).');
    expect(text).not.toContain('no pattern of trouble in the latest sample');
  });
});

describe('Timeline', () => {
  it('lists events newest first', () => {
    const el = render(Timeline, {
      events: [
        { seq: 1, time: 1000, kind: 'monitor', level: 'info', title: 'Monitor started', detail: '' },
        { seq: 2, time: 2000, kind: 'severity', level: 'critical', title: 'Severity rose from ok to critical', detail: 'x' },
      ],
    });
    const titles = [...el.querySelectorAll('li strong')].map((s) => s.textContent);
    expect(titles).toEqual(['Severity rose from ok to critical', 'Monitor started']);
    expect(el.querySelector('li')!.className).toContain('sev-critical');
  });
});

describe('KernelSettings', () => {
  it('explains each setting in effect, without the fin_timeout myth', () => {
    const el = render(KernelSettings, { sample: makeSample(1, 1) });
    const text = el.textContent!;
    expect(text).toContain('32768–60999 (28,232 ports)');
    expect(text).toMatch(/tcp_fin_timeout.*does NOT shorten TIME-WAIT/s);
    expect(text).toContain('Loopback only');
    expect(text).not.toContain('tcp_tw_recycle');
  });
});

describe('ConnectFailures', () => {
  const T = 1_800_000_000_000;
  const tracer = (status: 'ok' | 'unsupported', error?: string) => ({ name: 'connect-tracer', status, durationMs: 0, ...(error ? { error } : {}) });
  const failure = { pid: 812, name: 'nginx', netns: 4026532173, place: 'pod web-7', syscall: 'connect' as const, remoteAddress: '10.0.3.7', remotePort: 8080, errno: 99 as const, count: 5000, recentCount: 1204, firstSeen: T - 300_000, lastSeen: T - 1000 };
  const old = { ...failure, pid: 9, name: 'curl', place: undefined, remoteAddress: 'fd00::1', recentCount: 0, count: 3, lastSeen: T - 200_000 };

  it('lists who failed where, failing-now rows first, with the errno, the counts and when', () => {
    const { place: _p, ...oldRow } = old;
    const el = render(ConnectFailures, { sample: makeSample(T, 10, { sources: [tracer('ok')], connectFailures: [oldRow, failure] }) });
    const rows = [...el.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim()));
    expect(rows[0]).toEqual(['nginx (812)', 'pod web-7', '10.0.3.7:8080', 'EADDRNOTAVAIL', '1,204', '5,000', 'failing now']);
    expect(rows[1]!.slice(0, 6)).toEqual(['curl (9)', 'netns 4026532173', '[fd00::1]:8080', 'EADDRNOTAVAIL', '0', '3']);
    expect(rows[1]![6]).not.toBe('failing now');
    expect(el.querySelector('[data-testid="tracer-state"]')!.getAttribute('data-status')).toBe('ok');
  });

  it('marks a row of another namespace: failing now there, a warning here', () => {
    const el = render(ConnectFailures, { sample: makeSample(T, 10, { sources: [tracer('ok')], connectFailures: [{ ...failure, elsewhere: true }] }) });
    const row = el.querySelector('tbody tr')!;
    expect([...row.querySelectorAll('td')].map((td) => td.textContent!.trim()).slice(1, 2)).toEqual(['pod web-7 · another namespace']);
    expect(row.classList.contains('elsewhere')).toBe(true);
    expect(row.querySelector('.badge')!.className).toContain('sev-warning');
  });

  it('says why the tracer cannot run and how to fix it, and lists nothing it did not see', () => {
    const el = render(ConnectFailures, { sample: makeSample(T, 10, { sources: [tracer('unsupported', 'bpftrace is not installed (fix: apt-get install bpftrace (Debian/Ubuntu) or dnf install bpftrace)')], connectFailures: [] }) });
    const state = el.querySelector('[data-testid="tracer-state"]')!;
    expect(state.textContent).toContain('Tracer unavailable: bpftrace is not installed.');
    expect(state.querySelector('code')!.textContent).toBe('apt-get install bpftrace (Debian/Ubuntu) or dnf install bpftrace');
    expect(el.querySelector('table')).toBeNull();
  });
});

describe('NamespacePicker', () => {
  const host = (over: Partial<HostSample> = {}): HostSample => ({ schema: 1, time: 1, hostname: 'h', scope: 'host', namespaces: [], vanished: 0, worst: null, severity: 'unknown', cost: { wallMs: 1, cpuMs: 1 }, ...over });

  it('says which processes the reading could not see, why and the fix; nothing when it saw them all', () => {
    const why = 'the kernel would not show their network namespace (EACCES: Portwatch runs without CAP_SYS_PTRACE, …). Run Portwatch as root with CAP_SYS_PTRACE.';
    const el = render(NamespacePicker, { host: host({ unseen: { processes: 4, examples: ['nginx (pid 812)', 'sleep (pid 900)'], why } }), choice: null, onChoose: () => {} });
    expect(el.querySelector('[data-testid="netns-unseen"]')!.textContent!.replace(/\s+/g, ' ').trim()).toBe(`Not seen: 4 processes — nginx (pid 812), sleep (pid 900), …: ${why}`);
    const all = render(NamespacePicker, { host: host(), choice: null, onChoose: () => {} });
    expect(all.querySelector('[data-testid="netns-unseen"]')).toBeNull();
  });
  it('says a namespace\'s use is unknown, and why, rather than 0 %', () => {
    const identity = { id: 'net:[4026532301]', inode: 4026532301, names: ['x'], self: false, host: false, processes: [], processCount: 0, containers: [], pod: null };
    const el = render(NamespacePicker, { host: host({ namespaces: [{ identity, status: 'ok', sample: rangeUnknownSample() }] }), choice: null, onChoose: () => {} });
    const row = el.querySelector('tr[data-netns="net:[4026532301]"]')!;
    expect(row.querySelector('td.use')!.textContent!.trim()).toBe(`unknown: ${NO_RANGE}`);
    expect(row.querySelector('td.num')!.textContent).toBe('3');
    expect(row.textContent).not.toContain('0.0 %');
  });
});

describe('the wizard\'s first step', () => {
  it('says the connections are unknown, and the usable ports a ceiling, when no socket table was read', () => {
    const el = render(StepDiagnosis, { sample: makeSample(1, 0, { severity: 'unknown', socketTableRead: false, worst: null, destinations: [], destinationCount: 0 }), plan: null });
    expect(el.querySelector('[data-testid="wizard-sockets-unknown"]')!.textContent).toBe('Unknown: no socket table could be read (see the sources).');
    expect(el.querySelector('[data-testid="wizard-usable"]')!.textContent).toBe('at most 28,232');
    expect(el.textContent).toContain('− the ports (unknown without the socket table) held by listening or bound sockets');
    expect(el.textContent).not.toContain('No outgoing connection');
    expect(el.textContent).toContain('None in what could be read; the patterns in sockets are unknown: no socket table could be read (see the sources).');
    expect(el.textContent).not.toContain('No pattern of trouble in this sample.');
  });
  it('says that a port reused after the reuse delay needs the connection to have used TCP timestamps', () => {
    const worst = makeDestination(10, 28_232, { sustainablePerSec: 28_232 });
    const el = render(StepDiagnosis, { sample: makeSample(1, 10, { worst, destinations: [worst], kernel: linuxKernel({ twReuse: 1 }) }), plan: null });
    expect(el.textContent).toContain('a new outgoing connection may take the port again after 1 s, provided the closed connection used TCP timestamps (always so on loopback; toward a peer that does not echo them the port stays held for the whole TIME-WAIT)');
  });
  it('says the capacity and the connections are unknown when the range is unknown or not a range', () => {
    const unreadable = render(StepDiagnosis, { sample: rangeUnknownSample(), plan: null });
    expect(unreadable.querySelector('[data-testid="wizard-sockets-unknown"]')!.textContent).toBe(`Unknown: ${NO_RANGE}.`);
    expect(unreadable.querySelector('[data-testid="wizard-usable"]')!.textContent).toBe('unknown');
    expect(unreadable.textContent).toContain('The ephemeral port range could not be read, so the capacity is unknown.');
    expect(unreadable.textContent).not.toContain('0 reserved');
    expect(unreadable.querySelector('[data-testid="wizard-rate"]')!.textContent).toBe('unknown new connections per second at most toward one destination');
    expect(unreadable.textContent).toContain('= the usable ports (unknown) ÷ ');
    const invalid = render(StepDiagnosis, { sample: rangeUnknownSample({ low: 5000, high: 4000 }), plan: null });
    expect(invalid.textContent).toContain('The ephemeral port range 5000–4000 is not a valid range, so the capacity is unknown.');
  });
});
