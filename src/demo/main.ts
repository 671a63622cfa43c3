#!/usr/bin/env node
/**
 * `npm run demo`: the whole app, offline, in a few seconds. Starts the loopback GitHub stand-in with the
 * sample repository and the real Probot server, delivers a signed `pull_request.opened` webhook for PR #1
 * over HTTP, waits for the check run and the review, and prints what the app posted as Markdown on stdout
 * (progress goes to stderr). Exit 0 on success; non-zero with a message on failure or timeout.
 *
 *   node dist/demo/main.js [--today YYYY-MM-DD] [--timeout MS] [--pr N]
 *   LOG_LEVEL=info node dist/demo/main.js   # also show the server's JSON logs on stderr
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { requireDate } from '../core/dates.js';
import { createLogger } from '../server/logger.js';
import type { LogLevel } from '../server/config.js';
import { completedRuns, DEMO_TODAY, generatePrivateKey, startDemoEnvironment, waitFor, type DemoEnvironment } from './harness.js';
import { renderPosts } from './render.js';

const say = (msg: string) => void process.stderr.write(`demo: ${msg}\n`);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { today: { type: 'string' }, timeout: { type: 'string' }, pr: { type: 'string' } },
    strict: true,
  });
  const today = values.today ? requireDate(values.today, '--today') : DEMO_TODAY;
  const timeoutMs = Number(values.timeout ?? 30_000);
  const number = Number(values.pr ?? 1);
  // Quiet by default (the forged delivery below would log an expected signature error); LOG_LEVEL=info shows the server's logs.
  const level = (process.env.LOG_LEVEL ?? 'fatal') as LogLevel;
  const privateKey = generatePrivateKey();
  const secret = randomBytes(24).toString('hex');
  const log = createLogger({ level, secrets: [privateKey, secret], write: (l) => void process.stderr.write(l) });

  let env: DemoEnvironment | undefined;
  try {
    env = await startDemoEnvironment({ today, log, privateKey, secret });
    const { standin, server } = env;
    say(`GitHub stand-in on ${standin.url} serving ${standin.model.fullName} (${standin.model.pulls.size} pull request(s))`);
    say(
      `Probot server on ${server.url}, webhooks at ${server.webhookUrl}; today pinned to ${today.year}-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`,
    );
    const head = standin.model.pulls.get(number)?.head.sha;
    if (!head) throw new Error(`the sample repository has no pull request #${number}`);

    const checks: string[] = [];
    const r = await env.deliverPullRequest(number);
    say(`delivered signed pull_request.opened for #${number} (delivery ${r.id}): HTTP ${r.status}`);
    if (r.status !== 200 && r.status !== 202) throw new Error(`the server answered the delivery with HTTP ${r.status}: ${r.body.trim()}`);
    const state = standin.state;
    await waitFor(
      () => completedRuns(standin, head) >= 1 && state.reviews.some((x) => x.pull_number === number),
      timeoutMs,
      'the completed check run and the review',
    );
    const requests = [...state.requests];
    const outcome = env.outcomes.at(-1);
    if (outcome) say(`app outcome: ${JSON.stringify({ ...outcome, snapshot: undefined, timings: undefined })}`);

    // A forged delivery (wrong secret): must be rejected before any API call.
    const before = state.requests.length;
    const forged = await env.deliverPullRequest(number, { secret: 'not-the-secret' });
    const forgedCalls = state.requests.length - before;
    checks.push(`a forged delivery (signed with the wrong secret) was answered HTTP ${forged.status}; API calls it caused: ${forgedCalls}`);
    if (forged.status < 400 || forged.status >= 500 || forgedCalls !== 0) throw new Error(`forged delivery: HTTP ${forged.status}, ${forgedCalls} API call(s)`);

    // The same delivery again: the SHA already has its finished run, so no second run, review or comment.
    const reviews = state.reviews.length;
    const comments = state.reviewComments.length;
    const runsBefore = state.checkRuns.filter((r) => r.head_sha === head).length;
    const outcomesBefore = env.outcomes.length;
    const again = await env.deliverPullRequest(number);
    await waitFor(() => env!.outcomes.length > outcomesBefore, timeoutMs, 'the re-delivery to finish');
    checks.push(
      `re-delivering the same event (HTTP ${again.status}) was answered "${env.outcomes.at(-1)?.status}" and added ${state.checkRuns.filter((r) => r.head_sha === head).length - runsBefore} check run(s), ${state.reviews.length - reviews} review(s) and ${state.reviewComments.length - comments} inline comment(s)`,
    );
    const unknown = state.requests.filter((q) => q.route === null);
    if (unknown.length > 0) checks.push(`requests the stand-in did not recognise: ${unknown.map((q) => `${q.method} ${q.path}`).join(', ')}`);

    const md = renderPosts({ standin, number, checks, requests });
    process.stdout.write(md.endsWith('\n') ? md : `${md}\n`);
    if (!/```suggestion/.test(md)) throw new Error('the review contains no ```suggestion block');
    return 0;
  } catch (e) {
    say(`FAILED: ${(e as Error).message}`);
    if (env) {
      const s = env.standin.state;
      say(`stand-in saw ${s.requests.length} request(s): ${s.requests.map((q) => `${q.method} ${q.path} ${q.status}`).join('; ') || 'none'}`);
      const bad = env.deliveries.filter((d) => d.outcome !== 'ok');
      for (const d of bad) say(`delivery ${d.delivery} ${d.event}: ${d.outcome} ${d.status} ${d.error ?? ''}`);
    }
    return 1;
  } finally {
    await env?.close().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    say(`FAILED: ${(e as Error).message}`);
    process.exit(1);
  },
);
