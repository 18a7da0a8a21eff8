// Guard-rail table for the range and reserved-ports proposal. Every expected value is written by hand from
// docs/domain.md "Guard rails for changes": never below ip_unprivileged_port_start (nor 1024); default low end
// not below 32768; a low end under 32768 only with every listening port inside reserved in the same plan;
// newly covered listening ports reserved; the reserved list merged, never overwritten; different parity;
// only ever wider.
import { describe, expect, it } from 'vitest';
import type { KernelSettings, PortRange } from '../../../electron/common/model.js';
import { proposeRange, rangeFloor } from '../../../electron/node/tuning/plan-range.js';
import { kernel } from './plan-fixtures.js';

type Case = {
  name: string;
  k: Partial<KernelSettings>;
  listening?: number[];
  asked?: { range?: PortRange; reserve?: number[] };
  wanted?: boolean;
  /** Expected new range, or null for no range change. */
  range: [number, number] | null;
  /** Expected new reserved list (kernel text), or null for no change. */
  reserved?: string | null;
  /** A refusal matching this, when one is expected. */
  refused?: RegExp;
  /** A warning matching this, when one is expected. */
  warned?: RegExp;
};

const R = (low: number, high: number): PortRange => ({ low, high });
const text = (rs: PortRange[] | null) => (rs === null ? null : rs.map((r) => (r.low === r.high ? `${r.low}` : `${r.low}-${r.high}`)).join(','));

