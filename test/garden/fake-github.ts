/** A nock-backed in-memory GitHub for the garden sync tests: issues, labels, comments, tarball. */
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

export class FakeGitHub {
  issues: FakeIssue[] = [];
  labels: string[] = [];
  comments: { issue: number; body: string }[] = [];
  writes: string[] = [];
  files = new Map<string, string>();
  private next = 1;

  octokit(): OctokitLike {
    return asOctokitLike(new Octokit({ auth: 'test-token', request: { retries: 0 } }));
  }

  addIssue(p: Partial<FakeIssue> & { title: string; body: string }): FakeIssue {
    const i: FakeIssue = { number: this.next++, state: 'open', state_reason: null, labels: [], created_at: '2026-01-01T00:00:00Z', closed_at: null, node_id: `I_${this.next}`, ...p };
    this.issues.push(i);
    return i;
  }

  install(): void {
    const base = `/repos/${OWNER}/${REPO}`;
    nock(API)
      .persist()
      .get(base)
      .reply(200, { default_branch: 'main' })
      .get(`${base}/tarball/main`)
      .reply(200, () => Buffer.from(writeTarball([...this.files].map(([path, content]) => ({ path, content })), `${OWNER}-${REPO}-aaaaaaa`, { comment: SHA })), { 'content-type': 'application/x-gzip' })
      .get(`${base}/issues`)
      .query(true)
      .reply((uri) => {
        const q = new URL(uri, API).searchParams;
        const label = q.get('labels');
        const page = Number(q.get('page') ?? 1);
        const list = this.issues.filter((i) => !label || i.labels.some((l) => l.name === label));
        return [200, structuredClone(list.slice((page - 1) * 100, page * 100))];
      })
      .get(`${base}/labels`)
      .query(true)
      .reply(() => [200, this.labels.map((name) => ({ name }))])
      .post(`${base}/labels`)
      .reply((_u, body) => {
        const b = body as { name: string };
        this.writes.push(`label ${b.name}`);
        if (this.labels.includes(b.name)) return [422, { message: 'already_exists' }];
        this.labels.push(b.name);
        return [201, { name: b.name }];
      })
      .post(`${base}/issues`)
      .reply((_u, body) => {
        const b = body as { title: string; body: string; labels: string[] };
        const i = this.addIssue({ title: b.title, body: b.body, labels: b.labels.map((name) => ({ name })), created_at: new Date().toISOString() });
        this.writes.push(`create #${i.number}`);
        return [201, structuredClone(i)];
      })
      .patch(new RegExp(`^${base}/issues/\\d+$`))
      .reply((uri, body) => {
        const n = Number(uri.split('/').pop());
        const i = this.issues.find((x) => x.number === n);
        if (!i) return [404, {}];
        const b = body as { title?: string; body?: string; labels?: string[]; state?: 'open' | 'closed'; state_reason?: string };
        if (b.title !== undefined) i.title = b.title;
        if (b.body !== undefined) i.body = b.body;
        if (b.labels) i.labels = b.labels.map((name) => ({ name }));
        if (b.state) {
          if (b.state === 'closed' && i.state === 'open') i.closed_at = '2026-11-21T00:00:00Z';
          if (b.state === 'open') i.closed_at = null;
          i.state = b.state;
          i.state_reason = b.state_reason ?? (b.state === 'closed' ? 'completed' : 'reopened');
        }
        this.writes.push(`patch #${n}${b.state ? ` ${b.state}` : ''}`);
        return [200, structuredClone(i)];
      })
      .post(new RegExp(`^${base}/issues/\\d+/comments$`))
      .reply((uri, body) => {
        const n = Number(uri.split('/').at(-2));
        this.comments.push({ issue: n, body: (body as { body: string }).body });
        this.writes.push(`comment #${n}`);
        return [201, {}];
      })
      .post('/graphql')
      .reply(() => {
        this.writes.push('graphql');
        return [200, { data: { pinIssue: { issue: { number: 1 } } } }];
      });
  }

  open(): FakeIssue[] {
    return this.issues.filter((i) => i.state === 'open');
  }
}
