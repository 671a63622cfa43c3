import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { sweepCommand } from '../../src/cli/commands/sweep.js';
import type { Io } from '../../src/cli/io.js';
import { pattern } from './helpers.js';

function io() {
  const out = { stdout: '', stderr: '' };
  const i: Io = { stdout: (s) => void (out.stdout += s), stderr: (s) => void (out.stderr += s), isTTY: false, version: 'test' };
  return { io: i, out };
}

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'garden-cli-'));
  mkdirSync(join(dir, 'p'));
  writeFileSync(join(dir, 'p', 'old.md'), pattern({ slug: 'old', links: ['hub'], section8: null }));
  writeFileSync(join(dir, 'p', 'hub.md'), pattern({ slug: 'hub', links: ['old'] }));
  writeFileSync(join(dir, 'p', 'bad.md'), pattern({ slug: 'bad', vitality: 1, links: ['hub'], lastPruned: '2026-01-01' }));
  return dir;
}

describe('gardener sweep <dir>', () => {
  it('prints the JSON contract', async () => {
    const { io: i, out } = io();
    expect(await sweepCommand([tree(), '--today', '2026-11-21', '--format', 'json'], i)).toBe(0);
    const j = JSON.parse(out.stdout);
    expect(Object.keys(j)).toEqual(['patterns', 'signals', 'candidates', 'operations']);
    expect(j.patterns).toBe(3);
    expect(j.signals['garden/last-pruned-stale']).toBe(1);
    expect(j.candidates).toEqual([{ file: 'p/bad.md', slug: 'bad', signals: ['replant/extractive'] }]);
    // A directory sweep plans what a first sweep on GitHub would do (no replant issues exist yet).
    expect(j.operations).toEqual([expect.objectContaining({ op: 'create', slug: 'bad' })]);
  });

  it('uses one git log for history: an old last commit makes replant/age fire', async () => {
    const dir = tree();
    const git = (...a: string[]) =>
      execFileSync('git', ['-C', dir, ...a], {
        env: {
          ...process.env,
          GIT_AUTHOR_DATE: '2024-01-05T00:00:00Z',
          GIT_COMMITTER_DATE: '2024-01-05T00:00:00Z',
          GIT_AUTHOR_NAME: 'Ada',
          GIT_AUTHOR_EMAIL: 'a@x',
          GIT_COMMITTER_NAME: 'Ada',
          GIT_COMMITTER_EMAIL: 'a@x',
        },
      });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'Add patterns');
    const { io: i, out } = io();
    expect(await sweepCommand([join(dir, 'p'), '--today', '2026-11-21', '--format', 'json'], i)).toBe(0);
    const j = JSON.parse(out.stdout);
    // old: hollow (weak) + age from history (weak) = candidate
    expect(j.candidates.find((c: { slug: string }) => c.slug === 'old').signals).toEqual(['replant/age', 'replant/hollow-vitality']);
  });

  it('renders the dashboard as markdown and rejects bad usage with 2', async () => {
    const { io: i, out } = io();
    expect(await sweepCommand([tree(), '--today', '2026-11-21', '--format', 'markdown', '--no-history'], i)).toBe(0);
    expect(out.stdout).toContain('<!-- pattern-gardener:dashboard -->');
    expect(await sweepCommand([], io().io)).toBe(2);
    expect(await sweepCommand([tree(), '--format', 'xml'], io().io)).toBe(2);
    expect(await sweepCommand([tree(), '--today', '2026-02-30'], io().io)).toBe(2);
    expect(await sweepCommand(['--github', 'not a repo'], io().io)).toBe(2);
  });
});
