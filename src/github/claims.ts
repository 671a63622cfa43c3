/**
 * Short-lived claims on a piece of work, so that two replicas receiving the same delivery (or racing ones)
 * do not both do it: the review of one pull request at one head SHA, the garden sweep of one repository.
 *
 * A claim is a key holding a random token for `ttlMs`; its holder renews it while the work runs and deletes
 * it (only if the token is still its own) when done. A holder that dies stops renewing, and the claim
 * expires: the next delivery or re-run goes ahead. Whoever finds the key taken does nothing visible and
 * logs one line; what it would have done is being done by the holder, on the same SHA.
 *
 * With `REDIS_URL` the store is Redis (redis-claims.ts) and claims hold across replicas; without it the
 * store is this process's memory, where the app already runs the events of one pull request one after
 * another, so a claim there never turns work away.
 */
import { randomBytes } from 'node:crypto';

export interface Claim {
  readonly key: string;
  /** Deletes the claim if it is still this holder's. Never throws. */
  release(): Promise<void>;
}

export interface ClaimStore {
  /** True when the claims are seen by other processes (Redis). */
  readonly shared: boolean;
  /** The claim, or undefined when someone else holds `key`. Throws when the store cannot be reached. */
  acquire(key: string): Promise<Claim | undefined>;
  close(): Promise<void>;
}

export interface ClaimLog {
  info(msg: string): void;
  warn(msg: string): void;
}

/** Lifetime of a claim that is not renewed (a dead holder's); holders renew every third of it. */
export const DEFAULT_CLAIM_TTL_MS = 30_000;

export const CLAIM_PREFIX = 'pattern-gardener:claim:';

/**
 * The claim of one piece of work: repository (case-insensitive, as GitHub's names are), head SHA (or `-`
 * for work on a whole repository) and kind (`review#12`, `garden-sweep`).
 */
export function claimKey(repo: { owner: string; repo: string }, headSha: string | undefined, kind: string): string {
  return `${CLAIM_PREFIX}${repo.owner}/${repo.repo}`.toLowerCase() + `:${headSha ?? '-'}:${kind}`;
}

export function newClaimToken(): string {
  return randomBytes(16).toString('hex');
}

/** Claims in this process's memory, with the same expiry as Redis's. */
export function memoryClaims(ttlMs = DEFAULT_CLAIM_TTL_MS): ClaimStore {
  const held = new Map<string, { token: string; expiresAt: number }>();
  return {
    shared: false,
    async acquire(key) {
      const now = Date.now();
      const current = held.get(key);
      if (current && current.expiresAt > now) return undefined;
      const token = newClaimToken();
      held.set(key, { token, expiresAt: now + ttlMs });
      const renew = setInterval(
        () => {
          const c = held.get(key);
          if (c?.token === token) c.expiresAt = Date.now() + ttlMs;
        },
        Math.max(1, Math.floor(ttlMs / 3)),
      );
      renew.unref();
      return {
        key,
        release: async () => {
          clearInterval(renew);
          if (held.get(key)?.token === token) held.delete(key);
        },
      };
    },
    async close() {
      held.clear();
    },
  };
}

export type Claimed<T> = { claimed: true; value: T } | { claimed: false };

/**
 * Runs `fn` under the claim `key`, or not at all when another holder has it (one log line). When the store
 * cannot be reached, `fn` runs without a claim: a Redis outage must not stop reviews, and the app's writes
 * are idempotent on their own (check runs by `external_id`, review markers).
 */
export async function withClaim<T>(store: ClaimStore, key: string, log: ClaimLog, what: string, fn: () => Promise<T>): Promise<Claimed<T>> {
  let claim: Claim | undefined;
  try {
    claim = await store.acquire(key);
  } catch (e) {
    log.warn(`pattern-gardener: the claim store did not answer (${(e as Error)?.message ?? String(e)}); ${what} goes ahead without a claim`);
    return { claimed: true, value: await fn() };
  }
  if (!claim) {
    log.info(`pattern-gardener: ${what} is already under way in another replica (claim ${key}); this delivery does nothing`);
    return { claimed: false };
  }
  try {
    return { claimed: true, value: await fn() };
  } finally {
    await claim.release();
  }
}
