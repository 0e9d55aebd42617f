// When to try again after a failed upload. The time is stored (utils/data/study.ts) and an alarm
// fires then, so the schedule outlives the service worker and a browser restart; a retry library
// would keep it in memory, which the MV3 service worker loses whenever it is stopped.

/** The first retry: also Chrome's shortest alarm period for a published extension. */
export const RETRY_BASE_MS = 30_000;
/** However long the study stays unreachable, it is tried at least this often. */
export const RETRY_MAX_MS = 60 * 60_000;

/**
 * The wait before attempt `failures + 1`: doubling from 30 s up to an hour, with "equal jitter"
 * (between half and all of it) so that many participants do not retry in step after an outage,
 * and never sooner than the collector's Retry-After.
 */
export function retryDelay(failures: number, random: () => number = Math.random, retryAfterSeconds = 0): number {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.round(Math.max(jittered, RETRY_BASE_MS, retryAfterSeconds * 1000));
}
