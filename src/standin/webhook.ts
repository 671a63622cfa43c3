/**
 * Webhook helpers for the stand-in: signing (`x-hub-signature-256`), delivery
 * to a Probot/webhooks endpoint, and a realistic `pull_request` payload (shape
 * of @octokit/webhooks-examples `pull_request.opened`).
 */
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { buildRepoModel, type RepoModel, type StandinPullSpec, type StandinRepoSpec } from './model.js';
import { pullJson, repoJson, userJson } from './shapes.js';

/** `sha256=<hex hmac>` of the exact body bytes, as GitHub sends in `x-hub-signature-256`. */
export function signPayload(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface DeliverWebhookOptions {
  /** Full URL of the webhook endpoint, e.g. http://127.0.0.1:3000/api/github/webhooks */
  url: string;
  secret: string;
  event: string;
  /** Delivery id (`x-github-delivery`); a random UUID when omitted. */
  id?: string;
  payload: unknown;
  /** Extra headers (e.g. to send a wrong signature in tests). */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** POST a signed webhook; resolves with the endpoint's status and body text (never rejects on HTTP errors). */
export function deliverWebhook(opts: DeliverWebhookOptions): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(opts.payload);
  const u = new URL(opts.url);
  const send = u.protocol === 'https:' ? httpsRequest : request;
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'GitHub-Hookshot/standin',
          'x-github-event': opts.event,
          'x-github-delivery': opts.id ?? crypto.randomUUID(),
          'x-github-hook-id': '1',
          'x-hub-signature-256': signPayload(opts.secret, body),
          ...(opts.headers ?? {}),
        },
        timeout: opts.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`webhook delivery to ${opts.url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

export type PullRequestAction = 'opened' | 'synchronize' | 'reopened' | 'edited' | 'ready_for_review' | 'closed' | 'labeled' | 'converted_to_draft';

export interface PullRequestPayloadOptions {
  repo: StandinRepoSpec;
  /** All PR specs given to startStandin (so SHAs match the server). */
  pulls?: readonly StandinPullSpec[];
  /** Which PR: its number (looked up in `pulls`) or a spec. */
  number?: number;
  pull?: StandinPullSpec;
  action?: PullRequestAction;
  installationId?: number;
  /** API base for the URLs inside the payload (default https://api.github.com). */
  apiBase?: string;
  /** Sender login (default: the PR author). */
  sender?: string;
  /** A prebuilt model (the server passes its own). */
  model?: RepoModel;
}

/** A `pull_request` event payload consistent with the stand-in's SHAs. */
export function pullRequestPayload(opts: PullRequestPayloadOptions): Record<string, unknown> {
  const pulls = opts.pulls ?? (opts.pull ? [opts.pull] : []);
  const number = opts.number ?? opts.pull?.number;
  if (number === undefined) throw new Error('pullRequestPayload: give `number` or `pull`');
  const all = pulls.some((p) => p.number === number) ? pulls : [...pulls, ...(opts.pull ? [opts.pull] : [])];
  const model = opts.model ?? buildRepoModel(opts.repo, all);
  const pull = model.pulls.get(number);
  if (!pull) throw new Error(`pullRequestPayload: no pull request #${number}`);
  const apiBase = opts.apiBase ?? 'https://api.github.com';
  const action = opts.action ?? 'opened';
  const pr = pullJson(model, pull, apiBase, {
    title: pull.spec.title,
    body: pull.spec.body ?? null,
    state: action === 'closed' ? 'closed' : 'open',
    labels: [],
  });
  const payload: Record<string, unknown> = {
    action,
    number,
    pull_request: pr,
    repository: repoJson(model, apiBase),
    organization: { login: model.owner, id: userJson(model.owner, apiBase).id, url: `${apiBase}/orgs/${model.owner}` },
    installation: { id: opts.installationId ?? 1, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${opts.installationId ?? 1}` },
    sender: userJson(opts.sender ?? pull.user, apiBase),
  };
  if (action === 'synchronize') {
    payload.before = pull.base.sha;
    payload.after = pull.head.sha;
  }
  return payload;
}
