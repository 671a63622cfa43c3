/**
 * Observers of every stand-in's exchanges, in a module of its own (no dependencies) so a test harness
 * can register one before any stand-in starts without loading the server.
 */

/** One request to the stand-in and its answer. */
export interface StandinExchange {
  method: string;
  /** Path as requested (an `/api/v3` prefix included), without the query. */
  path: string;
  /** Query string without `?`. */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON request body; undefined when there was none or it was not JSON. */
  requestBody: unknown;
  status: number;
  route: string | null;
  /** JSON answer; undefined for raw answers (tarballs, raw file contents) and empty ones. */
  responseBody: unknown;
  responseHeaders: Record<string, string>;
}

const observers = new Set<(e: StandinExchange) => void>();

/**
 * Observes the exchanges of every stand-in started in this process from now on (a test harness checks
 * them all without threading an option through each caller). Returns the function that stops it.
 */
export function observeStandins(fn: (e: StandinExchange) => void): () => void {
  observers.add(fn);
  return () => void observers.delete(fn);
}

export function standinObservers(): ReadonlySet<(e: StandinExchange) => void> {
  return observers;
}
