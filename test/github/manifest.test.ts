/** app.yml: a manifest GitHub accepts, subscribed to exactly the events the app handles. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { expect, it } from 'vitest';
import { createApp } from '../../src/github/app.js';

/** Delivered to every app without a subscription; GitHub refuses them in `default_events`. */
const ALWAYS_DELIVERED = new Set(['installation', 'installation_repositories', 'github_app_authorization', 'meta']);

it('default_events are valid for a manifest and each has a handler; every handled event is subscribed', () => {
  const manifest = parse(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')) as { default_events: string[]; default_permissions: Record<string, string> };
  const handled = new Set<string>();
  const fake = { on: (names: string | string[]) => void (Array.isArray(names) ? names : [names]).forEach((n) => handled.add(n.split('.')[0]!)), log: { info() {}, warn() {}, error() {} } };
  createApp({ warmOnPush: true, garden: { scheduleMinutes: 0 } })(fake as never);
  const events = new Set(manifest.default_events);
  for (const e of events) {
    expect(ALWAYS_DELIVERED.has(e), `${e} may not be in default_events`).toBe(false);
    expect(handled.has(e), `${e} is subscribed but has no handler`).toBe(true);
  }
  for (const e of handled) if (!ALWAYS_DELIVERED.has(e)) expect(events.has(e), `${e} is handled but not subscribed`).toBe(true);
  expect(manifest.default_permissions).toEqual({ checks: 'write', pull_requests: 'write', issues: 'write', contents: 'read', metadata: 'read' });
});
