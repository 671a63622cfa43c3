/**
 * app.yml against the manifest rules and the code: default_events are events a GitHub App can
 * subscribe to, each has a handler in the app and each handler's event is subscribed (or always
 * delivered); default_permissions are exactly what the code's requests and subscriptions need.
 *
 * Handlers come from running the app's registration against a recording stub; requests from the
 * route literals in src/ (every `'METHOD /path'` the app passes to Octokit) and its GraphQL operations.
 * GitHub's description does not say which permission an operation needs, so that is the documented map
 * below (from "Permissions required for GitHub Apps" in GitHub's REST docs); a route missing from it
 * fails the test until someone looks it up.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { Probot } from 'probot';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/github/app.js';
import { loadSlimDescription } from './openapi.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

type Level = 'read' | 'write';
type Need = [permission: string, level: Level] | 'none';

/** The permission each REST operation the app uses needs (installation token; 'none': app JWT or always granted). */
const ROUTE_PERMISSIONS: Record<string, Need> = {
  'GET /repos/{owner}/{repo}': ['metadata', 'read'],
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission': ['metadata', 'read'],
  'GET /installation/repositories': ['metadata', 'read'],
  'GET /app/installations': 'none', // app JWT
  'GET /repos/{owner}/{repo}/tarball/{ref}': ['contents', 'read'],
  'GET /repos/{owner}/{repo}/compare/{basehead}': ['contents', 'read'],
  'GET /repos/{owner}/{repo}/contents/{path}': ['contents', 'read'],
  'GET /repos/{owner}/{repo}/commits': ['contents', 'read'],
  'PUT /repos/{owner}/{repo}/contents/{path}': ['contents', 'write'],
  'POST /repos/{owner}/{repo}/git/trees': ['contents', 'write'],
  'POST /repos/{owner}/{repo}/git/commits': ['contents', 'write'],
  'POST /repos/{owner}/{repo}/git/refs': ['contents', 'write'],
  'PATCH /repos/{owner}/{repo}/git/refs/{ref}': ['contents', 'write'],
  'POST /repos/{owner}/{repo}/pulls': ['pull_requests', 'write'],
  'PATCH /repos/{owner}/{repo}/pulls/{pull_number}': ['pull_requests', 'write'],
  'GET /repos/{owner}/{repo}/pulls': ['pull_requests', 'read'],
  'GET /repos/{owner}/{repo}/pulls/{pull_number}': ['pull_requests', 'read'],
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/files': ['pull_requests', 'read'],
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews': ['pull_requests', 'write'],
  'POST /repos/{owner}/{repo}/check-runs': ['checks', 'write'],
  'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': ['checks', 'write'],
  'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': ['checks', 'read'],
  'GET /repos/{owner}/{repo}/check-runs/{check_run_id}': ['checks', 'read'],
  'GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations': ['checks', 'read'],
  'GET /repos/{owner}/{repo}/issues': ['issues', 'read'],
  'POST /repos/{owner}/{repo}/issues': ['issues', 'write'],
  'PATCH /repos/{owner}/{repo}/issues/{issue_number}': ['issues', 'write'],
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': ['issues', 'read'],
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': ['issues', 'write'],
  'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}': ['issues', 'write'],
  'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': ['issues', 'write'],
  'GET /repos/{owner}/{repo}/labels': ['issues', 'read'],
  'POST /repos/{owner}/{repo}/labels': ['issues', 'write'],
};

/**
 * Routes of opt-in features whose permission app.yml leaves to the operator (least privilege by default):
 * `/gardener apply links` commits only where a repository sets `links.applyCommand` and the app was
 * granted contents: write; without it the command answers that it has no access. Gardening pull requests
 * (`gardening.enabled`, off by default) write their branch through the Git Data API the same way.
 */
const OPT_IN_ROUTES = new Set([
  'PUT /repos/{owner}/{repo}/contents/{path}',
  'POST /repos/{owner}/{repo}/git/trees',
  'POST /repos/{owner}/{repo}/git/commits',
  'POST /repos/{owner}/{repo}/git/refs',
  'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
]);

/** GraphQL operations found in src/, by the field they call, and what they need. */
const GRAPHQL_PERMISSIONS: Record<string, Need> = {
  reviewThreads: ['pull_requests', 'read'], // the pull-state query
  resolveReviewThread: ['pull_requests', 'write'],
  unresolveReviewThread: ['pull_requests', 'write'],
  pinIssue: ['issues', 'write'],
  pullRequests: ['pull_requests', 'read'], // the gardening state query
};

/** The permission a subscription to each event needs (GitHub only lets an app subscribe with it). */
const EVENT_PERMISSIONS: Record<string, Need> = {
  pull_request: ['pull_requests', 'read'],
  check_run: ['checks', 'read'],
  check_suite: ['checks', 'read'],
  issue_comment: ['issues', 'read'],
  issues: ['issues', 'read'],
  push: ['contents', 'read'],
  repository_dispatch: ['contents', 'read'],
  installation: 'none',
  installation_repositories: 'none',
};

/** Delivered to every app without subscribing, or never to apps: not valid in default_events. */
const NOT_SUBSCRIBABLE = new Set(['installation', 'installation_repositories', 'installation_target', 'github_app_authorization', 'ping', 'meta']);

interface Manifest {
  default_events?: string[];
  default_permissions?: Record<string, string>;
}

const manifest = yaml.load(readFileSync(join(ROOT, 'app.yml'), 'utf8')) as Manifest;

