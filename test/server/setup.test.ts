/**
 * `npm start` before the app exists: without APP_ID and a private key (outside production) the server
 * serves Probot 14's setup pages, which register the app from app.yml through GitHub's manifest flow and
 * write its credentials to .env; `npm start` then reads .env. No request reaches GitHub here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDotEnv, runServer, wantsSetup } from '../../src/server/run.js';
import { deliverWebhook } from '../../src/standin/index.js';
import { testKey } from '../helpers/key.js';

/** A port nobody listens on: Probot's server treats PORT=0 as 3000. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('setup mode: Probot manifest flow', () => {
  let url = '';
  let close: () => Promise<void> = async () => {};
  const lines: string[] = [];
  const saved = process.env.NO_SMEE_SETUP;

  beforeAll(async () => {
    // Probot would otherwise ask smee.io for a webhook relay channel.
    process.env.NO_SMEE_SETUP = 'true';
    const port = await freePort();
    const r = await runServer({ env: { PORT: String(port), HOST: '127.0.0.1' }, write: (l) => void lines.push(l) });
    expect(r.ok && r.setup).toBe(true);
    if (!r.ok) return;
    url = r.running.url;
    close = () => r.running.close();
  });
  afterAll(async () => {
    await close();
    if (saved === undefined) delete process.env.NO_SMEE_SETUP;
    else process.env.NO_SMEE_SETUP = saved;
  });

  it('starts only without any credentials and outside production', () => {
    expect(wantsSetup({})).toBe(true);
    expect(wantsSetup({ NODE_ENV: 'production' })).toBe(false);
    expect(wantsSetup({ APP_ID: '1' })).toBe(false);
    expect(wantsSetup({ PRIVATE_KEY_PATH: 'app.pem' })).toBe(false);
  });

  it('sends / to the setup page, which posts app.yml as the manifest to GitHub', async () => {
    const root = await fetch(`${url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/probot');
    const page = await fetch(`${url}/probot`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('https://github.com/settings/apps/new');
    // Probot writes the manifest's JSON as is into a single-quoted attribute of the form's button.
    const raw = /name="manifest"[^>]*value='([^']*)'/.exec(html)?.[1] ?? '';
    const manifest = JSON.parse(raw) as {
      name: string;
      default_permissions: Record<string, string>;
      default_events: string[];
      redirect_url: string;
      hook_attributes: { url: string };
    };
    expect(manifest.name).toBe('Pattern Gardener');
    expect(manifest.default_permissions).toMatchObject({ checks: 'write', pull_requests: 'write', contents: 'read' });
    expect(manifest.default_events).toContain('pull_request');
    const host = new URL(url).host;
    expect(manifest.redirect_url).toBe(`http://${host}/probot/setup`);
    // Deliveries then arrive at the root URL, which the app's server takes as its webhook path.
    expect(manifest.hook_attributes.url).toBe(`http://${host}/`);
    expect(lines.join('')).toMatch(/Open http:\/\/127\.0\.0\.1:\d+ to register the GitHub App/);
  });

  it('asks GitHub nothing without the code GitHub sends back', async () => {
    const r = await fetch(`${url}/probot/setup`);
    expect(r.status).toBe(400);
  });
});

describe('after setup', () => {
  it('npm start reads .env for the variables not already set, PEM newlines included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gardener-dotenv-'));
    try {
      // What Probot's setup writes: the PEM in double quotes with \n escapes.
      writeFileSync(
        join(dir, '.env'),
        'APP_ID=123\nPRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n-----END RSA PRIVATE KEY-----\\n"\nWEBHOOK_SECRET=from-file\n',
      );
      const env: Record<string, string | undefined> = { WEBHOOK_SECRET: 'from-environment' };
      expect(loadDotEnv(env, dir).sort()).toEqual(['APP_ID', 'PRIVATE_KEY']);
      expect(env).toMatchObject({ APP_ID: '123', WEBHOOK_SECRET: 'from-environment' });
      expect(env.PRIVATE_KEY?.split('\n')).toHaveLength(4);
      expect(loadDotEnv({}, join(dir, 'missing'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the app takes signed deliveries at the root URL, where a manifest-registered app sends them', async () => {
    const secret = randomBytes(16).toString('hex');
    const r = await runServer({
      env: { APP_ID: '1', PRIVATE_KEY: testKey(), WEBHOOK_SECRET: secret, PORT: '0', HOST: '127.0.0.1' },
      write: () => {},
    });
    if (!r.ok) throw new Error(r.message);
    try {
      const signed = await deliverWebhook({ url: `${r.running.url}/`, secret, event: 'ping', payload: { zen: 'Keep it logically awesome.', hook_id: 1 } });
      expect(signed.status).toBe(200);
      const forged = await deliverWebhook({ url: `${r.running.url}/`, secret: 'wrong', event: 'ping', payload: { zen: 'x', hook_id: 1 } });
      expect(forged.status).toBe(400);
      expect((await fetch(`${r.running.url}/`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await r.running.close(100);
    }
  });
});
