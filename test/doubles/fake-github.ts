/**
 * A nock-mocked GitHub for one repository, shared by tests and the review bench. Every request the app
 * makes is recorded (method + path) so tests can count them. Shapes follow GitHub's REST and GraphQL
 * responses as far as the app reads them.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { structuredPatch } from 'diff';
import nock from 'nock';
import { DEFAULT_CONFIG, FileSelector, type GardenerConfig } from '../../src/core/config.js';
import { getSnapshot } from '../../src/github/snapshot.js';
import { writeTarball } from '../../src/github/tarball.js';
import type { GitHubApi, RepoRef } from '../../src/github/octokit.js';
import type { PullFile } from '../../src/github/pull-files.js';

export type Tree = Map<string, string>;
export const API = 'https://api.github.com';

export interface Recorded {
  method: string;
  path: string;
  body?: unknown;
  /** performance.now() when the request reached the mock. */
  at: number;
}

/** GitHub's `patch` field: hunks only, no file headers. */
export function githubPatch(oldText: string, newText: string): string {
  const p = structuredPatch('a', 'b', oldText, newText, undefined, undefined, { context: 3 });
  const out: string[] = [];
  for (const h of p.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) out.push(l);
  }
  return out.join('\n');
}

/** Lines added plus deleted by a patch (GitHub's `changes`). */
function changesOf(patch: string): number {
  return patch.split('\n').filter((l) => /^[-+]/.test(l)).length;
}

/** The `GET /pulls/{n}/files` list between two trees (renames given explicitly as new → old). */
export function pullFilesOf(base: Tree, head: Tree, renames: Record<string, string> = {}): PullFile[] {
  return pullFilesWithoutCounts(base, head, renames).map((f) => ({ ...f, changes: changesOf(f.patch ?? '') }));
}

function pullFilesWithoutCounts(base: Tree, head: Tree, renames: Record<string, string>): PullFile[] {
  const out: PullFile[] = [];
  const renamedFrom = new Set(Object.values(renames));
  for (const [path, text] of head) {
    const from = renames[path];
    if (from !== undefined) {
      out.push({ filename: path, status: 'renamed', previous_filename: from, patch: githubPatch(base.get(from) ?? '', text) });
      continue;
    }
    const old = base.get(path);
    if (old === undefined) out.push({ filename: path, status: 'added', patch: githubPatch('', text) });
    else if (old !== text) out.push({ filename: path, status: 'modified', patch: githubPatch(old, text) });
  }
  for (const [path, text] of base) if (!head.has(path) && !renamedFrom.has(path)) out.push({ filename: path, status: 'removed', patch: githubPatch(text, '') });
  return out.sort((a, b) => (a.filename < b.filename ? -1 : 1));
}

export interface ThreadFixture {
  id: string;
  isResolved?: boolean;
  /** Login of the person who resolved the thread (GraphQL `resolvedBy` is a User: absent when the app resolved it). */
  resolvedBy?: string;
  comments: { body: string; bot?: boolean; thumbsDown?: number }[];
}

/** A pull request (issue) comment as the pull-state query returns it. */
export interface IssueCommentFixture {
  body: string;
  bot?: boolean;
}

export interface EventMocks {
  number: number;
  headSha: string;
  baseSha: string;
  base: Tree;
  head: Tree;
  renames?: Record<string, string>;
  /** Files listed without their `patch`, as GitHub lists binary files and very large diffs. */
  noPatch?: string[];
  /** Raw `.github/pattern-gardener.yml`; null/undefined = 404 in the repo and in `<owner>/.github`. */
  config?: string | null;
  /** Mock the head tarball (false when the snapshot is expected from the cache). */
  headTarball?: boolean;
  /**
   * Mock `GET /compare/{from}...{head}` (a head derived from a cached ancestor's snapshot): the files
   * changed from `tree` to `head`; the merge base is `mergeBase` (default `sha`: head descends from it).
   */
  compareFrom?: { sha: string; tree: Tree; mergeBase?: string; renames?: Record<string, string>; noPatch?: string[] };
  /** Mock the base tarball too (PRs that delete or rename patterns). */
  baseTarball?: boolean;
  /** Serve the tarball through a 302 to codeload.github.com, as GitHub does. */
  redirect?: boolean;
  /** Raw tarball bytes to serve instead of building from `head` (the bench's repacked corpus). */
  headTarballBytes?: Uint8Array;
  baseTarballBytes?: Uint8Array;
  threads?: ThreadFixture[];
  /** Head SHAs the app already reviewed. */
  reviewedShas?: string[];
  /** PR comments returned by the pull-state query (link rejection markers). */
  issueComments?: IssueCommentFixture[];
  /** headRefOid reported by GraphQL (a force-push when it differs from headSha). */
  currentHead?: string;
  /** Expect a review POST / a thread-resolving mutation / nothing after GraphQL. */
  expectReview?: boolean;
  expectResolve?: boolean;
  /** Number of check-run PATCH requests expected. */
  patches?: number;
  /** Schema files served at head. */
  schemas?: Record<string, string>;
  /** Mock `GET /pulls/{n}` (check_run / check_suite rerequested). */
  getPull?: Record<string, unknown>;
  /** Only the failing check run (broken config): created, then completed. */
  configErrorOnly?: boolean;
  perPage?: number;
}

