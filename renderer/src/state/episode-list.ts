// The dashboard's list of episodes: loaded once per connection (getEpisodes), then kept current by the
// monitor's `episode` events, each replacing the episode of the same id (a new peak, its end) or adding a
// new one. Oldest first, bounded.

import type { Episode } from '../../../electron/common/episode.js';

/** How many episodes the dashboard keeps and asks for. */
export const MAX_EPISODES_SHOWN = 200;

/** The list with `e` put in (replacing its older state), oldest first, at most `max` long. */
export function upsertEpisode(list: readonly Episode[], e: Episode, max = MAX_EPISODES_SHOWN): Episode[] {
  const old = list.find((x) => x.id === e.id);
  // An event that arrives before an older answer must not be undone by it.
  if (old && old.lastSeen > e.lastSeen) return [...list];
  const next = list.filter((x) => x.id !== e.id);
  next.push(e);
  next.sort((a, b) => a.start - b.start);
  return next.slice(-max);
}

/** Merges a loaded list with what events brought meanwhile (the newer state of each episode wins). */
export function mergeEpisodes(loaded: readonly Episode[], current: readonly Episode[], max = MAX_EPISODES_SHOWN): Episode[] {
  let out = [...loaded].sort((a, b) => a.start - b.start);
  for (const e of current) out = upsertEpisode(out, e, max);
  return out.slice(-max);
}
