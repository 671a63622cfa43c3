import { request as httpRequest, Agent } from 'node:http';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeViolations } from '../conformance/recorder.js';
import { readTarball } from '../../src/github/tarball.js';
import { loadSampleRepo } from '../../src/standin/sample-repo.js';
import { startStandin, type Standin } from '../../src/standin/server.js';

const sample = loadSampleRepo();
const OWNER = sample.repo.owner;
const REPO = sample.repo.name;
const NEW_FILE = 'patterns/seed-swap-festival.md';
const EDITED_FILE = 'patterns/neighbourhood-seed-bank.md';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
let standin: Standin;
let octokit: Octokit;
const repo = { owner: OWNER, repo: REPO };

beforeAll(async () => {
  standin = await startStandin({ repo: sample.repo, pulls: sample.pulls, port: 0 });
  octokit = new Octokit({ baseUrl: standin.url, auth: 'x', log: quiet });
});
afterAll(async () => {
  await standin.close();
});

const statusOf = async (p: Promise<unknown>): Promise<number> => {
  try {
    await p;
    return 200;
  } catch (e) {
    return (e as { status: number }).status;
  }
};

describe('stand-in server: basics', () => {
  it('listens on 127.0.0.1 on a free port', () => {
    expect(standin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(standin.url).port)).toBeGreaterThan(0);
  });

  it('answers GET /repos/:o/:r and 404s other repositories', async () => {
    const { data } = await octokit.repos.get(repo);
    expect(data.full_name).toBe(`${OWNER}/${REPO}`);
    expect(data.default_branch).toBe('main');
    expect(data.owner.login).toBe(OWNER);
    expect(await statusOf(octokit.repos.get({ owner: OWNER, repo: 'nope' }))).toBe(404);
  });

  it('logs unknown routes with route null and answers 404 JSON', async () => {
    const err = (await octokit.request('GET /repos/{owner}/{repo}/deployments', repo).then(
      () => undefined,
      (e: unknown) => e,
    )) as { status: number; response: { data: unknown } };
    expect(err.status).toBe(404);
    expect(err.response.data).toMatchObject({ message: 'Not Found' });
    const last = standin.state.requests.at(-1)!;
    expect(last).toMatchObject({ method: 'GET', path: `/repos/${OWNER}/${REPO}/deployments`, status: 404, route: null });
    const known = standin.state.requests.find((r) => r.path === `/repos/${OWNER}/${REPO}`)!;
    expect(known.route).toBe('GET /repos/:owner/:repo');
  });

  it('issues fake installation tokens', async () => {
    const { data } = await octokit.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: 77 });
    expect(data.token).toMatch(/^ghs_standin_77_/);
    expect(Date.parse(data.expires_at)).toBeGreaterThan(Date.now());
    expect(standin.state.tokens.at(-1)).toEqual({ installationId: 77, token: data.token });
  });
});

