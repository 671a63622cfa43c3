/**
 * Collects the GitHub requests a test makes (through nock-mocked api.github.com and through the
 * stand-in) and checks them against GitHub's descriptions when asked. The validators are loaded only
 * when there is something to check, so test files that never reach GitHub pay nothing.
 */
import type { Violation } from './openapi.js';

export interface Observed {
  source: 'nock' | 'stand-in';
  method: string;
  /** Path and query. */
  url: string;
  body: unknown;
  /** Made by a test acting as a person (the stand-in's `x-standin-user`), not by the app. */
  asPerson?: boolean;
  /** Stand-in only: the answer. */
  status?: number;
  responseBody?: unknown;
}

const pending: Observed[] = [];

export function record(o: Observed): void {
  pending.push(o);
}

/** Requests the conformance checks skip: the stand-in's own codeload stand-in (not the API). */
function skipped(o: Observed): boolean {
  return o.url.startsWith('/_codeload/');
}

function parseJson(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** Checks and forgets everything recorded so far; returns one line per violation (`source METHOD /template: message`). */
export async function takeViolations(): Promise<string[]> {
  const list = pending.splice(0).filter((o) => !skipped(o));
  if (list.length === 0) return [];
  const out: string[] = [];
  for (const o of list) {
    let found: Violation[];
    const path = o.url.split('?')[0]!.replace(/^\/api\/v3(?=\/)/, '');
    if (o.method.toUpperCase() === 'POST' && path === '/graphql') {
      const { validateGraphqlRequest, validateGraphqlAnswer } = await import('./graphql.js');
      const body = parseJson(o.body) as { query: string; variables?: Record<string, unknown>; operationName?: string };
      found = validateGraphqlRequest(body ?? { query: '' });
      if (found.length === 0 && o.source === 'stand-in' && o.status === 200) found = validateGraphqlAnswer(body, o.responseBody);
    } else {
      const { validateRequest, validateResponse } = await import('./openapi.js');
      found = validateRequest({ method: o.method, url: o.url, body: parseJson(o.body) }, { asApp: !o.asPerson });
      if (found.length === 0 && o.source === 'stand-in' && o.status !== undefined) {
        found = validateResponse({ method: o.method, url: o.url, status: o.status, responseBody: o.responseBody });
      }
    }
    for (const v of found) out.push(`${o.source} ${v.operation}: ${v.message}`);
  }
  return [...new Set(out)];
}

/** Throws one error listing every violation recorded since the last check. */
export async function assertConformance(when: string): Promise<void> {
  const found = await takeViolations();
  if (found.length > 0) {
    throw new Error(`GitHub conformance: ${found.length} request(s) ${when} do not match GitHub's API description:\n  ${found.join('\n  ')}`);
  }
}
