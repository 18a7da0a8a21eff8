// The time axis's ticks and labels, from 5 minutes to 7 days: ticks on round local times (every 30 s, every
// 15 min, every 6 h, at midnight…), labelled with the clock, and with the day where a clock alone would be
// ambiguous (a tick at midnight, a step of a day or more, a span of several days).
import { clock } from '../format.js';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Steps the axis may use, smallest first. */
const STEPS = [1, 2, 5, 10, 15, 30].map((s) => s * SEC).concat([1, 2, 5, 10, 15, 30].map((m) => m * MIN), [1, 2, 3, 6, 12].map((h) => h * HOUR), [1, 2, 7].map((d) => d * DAY));

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The smallest step that puts at most maxCount ticks on [min, max]. */
export function tickStep(min: number, max: number, maxCount: number): number {
  const span = Math.max(0, max - min);
  return STEPS.find((s) => span / s <= maxCount - 1) ?? Math.ceil(span / (maxCount - 1) / DAY) * DAY;
}

/** The first round local time at or after t for this step (hours and days follow the local clock). */
function firstTick(t: number, step: number): number {
  const d = new Date(t);
  if (step < HOUR) {
    // minutes and seconds: round in local time (the offset may be a fraction of an hour)
    const off = d.getTimezoneOffset() * MIN;
    return Math.ceil((t - off) / step) * step + off;
  }
  d.setMinutes(0, 0, 0);
  if (step < DAY) {
    const h = step / HOUR;
    d.setHours(Math.ceil(d.getHours() / h) * h);
  } else {
    d.setHours(0);
    if (d.getTime() < t) d.setDate(d.getDate() + 1);
  }
  while (d.getTime() < t) d.setTime(d.getTime() + step);
  return d.getTime();
}

/** Tick values (epoch ms) on round local times inside [min, max], at most maxCount. */
export function timeTicks(min: number, max: number, maxCount: number): number[] {
  if (!(max > min) || maxCount < 2) return [];
  const step = tickStep(min, max, maxCount);
  const out: number[] = [];
  for (let t = firstTick(min, step); t <= max && out.length < maxCount; ) {
    out.push(t);
    if (step < HOUR) t += step;
    else {
      // whole hours and days on the local clock, across daylight-saving changes
      const d = new Date(t);
      if (step < DAY) d.setHours(d.getHours() + step / HOUR);
      else d.setDate(d.getDate() + step / DAY);
      t = d.getTime();
    }
  }
  return out;
}

/** "Sat 5 Dec". */
export function dayLabel(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]}`;
}

const isMidnight = (ms: number): boolean => {
  const d = new Date(ms);
  return d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0;
};

/** A tick's label for ticks `step` ms apart: the clock, or the day at midnight and for steps of days. */
export function tickLabel(ms: number, step: number): string {
  if (step >= DAY) return dayLabel(ms);
  if (step >= HOUR && isMidnight(ms)) return dayLabel(ms);
  return clock(ms, step < MIN);
}

/** "12:01:10–12:02:40" on the day of `now`; with the day otherwise ("Fri 4 Dec 23:10:05–Sat 5 Dec 00:20:40"). */
export function spanLabel(from: number, to: number, now: number): string {
  const seconds = to - from < 30 * MIN;
  const day = (t: number): string => new Date(t).toDateString();
  if (day(from) === day(to)) {
    const clocks = `${clock(from, seconds)}–${clock(to, seconds)}`;
    return day(from) === day(now) ? clocks : `${dayLabel(from)} ${clocks}`;
  }
  return `${dayLabel(from)} ${clock(from, seconds)}–${dayLabel(to)} ${clock(to, seconds)}`;
}
