/**
 * A nock-backed in-memory GitHub for the garden sync tests: issues, labels, comments, tarball.
 * Faults can be injected per route: an HTTP status (with headers), a network error, a stall (the
 * answer comes late; the write is applied when it comes), or "apply then fail" (GitHub did the write
 * but the answer was a 502: the response was lost).
 */
import nock from 'nock';
import { Octokit } from '@octokit/rest';
import { writeTarball } from '../../src/github/tarball.js';
import { asOctokitLike, type OctokitLike } from '../../src/garden/octokit.js';

export const API = 'https://api.github.com';
export const OWNER = 'garden-co';
export const REPO = 'patterns';
export const SHA = 'a'.repeat(40);

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: { name: string }[];
  created_at: string;
  closed_at: string | null;
  node_id: string;
}

export type GardenFault =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { network: string }
  | { stallMs: number }
  | { applyThen: number };

type Reply = [number, unknown, Record<string, string>?];

export class FakeGitHub {
  issues: FakeIssue[] = [];
  labels: string[] = [];
  comments: { id: number; issue: number; body: string }[] = [];
  writes: string[] = [];
  /** Every request: "METHOD /path". */
  requests: string[] = [];
  files = new Map<string, string>();
  private next = 1;
  private nextComment = 9001;
  private faults: { method: string; path: RegExp; fault: GardenFault; times: number }[] = [];
  private barriers: { method: string; path: RegExp; query?: (q: URLSearchParams) => boolean; waiting: (() => void)[]; left: number }[] = [];
  /** Called as each request arrives ("METHOD /path"), before it is answered. */
  onRequest?: (request: string) => void;

  octokit(): OctokitLike {
    return asOctokitLike(new Octokit({ auth: 'test-token', request: { retries: 0 } }));
  }

  addIssue(p: Partial<FakeIssue> & { title: string; body: string }): FakeIssue {
    const i: FakeIssue = {
      number: this.next++,
      state: 'open',
      state_reason: null,
      labels: [],
      created_at: '2026-01-01T00:00:00Z',
      closed_at: null,
      node_id: `I_${this.next}`,
      ...p,
    };
    this.issues.push(i);
    return i;
  }

  /** Injects `fault` into the next `times` requests of `method` whose path matches. */
  fail(method: string, path: RegExp, fault: GardenFault, times = 1): void {
    this.faults.push({ method, path, fault, times });
  }

  /**
   * Holds the first `n` matching requests until all `n` have arrived, then answers them: two sweeps
   * that meet here have both read GitHub before either writes.
   */
  barrier(method: string, path: RegExp, n: number, query?: (q: URLSearchParams) => boolean): void {
    this.barriers.push({ method, path, query, waiting: [], left: n });
  }

  count(method: string, path: RegExp): number {
    return this.requests.filter((r) => r.startsWith(`${method} `) && path.test(r.slice(method.length + 1))).length;
  }

  install(): void {
    const scope = nock(API).persist();
    for (const method of ['get', 'post', 'patch', 'delete'] as const) {
      scope[method](() => true)
        .query(true)
        .reply((uri, body, cb) => this.handle(method.toUpperCase(), uri, body, cb as unknown as (err: Error | null, res?: Reply) => void));
    }
  }

  private handle(method: string, uri: string, body: unknown, cb: (err: Error | null, res?: Reply) => void): void {
    const url = new URL(uri, API);
    const gate = this.barriers.find((g) => g.left > 0 && g.method === method && g.path.test(url.pathname) && (!g.query || g.query(url.searchParams)));
    if (gate) {
      gate.left--;
      gate.waiting.push(() => this.answer(method, url, body, cb));
      if (gate.left === 0) for (const go of gate.waiting.splice(0)) go();
      return;
    }
    this.answer(method, url, body, cb);
  }

  private answer(method: string, url: URL, body: unknown, cb: (err: Error | null, res?: Reply) => void): void {
    this.requests.push(`${method} ${url.pathname}`);
    try {
      this.onRequest?.(`${method} ${url.pathname}`);
    } catch {
      /* a test hook */
    }
    const rule = this.faults.find((f) => f.times > 0 && f.method === method && f.path.test(url.pathname));
    if (!rule) return cb(null, this.route(method, url, body));
    rule.times--;
    const f = rule.fault;
    if ('status' in f) return cb(null, [f.status, f.body ?? { message: `fault ${f.status}` }, f.headers ?? {}]);
    if ('network' in f) return cb(Object.assign(new Error(f.network), { code: f.network }));
    if ('stallMs' in f) {
      setTimeout(() => cb(null, this.route(method, url, body)), f.stallMs).unref();
      return;
    }
    this.route(method, url, body);
    cb(null, [f.applyThen, { message: 'Bad Gateway' }]);
  }

