/** Schema, identity, date and garden rules on the valid fixture and one mutation each. */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/document.js';
import { byRule, checkFiles, fixFile, rulesOf } from '../helpers/check.js';
import { buildPattern, lineOf, mutate, patternCorpus, typeIdFor } from '../helpers/pattern.js';

const FILE = 'community-seed-library.md';
const base = () => patternCorpus();
const withFile = (text: string, name = FILE) => ({ ...base(), [name]: text });
const only = (text: string, opts: { today?: string; config?: Record<string, unknown> } = {}) => checkFiles(withFile(text), { only: [FILE], ...opts });

describe('schema rules', () => {
  it('are silent on the valid fixture', () => {
    expect(checkFiles(base())).toEqual([]);
  });

  it('schema/required names the missing key, at its parent', () => {
    const text = mutate(base()[FILE] as string, /\nsummary: >-\n.*\n/, '\n');
    const f = byRule(only(text), 'schema/required');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('`summary`');
    const nested = mutate(base()[FILE] as string, '    primary_tension: "Sharing Freely vs Keeping Stock Safe"\n', '');
    const g = byRule(only(nested), 'schema/required');
    expect(g).toHaveLength(1);
    expect(g[0]!.message).toContain('primary_tension');
    expect(g[0]!.line).toBe(lineOf(nested, '  search_hints:'));
  });

  it('schema/invalid for a wrong type and an enum value, at the key', () => {
    const text = mutate(base()[FILE] as string, '  status: draft', '  status: finished');
    const f = byRule(only(text), 'schema/invalid');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(lineOf(text, '  status: finished'));
    expect(f[0]!.message).toMatch(/draft, revised, stable, deprecated/);
    const typed = mutate(base()[FILE] as string, '  confidence: 2', '  confidence: high');
    expect(byRule(only(typed), 'schema/invalid')[0]!.line).toBe(lineOf(typed, '  confidence: high'));
  });
});

describe('identity rules', () => {
  it('identity/slug-filename with a fix that sets the slug to the file name', () => {
    const text = mutate(base()[FILE] as string, 'slug: community-seed-library', 'slug: community-seed-lib');
    const findings = only(text);
    const f = byRule(findings, 'identity/slug-filename');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(lineOf(text, 'slug: community-seed-lib'));
    expect(f[0]!.fix).toBeDefined();
    const fixed = fixFile(withFile(text), findings, FILE, 'identity/slug-filename');
    expect(fixed.text).toBe(base()[FILE]);
  });

  it('identity/slug-filename offers no fix when the file name is not a valid slug', () => {
    const files = { ...base(), 'Seed Library.md': buildPattern({ slug: 'seed-library' }) };
    const f = byRule(checkFiles(files), 'identity/slug-filename');
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toBeUndefined();
  });

  it('identity/slug-format', () => {
    const files = { ...base(), 'Seed_Library.md': buildPattern({ slug: 'Seed_Library' }) };
    const f = checkFiles(files, { only: ['Seed_Library.md'] });
    expect(rulesOf(f)).toEqual(['identity/slug-format']);
  });

  it('identity/duplicate-slug names the other file', () => {
    const files = { ...base(), 'archive/community-seed-library.md': buildPattern({ slug: 'community-seed-library', id: typeIdFor('another') }) };
    const f = byRule(checkFiles(files), 'identity/duplicate-slug');
    expect(f.map((x) => x.file).sort()).toEqual(['archive/community-seed-library.md', FILE]);
    expect(f[0]!.message).toContain('community-seed-library.md');
  });

  it('identity/duplicate-id', () => {
    const files = { ...base(), 'compost-cooperative.md': buildPattern({ slug: 'compost-cooperative', id: typeIdFor('community-seed-library') }) };
    const f = byRule(checkFiles(files), 'identity/duplicate-id');
    expect(f.map((x) => x.file).sort()).toEqual(['community-seed-library.md', 'compost-cooperative.md']);
  });

  it('identity/id-format: TypeIDs pass; a 24-hex id in a library of TypeIDs is a TypeID of the wrong length; anything else warns', () => {
    const hex = only(mutate(base()[FILE] as string, /id: pat_\w+/, 'id: pat_0123456789abcdef01234567'));
    expect(rulesOf(hex)).toEqual(['identity/id-format']);
    expect(hex[0]!.message).toMatch(/24 characters after `pat_`/);
    const f = only(mutate(base()[FILE] as string, /id: pat_\w+/, 'id: pattern-17'));
    expect(rulesOf(f)).toEqual(['identity/id-format']);
    expect(f[0]!.severity).toBe('warning');
    // "u" is not in the Crockford alphabet.
    expect(rulesOf(only(mutate(base()[FILE] as string, /id: pat_\w+/, `id: pat_0${'u'.repeat(25)}`)))).toEqual(['identity/id-format']);
  });
});

describe('dates/invalid', () => {
  it('2026-02-30 is not a date; a leap day is', () => {
    const text = mutate(base()[FILE] as string, /last_pruned: [\d-]+/, 'last_pruned: 2026-02-30');
    const f = only(text);
    expect(rulesOf(f)).toEqual(['dates/invalid']);
    expect(f[0]!.line).toBe(lineOf(text, 'last_pruned: 2026-02-30'));
    // 2024 is a leap year; 2024-02-29 is only stale.
    expect(rulesOf(only(mutate(base()[FILE] as string, /last_pruned: [\d-]+/, 'last_pruned: 2024-02-29')))).toEqual(['garden/last-pruned-stale']);
  });

  it('checks lifecycle.last_updated and free-form dates too', () => {
    const text = mutate(base()[FILE] as string, '  status: draft', '  status: draft\n  last_updated: "next spring"');
    expect(rulesOf(only(text))).toEqual(['dates/invalid']);
  });
});

describe('garden/last-pruned-stale', () => {
  it('uses the injected today and staleAfterDays', () => {
    const text = mutate(base()[FILE] as string, /last_pruned: [\d-]+/, 'last_pruned: 2026-08-23'); // 90 days before 2026-11-21
    expect(rulesOf(only(text))).toEqual([]);
    const f = only(text, { today: '2026-11-22' });
    expect(rulesOf(f)).toContain('garden/last-pruned-stale');
    expect(byRule(f, 'garden/last-pruned-stale')[0]!.message).toContain('91 days');
    expect(rulesOf(only(text, { today: '2026-11-22', config: { staleAfterDays: 120 } }))).not.toContain('garden/last-pruned-stale');
  });

  it('a date in the future is not stale', () => {
    expect(rulesOf(only(mutate(base()[FILE] as string, /last_pruned: [\d-]+/, 'last_pruned: 2027-01-01')))).toEqual([]);
  });
});

describe('rule configuration', () => {
  it('rules can be turned off or re-graded per id', () => {
    const text = mutate(base()[FILE] as string, /id: pat_\w+/, 'id: pattern-17');
    expect(rulesOf(only(text, { config: { rules: { 'identity/id-format': 'off' } } }))).toEqual([]);
    expect(only(text, { config: { rules: { 'identity/id-format': 'error' } } })[0]!.severity).toBe('error');
  });

  it('the document kind detected for the fixture is commons-pattern', () => {
    expect(parseDocument(FILE, base()[FILE] as string).kind).toBe('commons-pattern');
  });
});
