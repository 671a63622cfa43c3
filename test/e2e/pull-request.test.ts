/**
 * End to end over HTTP: the GitHub stand-in (src/standin) with the sample repository, and the real Probot
 * server (src/server/http.ts — the code `npm start` runs) with the app from src/github/app.ts. Deliveries
 * are signed webhooks sent over loopback; every API call the app makes lands in the stand-in's request log.
 * "Today" is pinned to 2026-11-21 (fixtures/sample-repo/README.md).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { completedRuns, startDemoEnvironment, waitFor, type DemoEnvironment } from '../../src/demo/harness.js';
import { renderPosts } from '../../src/demo/render.js';
import { createLogger } from '../../src/server/logger.js';
import { signPayload } from '../../src/standin/index.js';

const NEW_FILE = 'patterns/seed-swap-festival.md';
let env: DemoEnvironment;
let head: string;
const logLines: string[] = [];

beforeAll(async () => {
  clearSnapshotCache();
  env = await startDemoEnvironment({ today: { year: 2026, month: 11, day: 21 }, log: createLogger({ level: 'info', write: (l) => void logLines.push(l) }) });
  head = env.standin.model.pulls.get(1)!.head.sha;
});
afterAll(async () => {
  await env?.close();
});

/** POST with exactly the given headers (deliverWebhook always adds a signature). */
function rawPost(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const headLine = (n: number): string => env.standin.model.pulls.get(1)!.head.files.get(NEW_FILE)!.split('\n')[n - 1]!;

describe('pull_request.opened for PR #1, end to end over HTTP', () => {
  it('answers /healthz with 200 JSON', async () => {
    const res = await fetch(`${env.server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('accepts a signed delivery and posts a completed check run and one review with a suggestion', async () => {
    const r = await env.deliverPullRequest(1);
    expect(r.status, r.body).toBe(200);
    await waitFor(() => completedRuns(env.standin, head) === 1, 20_000, 'the check run');
    const s = env.standin.state;
    expect(
      s.requests.filter((q) => q.route === null),
      'requests the stand-in does not know',
    ).toEqual([]);
    expect(
      s.requests.every((q) => q.status < 400),
      JSON.stringify(s.requests),
    ).toBe(true);

    // Check run: completed, failing (two errors), one annotation per planted problem.
    const run = s.checkRuns.find((c) => c.head_sha === head)!;
    expect(run).toMatchObject({ name: 'Pattern Gardener', status: 'completed', conclusion: 'failure' });
    const annotations = run.annotations.map((a) => [a.path, a.start_line, a.annotation_level, a.title]);
    expect(annotations).toEqual(
      expect.arrayContaining([
        [NEW_FILE, 65, 'failure', 'links/unknown-target'],
        [NEW_FILE, 75, 'warning', 'garden/last-pruned-stale'],
        [NEW_FILE, 148, 'failure', 'body/sections'],
      ]),
    );
    // Besides the planted problems, the link gardener may propose inferred-link changes (a notice whose
    // content depends on the link engine's scores; test/links-pr covers it).
    const isProposal = (title: string | undefined) => title === 'links/inferred-proposal';
    const proposals = run.annotations.filter((a) => isProposal(a.title));
    expect(proposals.every((a) => a.annotation_level === 'notice' && a.path === NEW_FILE)).toBe(true);
    expect(proposals.length).toBeLessThanOrEqual(1);
    expect(run.annotations.filter((a) => !isProposal(a.title))).toHaveLength(3);
    expect(run.output.summary).toMatch(new RegExp(`${3 + proposals.length} findings?`));

    // One review, three inline comments on the new file; line 65 carries the one-click fix.
    const reviews = s.reviews.filter((x) => x.pull_number === 1);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ state: 'COMMENTED', commit_id: head });
    const comments = s.reviewComments.filter((c) => c.pull_request_review_id === reviews[0]!.id);
    expect(
      comments
        .filter((c) => !c.body.includes('links/inferred-proposal'))
        .map((c) => [c.path, c.line, c.side])
        .sort(),
    ).toEqual([
      [NEW_FILE, 148, 'RIGHT'],
      [NEW_FILE, 65, 'RIGHT'],
      [NEW_FILE, 75, 'RIGHT'],
    ]);
    const link = comments.find((c) => c.line === 65)!;
    expect(link.start_line ?? 65).toBe(65);
    expect(headLine(65)).toContain('neighborhood-seed-bank');
    const m = /```suggestion\n([\s\S]*?)\n```/.exec(link.body);
    expect(m, link.body).not.toBeNull();
    // The suggestion is line 65 with the slug corrected, and nothing else changed.
    expect(m![1]).toBe(headLine(65).replace('neighborhood-seed-bank', 'neighbourhood-seed-bank'));
    expect(link.body).toContain('Did you mean `neighbourhood-seed-bank`?');
    expect(s.issues).toEqual([]);

    // The demo's rendering of the same state shows the suggestion block.
    expect(renderPosts({ standin: env.standin, number: 1 })).toContain('```suggestion\n    - slug: neighbourhood-seed-bank\n```');

    // The server logged the delivery with its id, event, repo, PR and timing.
    const d = env.deliveries.find((x) => x.delivery === r.id)!;
    expect(d).toMatchObject({ event: 'pull_request', action: 'opened', repo: 'garden-commons/sample-patterns', pr: 1, outcome: 'ok', status: 200 });
    expect(d.ms).toBeGreaterThanOrEqual(0);
    const line = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.delivery === r.id)!;
    expect(line).toMatchObject({
      level: 'info',
      name: 'delivery',
      event: 'pull_request',
      action: 'opened',
      repo: 'garden-commons/sample-patterns',
      pr: 1,
      status: 200,
    });
    expect(typeof line.ms).toBe('number');
  });

  it('rejects a delivery signed with the wrong secret, and one without a signature, before any API call', async () => {
    const before = env.standin.state.requests.length;
    const writes = { runs: env.standin.state.checkRuns.length, reviews: env.standin.state.reviews.length };

    const forged = await env.deliverPullRequest(1, { secret: 'an-attacker-guess' });
    expect(forged.status).toBe(400);
    expect(forged.body).toMatch(/signature does not match/);

    const tampered = await env.deliverPullRequest(1, { headers: { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } });
    expect(tampered.status).toBe(400);

    const body = JSON.stringify(env.standin.pullRequestPayload(1));
    const unsigned = await rawPost(env.server.webhookUrl, body, { 'x-github-event': 'pull_request', 'x-github-delivery': 'unsigned-1' });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body).toMatch(/x-hub-signature-256/);

    // Signed correctly, but for a different body than the one sent.
    const swapped = await rawPost(env.server.webhookUrl, body.replace('"opened"', '"reopened"'), {
      'x-github-event': 'pull_request',
      'x-github-delivery': 'swapped-1',
      'x-hub-signature-256': signPayload(env.secret, body),
    });
    expect(swapped.status).toBe(400);

    await new Promise((r) => setTimeout(r, 200)); // anything asynchronous would have called by now
    expect(env.standin.state.requests.slice(before)).toEqual([]);
    expect(env.standin.state.checkRuns.length).toBe(writes.runs);
    expect(env.standin.state.reviews.length).toBe(writes.reviews);
    const rejected = env.deliveries.filter((x) => x.outcome === 'rejected');
    expect(rejected.map((x) => x.status)).toEqual([400, 400, 400]); // the unsigned one never reaches verification
  });

  it('a second identical delivery adds no review, no comments and no second check run', async () => {
    const s = env.standin.state;
    const reviews = s.reviews.length;
    const comments = s.reviewComments.length;
    const runs = s.checkRuns.filter((c) => c.head_sha === head).length;
    const outcomes = env.outcomes.length;
    const first = env.deliveries.find((x) => x.outcome === 'ok')!;
    // GitHub's "Redeliver" sends the same delivery id and payload.
    const again = await env.deliverPullRequest(1, { id: first.delivery });
    expect(again.status, again.body).toBe(200);
    await waitFor(() => env.outcomes.length === outcomes + 1, 20_000, 'the redelivery handled');
    expect(env.outcomes.at(-1)).toMatchObject({ status: 'already-checked' });
    expect(s.reviews.length).toBe(reviews);
    expect(s.reviewComments.length).toBe(comments);
    expect(s.checkRuns.filter((c) => c.head_sha === head)).toHaveLength(runs);
    const latest = s.checkRuns.filter((c) => c.head_sha === head).at(-1)!;
    expect(latest).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(s.requests.filter((q) => q.route === null)).toEqual([]);
  });
});