export class FakeGitHub {
  log: Recorded[] = [];
  checkRunCreates: Record<string, unknown>[] = [];
  checkRunPatches: Record<string, unknown>[] = [];
  reviews: Record<string, unknown>[] = [];
  resolvedThreads: string[] = [];
  private tarCache = new Map<string, Uint8Array>();

  constructor(
    readonly owner = 'commons-garden',
    readonly repo = 'patterns',
    readonly installationId = 4242,
  ) {}

  get repoPath(): string {
    return `/repos/${this.owner}/${this.repo}`;
  }

  private rec(method: string, path: string, body?: unknown) {
    this.log.push({ method, path, body, at: performance.now() });
    if (process.env.GH_TRACE) console.log(Date.now() % 100000, method, path);
  }

  /** Installation token; persisted and optional (Probot caches it). */
  mockToken(): void {
    nock(API)
      .post(`/app/installations/${this.installationId}/access_tokens`)
      .optionally()
      .reply((uri) => {
        this.rec('POST', uri);
        return [
          201,
          {
            token: 'ghs_test',
            expires_at: '2099-01-01T00:00:00Z',
            permissions: { checks: 'write', pull_requests: 'write', contents: 'read' },
            repository_selection: 'all',
          },
        ];
      })
      .persist();
  }

  /** An API that answers every request with the archive of `tree` at `sha` (snapshot tests without HTTP). */
  tarballApi(tree: Tree, sha: string): GitHubApi {
    return { request: async () => ({ status: 200, data: this.tarball(tree, sha), headers: {} }), graphql: async () => ({}) as never };
  }

  /** Loads trees as repository snapshots through `tarballApi`, as the app does (the default config unless given). */
  snapshots(repo: RepoRef, config: GardenerConfig = structuredClone(DEFAULT_CONFIG)) {
    const selector = new FileSelector(config);
    return { config, snapshotOf: (tree: Tree, sha: string) => getSnapshot(this.tarballApi(tree, sha), repo, sha, config, selector) };
  }

  tarball(tree: Tree, sha: string): Uint8Array {
    const key = sha;
    let t = this.tarCache.get(key);
    if (!t) {
      t = writeTarball(
        [...tree].map(([path, content]) => ({ path, content })),
        `${this.owner}-${this.repo}-${sha.slice(0, 7)}`,
        { comment: sha },
      );
      this.tarCache.set(key, t);
    }
    return t;
  }

  /** `GET /compare/{from.sha}...{headSha}`: the files from `from.tree` to `head`, as GitHub lists them. */
  mockCompare(from: NonNullable<EventMocks['compareFrom']>, headSha: string, head: Tree): void {
    const files = pullFilesOf(from.tree, head, from.renames).map((f) => {
      if (!from.noPatch?.includes(f.filename)) return f;
      const { patch: _dropped, ...rest } = f;
      return rest;
    });
    const mergeBase = from.mergeBase ?? from.sha;
    nock(API)
      .get((uri) => decodeURIComponent(uri).startsWith(`${this.repoPath}/compare/${from.sha}...${headSha}`))
      .reply((uri) => {
        this.rec('GET', uri);
        return [
          200,
          {
            status: mergeBase === from.sha ? 'ahead' : 'diverged',
            merge_base_commit: { sha: mergeBase },
            base_commit: { sha: from.sha },
            ahead_by: 1,
            behind_by: mergeBase === from.sha ? 0 : 1,
            total_commits: 1,
            commits: [],
            files,
          },
        ];
      });
  }

