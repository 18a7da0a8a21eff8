// The four figures of the headroom panel as text. Without the socket table or the range the trend and the
// worst destination are unknown; without the table the listeners are too, so the sustainable rate is a ceiling.
import { outboundUnknownReason, socketsUnknown, type Sample } from '../../electron/common/model.js';
import { duration, rate } from './format.js';

export interface HeadroomFigures {
  timeToExhaustion: string;
  /** A trend says the range will run out. */
  heading: boolean;
  sustainable: string;
  headroom: string;
  /** The headroom is negative: more new connections than one destination sustains. */
  overRate: boolean;
}

export function headroomFigures(sample: Sample | null): HeadroomFigures {
  if (!sample) return { timeToExhaustion: '—', heading: false, sustainable: '—', headroom: '—', overRate: false };
  const unread = outboundUnknownReason(sample) !== null;
  const tte = sample.timeToExhaustionSec;
  const sustainable = sample.rates.sustainablePerDestinationPerSec;
  const headroom = sample.rates.headroomPerSec;
  return {
    timeToExhaustion: unread ? 'unknown' : tte === null ? 'not heading there' : duration(tte),
    heading: !unread && tte !== null,
    sustainable: socketsUnknown(sample) && sustainable !== null ? `at most ${rate(sustainable)}` : rate(sustainable),
    headroom: unread ? '—' : rate(headroom),
    overRate: !unread && headroom !== null && headroom < 0,
  };
}
