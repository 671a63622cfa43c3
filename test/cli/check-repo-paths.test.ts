/** `gardener check` inside a repository: config found upwards, repository paths for annotations, no silent empty runs. */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildPattern } from '../helpers/pattern.js';
import { removeTree, runCli, writeTree } from '../helpers/cli.js';

let root: string | undefined;
let cwd: string | undefined;
afterEach(() => {
  if (cwd) process.chdir(cwd);
  if (root) removeTree(root);
  root = undefined;
  cwd = undefined;
});

describe('gardener check in a repository', () => {
  it('reads .github/pattern-gardener.yml from the repository root when checking a subfolder', async () => {
    const stale = buildPattern({ slug: 'seed-library', lastPruned: '2025-01-01' });
    root = writeTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.github/pattern-gardener.yml': 'rules:\n  garden/last-pruned-stale: "off"\n',
      '_patterns/seed-library.md': stale,
    });
    const withConfig = await runCli(['check', join(root, '_patterns'), '--format', 'json', '--today', '2026-11-21']);
    const rules = (JSON.parse(withConfig.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    expect(rules).not.toContain('garden/last-pruned-stale');
  });

  it('gives GitHub annotations and SARIF paths from the working directory, JSON paths from the argument', async () => {
    root = writeTree({ '_patterns/seed-library.md': buildPattern({ slug: 'seed-library', lastPruned: '2025-01-01' }) });
    cwd = process.cwd();
    process.chdir(root);
    const gh = await runCli(['check', '_patterns', '--format', 'github', '--today', '2026-11-21']);
    expect(gh.stdout).toContain('file=_patterns/seed-library.md');
    const sarif = await runCli(['check', '_patterns', '--format', 'sarif', '--today', '2026-11-21']);
    expect(sarif.stdout).toContain('"uri": "_patterns/seed-library.md"');
    const json = await runCli(['check', '_patterns', '--format', 'json', '--today', '2026-11-21']);
    expect(json.stdout).toContain('"file": "seed-library.md"');
  });

  it('exits 2 with a message when no file matches, instead of a silent green run', async () => {
    root = writeTree({ 'notes/readme.txt': 'not a pattern\n' });
    const r = await runCli(['check', root, '--today', '2026-11-21']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no files to check');
  });
});
