// An episode: a stretch of time at warning or worse, kept on disk so it survives restarts. Pure data.
import type { Severity } from './model.js';
import { nullable, num, obj, oneOf, optional, str, type Schema } from './schema.js';

/** The network namespace an episode happened in (absent: the monitor's own namespace). */
export interface EpisodeNamespace {
  /** The kernel's identity, e.g. "net:[4026532301]". */
  id: string;
  /** Who lives there, as namespaceLabel says it: "pod shop/checkout-7d4f", "container envoy", "netns blue". */
  label: string;
}

/** One stretch of warning or worse, from the first such sample to the first ok one. */
export interface Episode {
  /** Unique per machine: the start time and a counter. */
  id: string;
  /** Epoch ms (the start of a burst found by TIME-WAIT timers, when earlier than the sample that saw it). */
  start: number;
  /** Epoch ms of the first ok sample after it; null while it goes on. */
  end: number | null;
  /** The last sample that saw it (so a restart can tell an episode still going from one the monitor stopped watching). */
  lastSeen: number;
  peakSeverity: Exclude<Severity, 'ok'>;
  peakTime: number;
  /** Share of the worst destination's ports held at the peak (the recent peak's, when that was fuller). */
  peakUtilization: number;
  /** "127.0.0.1:8080" (the worst destination at the peak), null when the pressure was global. */
  worstDestination: string | null;
  /** Why: the severity reason at the peak. */
  cause: string;
  /** Where, when the monitor watches every namespace of the host and this one is not its own. */
  netns?: EpisodeNamespace;
}

/** Checks one episode (from disk or from a transport). */
export const episodeSchema: Schema<Episode> = obj<Episode>(
  {
    id: str({ maxLength: 100, minLength: 1 }),
    start: num({ min: 0 }),
    end: nullable(num({ min: 0 })),
    lastSeen: num({ min: 0 }),
    peakSeverity: oneOf('warning', 'critical', 'exhausted'),
    peakTime: num({ min: 0 }),
    peakUtilization: num({ min: 0 }),
    worstDestination: nullable(str({ maxLength: 300 })),
    cause: str({ maxLength: 10_000 }),
    netns: optional(obj<EpisodeNamespace>({ id: str({ maxLength: 100, minLength: 1 }), label: str({ maxLength: 300 }) }, { strict: false })),
  },
  { strict: false },
);