const CASES: Case[] = [
  // Default widening.
  { name: 'default range widens to 32768–65535', k: {}, range: [32768, 65535] },
  { name: 'a 10-port range widens down to 32768 and up to 65535', k: { portRange: R(40000, 40009) }, range: [32768, 65535] },
  { name: 'a range just above 32768 widens down to 32768', k: { portRange: R(32770, 60999) }, range: [32768, 65535] },
  { name: 'an odd low end is brought to 32768 (even, against odd 65535)', k: { portRange: R(32769, 60999) }, range: [32768, 65535] },
  { name: 'a high range widens down to 32768', k: { portRange: R(50001, 60000) }, range: [32768, 65535] },
  { name: 'only the high end moves when the low end is already 32768', k: { portRange: R(32768, 65534) }, range: [32768, 65535] },
  { name: 'a range already 32768–65535 stays', k: { portRange: R(32768, 65535) }, range: null },
  { name: 'a range already starting at 1024 and ending at 65535 stays', k: { portRange: R(1024, 65535) }, range: null },
  { name: 'a low end below 32768 set by the admin is kept (only the high end moves)', k: { portRange: R(10000, 60999) }, range: [10000, 65535] },
  { name: 'a low end of 32767 already ending at 65535 stays (never narrowed for parity)', k: { portRange: R(32767, 65535) }, range: null },
  { name: 'an odd low end with high 65534: not widened by one port into the same parity', k: { portRange: R(20001, 65534) }, range: null },
  { name: 'nothing is proposed when there is no pressure', k: { portRange: R(40000, 40009) }, wanted: false, range: null },
  { name: 'nothing is proposed when the range is unknown and nothing is wanted', k: { portRange: null }, wanted: false, range: null },
  { name: 'an unknown range is said to be unknown when relief is wanted', k: { portRange: null }, range: null, refused: /could not be read/ },

  // The floor: ip_unprivileged_port_start, never below 1024.
  { name: 'the default low end never goes below ip_unprivileged_port_start (40000)', k: { portRange: R(50000, 60000), unprivilegedPortStart: 40000 }, range: [40000, 65535] },
  { name: 'an odd floor (40001) moves the low end up to 40002 for parity', k: { portRange: R(50000, 60000), unprivilegedPortStart: 40001 }, range: [40002, 65535] },
  { name: 'a current low end below the floor (a state the kernel refuses to write) gets no proposal', k: { portRange: R(45000, 60000), unprivilegedPortStart: 50000 }, range: null, refused: /refuses any write/ },
  { name: 'an explicit low end of 1000 is refused (below 1024)', k: {}, asked: { range: R(1000, 65535) }, range: null, refused: /below ip_unprivileged_port_start \(1024 here/ },
  { name: 'an explicit low end of 1023 is refused even when ip_unprivileged_port_start is 0', k: { unprivilegedPortStart: 0 }, asked: { range: R(1023, 65535) }, range: null, refused: /1024/ },
  { name: 'an explicit low end of 1024 is refused when ip_unprivileged_port_start is 2000', k: { unprivilegedPortStart: 2000 }, asked: { range: R(1024, 65535) }, range: null, refused: /2000 here/ },
  { name: 'an explicit low end equal to ip_unprivileged_port_start (2000) is accepted', k: { unprivilegedPortStart: 2000 }, asked: { range: R(2000, 65535) }, range: [2000, 65535], warned: /below 32768/ },
  { name: 'an explicit low end of 1024 is accepted when the floor is unknown (1024 assumed)', k: { unprivilegedPortStart: null }, asked: { range: R(1024, 65535) }, range: [1024, 65535] },
  { name: 'the floor is 1024 when ip_unprivileged_port_start is unknown', k: { unprivilegedPortStart: null }, range: [32768, 65535] },

  // Only wider.
  { name: 'an explicit narrower range is refused', k: {}, asked: { range: R(40000, 50000) }, range: null, refused: /only widens/ },
  { name: 'an explicit range with a lower high end is refused', k: {}, asked: { range: R(30000, 60000) }, range: null, refused: /only widens/ },
  { name: 'an explicit range with a higher low end is refused', k: {}, asked: { range: R(33000, 65535) }, range: null, refused: /only widens/ },
  { name: 'an explicit range equal to the current one changes nothing', k: { portRange: R(32768, 65535) }, asked: { range: R(32768, 65535) }, range: null, warned: /already/ },
  { name: 'an explicit range above 65535 is refused', k: {}, asked: { range: R(32768, 70000) }, range: null, refused: /not a port range/ },
  { name: 'an explicit range ending below its start is refused', k: {}, asked: { range: R(60000, 40000) }, range: null, refused: /not a port range/ },
  { name: 'an explicit single port outside the current range is refused', k: {}, asked: { range: R(65535, 65535) }, range: null, refused: /only widens/ },
  { name: 'an explicit wider range is proposed even without pressure', k: {}, asked: { range: R(32768, 65535) }, wanted: false, range: [32768, 65535] },

  // Parity.
  { name: 'an explicit range with two even ends is proposed with a parity warning', k: { portRange: R(40000, 50000) }, asked: { range: R(32768, 65534) }, range: [32768, 65534], warned: /same parity/ },
  { name: 'an explicit range with two odd ends is proposed with a parity warning', k: { portRange: R(40001, 50001) }, asked: { range: R(32769, 65535) }, range: [32769, 65535], warned: /both ends.*odd|odd/i },
  { name: 'an explicit range of different parity gets no parity warning', k: { portRange: R(40000, 50000) }, asked: { range: R(32768, 65535) }, range: [32768, 65535] },

  // Listening ports in the part the range newly covers are reserved in the same plan.
  { name: 'a listener at 8080 below the new range is not reserved', k: { portRange: R(40000, 40009) }, listening: [8080], range: [32768, 65535], reserved: null },
  { name: 'a listener at 35000 newly covered is reserved', k: { portRange: R(40000, 40009) }, listening: [35000], range: [32768, 65535], reserved: '35000' },
  { name: 'a listener at 62000 newly covered above is reserved', k: {}, listening: [62000], range: [32768, 65535], reserved: '62000' },
  { name: 'a listener at 65535 is reserved', k: {}, listening: [65535], range: [32768, 65535], reserved: '65535' },
  { name: 'a listener already inside the current range is not reserved (it may be an ephemeral listener)', k: { portRange: R(40000, 40009) }, listening: [40005], range: [32768, 65535], reserved: null },
  { name: 'two newly covered listeners are both reserved', k: { portRange: R(40000, 40009) }, listening: [62000, 35000], range: [32768, 65535], reserved: '35000,62000' },
  { name: 'a newly covered listener already reserved needs nothing more', k: { portRange: R(40000, 40009), reservedPorts: [R(35000, 35000)] }, listening: [35000], range: [32768, 65535], reserved: null },
  { name: 'a newly covered listener inside a reserved block needs nothing more', k: { portRange: R(40000, 40009), reservedPorts: [R(30000, 36000)] }, listening: [35000], range: [32768, 65535], reserved: null },
  { name: 'the reserved list is merged with the existing entries, never overwritten', k: { reservedPorts: [R(8080, 8080), R(9000, 9010)] }, listening: [61000], range: [32768, 65535], reserved: '8080,9000-9010,61000' },
  { name: 'an adjacent reserved port merges into one block', k: { reservedPorts: [R(61000, 61000)] }, listening: [61001], range: [32768, 65535], reserved: '61000-61001' },
  { name: 'an unreadable reserved list blocks a range that must reserve a listener', k: { portRange: R(40000, 40009), reservedPorts: null }, listening: [35000], range: null, refused: /could not be read to merge/ },
  { name: 'an unreadable reserved list does not block a range with nothing to reserve', k: { portRange: R(40000, 40009), reservedPorts: null }, listening: [8080], range: [32768, 65535], reserved: null },

  // Below 32768: every listening port inside the new range is reserved.
  { name: 'an explicit low end of 20000 reserves every listener inside, old range included', k: {}, listening: [22000, 8080, 33000], asked: { range: R(20000, 65535) }, range: [20000, 65535], reserved: '22000,33000', warned: /below 32768/ },
  { name: 'an explicit low end of 1024 reserves 8080 and 9090', k: {}, listening: [22, 8080, 9090], asked: { range: R(1024, 65535) }, range: [1024, 65535], reserved: '8080,9090', warned: /outages/ },
  { name: 'an explicit low end of 10000 leaves listeners below it alone', k: {}, listening: [8080, 9999, 10000], asked: { range: R(10000, 65535) }, range: [10000, 65535], reserved: '10000', warned: /below 32768/ },
  { name: 'an explicit low end under 32768 with every listener already reserved adds nothing', k: { reservedPorts: [R(8080, 8080)] }, listening: [8080], asked: { range: R(1024, 65535) }, range: [1024, 65535], reserved: null, warned: /below 32768/ },
  { name: 'an admin range starting at 10000 gets every listener inside reserved when widened', k: { portRange: R(10000, 60999) }, listening: [20000, 61000], range: [10000, 65535], reserved: '20000,61000' },
  { name: 'a low end under 32768 with an unreadable reserved list and a listener inside is refused', k: { reservedPorts: null }, listening: [20000], asked: { range: R(10000, 65535) }, range: null, refused: /could not be read/ },
  { name: 'a low end under 32768 with no listener inside needs no reservation', k: {}, listening: [22, 443], asked: { range: R(10000, 65535) }, range: [10000, 65535], reserved: null, warned: /--reserve/ },

  // Ports the user names (configured but not listening now).
  { name: 'a port named with --reserve in the newly covered part is reserved', k: {}, asked: { reserve: [61000] }, range: [32768, 65535], reserved: '61000' },
  { name: 'a port named with --reserve inside the current range is reserved (asked for)', k: {}, asked: { reserve: [50000] }, range: [32768, 65535], reserved: '50000' },
  { name: 'a port named with --reserve outside the new range is not reserved', k: {}, asked: { reserve: [5000] }, range: [32768, 65535], reserved: null },
  { name: 'named and listening ports are reserved together, merged and sorted', k: {}, listening: [62000], asked: { reserve: [61000, 61001] }, range: [32768, 65535], reserved: '61000-61001,62000' },
  { name: 'a named port that is already reserved is not added twice', k: { reservedPorts: [R(61000, 61000)] }, asked: { reserve: [61000] }, range: [32768, 65535], reserved: null },
  { name: 'a port named with --reserve below 32768 is reserved with an explicit low end', k: {}, asked: { range: R(20000, 65535), reserve: [25000] }, range: [20000, 65535], reserved: '25000' },

  // Tiny and edge ranges.
  { name: 'a one-port range widens', k: { portRange: R(40000, 40000) }, range: [32768, 65535] },
  { name: 'a range ending at 65535 but starting high widens down', k: { portRange: R(60000, 65535) }, range: [32768, 65535] },
  { name: 'a range starting at 32768 and ending at 32769 widens up', k: { portRange: R(32768, 32769) }, range: [32768, 65535] },
  { name: 'a range at 1025–1030 (admin set) widens up to 65534 (parity) and reserves listeners inside', k: { portRange: R(1025, 1030) }, listening: [8080], range: [1025, 65534], reserved: '8080', warned: /below 32768/ },
];

describe('range and reserved-ports guard rails', () => {
  it('has at least 60 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES.map((c) => [c.name, c]))('%s', (_name, c) => {
    const p = proposeRange(kernel(c.k), c.listening ?? [], c.asked ?? {}, c.wanted ?? true);
    expect(p.range === null ? null : [p.range.low, p.range.high]).toEqual(c.range);
    if (c.reserved !== undefined) expect(text(p.reserved)).toEqual(c.reserved);
    if (c.refused) expect(p.refusals.join('\n')).toMatch(c.refused);
    else expect(p.refusals).toEqual([]);
    if (c.warned) expect([...p.warnings, ...p.refusals].join('\n')).toMatch(c.warned);
    // Invariants that hold in every case.
    if (p.range) {
      const k = kernel(c.k);
      expect(p.range.low).toBeGreaterThanOrEqual(rangeFloor(k));
      expect(p.range.low).toBeLessThanOrEqual(k.portRange!.low);
      expect(p.range.high).toBeGreaterThanOrEqual(k.portRange!.high);
      expect(p.range.high).toBeLessThanOrEqual(65535);
    }
  });
});