/** Webhook event names GitHub sends (one group per event in @octokit/webhooks-examples). */
function webhookEventNames(): Set<string> {
  const groups = require('@octokit/webhooks-examples/api.github.com/index.json') as { name: string }[];
  return new Set(groups.map((g) => g.name));
}

/** Event names (before any `.action`) the app registers handlers for, with garden handlers on. */
function handledEvents(): Set<string> {
  const names = new Set<string>();
  const stub = {
    on: (events: string | string[]) => {
      for (const e of Array.isArray(events) ? events : [events]) names.add(e.split('.')[0]!);
    },
    log: { info() {}, warn() {}, error() {}, debug() {} },
  };
  createApp({ warmOnPush: true })(stub as unknown as Probot);
  return names;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** What runs in the app: not the stand-in, the demo, the bench or the test fixtures that also live in src/. */
function appSources(): { file: string; text: string }[] {
  const skip = /^src\/(standin|demo|bench|fuzz|synth)\/|\/testing\//;
  return sourceFiles(join(ROOT, 'src'))
    .map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') }))
    .filter((f) => !skip.test(f.file));
}

function routesInCode(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { file, text } of appSources()) {
    for (const m of text.matchAll(/\brequest\(\s*'((?:GET|POST|PATCH|PUT|DELETE) \/[^']*)'/g)) {
      if (m[1] === 'POST /graphql') continue;
      out.set(m[1]!, [...(out.get(m[1]!) ?? []), file]);
    }
  }
  return out;
}

function graphqlFieldsInCode(): Set<string> {
  const out = new Set<string>();
  for (const { text } of appSources())
    for (const f of Object.keys(GRAPHQL_PERMISSIONS)) if (new RegExp(`\\b${f}\\s*\\(`).test(text) || new RegExp(`\\b${f}\\s*\\{`).test(text)) out.add(f);
  return out;
}

describe('app.yml against the manifest rules and the code', () => {
  const events = manifest.default_events ?? [];
  const handled = handledEvents();

  it('default_events are events an app can subscribe to', () => {
    const known = webhookEventNames();
    const wrong = events.filter((e) => !known.has(e) || NOT_SUBSCRIBABLE.has(e));
    expect(wrong, 'not valid in default_events (unknown, or delivered to every app without subscribing)').toEqual([]);
  });

  it('every subscribed event has a handler, and every handled event is subscribed or always delivered', () => {
    expect(
      events.filter((e) => !handled.has(e)),
      'subscribed without a handler',
    ).toEqual([]);
    expect(
      [...handled].filter((e) => !events.includes(e) && !NOT_SUBSCRIBABLE.has(e)),
      'handled but not subscribed',
    ).toEqual([]);
  });

  it('every REST route the code uses is in GitHub’s description and in the permission map', () => {
    const routes = routesInCode();
    expect(routes.size).toBeGreaterThan(10); // the scan finds the app's routes at all
    const paths = loadSlimDescription().paths;
    const unknown = [...routes.keys()].filter((r) => {
      const [method, path] = r.split(' ') as [string, string];
      return !paths[path]?.[method.toLowerCase()];
    });
    expect(unknown, 'routes GitHub does not describe').toEqual([]);
    const unmapped = [...routes].filter(([r]) => !(r in ROUTE_PERMISSIONS)).map(([r, files]) => `${r} (${files.join(', ')})`);
    expect(unmapped, 'routes without a permission in ROUTE_PERMISSIONS').toEqual([]);
  });

  it('default_permissions are what the code needs, nothing more', () => {
    const needs: { need: Need; why: string }[] = [
      ...[...routesInCode().keys()].filter((r) => !OPT_IN_ROUTES.has(r)).map((r) => ({ need: ROUTE_PERMISSIONS[r] ?? 'none', why: r })),
      ...[...graphqlFieldsInCode()].map((f) => ({ need: GRAPHQL_PERMISSIONS[f]!, why: `GraphQL ${f}` })),
      ...events.map((e) => ({ need: EVENT_PERMISSIONS[e] ?? 'none', why: `event ${e}` })),
    ];
    const required = new Map<string, { level: Level; why: string[] }>([['metadata', { level: 'read', why: ['every app'] }]]);
    for (const { need, why } of needs) {
      if (need === 'none') continue;
      const [perm, level] = need;
      const cur = required.get(perm);
      if (!cur) required.set(perm, { level, why: [why] });
      else {
        if (level === 'write' && cur.level === 'read') cur.level = 'write';
        cur.why.push(why);
      }
    }
    const declared = manifest.default_permissions ?? {};
    const problems: string[] = [];
    for (const [perm, { level, why }] of required) {
      const d = declared[perm];
      if (d === undefined) problems.push(`${perm}: ${level} is needed (${why.join('; ')}) but not declared`);
      else if (d === 'read' && level === 'write')
        problems.push(
          `${perm}: write is needed (${why.filter((w) => (needs.find((n) => n.why === w)?.need as [string, Level])?.[1] === 'write').join('; ')}) but only read is declared`,
        );
    }
    for (const [perm, level] of Object.entries(declared)) {
      const r = required.get(perm);
      if (!r) problems.push(`${perm}: ${level} is declared but nothing in the code needs it`);
      else if (level === 'write' && r.level === 'read') problems.push(`${perm}: write is declared but the code only reads (${r.why.join('; ')})`);
    }
    expect(problems).toEqual([]);
  });
});
