/**
 * A calm command line: config globs from the repository root whatever folder is named, quiet exits when
 * the reader goes away, clear messages for missing paths, full --help, colour only where it belongs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { wantsColor } from '../../src/cli/main.js';
import { writeCorpus } from '../../src/synth/generate.js';
import { removeTree, runCli, writeTree } from '../helpers/cli.js';
import { buildPattern, DEFAULT_TODAY, mutate, patternCorpus } from '../helpers/pattern.js';

const TODAY = ['--today', DEFAULT_TODAY];
const CLI = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const roots: string[] = [];
let cwd: string | undefined;
afterEach(() => {
  if (cwd) process.chdir(cwd);
  cwd = undefined;
  while (roots.length) removeTree(roots.pop()!);
});
const tree = (files: Record<string, string>) => {
  const r = writeTree(files);
  roots.push(r);
  return r;
};

/** A repository whose config selects `patterns/**` and makes `notes/` Obsidian notes. */
function configuredRepo(): string {
  const files = patternCorpus();
  files['shared-tool-shed.md'] = mutate(files['shared-tool-shed.md']!, 'overall_score: 3.6', 'overall_score: 2.9');
  return tree({
    '.github/pattern-gardener.yml': 'include: ["patterns/**/*.md"]\n',
    ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`patterns/${k}`, v])),
    'drafts/not-selected.md': '# not a pattern\n',
  });
}

describe('config globs are repository paths', () => {
  it('checking the folder, a file in it, or the repository selects the same files', async () => {
    const root = configuredRepo();
    const whole = JSON.parse((await runCli(['check', root, '--format', 'json', ...TODAY])).stdout);
    expect(whole.files).toBe(4);
    const folder = await runCli(['check', join(root, 'patterns'), '--format', 'json', ...TODAY]);
    expect(folder.stderr).not.toContain('no files to check');
    expect(JSON.parse(folder.stdout).files).toBe(4);
    expect(JSON.parse(folder.stdout).summary).toEqual(whole.summary);
    const one = await runCli(['check', join(root, 'patterns', 'shared-tool-shed.md'), '--format', 'json', ...TODAY]);
    expect(JSON.parse(one.stdout).summary).toEqual({ 'assessment/overall-score': 1 });
    cwd = process.cwd();
    process.chdir(join(root, 'patterns'));
    expect(JSON.parse((await runCli(['check', '.', '--format', 'json', ...TODAY])).stdout).files).toBe(4);
  });

  it('a folder outside the globs still says there is nothing to check, naming the globs and the root', async () => {
    const root = configuredRepo();
    const r = await runCli(['check', join(root, 'drafts'), ...TODAY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no files to check');
    expect(r.stderr).toContain('globs are relative to');
  });
});

describe('missing paths and sweep targets', () => {
  it('check names the missing path', async () => {
    const r = await runCli(['check', '/nonexistent/patterns', ...TODAY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gardener check: no such file or directory: /nonexistent/patterns\n');
  });

  it('sweep on a missing path or on a file exits 2 with a clear message', async () => {
    const missing = await runCli(['sweep', '/nonexistent/patterns', ...TODAY]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('gardener sweep: no such file or directory: /nonexistent/patterns\n');
    const root = tree({ 'a.md': buildPattern({ slug: 'a' }) });
    const file = await runCli(['sweep', join(root, 'a.md'), ...TODAY]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/not a directory: .*a\.md/);
    expect(file.stdout).toBe('');
  });
});

describe('--help', () => {
  const options: Record<string, string[]> = {
    check: ['--format', '--today', '--config', '--fix', '--baseline', '--no-baseline', '--min-severity', '--max-per-rule', '--help'],
    baseline: ['--out', '--prune', '--today', '--config', '--help'],
    sweep: ['--format', '--today', '--config', '--no-history', '--github', '--dry-run', '--help'],
    'eval-links': ['--corpus', '--truth', '--k', '--limit', '--json', '--help'],
    synth: ['--count', '--out', '--seed', '--help'],
  };
  it.each(Object.entries(options))('%s describes every option and the exit codes', async (command, names) => {
    const r = await runCli([command, '--help']);
    expect(r.code).toBe(0);
    for (const name of names) expect(r.stdout).toMatch(new RegExp(`^ +(-h, )?${name}\\b.*\\S`, 'm'));
    expect(r.stdout).toMatch(/exit status: 0 .*2 usage problem/s);
    // Every option listed is one the command accepts (an unknown one would exit 2 before --help).
    for (const name of names.filter((n) => n !== '--help')) expect((await runCli([command, name, 'x', '--help'])).code).toBe(0);
  });
});

describe('colour', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [{ TERM: 'dumb' }, true, false],
  ])('env %j, stdout a terminal: %s -> %s', (env, tty, want) => {
    expect(wantsColor(env as NodeJS.ProcessEnv, tty)).toBe(want);
  });

  it('text has ANSI codes only when the io asks for colour', async () => {
    const root = configuredRepo();
    const plain = await runCli(['check', root, ...TODAY], { isTTY: true });
    expect(plain.stdout).not.toContain('\u001b[');
    const { main } = await import('../../src/cli/main.js');
    let out = '';
    await main(['check', root, ...TODAY], { stdout: (s) => void (out += s), stderr: () => {}, isTTY: false, color: true, version: 't' });
    expect(out).toContain('\u001b[');
  });
});

describe.skipIf(!existsSync(CLI))('the built command', () => {
  it('exits quietly when the reader closes the pipe, keeping its exit status', () => {
    const dir = tree({});
    writeCorpus(dir, { count: 300, seed: 3 });
    const bash = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${CLI}" check "${dir}" --format json --today ${DEFAULT_TODAY} | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`],
      { encoding: 'utf8' },
    );
    expect(bash.stderr).toBe('');
    expect(['0', '1']).toContain(bash.stdout.trim());
  });

  it('writes no colour into a file or pipe unless FORCE_COLOR asks for it', () => {
    const root = configuredRepo();
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [CLI, 'check', root, ...TODAY], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
    expect(run({}).stdout).not.toContain('\u001b[');
    expect(run({ FORCE_COLOR: '1' }).stdout).toContain('\u001b[');
    expect(run({ FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).toContain('\u001b[');
  });
});