  mockTarball(sha: string, bytes: () => Uint8Array, redirect = false): void {
    const path = `${this.repoPath}/tarball/${sha}`;
    if (redirect) {
      const legacy = `/${this.owner}/${this.repo}/legacy.tar.gz/${sha}`;
      nock(API)
        .get(path)
        .reply((uri) => {
          this.rec('GET', uri);
          return [302, '', { location: `https://codeload.github.com${legacy}` }];
        });
      nock('https://codeload.github.com')
        .get(legacy)
        .reply((uri) => {
          this.rec('GET', `codeload:${uri}`);
          return [200, Buffer.from(bytes()), { 'content-type': 'application/x-gzip' }];
        });
    } else {
      nock(API)
        .get(path)
        .reply((uri) => {
          this.rec('GET', uri);
          return [200, Buffer.from(bytes()), { 'content-type': 'application/x-gzip' }];
        });
    }
  }

  mockConfig(config: string | null | undefined): void {
    const isConfig = (uri: string) => decodeURIComponent(uri).includes('/contents/.github/pattern-gardener.yml');
    nock(API)
      .get((uri) => uri.startsWith(`${this.repoPath}/contents/`) && isConfig(uri))
      .reply((uri) => {
        this.rec('GET', decodeURIComponent(uri));
        return typeof config === 'string' ? [200, config, { 'content-type': 'text/plain; charset=utf-8' }] : [404, { message: 'Not Found' }];
      });
    if (typeof config !== 'string') {
      nock(API)
        .get((uri) => uri.startsWith(`/repos/${this.owner}/.github/contents/`) && isConfig(uri))
        .reply((uri) => {
          this.rec('GET', decodeURIComponent(uri));
          return [404, { message: 'Not Found' }];
        });
    }
  }

  /** Runs already on the SHA (`GET /commits/{sha}/check-runs`): none unless given. */
  mockCheckRunList(runs: Record<string, unknown>[] = []): void {
    nock(API)
      .get((uri) => uri.startsWith(`${this.repoPath}/commits/`) && uri.includes('/check-runs'))
      .reply((uri) => {
        this.rec('GET', decodeURIComponent(uri));
        return [200, { total_count: runs.length, check_runs: runs }];
      });
  }

  mockCheckRunCreate(id = 9001): void {
    nock(API)
      .post(`${this.repoPath}/check-runs`)
      .reply((uri, body) => {
        this.rec('POST', uri, body);
        this.checkRunCreates.push(body as Record<string, unknown>);
        return [201, { id, name: 'Pattern Gardener', status: (body as { status?: string }).status }];
      });
  }

  mockCheckRunPatches(n: number, id = 9001): void {
    nock(API)
      .patch(`${this.repoPath}/check-runs/${id}`)
      .times(n)
      .reply((uri, body) => {
        this.rec('PATCH', uri, body);
        this.checkRunPatches.push(body as Record<string, unknown>);
        return [200, { id }];
      });
  }

  mockFiles(number: number, files: PullFile[], perPage = 100): void {
    const pages = Math.max(1, Math.ceil((files.length + 1) / perPage));
    for (let page = 1; page <= pages; page++) {
      nock(API)
        .get(`${this.repoPath}/pulls/${number}/files`)
        .query((q) => Number(q.page ?? 1) === page)
        .reply((uri) => {
          this.rec('GET', uri);
          return [200, files.slice((page - 1) * perPage, page * perPage)];
        });
    }
  }

  mockGraphqlState(o: { headRefOid: string; threads?: ThreadFixture[]; reviewedShas?: string[]; issueComments?: IssueCommentFixture[] }): void {
    nock(API)
      .post('/graphql', (b: { query?: string }) => typeof b.query === 'string' && b.query.includes('reviewThreads'))
      .reply((uri, body) => {
        this.rec('POST', `${uri} (state)`, body);
        const bot = { __typename: 'Bot', login: 'pattern-gardener' };
        const human = { __typename: 'User', login: 'contributor' };
        return [
          200,
          {
            data: {
              repository: {
                pullRequest: {
                  headRefOid: o.headRefOid,
                  reviews: {
                    nodes: (o.reviewedShas ?? []).map((sha) => ({
                      body: `Review\n<!-- pattern-gardener:review sha=${sha} -->`,
                      author: bot,
                      commit: { oid: sha },
                    })),
                  },
                  reviewThreads: {
                    pageInfo: { hasNextPage: false, endCursor: null },
                    nodes: (o.threads ?? []).map((t) => ({
                      id: t.id,
                      isResolved: !!t.isResolved,
                      resolvedBy: t.resolvedBy ? { login: t.resolvedBy } : null,
                      comments: {
                        nodes: t.comments.map((c) => ({ body: c.body, author: c.bot === false ? human : bot, reactions: { totalCount: c.thumbsDown ?? 0 } })),
                      },
                    })),
                  },
                  comments: { nodes: (o.issueComments ?? []).map((c) => ({ body: c.body, author: c.bot === false ? human : bot })) },
                },
              },
            },
          },
        ];
      });
  }