describe('stand-in server: contents, archives, git data', () => {
  it('serves file contents as base64, per ref, 404 when missing', async () => {
    const { data } = await octokit.repos.getContent({ ...repo, path: '.github/pattern-gardener.yml' });
    if (Array.isArray(data) || data.type !== 'file') throw new Error('expected a file');
    expect(data.encoding).toBe('base64');
    expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe(sample.repo.files.get('.github/pattern-gardener.yml'));
    expect(await statusOf(octokit.repos.getContent({ ...repo, path: NEW_FILE }))).toBe(404);
    const head = sample.pulls[0]!.head;
    const atHead = await octokit.repos.getContent({ ...repo, path: NEW_FILE, ref: head.ref });
    if (Array.isArray(atHead.data) || atHead.data.type !== 'file') throw new Error('expected a file');
    expect(Buffer.from(atHead.data.content, 'base64').toString('utf8')).toBe(head.files.get(NEW_FILE));
    const raw = await octokit.repos.getContent({ ...repo, path: '.github/pattern-gardener.yml', mediaType: { format: 'raw' } });
    expect(raw.data).toBe(sample.repo.files.get('.github/pattern-gardener.yml'));
    const dir = await octokit.repos.getContent({ ...repo, path: 'patterns' });
    expect(Array.isArray(dir.data) && dir.data.length).toBe(10);
  });

  it("reads the config the way Probot's config plugin does", async () => {
    const { ProbotOctokit } = await import('probot');
    const probotOctokit = new ProbotOctokit({ auth: { token: 'x' }, baseUrl: standin.url, log: quiet });
    const { config, files } = await probotOctokit.config.get({ ...repo, path: '.github/pattern-gardener.yml' });
    expect(config).toMatchObject({ staleAfterDays: 90, review: { maxComments: 20 } });
    expect(files[0]!.config).not.toBeNull();
    const missing = await probotOctokit.config.get({ ...repo, path: '.github/absent.yml' });
    expect(missing.config).toEqual({});
  });

  it('serves a GitHub-shaped tarball that readTarball reads back', async () => {
    const pull = standin.model.pulls.get(1)!;
    const res = await octokit.repos.downloadTarballArchive({ ...repo, ref: pull.head.sha });
    const gz = new Uint8Array(res.data as ArrayBuffer);
    const r = readTarball(gz);
    expect(r.error).toBeUndefined();
    expect(r.topDir).toBe(`${OWNER}-${REPO}-${pull.head.sha.slice(0, 7)}`);
    expect(r.comment).toBe(pull.head.sha);
    const dec = new TextDecoder();
    expect(new Map([...r.files].map(([p, b]) => [p, dec.decode(b)]))).toEqual(sample.pulls[0]!.head.files);
    // GitHub answers with a redirect to codeload; the stand-in does the same on its own origin.
    expect(standin.state.requests.some((q) => q.status === 302 && q.path.includes('/tarball/'))).toBe(true);
    const main = readTarball(new Uint8Array((await octokit.repos.downloadTarballArchive({ ...repo, ref: 'main' })).data as ArrayBuffer));
    expect(main.files.has(NEW_FILE)).toBe(false);
    expect(main.files.size).toBe(sample.repo.files.size);
  });

  it('serves recursive trees, blobs and file history', async () => {
    const pull = standin.model.pulls.get(1)!;
    const tree = await octokit.git.getTree({ ...repo, tree_sha: pull.head.sha, recursive: '1' });
    const blobs = tree.data.tree.filter((e) => e.type === 'blob');
    expect(blobs.map((e) => e.path).sort()).toEqual([...pull.head.files.keys()].sort());
    expect(tree.data.tree.some((e) => e.type === 'tree' && e.path === 'patterns')).toBe(true);
    const entry = blobs.find((e) => e.path === NEW_FILE)!;
    const blob = await octokit.git.getBlob({ ...repo, file_sha: entry.sha! });
    expect(Buffer.from(blob.data.content, 'base64').toString('utf8')).toBe(pull.head.files.get(NEW_FILE));
    // git blob ids are real: sha1("blob <len>\0<content>")
    const { createHash } = await import('node:crypto');
    const body = Buffer.from(pull.head.files.get(NEW_FILE)!);
    expect(entry.sha).toBe(
      createHash('sha1')
        .update(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body]))
        .digest('hex'),
    );
    const top = await octokit.git.getTree({ ...repo, tree_sha: 'main' });
    expect(top.data.tree.map((e) => e.path)).toEqual(['.github', 'patterns']);

    const edited = await octokit.repos.listCommits({ ...repo, sha: pull.head.sha, path: EDITED_FILE });
    expect(edited.data.map((c) => c.sha)).toEqual([pull.head.sha, pull.base.sha]);
    expect(edited.data[0]!.commit.committer!.date).toBe('2026-11-20T10:00:00Z');
    const untouched = await octokit.repos.listCommits({ ...repo, sha: pull.head.sha, path: 'patterns/tool-library.md' });
    expect(untouched.data.map((c) => c.sha)).toEqual([pull.base.sha]);
  });
});

