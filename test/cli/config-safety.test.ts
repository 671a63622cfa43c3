/** The CLI reads `.github/pattern-gardener.yml` with the frontmatter's safe schema. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, UsageError } from '../../src/cli/load-config.js';

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