  mockResolve(): void {
    nock(API)
      .post('/graphql', (b: { query?: string }) => typeof b.query === 'string' && b.query.includes('resolveReviewThread'))
      .reply((uri, body) => {
        this.rec('POST', `${uri} (resolve)`, body);
        const vars = (body as { variables?: Record<string, string> }).variables ?? {};
        this.resolvedThreads.push(...Object.values(vars));
        return [200, { data: {} }];
      });
  }

  mockReview(number: number): void {
    nock(API)
      .post(`${this.repoPath}/pulls/${number}/reviews`)
      .reply((uri, body) => {
        this.rec('POST', uri, body);
        this.reviews.push(body as Record<string, unknown>);
        return [200, { id: 555, state: 'COMMENTED' }];
      });
  }

  /** PR (issue) comments posted by the app. */
  comments: { number: number; body: string }[] = [];
  /** Contents API writes: path (decoded) and body. */
  contentPuts: { path: string; body: Record<string, unknown> }[] = [];

  /**
   * `GET /collaborators/{user}/permission` answering `role` (admin, maintain, write, triage, read, none, or
   * a custom role's name, whose base role is `base`).
   */
  mockPermission(login: string, role: string, base?: string): void {
    const legacy = base ?? (role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role);
    nock(API)
      .get(`${this.repoPath}/collaborators/${login}/permission`)
      .reply((uri) => {
        this.rec('GET', uri);
        return [200, { permission: legacy, role_name: role, user: { login } }];
      });
  }

  /** `GET /pulls/{n}` answering `pull`. */
  mockGetPull(number: number, pull: Record<string, unknown>): void {
    nock(API)
      .get(`${this.repoPath}/pulls/${number}`)
      .reply((uri) => {
        this.rec('GET', uri);
        return [200, pull];
      });
  }

  /** `POST /issues/{n}/comments`, `times` times. */
  mockIssueComment(number: number, times = 1): void {
    nock(API)
      .post(`${this.repoPath}/issues/${number}/comments`)
      .times(times)
      .reply((uri, body) => {
        this.rec('POST', uri, body);
        this.comments.push({ number, body: (body as { body: string }).body });
        return [201, { id: 7000 + this.comments.length, body: (body as { body: string }).body }];
      });
  }

  /** `GET /contents/{path}?ref=` of stored files (apply links reads each file's blob before its PUT). */
  mockStoredFiles(
    files: Record<string, string>,
    sha: (path: string, text: string) => string = (_p, t) =>
      createHash('sha1')
        .update(`blob ${Buffer.byteLength(t)}\0`)
        .update(t)
        .digest('hex'),
  ): void {
    for (const [path, text] of Object.entries(files)) {
      nock(API)
        .get((uri) => decodeURIComponent(uri).startsWith(`${this.repoPath}/contents/${path}?`))
        .reply((uri) => {
          this.rec('GET', decodeURIComponent(uri));
          return [200, { type: 'file', path, encoding: 'base64', content: Buffer.from(text).toString('base64'), sha: sha(path, text) }];
        });
    }
  }

  /** `PUT /contents/{path}`, `times` times; `status` other than 200 answers an error. */
  mockContentsPut(times = 1, status = 200): void {
    nock(API)
      .put((uri) => uri.startsWith(`${this.repoPath}/contents/`))
      .times(times)
      .reply((uri, body) => {
        const path = decodeURIComponent(uri.slice(`${this.repoPath}/contents/`.length));
        this.rec('PUT', decodeURIComponent(uri), body);
        this.contentPuts.push({ path, body: body as Record<string, unknown> });
        if (status !== 200) return [status, { message: 'is at a different sha' }];
        return [200, { content: { path }, commit: { sha: createHash('sha1').update(JSON.stringify(body)).digest('hex') } }];
      });
  }

