/** Classification-era patterns (one notice, no noise) and Obsidian notes (wikilinks, related, aliases). */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/document.js';
import { byRule, checkFiles, fixFile, rulesOf } from '../helpers/check.js';
import { legacyPattern, lineOf, mutate, patternCorpus } from '../helpers/pattern.js';

describe('legacy/predates-v7', () => {
  it('a legacy file gets exactly one notice and no body, assessment, schema or garden noise', () => {
    const files = { ...patternCorpus(), 'winter-soup-kitchen.md': legacyPattern('winter-soup-kitchen') };
    expect(parseDocument('winter-soup-kitchen.md', files['winter-soup-kitchen.md']).kind).toBe('commons-pattern-legacy');
    const f = checkFiles(files);
    expect(rulesOf(f)).toEqual(['legacy/predates-v7']);
    expect(f[0]!).toMatchObject({ file: 'winter-soup-kitchen.md', severity: 'notice', line: 1 });
  });

  it('legacy links are still resolved (as warnings) and dates checked', () => {
    const files = {
      ...patternCorpus(),
      'winter-soup-kitchen.md': legacyPattern('winter-soup-kitchen', { related: ['shared-tool-shed', 'shared-tool-shedd'], created: '2025-13-01' }),
    };
    const f = checkFiles(files);
    expect(rulesOf(f).sort()).toEqual(['dates/invalid', 'legacy/predates-v7', 'links/unknown-target']);
    const u = byRule(f, 'links/unknown-target')[0]!;
    expect(u.severity).toBe('warning');
    expect(u.line).toBe(lineOf(files['winter-soup-kitchen.md'], '- shared-tool-shedd'));
    expect(u.fix?.edits[0]!.text).toBe('- shared-tool-shed\n');
  });

  it('v7.1 patterns may link to legacy ones', () => {
    const files = patternCorpus({ 'winter-soup-kitchen.md': legacyPattern('winter-soup-kitchen') });
    files['community-seed-library.md'] = mutate(
      files['community-seed-library.md']!,
      '  alternatives: []',
      '  alternatives:\n    - slug: winter-soup-kitchen\n      weight: 0.5',
    );
    expect(rulesOf(checkFiles(files))).toEqual(['legacy/predates-v7']);
  });

  it('legacy ids and slugs count for identity rules', () => {
    const files = {
      ...patternCorpus(),
      'a/winter-soup-kitchen.md': legacyPattern('winter-soup-kitchen'),
      'b/winter-soup-kitchen.md': legacyPattern('winter-soup-kitchen'),
    };
    const f = checkFiles(files);
    expect(byRule(f, 'identity/duplicate-slug')).toHaveLength(2);
    expect(byRule(f, 'identity/duplicate-id')).toHaveLength(2);
    expect(byRule(f, 'legacy/predates-v7')).toHaveLength(2);
  });
});

function note(title: string, opts: { aliases?: string[]; related?: string[]; body?: string } = {}): string {
  const list = (k: string, xs?: string[]) => (xs ? [`${k}:`, ...xs.map((x) => `  - ${x}`)] : []);
  return [
    '---',
    `title: ${title}`,
    ...list('aliases', opts.aliases),
    'tags:',
    '  - garden',
    ...list('related', opts.related),
    'created: 2025-10-02',
    'modified: 2025-10-03',
    '---',
    '',
    opts.body ?? `Notes on ${title}.`,
    '',
  ].join('\n');
}

describe('obsidian notes', () => {
  const vault = (focusBody: string, related: string[] = []) => ({
    'notes/Seed_Saving.md': note('Seed Saving', { aliases: ['Seed Keeping'] }),
    'notes/Compost_Tea.md': note('Compost Tea', { body: '## Brewing\n\nA day with air bubbling through.' }),
    'notes/Rain Barrels.md': note('Rain Barrels'),
    'notes/Focus.md': note('Focus', { related, body: focusBody }),
  });

  it('detects the kind', () => {
    expect(parseDocument('n.md', note('Seed Saving')).kind).toBe('obsidian-note');
  });

  it('wikilinks and related resolve to file names (any case) and aliases', () => {
    const body =
      'See [[Seed_Saving]], [[seed_saving|the basics]], [[Seed Keeping]], [[Compost_Tea#Brewing]] and [[Rain Barrels]].\n\n```\n[[Not A Link Inside Code]]\n```';
    const f = checkFiles(vault(body, ['Compost_Tea', '"[[Seed Keeping]]"', 'Rain Barrels']));
    expect(f).toEqual([]);
  });

  it('an unknown wikilink is links/unknown-target at its line and column, with a did-you-mean fix', () => {
    const body = 'Intro line.\n\nBrew some [[Compost_Taa]] before planting.';
    const files = vault(body);
    const findings = checkFiles(files);
    expect(rulesOf(findings)).toEqual(['links/unknown-target']);
    const f = findings[0]!;
    expect(f.file).toBe('notes/Focus.md');
    expect(f.line).toBe(lineOf(files['notes/Focus.md'], 'Compost_Taa'));
    expect(f.column).toBe('Brew some [['.length + 1);
    expect(f.message).toContain('Did you mean `Compost_Tea`');
    const fixed = fixFile(files, findings, 'notes/Focus.md');
    expect(fixed.text).toContain('Brew some [[Compost_Tea]] before planting.');
    expect(checkFiles(fixed.files)).toEqual([]);
  });

  it('an unknown related entry is reported at its list item', () => {
    const files = vault('Plain body.', ['Seed_Saving', 'Worm Farming']);
    const f = byRule(checkFiles(files), 'links/unknown-target');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(lineOf(files['notes/Focus.md'], '- Worm Farming'));
    expect(f[0]!.fix).toBeUndefined();
  });

  it('notes are not held to pattern rules', () => {
    const f = checkFiles({ 'Loose Note.md': note('Loose Note') });
    expect(f).toEqual([]);
  });
});

describe('wikilinks and code fences', () => {
  it('a ``` fence inside a ~~~ fence does not end it (no links read from code)', () => {
    const body = 'Before.\n\n~~~markdown\nExample:\n```\n[[Not A Real Note]]\n```\n[[Also Inside Code]]\n~~~\n\nAfter [[Compost_Tea]].';
    const files = { 'notes/Compost_Tea.md': note('Compost Tea'), 'notes/Focus.md': note('Focus', { body }) };
    expect(checkFiles(files)).toEqual([]);
  });

  it('a longer fence is only closed by a fence at least as long', () => {
    const body = '````\n```\n[[Inside Code]]\n```\n````\n[[Compost_Tea]]';
    const files = { 'notes/Compost_Tea.md': note('Compost Tea'), 'notes/Focus.md': note('Focus', { body }) };
    expect(checkFiles(files)).toEqual([]);
  });
});
