/** `gardener check`: the JSON contract, exit codes, formats, --fix and single-file targets. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTree, runCli, writeTree } from '../helpers/cli.js';
import { buildPattern, DEFAULT_TODAY, lineOf, mutate, patternCorpus } from '../helpers/pattern.js';

const TODAY = ['--today', DEFAULT_TODAY];
const roots: string[] = [];
const tree = (files: Record<string, string | Uint8Array>) => {
  const r = writeTree(files);
  roots.push(r);
  return r;
};
afterEach(() => {
  while (roots.length) removeTree(roots.pop()!);
});

/** The fixture corpus with one error (a dangling typo link) and one warning (a wrong overall score). */
function brokenCorpus(): Record<string, string> {
  const files = patternCorpus();
  files['community-seed-library.md'] = mutate(files['community-seed-library.md']!, '  tools: []', '  tools:\n    - slug: shared-tool-shd\n      weight: 0.6');
  files['shared-tool-shed.md'] = mutate(files['shared-tool-shed.md']!, 'overall_score: 3.6', 'overall_score: 2.9');
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [`patterns/${k}`, v]));
}

describe('gardener check --format json', () => {
  it('follows the JSON contract, with paths relative to the argument directory', async () => {
    const root = tree(brokenCorpus());
    const r = await runCli(['check', join(root, 'patterns'), '--format', 'json', ...TODAY]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: number; findings: Record<string, unknown>[]; summary: Record<string, number> };
    expect(Object.keys(report).sort()).toEqual(['files', 'findings', 'summary']);
    expect(report.files).toBe(4);
    expect(report.summary).toEqual({ 'links/unknown-target': 1, 'assessment/overall-score': 1 });
    const text = brokenCorpus()['patterns/community-seed-library.md']!;
    const link = report.findings.find((f) => f.rule === 'links/unknown-target')!;
    expect(link).toEqual({
      file: 'community-seed-library.md',
      rule: 'links/unknown-target',
      severity: 'error',
      line: lineOf(text, 'slug: shared-tool-shd'),
      column: 7,
      endLine: lineOf(text, 'slug: shared-tool-shd'),
      message: expect.stringContaining('Did you mean `shared-tool-shed`?'),
      fix: {
        description: expect.any(String),
        edits: [{ line: lineOf(text, 'slug: shared-tool-shd'), endLine: lineOf(text, 'slug: shared-tool-shd'), text: '    - slug: shared-tool-shed\n' }],
      },
    });
    for (const f of report.findings) {
      expect(Object.keys(f).sort()).toEqual(expect.arrayContaining(['file', 'rule', 'severity', 'line', 'column', 'endLine', 'message']));
      for (const k of Object.keys(f)) expect(['file', 'rule', 'severity', 'line', 'column', 'endLine', 'message', 'fix']).toContain(k);
    }
    // Findings come in file order.
    expect(report.findings.map((f) => f.file)).toEqual(['community-seed-library.md', 'shared-tool-shed.md']);
  });

  it('exits 0 with warnings only and with a clean tree', async () => {
    const files = patternCorpus();
    const clean = tree(files);
    const ok = await runCli(['check', clean, '--format', 'json', ...TODAY]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ files: 4, findings: [], summary: {} });
    const warn = tree({ ...files, 'shared-tool-shed.md': mutate(files['shared-tool-shed.md']!, 'overall_score: 3.6', 'overall_score: 2.9') });
    const w = await runCli(['check', warn, '--format', 'json', ...TODAY]);
    expect(w.code).toBe(0);
    expect(JSON.parse(w.stdout).summary).toEqual({ 'assessment/overall-score': 1 });
  });

  it('--today drives staleness', async () => {
    const root = tree(patternCorpus());
    const later = await runCli(['check', root, '--format', 'json', '--today', '2027-06-01']);
    expect(JSON.parse(later.stdout).summary).toEqual({ 'garden/last-pruned-stale': 4 });
    expect(later.code).toBe(0);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [[], /usage: gardener/],
    [['check'], /name at least one directory or file/],
    [['check', '.', '--format', 'yaml'], /unknown --format yaml/],
    [['check', '.', '--today', '2026-02-30'], /--today must be a calendar date/],
    [['check', '.', '--today', 'tomorrow'], /--today must be a calendar date/],
    [['check', '.', '--config', '/nonexistent/gardener.yml'], /config file not found/],
    [['check', '.', '--no-such-flag'], /Unknown option/],
    [['nonsense'], /unknown command "nonsense"/],
  ])('%j', async (argv, message) => {
    const r = await runCli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(message);
  });

  it('a path that does not exist', async () => {
    const r = await runCli(['check', '/nonexistent/patterns', ...TODAY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ENOENT|no such file/);
  });

  it('an invalid config file', async () => {
    const root = tree({ ...patternCorpus(), 'bad.yml': 'staleAfterDays: soon\n' });
    const r = await runCli(['check', root, '--config', join(root, 'bad.yml'), ...TODAY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid/);
  });

  it('a valid config file is applied', async () => {
    const files = patternCorpus();
    const root = tree({
      ...files,
      'shared-tool-shed.md': mutate(files['shared-tool-shed.md']!, 'overall_score: 3.6', 'overall_score: 2.9'),
      'g.yml': 'rules:\n  assessment/overall-score: error\n',
    });
    const r = await runCli(['check', root, '--config', join(root, 'g.yml'), '--format', 'json', ...TODAY]);
    expect(r.code).toBe(1);
  });
});

describe('other formats', () => {
  it('text lists findings per file with a summary line', async () => {
    const root = tree(brokenCorpus());
    const r = await runCli(['check', join(root, 'patterns'), ...TODAY]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('community-seed-library.md\n');
    expect(r.stdout).toMatch(/\d+:\d+ {2}error {2}.*links\/unknown-target/);
    expect(r.stdout).toContain('fix: Replace');
    expect(r.stdout).toMatch(/4 files checked: 1 error\(s\), 1 warning\(s\), 0 notice\(s\); 2 fixable\./);
    expect(r.stdout).not.toContain('\u001b[');
    // A table per rule ends the findings.
    expect(r.stdout).toMatch(/^links\/unknown-target +1 +0 +0 +1$/m);
    expect(r.stdout).toMatch(/^total +1 +1 +0 +2$/m);
  });

  it('github prints one workflow command per finding', async () => {
    const root = tree(brokenCorpus());
    const r = await runCli(['check', join(root, 'patterns'), '--format', 'github', ...TODAY]);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=community-seed-library\.md,line=\d+,endLine=\d+,col=7,title=links\/unknown-target::/);
    expect(lines[1]).toMatch(/^::warning file=shared-tool-shed\.md,/);
  });

  it('sarif is 2.1.0 with one result per finding and stable fingerprints', async () => {
    const root = tree(brokenCorpus());
    const a = JSON.parse((await runCli(['check', join(root, 'patterns'), '--format', 'sarif', ...TODAY])).stdout);
    expect(a.version).toBe('2.1.0');
    const run = a.runs[0];
    expect(run.tool.driver.name).toBe('Pattern Gardener');
    expect(run.results).toHaveLength(2);
    expect(run.results.map((x: { level: string }) => x.level).sort()).toEqual(['error', 'warning']);
    for (const res of run.results) expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
    const b = JSON.parse((await runCli(['check', join(root, 'patterns'), '--format', 'sarif', ...TODAY])).stdout);
    expect(b.runs[0].results.map((x: { partialFingerprints: unknown }) => x.partialFingerprints)).toEqual(
      run.results.map((x: { partialFingerprints: unknown }) => x.partialFingerprints),
    );
  });
});

describe('--fix and single files', () => {
  it('--fix writes the fixes, keeping CRLF files CRLF, and a second run is clean', async () => {
    const files = brokenCorpus();
    files['patterns/shared-tool-shed.md'] = files['patterns/shared-tool-shed.md']!.replace(/\n/g, '\r\n');
    const root = tree(files);
    const dir = join(root, 'patterns');
    const first = await runCli(['check', dir, '--fix', '--format', 'json', ...TODAY]);
    expect(first.stderr).toMatch(/--fix applied 2 fix\(es\) to 2 file\(s\) in 1 pass\(es\)/);
    const fixed = readFileSync(join(dir, 'community-seed-library.md'), 'utf8');
    expect(fixed).toContain('    - slug: shared-tool-shed\n');
    const crlf = readFileSync(join(dir, 'shared-tool-shed.md'), 'utf8');
    expect(crlf).toContain('overall_score: 3.6\r\n');
    expect(crlf.replace(/\r\n/g, '')).not.toContain('\n');
    const second = await runCli(['check', dir, '--format', 'json', ...TODAY]);
    expect(JSON.parse(second.stdout).summary).toEqual({ 'file/line-endings': 1 });
    expect(second.code).toBe(0);
  });

  it('checking one file resolves its links against its folder and reports only that file', async () => {
    const root = tree(brokenCorpus());
    const r = await runCli(['check', join(root, 'patterns', 'community-seed-library.md'), '--format', 'json', ...TODAY]);
    const report = JSON.parse(r.stdout);
    expect(report.files).toBe(1);
    // Its good links resolve against siblings; only the typo dangles.
    expect(report.summary).toEqual({ 'links/unknown-target': 1 });
    expect(report.findings[0].file).toBe('community-seed-library.md');
    expect(report.findings[0].fix.edits[0].text).toBe('    - slug: shared-tool-shed\n');
  });

  it('--fix on a single file only touches that file', async () => {
    const root = tree(brokenCorpus());
    const other = readFileSync(join(root, 'patterns', 'shared-tool-shed.md'), 'utf8');
    await runCli(['check', join(root, 'patterns', 'community-seed-library.md'), '--fix', ...TODAY]);
    expect(readFileSync(join(root, 'patterns', 'shared-tool-shed.md'), 'utf8')).toBe(other);
    expect(readFileSync(join(root, 'patterns', 'community-seed-library.md'), 'utf8')).toContain('slug: shared-tool-shed\n');
  });

  it('--fix with two directories applies each fix only in its own directory', async () => {
    // Same relative name in both: the fix for a/compost-cooperative.md must not touch b's file.
    const a = tree({ ...patternCorpus(), 'compost-cooperative.md': buildPattern({ slug: 'compost-cooperative', overall: 4.4 }) });
    const bText = mutate(
      buildPattern({ slug: 'compost-cooperative' }),
      'title: "Compost Cooperative"',
      'title: "Compost Cooperative"\n# two extra\n# comment lines',
    );
    const b = tree({ 'compost-cooperative.md': bText });
    const r = await runCli(['check', a, b, '--fix', ...TODAY]);
    expect(r.stdout).toMatch(/--fix applied 1 fix\(es\) to 1 file\(s\)/);
    expect(readFileSync(join(b, 'compost-cooperative.md'), 'utf8')).toBe(bText);
    expect(readFileSync(join(a, 'compost-cooperative.md'), 'utf8')).toContain('overall_score: 3.6\n');
  });

  it('two directory targets keep their own relative paths and corpora', async () => {
    const a = tree(patternCorpus());
    const b = tree({ 'lone.md': buildPattern({ slug: 'lone', relationships: { alternatives: ['community-seed-library'] } }) });
    const r = await runCli(['check', a, b, '--format', 'json', ...TODAY]);
    const report = JSON.parse(r.stdout);
    expect(report.files).toBe(5);
    // `lone` is checked against its own directory, where community-seed-library does not exist.
    expect(report.findings.map((f: { file: string; rule: string }) => `${f.file} ${f.rule}`)).toEqual(['lone.md links/unknown-target']);
  });
});