  /** Mocks the whole sequence of one pull request event. */
  mockEvent(m: EventMocks): void {
    this.mockToken();
    this.mockCheckRunList();
    this.mockConfig(m.config);
    for (const [path, text] of Object.entries(m.schemas ?? {})) {
      nock(API)
        .get((uri) => decodeURIComponent(uri).startsWith(`${this.repoPath}/contents/${path}`))
        .reply((uri) => {
          this.rec('GET', decodeURIComponent(uri));
          return [200, { type: 'file', encoding: 'base64', content: Buffer.from(text).toString('base64'), path }];
        });
    }
    if (m.getPull) {
      nock(API)
        .get(`${this.repoPath}/pulls/${m.number}`)
        .reply((uri) => {
          this.rec('GET', uri);
          return [200, m.getPull];
        });
    }
    this.mockCheckRunCreate();
    if (m.configErrorOnly) {
      this.mockCheckRunPatches(1);
      return;
    }
    const files = pullFilesOf(m.base, m.head, m.renames).map((f) => {
      if (!m.noPatch?.includes(f.filename)) return f;
      const { patch: _dropped, ...rest } = f;
      return rest;
    });
    this.mockFiles(m.number, files, m.perPage);
    if (m.compareFrom) this.mockCompare(m.compareFrom, m.headSha, m.head);
    if (m.headTarball !== false) this.mockTarball(m.headSha, () => m.headTarballBytes ?? this.tarball(m.head, m.headSha), m.redirect);
    if (m.baseTarball) this.mockTarball(m.baseSha, () => m.baseTarballBytes ?? this.tarball(m.base, m.baseSha), m.redirect);
    this.mockGraphqlState({ headRefOid: m.currentHead ?? m.headSha, threads: m.threads, reviewedShas: m.reviewedShas, issueComments: m.issueComments });
    if (m.currentHead && m.currentHead !== m.headSha) return;
    if (m.expectReview) this.mockReview(m.number);
    if (m.expectResolve) this.mockResolve();
    this.mockCheckRunPatches(m.patches ?? 1);
  }

  /** Requests that reached GitHub, token exchange included. */
  count(): number {
    return this.log.length;
  }
}

/** The `pull_request.opened` fixture (fixtures/github), with this PR's numbers and SHAs. */
export function pullRequestPayload(
  fixture: Record<string, unknown>,
  o: { number: number; headSha: string; baseSha: string; action?: string; draft?: boolean; fork?: boolean; before?: string },
): Record<string, unknown> {
  const p = structuredClone(fixture) as { action: string; number: number; pull_request: Record<string, any>; before?: string; after?: string };
  p.action = o.action ?? 'opened';
  if (o.before) {
    // `synchronize`: the head moved from `before` to `after`.
    p.before = o.before;
    p.after = o.headSha;
  }
  p.number = o.number;
  const pr = p.pull_request;
  pr.number = o.number;
  pr.draft = !!o.draft;
  pr.head.sha = o.headSha;
  pr.base.sha = o.baseSha;
  if (o.fork) {
    pr.head.label = 'contributor:add-stewardship';
    pr.head.user = { login: 'contributor', id: 50001, type: 'User', site_admin: false };
    pr.head.repo = {
      ...pr.head.repo,
      id: 700000099,
      full_name: 'contributor/patterns',
      owner: pr.head.user,
      fork: true,
      url: 'https://api.github.com/repos/contributor/patterns',
    };
  }
  return p as unknown as Record<string, unknown>;
}

/** A `check_suite.rerequested` payload for `headSha` with no listed pull requests, in the fixture's repository. */
export function checkSuiteRerequestedPayload(fixture: Record<string, unknown>, headSha: string): Record<string, unknown> {
  return {
    action: 'rerequested',
    check_suite: { id: 1, head_sha: headSha, pull_requests: [] },
    repository: fixture.repository,
    installation: fixture.installation,
    sender: fixture.sender,
  };
}

export function loadFixture(name: string): Record<string, unknown> {
  // From test/doubles/ under vitest, from dist-dev/test/doubles/ when the review bench runs compiled.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'fixtures', 'github')) && dirname(dir) !== dir) dir = dirname(dir);
  const require = createRequire(import.meta.url);
  return require(join(dir, 'fixtures', 'github', name)) as Record<string, unknown>;
}

/** An `issue_comment.created` payload on a pull request of the fixture's repository. */
export function issueCommentPayload(
  fixture: Record<string, unknown>,
  o: { number: number; body: string; login?: string; bot?: boolean; onIssue?: boolean },
): Record<string, unknown> {
  const f = fixture as { repository: Record<string, any>; installation: unknown; organization?: unknown };
  const user = { login: o.login ?? 'maintainer', id: 60001, type: o.bot ? 'Bot' : 'User' };
  const issue: Record<string, unknown> = { number: o.number, title: 'Add a pattern', state: 'open', user, labels: [], body: '' };
  if (!o.onIssue) issue.pull_request = { url: `https://api.github.com/repos/${f.repository.full_name}/pulls/${o.number}` };
  return {
    action: 'created',
    issue,
    comment: { id: 8000 + o.number, body: o.body, user, author_association: 'MEMBER' },
    repository: f.repository,
    organization: f.organization,
    sender: user,
    installation: f.installation,
  };
}
