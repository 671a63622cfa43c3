/** `gardener init` writes a config for the kinds it finds; `gardener check` counts the files it skips as non-patterns. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/core/config.js';
import { planConfig } from '../../src/cli/commands/init.js';
import { removeTree, runCli, writeTree } from '../helpers/cli.js';
import { DEFAULT_TODAY, patternCorpus } from '../helpers/pattern.js';

const roots: string[] = [];
const tree = (files: Record<string, string>) => {
  const r = writeTree(files);
  roots.push(r);
  return r;
};
afterEach(() => {
  while (roots.length) removeTree(roots.pop()!);
});

const legacy = (slug: string) =>
  `---\nid: pat_d508c16cc7364a36a0fe4316\nslug: ${slug}\ntitle: ${slug}\nclassification:\n  status: draft\n---\n# ${slug}\n\n### 1. Overview\n\nText.\n\n### 2. Core Principles\n\nText.\n`;
const patterns = () => Object.fromEntries(Object.entries(patternCorpus()).map(([k, v]) => [`patterns/${k}`, v]));

describe('gardener check and files that are not patterns', () => {
  it('counts skipped files in the text summary and on stderr for json', async () => {
    const root = tree({ ...patterns(), 'patterns/guide.md': '# How to add a pattern\n\nCopy the template.\n', 'notes/ideas.md': 'Some ideas.\n' });
    const text = await runCli(['check', root, '--today', DEFAULT_TODAY]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/4 files checked/);
    expect(text.stdout).toMatch(/2 files skipped: not patterns/);
    const json = await runCli(['check', root, '--format', 'json', '--today', DEFAULT_TODAY]);
    expect(JSON.parse(json.stdout).files).toBe(4);
    expect(json.stderr).toMatch(/2 files skipped: not patterns/);
  });

  it('a folder of ordinary docs only: exit 2 saying why', async () => {
    const root = tree({ 'docs/a.md': '# A\n', 'docs/b.md': '# B\n' });
    const r = await runCli(['check', root, '--today', DEFAULT_TODAY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no patterns to check .*2 files skipped: not patterns/);
  });
});

describe('gardener init', () => {
  it('writes include and kinds globs for one-kind folders, leaves mixed folders to detection, excludes non-patterns under a glob', async () => {
    const root = tree({
      ...patterns(),
      'patterns/guide.md': '# Guide\n\nProse.\n',
      'old/a.md': legacy('old-a'),
      'old/b.md': legacy('old-b'),
      'mixed/a.md': legacy('mixed-a'),
      'mixed/b.md': patternCorpus()['shared-tool-shed.md']!,
      'docs/about.md': '# About\n',
    });
    const r = await runCli(['init', root]);
    expect(r.code).toBe(0);
    const path = join(root, '.github', 'pattern-gardener.yml');
    const raw = load(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const res = resolveConfig(raw);
    expect(res.ok).toBe(true);
    expect(raw.kinds).toEqual({ 'commons-pattern': ['patterns/**/*.md'], 'commons-pattern-legacy': ['old/**/*.md'] });
    expect(raw.include).toEqual(expect.arrayContaining(['patterns/**/*.md', 'old/**/*.md', 'mixed/*.md']));
    expect(raw.include).not.toContain('docs/*.md');
    expect(raw.exclude).toContain('patterns/guide.md');
    expect(readFileSync(path, 'utf8')).toMatch(/# mixed\/: .*side by side: recognised by their frontmatter/);
    // The config it wrote works: the check runs with it and the guide is not reported.
    const check = await runCli(['check', root, '--today', DEFAULT_TODAY, '--format', 'json']);
    expect(JSON.parse(check.stdout).findings.filter((f: { file: string }) => f.file.includes('guide'))).toEqual([]);
  });

  it('refuses to overwrite without --force', async () => {
    const root = tree(patterns());
    expect((await runCli(['init', root])).code).toBe(0);
    writeFileSync(join(root, '.github', 'pattern-gardener.yml'), '# mine\n');
    const again = await runCli(['init', root]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; --force overwrites it/);
    expect(readFileSync(join(root, '.github', 'pattern-gardener.yml'), 'utf8')).toBe('# mine\n');
    expect((await runCli(['init', root, '--force'])).code).toBe(0);
    expect(existsSync(join(root, '.github', 'pattern-gardener.yml'))).toBe(true);
  });

  it('suggests the sections nearly all files of a kind share (90%), in their usual order', () => {
    const files = Array.from({ length: 10 }, (_, n) => ({
      file: `old/${n}.md`,
      kind: 'commons-pattern-legacy' as const,
      headings: ['overview', 'core principles', n === 0 ? 'extra' : 'implementation', ...(n < 8 ? ['history'] : [])],
    }));
    expect(planConfig(files)).toMatch(/# {3}commons-pattern-legacy: \["Overview", "Core Principles", "Implementation"\]\n/);
  });
});
