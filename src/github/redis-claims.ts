/**
 * Claims (claims.ts) in Redis, shared by every replica given the same `REDIS_URL`:
 * `SET key token NX PX ttl` takes one; the holder renews it with a compare-and-`PEXPIRE` every third of the
 * TTL and releases it with a compare-and-`DEL`, so a holder never extends or deletes a claim that expired
 * and was taken by someone else. Loaded only when `REDIS_URL` is set (the CLI never loads ioredis).
 */
import { Redis } from 'ioredis';
import { DEFAULT_CLAIM_TTL_MS, newClaimToken, type ClaimLog, type ClaimStore } from './claims.js';

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

export interface RedisClaimsOptions {
  ttlMs?: number;
  /** Longest wait for Redis to answer a claim before the work goes ahead without one (default 3 s). */
  answerTimeoutMs?: number;
  log?: ClaimLog;
}

/** `redis://host:port` with any password left out, for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.username = '';
    return u.toString();
  } catch {
    return 'redis (unparsable URL)';
  }
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function redisClaims(url: string, opts: RedisClaimsOptions = {}): ClaimStore & { client: Redis; ping(): Promise<void> } {
  const ttlMs = opts.ttlMs ?? DEFAULT_CLAIM_TTL_MS;
  const answerMs = opts.answerTimeoutMs ?? 3000;
  const client = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5000, connectionName: 'pattern-gardener-claims' });
  let lastErrorLog = 0;
  client.on('error', (e: Error) => {
    // ioredis reconnects by itself and reports each failed attempt; one line a minute is enough.
    if (Date.now() - lastErrorLog < 60_000) return;
    lastErrorLog = Date.now();
    opts.log?.warn(`pattern-gardener: Redis (claims, ${redactRedisUrl(url)}): ${e.message}`);
  });
  return {
    shared: true,
    client,
    async ping() {
      await within(client.ping(), answerMs, 'ping');
    },
    async acquire(key) {
      const token = newClaimToken();
      const ok = await within(client.set(key, token, 'PX', ttlMs, 'NX'), answerMs, `claim ${key}`);
      if (ok !== 'OK') return undefined;
      const renew = setInterval(
        () => {
          client.eval(RENEW, 1, key, token, String(ttlMs)).then(
            (n) => {
              if (n !== 1) opts.log?.warn(`pattern-gardener: the claim ${key} expired while its work was running; another replica may take it`);
            },
            () => undefined, // Redis unreachable: reported by the error handler; the claim expires by itself.
          );
        },
        Math.max(1, Math.floor(ttlMs / 3)),
      );
      renew.unref();
      return {
        key,
        release: async () => {
          clearInterval(renew);
          try {
            await within(client.eval(RELEASE, 1, key, token), answerMs, `release ${key}`);
          } catch {
            // It expires on its own within ttlMs.
          }
        },
      };
    },
    async close() {
      try {
        await within(client.quit(), answerMs, 'quit');
      } catch {
        client.disconnect();
      }
    },
  };
}
