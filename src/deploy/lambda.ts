/**
 * AWS Lambda entry (API Gateway REST/HTTP API or a Lambda function URL), through
 * @probot/adapter-aws-lambda-serverless. Handler: `dist/deploy/lambda.handler`.
 *
 * Same app function and configuration as the server (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GITHUB_API_URL or
 * GHE_HOST, LOG_LEVEL); a missing variable fails the cold start with a message naming it. Around the
 * adapter this adds: base64 bodies (function URLs), a 400 — not a crash — for deliveries with a wrong or
 * missing signature, `GET /healthz`, and the same redacting per-delivery logs as the server.
 */
import { createLambdaFunction } from '@probot/adapter-aws-lambda-serverless';
import { createProbot, type ApplicationFunction, type Probot } from 'probot';
import { GardenerOctokit } from '../server/probot.js';
import gardener from '../github/app.js';
import { readServerConfig, redisPassword } from '../server/config.js';
import { instrumentDeliveries, messageOf, statusOf } from '../server/deliveries.js';
import { createLogger } from '../server/logger.js';

export interface LambdaEvent {
  httpMethod?: string;
  path?: string;
  rawPath?: string;
  requestContext?: { http?: { method?: string; path?: string } };
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}
export interface LambdaResult {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}
type AdapterFn = (event: unknown, context: unknown) => Promise<LambdaResult>;

const JSON_HEADERS = { 'content-type': 'application/json' };
const reply = (statusCode: number, body: unknown): LambdaResult => ({ statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) });
const REQUIRED_HEADERS = ['x-github-event', 'x-github-delivery', 'x-hub-signature-256'];

/** Wraps the adapter's function; exported for tests. */
export function wrapLambda(probot: Probot, adapter: AdapterFn): (event: LambdaEvent, context?: unknown) => Promise<LambdaResult> {
  return async (event, context) => {
    const method = event.httpMethod ?? event.requestContext?.http?.method ?? 'POST';
    const path = event.path ?? event.rawPath ?? event.requestContext?.http?.path ?? '/';
    if (method === 'GET' && path.endsWith('/healthz')) return reply(200, { status: 'ok' });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.headers ?? {})) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    if (method === 'GET' && path.endsWith('/probot')) return adapter({ ...event, headers }, context);
    const missing = REQUIRED_HEADERS.filter((h) => !headers[h]);
    if (missing.length > 0) return reply(400, { error: `Required headers missing: ${missing.join(', ')}` });
    const raw = event.body ?? '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    await probot.ready();
    try {
      return await adapter({ ...event, headers, body, isBase64Encoded: false }, context);
    } catch (e) {
      const status = statusOf(e);
      // Already logged by the delivery instrumentation; GitHub shows this body on the delivery page.
      return reply(status, { error: status < 500 ? messageOf(e) : 'the delivery failed; see the function logs' });
    }
  };
}

/** Builds the handler from environment variables (what the module does at cold start). */
export async function createHandler(env: Record<string, string | undefined> = process.env, app: ApplicationFunction = gardener) {
  const config = readServerConfig(env);
  const log = createLogger({
    level: config.logLevel,
    secrets: [config.privateKey, config.insecureSecret ? undefined : config.webhookSecret, redisPassword(config.redisUrl)],
  });
  const probot = createProbot({
    env: {},
    overrides: {
      appId: config.appId,
      privateKey: config.privateKey,
      secret: config.webhookSecret,
      ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
      // Concurrent invocations share the throttling limiters through Redis; the app's claims read
      // REDIS_URL too (src/github/app.ts claimsFromEnv).
      ...(config.redisUrl ? { redisConfig: config.redisUrl } : {}),
      log,
      // The app's one request policy (src/github/resilience.ts), as on the server.
      Octokit: GardenerOctokit,
    },
  });
  const adapter = createLambdaFunction(app, { probot }) as unknown as AdapterFn;
  await probot.ready();
  instrumentDeliveries(probot, log);
  return { handler: wrapLambda(probot, adapter), probot, log };
}

const built = await createHandler();
export const handler = built.handler;