  private route(method: string, url: URL, body: unknown): Reply {
    const base = `/repos/${OWNER}/${REPO}`;
    const path = url.pathname;
    const q = url.searchParams;
    const b = (body ?? {}) as Record<string, any>;
    if (method === 'GET' && path === base) return [200, { default_branch: 'main' }];
    if (method === 'GET' && path === `${base}/tarball/main`) {
      return [
        200,
        Buffer.from(
          writeTarball(
            [...this.files].map(([p, content]) => ({ path: p, content })),
            `${OWNER}-${REPO}-aaaaaaa`,
            { comment: SHA },
          ),
        ),
        { 'content-type': 'application/x-gzip' },
      ];
    }
    if (method === 'GET' && path === `${base}/issues`) {
      const label = q.get('labels');
      const page = Number(q.get('page') ?? 1);
      const per = Number(q.get('per_page') ?? 30);
      let list = this.issues.filter((i) => !label || i.labels.some((l) => l.name === label));
      if (q.get('direction') === 'desc') list = [...list].reverse();
      return [200, structuredClone(list.slice((page - 1) * per, page * per))];
    }
    if (method === 'GET' && path === `${base}/labels`) return [200, this.labels.map((name) => ({ name }))];
    if (method === 'POST' && path === `${base}/labels`) {
      this.writes.push(`label ${b.name}`);
      if (this.labels.includes(b.name)) return [422, { message: 'already_exists' }];
      this.labels.push(b.name);
      return [201, { name: b.name }];
    }
    if (method === 'POST' && path === `${base}/issues`) {
      // GitHub creates the labels an issue names when they are missing.
      for (const l of b.labels as string[]) if (!this.labels.includes(l)) this.labels.push(l);
      const i = this.addIssue({ title: b.title, body: b.body, labels: (b.labels as string[]).map((name) => ({ name })), created_at: new Date().toISOString() });
      this.writes.push(`create #${i.number}`);
      return [201, structuredClone(i)];
    }
    const issuePath = new RegExp(`^${base}/issues/(\\d+)$`).exec(path);
    if (method === 'PATCH' && issuePath) {
      const i = this.issues.find((x) => x.number === Number(issuePath[1]));
      if (!i) return [404, {}];
      if (b.title !== undefined) i.title = b.title;
      if (b.body !== undefined) i.body = b.body;
      if (b.labels) i.labels = (b.labels as string[]).map((name) => ({ name }));
      if (b.state) {
        if (b.state === 'closed' && i.state === 'open') i.closed_at = '2026-11-21T00:00:00Z';
        if (b.state === 'open') i.closed_at = null;
        i.state = b.state;
        i.state_reason = b.state_reason ?? (b.state === 'closed' ? 'completed' : 'reopened');
      }
      this.writes.push(`patch #${i.number}${b.state ? ` ${b.state}` : ''}`);
      return [200, structuredClone(i)];
    }
    const commentsPath = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(path);
    if (commentsPath && method === 'GET') {
      const page = Number(q.get('page') ?? 1);
      const per = Number(q.get('per_page') ?? 30);
      return [
        200,
        this.comments
          .filter((c) => c.issue === Number(commentsPath[1]))
          .slice((page - 1) * per, page * per)
          .map((c) => ({ id: c.id, body: c.body })),
      ];
    }
    if (commentsPath && method === 'POST') {
      const c = { id: this.nextComment++, issue: Number(commentsPath[1]), body: b.body as string };
      this.comments.push(c);
      this.writes.push(`comment #${c.issue}`);
      return [201, { id: c.id, body: c.body }];
    }
    const commentPath = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(path);
    if (commentPath && method === 'DELETE') {
      const k = this.comments.findIndex((c) => c.id === Number(commentPath[1]));
      if (k < 0) return [404, { message: 'Not Found' }];
      this.writes.push(`delete comment ${this.comments[k]!.id} on #${this.comments[k]!.issue}`);
      this.comments.splice(k, 1);
      return [204, ''];
    }
    if (method === 'POST' && path === '/graphql') {
      this.writes.push('graphql');
      return [200, { data: { pinIssue: { issue: { number: 1 } } } }];
    }
    return [501, { message: `garden fake: no route for ${method} ${path}` }];
  }

  open(): FakeIssue[] {
    return this.issues.filter((i) => i.state === 'open');
  }
}
