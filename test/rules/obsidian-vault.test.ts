/**
 * The fixture vault (fixtures/obsidian-vault: 64 notes, attachments, headings, blocks, aliases, nested
 * folders, code samples with wikilinks, templates with empty tags) gives exactly the findings listed in
 * fixtures/obsidian-vault.expected.json, each of which was read against the notes.
 */
import { mkdtempSync, readFileSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPaths } from '../../src/cli/commands/check.js';
import { toJsonReport } from '../../src/cli/format/json.js';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { requireDate } from '../../src/core/dates.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const VAULT = resolve(REPO_ROOT, 'fixtures/obsidian-vault');
const today = requireDate('2026-12-02');

describe('fixture vault', () => {
  it('gives exactly the expected findings', () => {
    const expected = JSON.parse(readFileSync(resolve(REPO_ROOT, 'fixtures/obsidian-vault.expected.json'), 'utf8'));
    const run = checkPaths([VAULT], DEFAULT_CONFIG, today);
    expect(toJsonReport(run.files, run.findings)).toEqual(expected);
  });

  it('files left out by the config and attachments are link targets: removing them makes their links dangle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gardener-vault-'));
    try {
      cpSync(VAULT, dir, { recursive: true });
      rmSync(join(dir, 'CONTRIBUTING.md'));
      rmSync(join(dir, 'Attachments/crumb.jpg'));
      const before = checkPaths([VAULT], DEFAULT_CONFIG, today)
        .findings.filter((f) => f.rule === 'links/unknown-target')
        .map((f) => f.target);
      const after = checkPaths([dir], DEFAULT_CONFIG, today)
        .findings.filter((f) => f.rule === 'links/unknown-target')
        .map((f) => f.target);
      expect(after.filter((t) => !before.includes(t)).sort()).toEqual(['wikilink:wikilink:CONTRIBUTING', 'wikilink:wikilink:crumb.jpg']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
