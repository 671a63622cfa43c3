/**
 * A fault-injecting HTTP proxy in front of the stand-in (a dev and test tool: nothing in src/server imports
 * it). Point the app's `baseUrl` at `proxy.url`; each request is either passed through or, with
 * probability `probability`, meets one fault:
 *
 * - `status-500`, `status-502`: answered at once, not forwarded (nothing applied);
 * - `secondary-limit`: 403 "You have exceeded a secondary rate limit" with Retry-After, not forwarded;
 * - `rate-limit-429`: 429 with Retry-After, not forwarded;
 * - `latency`: forwarded and answered after a delay;
 * - `drop`: the connection is destroyed before forwarding (nothing applied);
 * - `answer-lost`: forwarded (the stand-in applies it), then the connection is destroyed;
 * - `stall`: no answer until the client gives up (its timeout); forwarded first on every other stall,
 *   so a stalled write may have been applied.
 *
 * Reproducible: the decision for a request depends only on the seed, the request line (method, path and
 * query) and how many times that same line was seen before, not on the order in which concurrent
 * requests arrive. Redirect and pagination headers naming the stand-in are rewritten to the proxy, so
 * the tarball's second hop and every page go through the faults too.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { prng } from '../synth/generate.js';

export const FAULT_KINDS = ['status-500', 'status-502', 'secondary-limit', 'rate-limit-429', 'latency', 'drop', 'answer-lost', 'stall'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultProxyOptions {
  /** The stand-in's URL (http://127.0.0.1:PORT). */
  target: string;
  seed: number;
  /** Share of requests that meet a fault (default 0.2). */
  probability?: number;
  /** Faults to draw from, evenly (default: every kind). */
  kinds?: readonly FaultKind[];
  /** Retry-After of the 403 and 429 answers, in seconds (default 1). */
  retryAfterS?: number;
  /** Added latency, in ms (default 20–200). */
  latencyMs?: readonly [number, number];
  /** Longest stall before the proxy drops the connection itself (default 60 s). */
  maxStallMs?: number;
  /** Requests never faulted (e.g. to keep the installation token out of it). */
  spare?: (method: string, path: string) => boolean;
}

export interface InjectedFault {
  kind: FaultKind;
  method: string;
  /** Path and query. */
  url: string;
  /** Whether the stand-in received the request (and applied it, for a write). */
  applied: boolean;
}

export interface FaultProxy {
  url: string;
  /** Faults injected so far, in order. */
  readonly injected: InjectedFault[];
  /** Requests seen so far. */
  requests(): number;
  /** Requests forwarded or held right now. */
  inFlight(): number;
  /** Faults on (default) or off (everything passes through). */
  setEnabled(on: boolean): void;
  close(): Promise<void>;
}

/** FNV-1a over a string, mixed with a seed: the per-request random stream's seed. */
function hash(seed: number, s: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.target);
  const probability = opts.probability ?? 0.2;
  const kinds = opts.kinds ?? FAULT_KINDS;
  const retryAfterS = opts.retryAfterS ?? 1;
  const [latMin, latMax] = opts.latencyMs ?? [20, 200];
  const maxStallMs = opts.maxStallMs ?? 60_000;
  const seen = new Map<string, number>();
  const injected: InjectedFault[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let enabled = true;
  let count = 0;
  let inFlight = 0;
  let stalls = 0;
  let proxyOrigin = '';

  const forward = (req: IncomingMessage, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: target.host };
      delete headers.connection;
      const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });

  const relay = (res: ServerResponse, up: Upstream): void => {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) {
      if (v === undefined || k === 'connection' || k === 'keep-alive' || k === 'transfer-encoding') continue;
      headers[k] = k === 'location' || k === 'link' ? String(v).split(target.origin).join(proxyOrigin) : v;
    }
    headers['content-length'] = String(up.body.length);
    res.writeHead(up.status, headers);
    res.end(up.body);
  };

  const answer = (res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void => {
    const text = JSON.stringify({ message, documentation_url: 'https://docs.github.com/rest' });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...extra });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const line = `${method} ${url}`;
    const n = (seen.get(line) ?? 0) + 1;
    seen.set(line, n);
    count++;
    const rand = prng(hash(opts.seed, `${line}#${n}`));
    const spared = opts.spare?.(method, url.split('?')[0]!) ?? false;
    const kind: FaultKind | undefined = enabled && !spared && rand() < probability ? kinds[Math.floor(rand() * kinds.length)] : undefined;
    const note = (applied: boolean) => kind && injected.push({ kind, method, url, applied });
    switch (kind) {
      case undefined:
        relay(res, await forward(req, body));
        return;
      case 'status-500':
      case 'status-502':
        note(false);
        answer(res, kind === 'status-500' ? 500 : 502, kind === 'status-500' ? 'Server Error' : 'Bad Gateway');
        return;
      case 'secondary-limit':
        note(false);
        answer(res, 403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', { 'retry-after': String(retryAfterS) });
        return;
      case 'rate-limit-429':
        note(false);
        answer(res, 429, 'Too Many Requests', { 'retry-after': String(retryAfterS) });
        return;
      case 'latency': {
        note(true);
        const up = await forward(req, body);
        await delay(latMin + Math.floor(rand() * Math.max(1, latMax - latMin)));
        relay(res, up);
        return;
      }
      case 'drop':
        note(false);
        req.socket.destroy();
        return;
      case 'answer-lost':
        note(true);
        await forward(req, body);
        req.socket.destroy();
        return;
      case 'stall': {
        const applied = stalls++ % 2 === 0;
        note(applied);
        if (applied) await forward(req, body);
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, maxStallMs);
          timers.add(t);
          req.socket.once('close', () => {
            clearTimeout(t);
            timers.delete(t);
            resolve();
          });
        });
        req.socket.destroy();
        return;
      }
    }
  };

  const server: Server = createServer((req, res) => {
    inFlight++;
    handle(req, res)
      .catch(() => {
        if (!res.headersSent) answer(res, 502, 'fault proxy: the stand-in did not answer');
        else res.destroy();
      })
      .finally(() => inFlight--);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  proxyOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closed: Promise<void> | undefined;
  return {
    url: proxyOrigin,
    injected,
    requests: () => count,
    inFlight: () => inFlight,
    setEnabled: (on) => {
      enabled = on;
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => resolve());
        server.closeIdleConnections();
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
