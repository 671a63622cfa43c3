/** `gardener baseline` and `gardener check --baseline`: the round trip, counts, fixed entries, prune, scope. */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBaseline } from '../../src/core/baseline.js';
import { removeTree, runCli, writeTree } from '../helpers/cli.js';
import { buildPattern, DEFAULT_TODAY, mutate, patternCorpus } from '../helpers/pattern.js';

const TODAY = ['--today', DEFAULT_TODAY];
const roots: string[] = [];
afterEach(() => {
  while (roots.length) removeTree(roots.pop()!);
});

/** A repository with known problems: a dangling link, a wrong score, a stale garden, in patterns/. */
function repo(): string {
  const files = patternCorpus();
  files['community-seed-library.md'] = mutate(files['community-seed-library.md']!, '  tools: []', '  tools:\n    - slug: shared-tool-shd\n      weight: 0.6');
  files['shared-tool-shed.md'] = mutate(files['shared-tool-shed.md']!, 'overall_score: 3.6', 'overall_score: 2.9');
  files['old-garden.md'] = buildPattern({ slug: 'old-garden', lastPruned: '2025-01-01' });
  const root = writeTree({ '.git/HEAD': 'ref: refs/heads/main\n', ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`patterns/${k}`, v])) });
  roots.push(root);
  return root;
}

const json = (stdout: string) =>
  JSON.parse(stdout) as { files: number; findings: { file: string; rule: string; line: number }[]; summary: Record<string, number> };

describe('baseline round trip', () => {
  it('baseline, then check --baseline: nothing new and exit 0; one new dangling link: exactly that finding and exit 1', async () => {
    const root = repo();
    const before = await runCli(['check', root, '--format', 'json', '--no-baseline', ...TODAY]);
    expect(before.code).toBe(1);
    const known = json(before.stdout).findings.length;
    expect(known).toBeGreaterThanOrEqual(3);

    const b = await runCli(['baseline', root, ...TODAY]);
    expect(b.code).toBe(0);
    const file = join(root, '.github', 'pattern-gardener-baseline.json');
    expect(b.stdout).toContain(`${known} finding(s)`);
    const entries = parseBaseline(readFileSync(file, 'utf8')).entries;
    // Repository paths, so the file means the same whichever folder is checked.
    expect(entries.every((e) => e.file.startsWith('patterns/'))).toBe(true);

    const clean = await runCli(['check', root, '--baseline', file, '--format', 'json', ...TODAY]);
    expect(clean.code).toBe(0);
    expect(json(clean.stdout).findings).toEqual([]);
    expect(clean.stderr).toContain(`${known} known finding(s) not shown`);
    // The default file is used without --baseline, also when a subfolder is checked.
    const sub = await runCli(['check', join(root, 'patterns'), '--format', 'json', ...TODAY]);
    expect(json(sub.stdout).findings).toEqual([]);
    expect(sub.code).toBe(0);

    const target = join(root, 'patterns', 'shared-tool-shed.md');
    writeFileSync(target, mutate(readFileSync(target, 'utf8'), '  tools: []', '  tools:\n    - slug: no-such-pattern-anywhere\n      weight: 0.5'));
    const dirty = await runCli(['check', root, '--baseline', file, '--format', 'json', ...TODAY]);
    expect(dirty.code).toBe(1);
    expect(json(dirty.stdout).findings.map((f) => `${f.file} ${f.rule}`)).toEqual(['patterns/shared-tool-shed.md links/unknown-target']);
    const everything = await runCli(['check', root, '--no-baseline', '--format', 'json', ...TODAY]);
    expect(json(everything.stdout).findings).toHaveLength(known + 1);
  });

  it('counts occurrences: a third copy of a duplicated link is new', async () => {
    const root = repo();
    const target = join(root, 'patterns', 'shared-tool-shed.md');
    const dup = (n: number) => `  tools:\n${'    - slug: gone-pattern\n      weight: 0.5\n'.repeat(n)}`;
    const original = readFileSync(target, 'utf8');
    writeFileSync(target, mutate(original, '  tools: []\n', dup(2)));
    expect((await runCli(['baseline', root, ...TODAY])).code).toBe(0);
    writeFileSync(target, mutate(original, '  tools: []\n', dup(3)));
    const r = await runCli(['check', root, '--format', 'json', ...TODAY]);
    const fresh = json(r.stdout).findings.filter((f) => f.rule === 'links/unknown-target');
    expect(fresh).toHaveLength(1);
  });

  it('says how many entries are fixed, and --prune drops them without adding new findings', async () => {
    const root = repo();
    await runCli(['baseline', root, ...TODAY]);
    const file = join(root, '.github', 'pattern-gardener-baseline.json');
    const size = () => parseBaseline(readFileSync(file, 'utf8')).entries.reduce((n, e) => n + e.count, 0);
    const start = size();
    const shed = join(root, 'patterns', 'shared-tool-shed.md');
    writeFileSync(shed, mutate(readFileSync(shed, 'utf8'), 'overall_score: 2.9', 'overall_score: 3.6'));
    appendFileSync(join(root, 'patterns', 'old-garden.md'), '');
    const lib = join(root, 'patterns', 'community-seed-library.md');
    writeFileSync(lib, mutate(readFileSync(lib, 'utf8'), 'overall_score: 3.6', 'overall_score: 1.1'));
    const r = await runCli(['check', root, ...TODAY]);
    expect(r.stdout).toMatch(/1 recorded finding\(s\) in 1 entry are fixed \(gardener baseline .* --prune drops them\)/);
    expect(r.code).toBe(0);
    const p = await runCli(['baseline', root, '--prune', ...TODAY]);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('1 fixed finding(s) dropped');
    expect(size()).toBe(start - 1);
    // The new wrong score in community-seed-library.md was not added by --prune.
    const after = await runCli(['check', root, '--format', 'json', ...TODAY]);
    expect(json(after.stdout).findings.map((f) => f.rule)).toEqual(['assessment/overall-score']);
  });

  it('a baseline of one file keeps the entries of the others', async () => {
    const root = repo();
    await runCli(['baseline', root, ...TODAY]);
    const file = join(root, '.github', 'pattern-gardener-baseline.json');
    const all = readFileSync(file, 'utf8');
    const r = await runCli(['baseline', join(root, 'patterns', 'old-garden.md'), ...TODAY]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(all);
  });

  it('an invalid or missing baseline file is a usage problem', async () => {
    const root = repo();
    const bad = join(root, 'bad.json');
    writeFileSync(bad, '{"version": 1, "findings": [{"file": "x"}]}');
    const r = await runCli(['check', root, '--baseline', bad, ...TODAY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/baseline .*bad\.json is invalid: findings\[0\]: "rule" must be text/);
    const missing = await runCli(['check', root, '--baseline', join(root, 'nope.json'), ...TODAY]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file or directory: .*nope\.json/);
    const prune = await runCli(['baseline', root, '--prune', ...TODAY]);
    expect(prune.code).toBe(2);
    expect(prune.stderr).toMatch(/--prune needs an existing baseline/);
  });
});