describe('stand-in server: pull requests', () => {
  it('describes the PR with head/base SHAs consistent with the payload builder', async () => {
    const { data } = await octokit.pulls.get({ ...repo, pull_number: 1 });
    expect(data.head.ref).toBe('add-seed-swap-festival');
    expect(data.base.ref).toBe('main');
    expect(data.head.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(data.user!.login).toBe('fern-okafor');
    expect(data.changed_files).toBe(2);
    const payload = standin.pullRequestPayload(1) as { pull_request: { head: { sha: string } } };
    expect(payload.pull_request.head.sha).toBe(data.head.sha);
    expect(await statusOf(octokit.pulls.get({ ...repo, pull_number: 99 }))).toBe(404);
  });

  it('lists PR files with patches, statuses and Link pagination', async () => {
    const first = await octokit.pulls.listFiles({ ...repo, pull_number: 1, per_page: 1 });
    expect(first.data).toHaveLength(1);
    expect(first.headers.link).toMatch(/rel="next"/);
    const all = await octokit.paginate(octokit.pulls.listFiles, { ...repo, pull_number: 1, per_page: 1 });
    expect(all.map((f) => [f.filename, f.status])).toEqual([
      [EDITED_FILE, 'modified'],
      [NEW_FILE, 'added'],
    ]);
    const added = all.find((f) => f.filename === NEW_FILE)!;
    const lines = sample.pulls[0]!.head.files.get(NEW_FILE)!.split('\n').length - 1;
    expect(added.patch!.split('\n')[0]).toBe(`@@ -0,0 +1,${lines} @@`);
    expect(added.additions).toBe(lines);
    const edited = all.find((f) => f.filename === EDITED_FILE)!;
    expect(edited.patch).toContain('-  complementary: []\n+  complementary:\n+    - slug: seed-swap-festival\n+      weight: 0.8');
    expect(edited.patch!.startsWith('@@ -63,7 +63,9 @@')).toBe(true);
    expect([edited.additions, edited.deletions]).toEqual([3, 1]);
  });

  it('creates and updates a check run, keeping annotations, and validates like GitHub', async () => {
    const head_sha = standin.model.pulls.get(1)!.head.sha;
    const created = await octokit.checks.create({ ...repo, name: 'Pattern Gardener', head_sha, status: 'in_progress' });
    expect(created.status).toBe(201);
    expect(created.data.pull_requests.map((p) => p.number)).toEqual([1]);
    const annotation = { path: NEW_FILE, start_line: 65, end_line: 65, annotation_level: 'failure' as const, message: 'dangling' };
    await octokit.checks.update({
      ...repo,
      check_run_id: created.data.id,
      conclusion: 'failure',
      output: { title: '3 problems', summary: 'summary', annotations: [annotation] },
    });
    await octokit.checks.update({
      ...repo,
      check_run_id: created.data.id,
      output: { title: '3 problems', summary: 'summary', annotations: [{ ...annotation, start_line: 75, end_line: 75 }] },
    });
    const run = standin.state.checkRuns.find((r) => r.id === created.data.id)!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', updates: 2, output: { title: '3 problems', annotations_count: 2 } });
    expect(run.annotations.map((a) => a.start_line)).toEqual([65, 75]);
    const listed = await octokit.checks.listForRef({ ...repo, ref: head_sha });
    expect(listed.data.total_count).toBe(1);
    expect(listed.data.check_runs[0]!.conclusion).toBe('failure');
    const annotations = await octokit.checks.listAnnotations({ ...repo, check_run_id: created.data.id });
    expect(annotations.data).toHaveLength(2);

    const tooMany = Array.from({ length: 51 }, () => annotation);
    expect(await statusOf(octokit.checks.update({ ...repo, check_run_id: created.data.id, output: { title: 't', summary: 's', annotations: tooMany } }))).toBe(
      422,
    );
    expect(await statusOf(octokit.checks.update({ ...repo, check_run_id: created.data.id, output: { title: 't', summary: 'x'.repeat(65536) } }))).toBe(422);
    // Both are over limits GitHub's description states: the conformance check sees them too.
    expect(await takeViolations()).toEqual([
      'stand-in PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: body/output/annotations must NOT have more than 50 items',
      'stand-in PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: body/output/summary must NOT have more than 65535 characters',
    ]);
    expect(await statusOf(octokit.checks.create({ ...repo, name: 'x', head_sha, status: 'completed' }))).toBe(422);
  });

  it('creates a review with inline comments and rejects lines outside the diff', async () => {
    const pull = standin.model.pulls.get(1)!;
    const review = await octokit.pulls.createReview({
      ...repo,
      pull_number: 1,
      commit_id: pull.head.sha,
      event: 'COMMENT',
      body: 'Pattern Gardener found 3 problems',
      comments: [
        { path: NEW_FILE, line: 65, side: 'RIGHT', body: 'Did you mean `neighbourhood-seed-bank`?' },
        { path: EDITED_FILE, start_line: 66, line: 68, body: 'multi-line' },
      ],
    });
    expect(review.data.state).toBe('COMMENTED');
    const stored = standin.state.reviews.find((r) => r.id === review.data.id)!;
    expect(stored.comment_ids).toHaveLength(2);
    const comments = await octokit.pulls.listReviewComments({ ...repo, pull_number: 1 });
    expect(comments.data.map((c) => [c.path, c.line, c.start_line ?? null])).toEqual([
      [NEW_FILE, 65, null],
      [EDITED_FILE, 68, 66],
    ]);
    expect(comments.data[0]!.position).toBe(65);

    // line 10 of the edited file is unchanged and far from the hunk
    const outside = octokit.pulls.createReview({
      ...repo,
      pull_number: 1,
      event: 'COMMENT',
      body: 'x',
      comments: [{ path: EDITED_FILE, line: 10, body: 'no' }],
    });
    expect(await statusOf(outside)).toBe(422);
    const otherFile = octokit.pulls.createReview({
      ...repo,
      pull_number: 1,
      event: 'COMMENT',
      body: 'x',
      comments: [{ path: 'patterns/tool-library.md', line: 1, body: 'no' }],
    });
    expect(await statusOf(otherFile)).toBe(422);
    expect(standin.state.reviews).toHaveLength(1);

    const id = comments.data[0]!.id;
    await octokit.pulls.updateReviewComment({ ...repo, comment_id: id, body: 'edited' });
    expect(standin.state.reviewComments.find((c) => c.id === id)!.body).toBe('edited');

    // GraphQL: threads and resolving
    const q = `query($owner: String!, $name: String!, $number: Int!) {
      repository(owner: $owner, name: $name) { pullRequest(number: $number) {
        reviewThreads(first: 100) { nodes { id isResolved path line comments(first: 10) { nodes { databaseId body author { login } } } } } } } }`;
    const threads = await octokit.graphql<{
      repository: {
        pullRequest: { reviewThreads: { nodes: { id: string; isResolved: boolean; path: string; comments: { nodes: { databaseId: number }[] } }[] } };
      };
    }>(q, { owner: OWNER, name: REPO, number: 1 });
    const nodes = threads.repository.pullRequest.reviewThreads.nodes;
    expect(nodes).toHaveLength(2);
    expect(nodes[0]!.comments.nodes[0]!.databaseId).toBe(id);
    const m = await octokit.graphql<{ resolveReviewThread: { thread: { id: string; isResolved: boolean } } }>(
      'mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }',
      { threadId: nodes[0]!.id },
    );
    expect(m.resolveReviewThread.thread.isResolved).toBe(true);
    expect(standin.state.reviewThreads.find((t) => t.id === nodes[0]!.id)!.isResolved).toBe(true);
    await expect(octokit.graphql('query { viewer { login } }')).rejects.toThrow(/only supports/);
    expect(standin.state.requests.at(-1)).toMatchObject({ path: '/graphql', route: null });

    // A human replies in the second thread (x-standin-user), then the app's query shape and aliased mutations.
    const human = new Octokit({ baseUrl: standin.url, auth: 'y', log: quiet });
    human.hook.before('request', (options) => {
      options.headers['x-standin-user'] = 'fern-okafor';
    });
    await human.pulls.createReplyForReviewComment({ ...repo, pull_number: 1, comment_id: comments.data[1]!.id, body: 'On purpose.' });
    const state = await octokit.graphql<{
      repository: {
        pullRequest: {
          headRefOid: string;
          reviews: { nodes: { body: string; author: { __typename: string }; commit: { oid: string } }[] };
          reviewThreads: {
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
            nodes: { id: string; isResolved: boolean; comments: { nodes: { body: string; author: { __typename: string; login: string } }[] } }[];
          };
        };
      };
    }>(
      `query($owner: String!, $repo: String!, $number: Int!, $cursor: String) { repository(owner: $owner, name: $repo) { pullRequest(number: $number) {
        headRefOid reviews(last: 50) { nodes { body author { __typename login } commit { oid } } }
        reviewThreads(first: 1, after: $cursor) { pageInfo { hasNextPage endCursor } nodes { id isResolved comments(first: 20) { nodes { body author { __typename login } } } } } } } }`,
      { owner: OWNER, repo: REPO, number: 1, cursor: 'cursor:1' },
    );
    const pr = state.repository.pullRequest;
    expect(pr.headRefOid).toBe(pull.head.sha);
    // Only what the query selects, as GitHub answers (no id, databaseId or state here).
    expect(pr.reviews.nodes).toEqual([
      { body: 'Pattern Gardener found 3 problems', author: { __typename: 'Bot', login: 'pattern-gardener[bot]' }, commit: { oid: pull.head.sha } },
    ]);
    expect(pr.reviewThreads.pageInfo).toEqual({ hasNextPage: false, endCursor: 'cursor:2' });
    expect(pr.reviewThreads.nodes).toHaveLength(1);
    expect(pr.reviewThreads.nodes[0]!.comments.nodes.map((c) => [c.author.__typename, c.author.login])).toEqual([
      ['Bot', 'pattern-gardener[bot]'],
      ['User', 'fern-okafor'],
    ]);
    const aliased = await octokit.graphql<Record<string, { thread: { isResolved: boolean } } | null>>(
      'mutation($t0: ID!, $t1: ID!) {\n  r0: resolveReviewThread(input: { threadId: $t0 }) { thread { id isResolved } }\n  r1: resolveReviewThread(input: { threadId: $t1 }) { thread { id isResolved } }\n}',
      { t0: nodes[0]!.id, t1: nodes[1]!.id },
    );
    expect([aliased.r0!.thread.isResolved, aliased.r1!.thread.isResolved]).toEqual([true, true]);
    expect(standin.state.reviewThreads.every((t) => t.isResolved)).toBe(true);

    await octokit.pulls.deleteReviewComment({ ...repo, comment_id: comments.data[1]!.id });
    expect(standin.state.reviewComments.map((c) => c.body)).toEqual(['edited', 'On purpose.']);
    expect(standin.state.deleted).toContainEqual({ kind: 'review_comment', id: comments.data[1]!.id });
  });
});

describe('stand-in server: issues, labels, comments, reactions, search', () => {
  it('creates and updates issues and labels', async () => {
    await octokit.issues.createLabel({ ...repo, name: 'replant', color: '2e7d32', description: 'Needs replanting' });
    expect(await statusOf(octokit.issues.createLabel({ ...repo, name: 'replant', color: '2e7d32' }))).toBe(422);
    const issue = await octokit.issues.create({ ...repo, title: 'Replant: tool-library', body: 'Signals: stale', labels: ['replant', 'garden'] });
    expect(issue.data.number).toBe(2); // after PR #1, shared numbering
    expect(issue.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['replant', 'garden']);
    await octokit.issues.update({ ...repo, issue_number: 2, state: 'closed', body: 'done' });
    expect(standin.state.issues[0]).toMatchObject({ state: 'closed', body: 'done', state_reason: 'completed' });
    const labels = await octokit.issues.listLabelsForRepo(repo);
    expect(labels.data.map((l) => l.name).sort()).toEqual(['garden', 'replant']);

    const onPr = await octokit.issues.addLabels({ ...repo, issue_number: 1, labels: ['needs-links'] });
    expect(onPr.data.map((l) => l.name)).toEqual(['needs-links']);
    expect(standin.state.pulls[0]!.labels.map((l) => l.name)).toEqual(['needs-links']);
    const pr = await octokit.pulls.get({ ...repo, pull_number: 1 });
    expect(pr.data.labels.map((l) => l.name)).toEqual(['needs-links']);

    const open = await octokit.issues.listForRepo({ ...repo, state: 'all', labels: 'replant' });
    expect(open.data.map((i) => i.number)).toEqual([2]);
    const search = await octokit.search.issuesAndPullRequests({ q: `repo:${OWNER}/${REPO} is:issue label:replant "tool-library" in:title` });
    expect(search.data.total_count).toBe(1);
    const none = await octokit.search.issuesAndPullRequests({ q: `repo:${OWNER}/${REPO} is:issue is:open label:replant` });
    expect(none.data.total_count).toBe(0);
  });

  it('creates, edits and lists issue comments and their reactions', async () => {
    const c = await octokit.issues.createComment({ ...repo, issue_number: 1, body: '<!-- pattern-gardener:summary -->\nSummary' });
    expect(c.status).toBe(201);
    await octokit.issues.updateComment({ ...repo, comment_id: c.data.id, body: 'Summary v2' });
    const list = await octokit.issues.listComments({ ...repo, issue_number: 1 });
    expect(list.data.map((x) => x.body)).toEqual(['Summary v2']);
    expect(standin.state.issueComments[0]).toMatchObject({ issue_number: 1, body: 'Summary v2' });
    // a user reacts (tests seed reactions by pushing into state or through the API)
    await octokit.reactions.createForIssueComment({ ...repo, comment_id: c.data.id, content: '+1' });
    const reactions = await octokit.reactions.listForIssueComment({ ...repo, comment_id: c.data.id });
    expect(reactions.data.map((r) => r.content)).toEqual(['+1']);
    expect(await statusOf(octokit.issues.createComment({ ...repo, issue_number: 1, body: 'x'.repeat(65537) }))).toBe(422);
    expect(await statusOf(octokit.issues.createComment({ ...repo, issue_number: 404, body: 'x' }))).toBe(404);
  });
});

describe('stand-in server: garden and slash-command helpers', () => {
  it('answers permissions, installation listings, pinIssue and builds issue_comment payloads', async () => {
    const admin = await octokit.repos.getCollaboratorPermissionLevel({ ...repo, username: 'maintainer' });
    expect(admin.data).toMatchObject({ permission: 'admin', role_name: 'admin' });
    const reader = await octokit.repos.getCollaboratorPermissionLevel({ ...repo, username: 'fern-okafor' });
    expect(reader.data.permission).toBe('read');
    const installs = await octokit.request('GET /app/installations');
    expect(installs.data.map((i: { id: number }) => i.id)).toEqual([1]);
    const repos = await octokit.request('GET /installation/repositories');
    expect(repos.data.repositories.map((r: { full_name: string }) => r.full_name)).toEqual([`${OWNER}/${REPO}`]);

    const issue = await octokit.issues.create({ ...repo, title: 'Replant: repair-cafe', labels: ['replant'] });
    const pinned = await octokit.graphql<{ pinIssue: { issue: { number: number } } }>(
      'mutation($id: ID!) { pinIssue(input: {issueId: $id}) { issue { number } } }',
      { id: issue.data.node_id },
    );
    expect(pinned.pinIssue.issue.number).toBe(issue.data.number);
    expect(standin.state.pinnedIssues).toEqual([issue.data.number]);

    const payload = standin.issueCommentPayload(issue.data.number, '/gardener snooze 30') as {
      action: string;
      issue: { number: number; labels: { name: string }[] };
      comment: { id: number; body: string; user: { login: string; type: string } };
      installation: { id: number };
    };
    expect(payload.action).toBe('created');
    expect(payload.issue.labels.map((l) => l.name)).toEqual(['replant']);
    expect(payload.comment.user).toMatchObject({ login: 'maintainer', type: 'User' });
    expect(standin.state.issueComments.find((c) => c.id === payload.comment.id)!.body).toBe('/gardener snooze 30');
  });
});

describe('stand-in server: shutdown', () => {
  it('closes promptly even with a keep-alive connection open, leaving no handles', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    const s = await startStandin({ repo: sample.repo, pulls: sample.pulls });
    expect(process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length).toBe(before + 1);
    const agent = new Agent({ keepAlive: true });
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${s.url}/repos/${OWNER}/${REPO}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    // The idle keep-alive connection is ended by close() itself, not left to the server's keep-alive timeout.
    const idle = Object.values(agent.freeSockets).flat()[0]!;
    expect(idle.destroyed).toBe(false);
    const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    await s.close();
    await s.close(); // idempotent
    await idleClosed;
    agent.destroy();
    // The listening handle is released on a following turn of the event loop.
    const servers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    for (let i = 0; i < 50 && servers() !== before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(servers()).toBe(before);
    await expect(fetch(`${s.url}/repos/${OWNER}/${REPO}`)).rejects.toThrow();
  });
});
