/**
 * The GitHub Action's committed bundle (action/dist/, made by scripts/build-action.mjs): up to date with the
 * sources, and runnable with plain `node` from a folder holding only action.yml and action/ (no
 * node_modules, no schemas/, no package.json), as a runner checks the action out.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedRuns } from '../../src/demo/harness.js';
import { loadSampleRepo, startStandin, type Standin } from '../../src/standin/index.js';
import { REPO_ROOT } from '../helpers/corpus.js';

let work = '';
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gardener-action-bundle-'));
  cpSync(join(REPO_ROOT, 'action.yml'), join(work, 'action/action.yml'));
  cpSync(join(REPO_ROOT, 'action'), join(work, 'action/action'), { recursive: true });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the bundle as the runner does (`node <action>/action/dist/index.mjs`) with only `env` set. */
function runBundle(env: Record<string, string>, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(work, 'action/action/dist/index.mjs')],
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('action/dist: the bundled GitHub Action', () => {
  it('is what scripts/build-action.mjs makes from the current sources (run `npm run build:action` after a change)', () => {
    const out = join(work, 'rebuilt');
    execFileSync(process.execPath, ['scripts/build-action.mjs', '--out', out], { cwd: REPO_ROOT });
    for (const file of ['index.mjs', 'licenses.txt']) {
      const committed = readFileSync(join(REPO_ROOT, 'action/dist', file), 'utf8');
      expect(readFileSync(join(out, file), 'utf8') === committed, `action/dist/${file} is stale: run npm run build:action`).toBe(true);
    }
  });

  it('runs on node24 from action/dist/index.mjs', () => {
    const yml = readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8');
    expect(yml).toMatch(/^\s+using: node24$/m);
    expect(yml).toMatch(/^\s+main: action\/dist\/index\.mjs$/m);
  });

  it('command: check annotates a fixture and fails on its errors, with nothing but action.yml and action/', async () => {
    const ws = join(work, 'workspace');
    cpSync(join(REPO_ROOT, 'fixtures/sample/patterns'), join(ws, 'patterns'), { recursive: true });
    const r = await runBundle({ INPUT_COMMAND: 'check', INPUT_PATH: 'patterns', INPUT_ARGS: '--today 2026-12-02', GITHUB_WORKSPACE: ws }, ws);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trim().split('\n');
    // fixtures/sample/patterns: four planted problems, two errors and two warnings, paths from the workspace root.
    expect(lines.map((l) => /^::(\w+) file=([^,]+),.*title=([^:]+)::/.exec(l)?.slice(1))).toEqual([
      ['error', 'patterns/community-seed-library.md', 'links/unknown-target'],
      ['warning', 'patterns/compost-cooperative.md', 'assessment/overall-score'],
      ['warning', 'patterns/harvest-festival-rotation.md', 'garden/last-pruned-stale'],
      ['error', 'patterns/shared-tool-shed.md', 'body/sections'],
    ]);
  });

  it('an unknown command is a workflow error', async () => {
    const r = await runBundle({ INPUT_COMMAND: 'prune' }, work);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error title=Pattern Gardener::unknown command "prune"/);
  });

  describe('command: review (the app on the workflow event)', () => {
    let standin: Standin;
    let proxy: Server;
    beforeAll(async () => {
      const sample = loadSampleRepo();
      standin = await startStandin({ repo: sample.repo, pulls: sample.pulls });
      // The runner's GITHUB_API_URL on GitHub Enterprise Server: REST under /api/v3, GraphQL at /api/graphql.
      const t = new URL(standin.url);
      proxy = createServer((req, res) => {
        const url = req.url ?? '/';
        const path = url.startsWith('/api/v3/') ? url.slice('/api/v3'.length) : url === '/api/graphql' ? '/graphql' : null;
        if (path === null) return void res.writeHead(404).end();
        const up = request({ host: t.hostname, port: t.port, method: req.method, path, headers: { ...req.headers, host: t.host }, agent: false }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.on('error', () => res.writeHead(502).end());
        req.pipe(up);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      await new Promise((r) => proxy?.close(r));
      await standin?.close();
    });

    it('posts the check run and the review through the stand-in', async () => {
      const payload = standin.pullRequestPayload(1) as Record<string, unknown>;
      delete payload.installation; // workflow events carry no app installation
      writeFileSync(join(work, 'event.json'), JSON.stringify(payload));
      const r = await runBundle(
        {
          'INPUT_GITHUB-TOKEN': 'ghs_workflowtoken0123456789',
          GITHUB_RUN_ID: '778',
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: join(work, 'event.json'),
          GITHUB_API_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/v3`,
        },
        work,
      );
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(completedRuns(standin, standin.model.pulls.get(1)!.head.sha)).toBe(1);
      expect(standin.state.reviews).toHaveLength(1);
      expect(`${r.stdout}${r.stderr}`).not.toContain('ghs_workflowtoken0123456789');
    });
  });
});
