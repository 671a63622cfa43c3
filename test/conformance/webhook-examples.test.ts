/**
 * The app driven by GitHub's real webhook payloads (@octokit/webhooks-examples) for every event it
 * subscribes to in app.yml (and the installation events every app receives): no delivery may throw and
 * no promise may be left rejected. GitHub is a permissive nock stand-in for any repository that answers
 * what the handlers ask (empty repositories, the payload's own pull request); every request it gets is
 * still checked against GitHub's description by the conformance hooks, and a request it has no answer
 * for fails the test.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_NAME } from '../../src/github/check-run.js';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { writeTarball } from '../../src/github/tarball.js';
import { makeProbot } from '../doubles/probot.js';

const require = createRequire(import.meta.url);
const API = 'https://api.github.com';

interface ExampleGroup {
  name: string;
  examples: Record<string, unknown>[];
}
const groups = require('@octokit/webhooks-examples/api.github.com/index.json') as ExampleGroup[];
const manifest = yaml.load(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')) as { default_events: string[] };
/** Every app receives these without subscribing (they are not valid default_events). */
const ALWAYS = ['installation', 'installation_repositories'];
const subscribed = [...new Set([...manifest.default_events, ...ALWAYS])].sort();

type Payload = Record<string, any>;

/** A request each event's examples must cause, so the test sees the handlers run (not just return). */
const EXPECTED_REQUESTS: Record<string, string> = {
  pull_request: 'POST /repos/{owner}/{repo}/check-runs',
  check_run: 'POST /repos/{owner}/{repo}/check-runs',
  check_suite: 'POST /repos/{owner}/{repo}/check-runs', // rerequested, with the payload's pull request
  installation: 'GET /repos/{owner}/{repo}',
  installation_repositories: 'GET /repos/{owner}/{repo}',
};

/** What the permissive GitHub answers, per request; `unanswered` collects what it could not. */
function permissiveGitHub(current: () => Payload) {
  const unanswered: string[] = [];
  const seen: string[] = [];
  const headSha = (): string => {
    const p = current();
    return p.pull_request?.head?.sha ?? p.check_run?.head_sha ?? p.check_suite?.head_sha ?? p.after ?? 'a'.repeat(40);
  };
  const pullOf = (n: number): Payload => {
    const p = current();
    if (p.pull_request?.number === n) return p.pull_request;
    const repo = p.repository ?? { full_name: 'o/r' };
    return { number: n, state: 'open', draft: false, head: { sha: headSha(), ref: 'topic', repo }, base: { sha: 'b'.repeat(40), ref: 'main', repo } };
  };
  const answer = (method: string, uri: string, body: any): [number, unknown] => {
    const path = uri.split('?')[0]!;
    seen.push(`${method} ${path.replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}')}`);
    const m = (re: RegExp) => re.exec(path);
    let g: RegExpExecArray | null;
    if (method === 'POST' && m(/^\/app\/installations\/\d+\/access_tokens$/)) return [201, { token: 'ghs_examples', expires_at: '2099-01-01T00:00:00Z' }];
    if (method === 'GET' && path === '/installation/repositories') return [200, { total_count: 0, repositories: [] }];
    if (method === 'POST' && path === '/graphql') {
      const q = String(body?.query ?? '');
      if (q.includes('reviewThreads')) {
        return [
          200,
          {
            data: {
              repository: {
                pullRequest: {
                  headRefOid: headSha(),
                  reviews: { nodes: [] },
                  reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] },
                  comments: { nodes: [] },
                },
              },
            },
          },
        ];
      }
      if (q.includes('pinIssue')) return [200, { data: { pinIssue: { issue: { number: 1 } } } }];
    }
    if ((g = m(/^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/))) {
      const [, owner, repo, rest = ''] = g;
      const r = (re: RegExp) => re.exec(rest);
      if (method === 'GET' && rest === '')
        return [200, { id: 1, name: repo, full_name: `${owner}/${repo}`, owner: { login: owner }, default_branch: 'main', private: false }];
      if (method === 'GET' && r(/^\/tarball\/.+$/)) return [200, Buffer.from(writeTarball([], `${owner}-${repo}-0000000`, { comment: headSha() }))];
      if (method === 'GET' && r(/^\/contents\//)) return [404, { message: 'Not Found' }];
      // The open pull requests: a fork pull request on the re-requested check's head (not listed in its payload).
      if (method === 'GET' && rest === '/pulls') return [200, current().check_run || current().check_suite ? [pullOf(1)] : []];
      if (method === 'GET' && (r(/^\/(issues|labels|commits)$/) || r(/^\/pulls\/\d+\/files$/))) return [200, []];
      if (method === 'GET' && (g = r(/^\/pulls\/(\d+)$/))) return [200, pullOf(Number(g[1]))];
      if (method === 'GET' && r(/^\/commits\/[^/]+\/check-runs$/)) return [200, { total_count: 0, check_runs: [] }];
      if (method === 'GET' && (g = r(/^\/collaborators\/([^/]+)\/permission$/)))
        return [200, { permission: 'read', role_name: 'read', user: { login: decodeURIComponent(g[1]!) } }];
      if (method === 'POST' && rest === '/check-runs') return [201, { id: 9001, name: body?.name, status: body?.status }];
      if (method === 'PATCH' && r(/^\/check-runs\/\d+$/)) return [200, { id: 9001 }];
      if (method === 'POST' && r(/^\/pulls\/\d+\/reviews$/)) return [200, { id: 1, state: 'COMMENTED' }];
      if (method === 'POST' && rest === '/labels') return [201, { name: body?.name }];
      if (method === 'POST' && rest === '/issues') return [201, { number: 1, node_id: 'I_1', title: body?.title, body: body?.body, labels: [], state: 'open' }];
      if (method === 'PATCH' && r(/^\/issues\/\d+$/)) return [200, { number: 1 }];
      if (method === 'POST' && r(/^\/issues\/\d+\/(comments|labels)$/)) return [201, {}];
    }
    unanswered.push(`${method} ${uri}`);
    return [404, { message: 'Not Found' }];
  };
  for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const) {
    nock(API)
      .persist()
      .intercept(() => true, method)
      .reply((uri, body) => {
        const [status, data] = answer(method, uri, typeof body === 'string' && body.startsWith('{') ? JSON.parse(body) : body);
        return Buffer.isBuffer(data) ? [status, data, { 'content-type': 'application/x-gzip' }] : [status, data as nock.Body];
      });
  }
  return { unanswered, seen };
}

