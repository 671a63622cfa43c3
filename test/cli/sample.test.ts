/** The shipped sample (fixtures/sample) shows what its README says it shows. */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const SAMPLE = join(REPO_ROOT, 'fixtures/sample/patterns');

describe('fixtures/sample', () => {
  it('prints exactly the output documented in fixtures/sample/README.md', async () => {
    const r = await runCli(['check', SAMPLE, '--today', '2026-11-21']);
    expect(r.code).toBe(1);
    const readme = readFileSync(join(REPO_ROOT, 'fixtures/sample/README.md'), 'utf8');
    const documented = /Expected output:\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(documented).toBeDefined();
    expect(r.stdout).toBe(documented);
  });

  it('has the planted problems and nothing else', async () => {
    const r = await runCli(['check', SAMPLE, '--format', 'json', '--today', '2026-11-21']);
    const report = JSON.parse(r.stdout);
    expect(report.files).toBe(5);
    expect(report.findings.map((f: { file: string; rule: string; fix?: unknown }) => `${f.file} ${f.rule} ${f.fix ? 'fix' : '-'}`)).toEqual([
      'community-seed-library.md links/unknown-target fix',
      'compost-cooperative.md assessment/overall-score fix',
      'harvest-festival-rotation.md garden/last-pruned-stale -',
      'shared-tool-shed.md body/sections -',
    ]);
  });

  it('--fix on a copy leaves only the problems that need a person', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'gardener-sample-'));
    try {
      cpSync(SAMPLE, copy, { recursive: true });
      await runCli(['check', copy, '--fix', '--today', '2026-11-21']);
      const r = await runCli(['check', copy, '--format', 'json', '--today', '2026-11-21']);
      expect(JSON.parse(r.stdout).summary).toEqual({ 'garden/last-pruned-stale': 1, 'body/sections': 1 });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
