/**
 * One structured log line per webhook delivery: delivery id, event and action, repository, pull request
 * (or issue) number, outcome and duration.
 *
 * Probot verifies and dispatches a delivery through `probot.webhooks.verifyAndReceive` (HTTP middleware and
 * the Lambda adapter) or `probot.webhooks.receive` (the GitHub Actions adapter), which resolve once every
 * handler has finished. Both are wrapped here; the parsed payload is picked up by an `onAny` listener
 * (which runs only for deliveries whose signature was verified), so nothing unverified is parsed twice.
 */
import type { Probot } from 'probot';
import type { Logger } from 'pino';

export interface DeliveryFields {
  delivery: string;
  event: string;
  action?: string;
  repo?: string;
  pr?: number;
  issue?: number;
  installation?: number;
}

export interface DeliveryRecord extends DeliveryFields {
  outcome: 'ok' | 'rejected' | 'error';
  status: number;
  ms: number;
  error?: string;
}

interface WebhooksLike {
  verifyAndReceive: (event: { id: string; name: string; payload: string; signature: string }) => Promise<void>;
  receive: (event: { id: string; name: string; payload: unknown }) => Promise<void>;
  onAny: (cb: (event: { id: string; name: string; payload: unknown }) => unknown) => void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Delivery fields read from a verified payload. */
export function fieldsOf(id: string, name: string, payload: unknown): DeliveryFields {
  const f: DeliveryFields = { delivery: id, event: name };
  if (!isRecord(payload)) return f;
  if (typeof payload.action === 'string') f.action = payload.action;
  const repo = payload.repository;
  if (isRecord(repo) && typeof repo.full_name === 'string') f.repo = repo.full_name;
  const inst = payload.installation;
  if (isRecord(inst) && typeof inst.id === 'number') f.installation = inst.id;
  const pr = payload.pull_request;
  if (isRecord(pr) && typeof pr.number === 'number') f.pr = pr.number;
  const issue = payload.issue;
  if (isRecord(issue) && typeof issue.number === 'number') {
    if (isRecord(issue.pull_request)) f.pr = issue.number;
    else f.issue = issue.number;
  }
  for (const key of ['check_run', 'check_suite'] as const) {
    const c = payload[key];
    if (f.pr === undefined && isRecord(c) && Array.isArray(c.pull_requests)) {
      const first: unknown = c.pull_requests[0];
      if (isRecord(first) && typeof first.number === 'number') f.pr = first.number;
    }
  }
  return f;
}

/** HTTP status for a rejected delivery: the 4xx an error carries (bad signature: 400), else 500. */
export function statusOf(error: unknown): number {
  const errs: unknown[] = error instanceof AggregateError ? [...error.errors] : [error];
  for (const e of errs) if (isRecord(e) && typeof e.status === 'number' && e.status >= 400 && e.status < 500) return e.status;
  return 500;
}

export function messageOf(error: unknown): string {
  const errs: unknown[] = error instanceof AggregateError ? [...error.errors] : [error];
  return errs
    .map((e) => (e instanceof Error ? e.message : String(e)))
    .join('; ')
    .slice(0, 500);
}

/**
 * Wraps `probot.webhooks` to log every delivery; call after `await probot.ready()`.
 * `onDelivery` sees each record too (tests, metrics).
 */
export function instrumentDeliveries(probot: Probot, baseLog: Logger, onDelivery?: (r: DeliveryRecord) => void): void {
  const log = baseLog.child({ name: 'delivery' });
  const webhooks = probot.webhooks as unknown as WebhooksLike | null;
  if (!webhooks) throw new Error('instrumentDeliveries: call after `await probot.ready()`');
  const seen = new Map<string, DeliveryFields>();
  webhooks.onAny((event) => {
    if (seen.size > 1000) seen.clear(); // never grows without bound, whatever happens to a delivery
    seen.set(event.id, fieldsOf(event.id, event.name, event.payload));
  });

  const finish = (id: string, name: string, started: number, error?: unknown): void => {
    const fields = seen.get(id) ?? { delivery: id, event: name };
    seen.delete(id);
    const ms = Math.round(performance.now() - started);
    if (error === undefined) {
      const rec: DeliveryRecord = { ...fields, outcome: 'ok', status: 200, ms };
      log.info(rec, `delivery ${id} ${fields.event}${fields.action ? `.${fields.action}` : ''} handled in ${ms} ms`);
      onDelivery?.(rec);
      return;
    }
    const status = statusOf(error);
    const rec: DeliveryRecord = { ...fields, outcome: status < 500 ? 'rejected' : 'error', status, ms, error: messageOf(error) };
    if (status < 500) log.warn(rec, `delivery ${id} ${name} rejected (${status})`);
    else log.error(rec, `delivery ${id} ${fields.event}${fields.action ? `.${fields.action}` : ''} failed after ${ms} ms`);
    onDelivery?.(rec);
  };

  const verifyAndReceive = webhooks.verifyAndReceive;
  webhooks.verifyAndReceive = async (event) => {
    const started = performance.now();
    try {
      await verifyAndReceive(event);
    } catch (e) {
      finish(String(event.id), String(event.name), started, e);
      throw e;
    }
    finish(String(event.id), String(event.name), started);
  };
  const receive = webhooks.receive;
  webhooks.receive = async (event) => {
    const started = performance.now();
    try {
      await receive(event);
    } catch (e) {
      finish(String(event.id), String(event.name), started, e);
      throw e;
    }
    finish(String(event.id), String(event.name), started);
  };
}