/**
 * The group's examples; `check_run` ones name other apps' runs, which the app rightly ignores, so each
 * also comes once more as a run of the app's own check.
 */
function examplesOf(group: ExampleGroup): Record<string, unknown>[] {
  if (group.name !== 'check_run') return group.examples;
  const own = group.examples.map((e) => {
    const c = structuredClone(e) as Payload;
    c.check_run.name = CHECK_NAME;
    return c;
  });
  return [...group.examples, ...own];
}

describe('the app on every webhook example of the events it subscribes to', () => {
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => void rejections.push(e);
  beforeAll(() => {
    nock.disableNetConnect();
    process.on('unhandledRejection', onRejection);
  });
  afterEach(() => {
    nock.cleanAll();
  });
  afterAll(() => {
    process.off('unhandledRejection', onRejection);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('the examples cover every subscribed event', () => {
    const missing = subscribed.filter((e) => !groups.some((g) => g.name === e && g.examples.length > 0));
    expect(missing).toEqual([]);
  });

  for (const event of subscribed) {
    const group = groups.find((g) => g.name === event);
    it(`${event}: ${group ? examplesOf(group).length : 0} example payload(s) are received without error`, async () => {
      expect(group, `no examples for ${event}`).toBeDefined();
      clearSnapshotCache();
      let current: Payload = {};
      const gh = permissiveGitHub(() => current);
      const { probot } = makeProbot({ warmOnPush: true });
      const failures: string[] = [];
      for (const [i, example] of examplesOf(group!).entries()) {
        current = structuredClone(example);
        // Every example gets an installation: the app acts as one, as on GitHub.
        current.installation ??= { id: 4242 };
        await probot.receive({ id: `${event}-${i}`, name: event as never, payload: current as never }).catch((e: unknown) => {
          failures.push(`${event}${current.action ? `.${String(current.action)}` : ''} #${i}: ${(e as Error).message}`);
        });
      }
      await new Promise((r) => setTimeout(r, 20));
      expect(failures).toEqual([]);
      expect(gh.unanswered, 'requests the permissive GitHub has no answer for').toEqual([]);
      expect(rejections).toEqual([]);
      // The handlers really ran: reviews post check runs, sweeps read the repository.
      const expected = EXPECTED_REQUESTS[event];
      if (expected) expect(gh.seen).toContain(expected);
    });
  }
});
