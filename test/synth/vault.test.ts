/**
 * The synthetic Obsidian vault: notes that apply common conventions consistently, with a known number of
 * seeded defects. `gardener check` on it must report exactly the seeded defects: any other finding is a
 * false positive on a convention, and a missing one is a defect the rules no longer see.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPaths } from '../../src/cli/commands/check.js';
import { loadTree } from '../../src/cli/fs-corpus.js';
import { DEFAULT_CONFIG, FileSelector } from '../../src/core/config.js';
import { requireDate } from '../../src/core/dates.js';
import { computeGarden } from '../../src/garden/compute.js';
import { generateVault, writeVault, type SynthVault } from '../../src/synth/vault.js';
import { synthCommand } from '../../src/cli/commands/synth.js';

const today = requireDate('2026-12-02');

describe('synthetic Obsidian vault of 600 notes', () => {
  let dir: string;
  let vault: SynthVault;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gardener-synth-vault-'));
    vault = writeVault(dir, { count: 600, seed: 5 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is deterministic per seed', () => {
    const a = generateVault({ count: 80, seed: 2 });
    expect(generateVault({ count: 80, seed: 2 }).files.map((f) => f.path)).toEqual(a.files.map((f) => f.path));
    expect(generateVault({ count: 80, seed: 3 }).files.map((f) => f.content)).not.toEqual(a.files.map((f) => f.content));
  });

  it('has 600 notes, attachments and the conventions it claims, each applied by many notes', () => {
    const md = vault.files.filter((f) => f.path.endsWith('.md') && !f.path.endsWith('README.md'));
    expect(md).toHaveLength(600);
    expect(vault.files.filter((f) => /\.(png|jpg|pdf|m4a|webp|canvas)$/.test(f.path)).length).toBeGreaterThan(60);
    for (const c of ['template: empty `tags:` list item', 'dates as Linter (Wednesday, January 31st 2024, 3:05:09 pm)', 'inline code showing [[link]] syntax'])
      expect(vault.conventions[c], c).toBeGreaterThan(40);
    expect(Object.keys(vault.conventions).length).toBeGreaterThan(35);
    expect(readdirSync(join(dir, 'Attachments')).length).toBeGreaterThan(60);
  });

  it('gardener check reports exactly the seeded defects', () => {
    const run = checkPaths([dir], DEFAULT_CONFIG, today);
    const found = run.findings.map((f) => `${f.rule} ${f.file}`).sort();
    const seeded = vault.defects.map((d) => `${d.rule} ${d.file}`).sort();
    expect(seeded.length).toBeGreaterThanOrEqual(8);
    expect(new Set(vault.defects.map((d) => d.what)).size).toBe(8);
    expect(found).toEqual(seeded);
  });

  it('the sweep groups exactly the seeded broken links, and templates are not orphans', () => {
    const tree = loadTree(dir, new FileSelector(DEFAULT_CONFIG), DEFAULT_CONFIG.limits);
    const garden = computeGarden(tree.docs, { config: DEFAULT_CONFIG, today, otherFiles: tree.otherFiles });
    const v = garden.report.vault!;
    // A plain note with no frontmatter and no link is not recognised as a note without a `kinds:` glob.
    expect(v.notes).toBeGreaterThan(590);
    expect(v.unresolved.map((u) => u.files[0]).sort()).toEqual(
      vault.defects
        .filter((d) => d.what === 'broken-link')
        .map((d) => d.file)
        .sort(),
    );
    expect(v.orphans.filter((f) => f.startsWith('Templates/'))).toEqual([]);
  });
});

describe('gardener synth --vault', () => {
  it('writes the vault and, with --defects, the seeded defects and the notes per convention', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gardener-synth-vault-cli-'));
    try {
      const out: string[] = [];
      const code = await synthCommand(['--vault', '--count', '70', '--out', join(dir, 'v'), '--defects', join(dir, 'd.json')], {
        stdout: (s) => out.push(s),
        stderr: (s) => out.push(s),
      });
      expect(code).toBe(0);
      const manifest = JSON.parse(readFileSync(join(dir, 'd.json'), 'utf8'));
      expect(manifest.defects).toEqual(generateVault({ count: 70 }).defects);
      expect(out.join('')).toContain(`with ${manifest.defects.length} seeded defects`);
      expect(await synthCommand(['--vault', '--count', 'x', '--out', join(dir, 'w')], { stdout: () => {}, stderr: () => {} })).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
