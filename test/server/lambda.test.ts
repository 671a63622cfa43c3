/**
 * The AWS Lambda entry (src/deploy/lambda.ts) imported as Lambda would: configuration from the environment
 * at cold start, the same app function, @probot/adapter-aws-lambda-serverless forced onto Probot 14.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedRuns, waitFor } from '../../src/demo/harness.js';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { loadSampleRepo, signPayload, startStandin, type Standin } from '../../src/standin/index.js';
import type { LambdaEvent, LambdaResult } from '../../src/deploy/lambda.js';
import { testKey } from '../helpers/key.js';

const SECRET = randomBytes(16).toString('hex');
let standin: Standin;
let handler: (event: LambdaEvent, context?: unknown) => Promise<LambdaResult>;
const saved = { ...process.env };
let stdout = '';
const realWrite = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  clearSnapshotCache();
  const sample = loadSampleRepo();
  standin = await startStandin({ repo: sample.repo, pulls: sample.pulls });
  Object.assign(process.env, { APP_ID: '99', PRIVATE_KEY: testKey(), WEBHOOK_SECRET: SECRET, GITHUB_API_URL: standin.url, LOG_LEVEL: 'info' });
  // The handler logs JSON to stdout, as Lambda collects it; keep it for the assertions below.
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  ({ handler } = await import('../../src/deploy/lambda.js'));
});
afterAll(async () => {
  process.stdout.write = realWrite;
  for (const k of ['APP_ID', 'PRIVATE_KEY', 'WEBHOOK_SECRET', 'GITHUB_API_URL', 'LOG_LEVEL']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await standin?.close();
});

const apiGatewayEvent = (body: string, headers: Record<string, string>, base64 = false): LambdaEvent => ({
  httpMethod: 'POST',
  path: '/api/github/webhooks',
  headers: { 'Content-Type': 'application/json', 'User-Agent': 'GitHub-Hookshot/x', ...headers },
  body: base64 ? Buffer.from(body).toString('base64') : body,
  isBase64Encoded: base64,
});

describe('Lambda handler', () => {
  it('rejects a delivery with a bad signature with 400 and makes no API call', async () => {
    const body = JSON.stringify(standin.pullRequestPayload(1));
    const bad = await handler(
      apiGatewayEvent(body, { 'X-GitHub-Event': 'pull_request', 'X-GitHub-Delivery': 'l-1', 'X-Hub-Signature-256': signPayload('wrong', body) }),
    );
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: expect.stringMatching(/signature does not match/) });
    const unsigned = await handler(apiGatewayEvent(body, { 'X-GitHub-Event': 'pull_request', 'X-GitHub-Delivery': 'l-2' }));
    expect(unsigned.statusCode).toBe(400);
    expect(unsigned.body).toMatch(/x-hub-signature-256/);
    expect(standin.state.requests).toEqual([]);
  });

  it('answers GET /healthz', async () => {
    const r = await handler({ requestContext: { http: { method: 'GET' } }, rawPath: '/healthz', headers: {} });
    expect(r.statusCode).toBe(200);
  });

  it('runs the app on a signed delivery (function URL, base64 body): check run and review on the stand-in', async () => {
    const body = JSON.stringify(standin.pullRequestPayload(1));
    const head = standin.model.pulls.get(1)!.head.sha;
    const r = await handler({
      ...apiGatewayEvent(body, { 'x-github-event': 'pull_request', 'x-github-delivery': 'l-3', 'x-hub-signature-256': signPayload(SECRET, body) }, true),
      httpMethod: undefined,
      path: undefined,
      rawPath: '/api/github/webhooks',
      requestContext: { http: { method: 'POST' } },
    });
    expect(r.statusCode, r.body).toBe(200);
    await waitFor(() => completedRuns(standin, head) === 1, 30_000, 'the check run');
    expect(standin.state.reviews).toHaveLength(1);
    expect(standin.state.reviewComments.some((c) => c.line === 65 && c.body.includes('```suggestion'))).toBe(true);
    const line = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.delivery === 'l-3');
    expect(line).toMatchObject({ event: 'pull_request', action: 'opened', pr: 1, outcome: 'ok' });
    for (const t of standin.state.tokens) expect(stdout).not.toContain(t.token);
    expect(stdout).not.toContain('PRIVATE KEY');
  });
});
