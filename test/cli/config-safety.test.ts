/** The CLI reads `.github/pattern-gardener.yml` with the frontmatter's safe schema. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, UsageError } from '../../src/cli/load-config.js';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { configFromFiles, sweepConfig } from '../../src/garden/remote.js';
import { removeTree, runCli, writeTree } from '../helpers/cli.js';

function repoWithConfig(text: string): string {
  const root = mkdtempSync(join(tmpdir(), 'gardener-config-'));
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, '.github'));
  writeFileSync(join(root, '.github', 'pattern-gardener.yml'), text);
  return root;
}

describe('config file parsing', () => {
  it('does not apply a merge key, so `<<` with `__proto__` cannot reach any prototype', () => {
    const root = repoWithConfig('<<: {__proto__: {polluted: true}}\nstaleAfterDays: 30\n');
    expect(() => loadConfigFile(undefined, root)).toThrow(UsageError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads dates and numbers as the frontmatter does (no timestamp objects)', () => {
    const root = repoWithConfig('staleAfterDays: 30\nlinks:\n  rejected: [2026-01-01]\n');
    expect(() => loadConfigFile(undefined, root)).not.toThrow();
  });
});

describe('_extends: the CLI refuses what it cannot read, rather than disagreeing with the app', () => {
  const pattern = '---\nid: p\ntitle: P\n---\n\n# P\n';

  it.each([
    ['org/.github', 'the file .github/pattern-gardener.yml of the repository org/.github'],
    ['shared-config', 'the file .github/pattern-gardener.yml of the repository (this owner)/shared-config'],
    ['org/policies:gardener/base.yml', 'the file gardener/base.yml of the repository org/policies'],
    ['../base.yml', 'nothing the app can read either'],
  ])('`_extends: %s` is a usage error naming the key, what it names and what to do', async (value, names) => {
    const root = writeTree({ '.git/HEAD': '', '.github/pattern-gardener.yml': `_extends: ${value}\nstaleAfterDays: 30\n`, 'p.md': pattern });
    try {
      const r = await runCli(['check', root, '--today', '2026-12-02']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`\`_extends: ${JSON.stringify(value)}\``);
      expect(r.stderr).toContain(names);
      expect(r.stderr).toContain('--config FILE');
      // The same file without the key checks as usual.
      writeFileSync(join(root, '.github', 'pattern-gardener.yml'), 'staleAfterDays: 30\n');
      expect((await runCli(['check', root, '--today', '2026-12-02'])).stderr).not.toContain('_extends');
    } finally {
      removeTree(root);
    }
  });

  it('an explicit --config with _extends is refused the same way', () => {
    const root = repoWithConfig('_extends: org/.github\n');
    expect(() => loadConfigFile(join(root, '.github', 'pattern-gardener.yml'), root)).toThrow(/_extends.*--config FILE/s);
  });
});

describe('config read by the sweep from a repository archive', () => {
  const files = (text: string) => new Map([['.github/pattern-gardener.yml', new TextEncoder().encode(text)]]);

  it('uses the safe schema: a `<<` merge key with `__proto__` is refused and pollutes nothing', () => {
    const logs: string[] = [];
    const config = configFromFiles(files('<<: {__proto__: {polluted: true}}\nstaleAfterDays: 30\n'), (m) => logs.push(m));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(config.staleAfterDays).toBe(DEFAULT_CONFIG.staleAfterDays);
    expect(logs.join('\n')).toContain('is invalid');
  });

  it('says that it does not follow _extends without GitHub at hand (the app reads it through the config plugin)', () => {
    const logs: string[] = [];
    const config = configFromFiles(files('_extends: org/.github\nstaleAfterDays: 30\n'), (m) => logs.push(m));
    expect(config.staleAfterDays).toBe(30);
    expect(logs.join('\n')).toContain('_extends');
  });

  it('with a config source (the app), `_extends` is read through it; a file without it is read from the archive, with no request', async () => {
    const asked: string[] = [];
    const source = { config: async (f: string) => (asked.push(f), { staleAfterDays: 45, gardening: { enabled: true } }) };
    const merged = await sweepConfig(files('_extends: org/.github\nstaleAfterDays: 30\n'), () => {}, source);
    expect(asked).toEqual(['pattern-gardener.yml']);
    expect(merged.staleAfterDays).toBe(45);
    expect(merged.gardening.enabled).toBe(true);
    const own = await sweepConfig(files('staleAfterDays: 30\n'), () => {}, source);
    expect(own.staleAfterDays).toBe(30);
    expect(asked).toHaveLength(1);
    const down = { config: async () => Promise.reject(Object.assign(new Error('Service Unavailable'), { status: 503 })) };
    await expect(sweepConfig(files('_extends: org/.github\n'), () => {}, down)).rejects.toThrow('Service Unavailable');
  });
});
