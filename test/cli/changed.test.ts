/** `gardener check --changed[=REF]`: findings only for the files git reports changed, on a temp repository. */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.js';
import { removeTree, runCli, writeTree } from '../helpers/cli.js';

let repo = '';
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
const inRepo = async (argv: string[]) => {
  const cwd = process.cwd();
  process.chdir(repo);
  try {
    return await runCli(argv);
  } finally {
    process.chdir(cwd);
  }
};
const files = (stdout: string) => [...new Set((JSON.parse(stdout) as { findings: { file: string }[] }).findings.map((f) => f.file))];
const NETWORK = 'patterns/mutual-aid-network.md';
// compost-cooperative exists (the rest of the folder is read, so it resolves); no-such-pattern does not.
const addLinks = () => {
  const path = join(repo, NETWORK);
  writeFileSync(
    path,
    readFileSync(path, 'utf8').replace(
      '  complementary: []',
      '  complementary:\n    - slug: compost-cooperative\n      weight: 0.5\n    - slug: no-such-pattern\n      weight: 0.5',
    ),
  );
};

beforeEach(() => {
  repo = writeTree({ 'README.md': '# Library\n' });
  // fixtures/sample/patterns: five patterns, four of them with planted problems; mutual-aid-network is clean.
  cpSync(join(REPO_ROOT, 'fixtures/sample/patterns'), join(repo, 'patterns'), { recursive: true });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'library');
});
afterEach(() => removeTree(repo));

describe('gardener check --changed', () => {
  it('has nothing to check when no pattern changed, and says so (exit 0)', async () => {
    writeFileSync(join(repo, 'README.md'), '# Library, edited\n');
    const r = await inRepo(['check', '--changed', '--today', '2026-12-02']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/nothing to check/);
  });

  it('reports only the changed file, with links resolved against the whole folder', async () => {
    addLinks();
    const all = await inRepo(['check', '.', '--today', '2026-12-02', '--format', 'json']);
    expect(files(all.stdout).length).toBeGreaterThan(1);
    const r = await inRepo(['check', '--changed', '--today', '2026-12-02', '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { files: number; findings: { file: string; rule: string; message: string }[] };
    expect(out.files).toBe(1);
    expect(out.findings.map((f) => [f.file, f.rule])).toEqual([[NETWORK, 'links/unknown-target']]);
    expect(out.findings[0]?.message).toContain('no-such-pattern');
  });

  it('sees staged changes and compares with another commit given as --changed=REF', async () => {
    addLinks();
    git('add', NETWORK);
    const staged = await inRepo(['check', 'patterns', '--changed', '--today', '2026-12-02', '--format', 'json']);
    expect(files(staged.stdout)).toEqual(['mutual-aid-network.md']);
    git('commit', '-q', '-m', 'links');
    expect((await inRepo(['check', '--changed', '--today', '2026-12-02'])).code).toBe(0);
    const r = await inRepo(['check', 'patterns', '--changed=HEAD~1', '--today', '2026-12-02', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(files(r.stdout)).toEqual(['mutual-aid-network.md']);
  });

  it('is a usage error outside a git repository or with an unknown commit', async () => {
    const bad = await inRepo(['check', '--changed=no-such-ref', '--today', '2026-12-02']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--changed: git diff failed/);
    const plain = writeTree({ 'a.md': '---\ntitle: A\n---\n' });
    try {
      const r = await runCli(['check', plain, '--changed']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--changed: git rev-parse failed/);
    } finally {
      removeTree(plain);
    }
  });
});
