/**
 * Number prefixes, TypeID lengths, and a repository's own conventions from the config: reserved keys,
 * layout headings, sections and rule severities per kind.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/document.js';
import { byRule, checkFiles, fixFile, rulesOf } from '../helpers/check.js';
import { buildPattern, mutate, patternCorpus } from '../helpers/pattern.js';

const FILE = 'community-seed-library.md';
const valid = () => patternCorpus()[FILE] as string;
const only = (text: string, config?: Record<string, unknown>, file = FILE) => checkFiles({ ...patternCorpus(), [file]: text }, { only: [file], config });

describe('identity/number-prefix', () => {
  it('an ordering number in the title is reported and removed', () => {
    const text = mutate(valid(), 'title: "Community Seed Library"', 'title: "12. Community Seed Library"');
    const f = byRule(only(text), 'identity/number-prefix');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/ordering number `12`/);
    const fixed = fixFile({ [FILE]: text }, f, FILE).text;
    expect(parseDocument(FILE, fixed).frontmatter?.data?.title).toBe('Community Seed Library');
    expect(byRule(only(fixed), 'identity/number-prefix')).toEqual([]);
  });

  it('a slug and file name whose number the title does not have: rename both', () => {
    const file = '7-seed-swap.md';
    const f = byRule(only(buildPattern({ slug: '7-seed-swap', title: 'Seed Swap' }), undefined, file), 'identity/number-prefix');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/Rename the slug to `seed-swap` and the file to `seed-swap.md`/);
  });

  it('a file name with an ordering prefix before the right slug: rename the file, do not copy the prefix into the slug', () => {
    const f = byRule(only(buildPattern({ slug: 'seed-swap', title: 'Seed Swap' }), undefined, '12-seed-swap.md'), 'identity/slug-filename');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/ordering prefix `12-`.*rename the file to `seed-swap.md`/);
    expect(f[0]!.fix).toBeUndefined();
  });

  it('a number that is part of the name is not a prefix', () => {
    for (const [slug, title] of [
      ['5-whys', '5 Whys'],
      ['5-whys', 'Five Whys'],
      ['360-degree-feedback', '360-Degree Feedback'],
      ['12-angry-stewards', '12 Angry Stewards'],
      ['3d-seed-printing', '3D Seed Printing'],
    ] as [string, string][]) {
      expect(rulesOf(only(buildPattern({ slug, title }), undefined, `${slug}.md`)), slug).not.toContain('identity/number-prefix');
    }
  });
});

describe('identity/id-format and 24-hex ids', () => {
  const hex = 'pat_01c7c8bcc9a94ae8820a5f26';
  it('a 24-character hex id in a v7.1 file of a TypeID library is a TypeID of the wrong length', () => {
    const text = mutate(valid(), /^id: .*$/m, `id: ${hex}`);
    const f = byRule(only(text), 'identity/id-format');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/24 characters after `pat_`/);
  });

  it('where most patterns of the kind have 24-hex ids, that is the convention', () => {
    const files = patternCorpus();
    let i = 0;
    for (const name of Object.keys(files)) files[name] = mutate(files[name] as string, /^id: .*$/m, `id: pat_${String(++i).padStart(24, 'a')}`);
    expect(byRule(checkFiles(files), 'identity/id-format')).toEqual([]);
  });

  it('classification-era files keep their hex ids', () => {
    const legacy = `---\nid: ${hex}\nslug: old-seed-swap\ntitle: Old Seed Swap\nclassification:\n  status: draft\n---\n# Old Seed Swap\n`;
    expect(byRule(only(legacy, undefined, 'old-seed-swap.md'), 'identity/id-format')).toEqual([]);
  });
});

describe('site.reservedKeys and site.layoutHeadings', () => {
  const withTags = mutate(valid(), 'license: CC-BY-SA-4.0', 'license: CC-BY-SA-4.0\ntags:\n  domain: food');
  const withNav = `${valid()}\n---\n\n## Navigation\n\n- [Edit this pattern](https://example.test/edit)\n\n---\n\n*Seed Library footer*\n`;

  it('both lists are empty by default: nothing is reported', () => {
    expect(rulesOf(only(withTags))).not.toContain('site/reserved-key');
    expect(rulesOf(only(withNav))).not.toContain('site/layout-heading');
  });

  it('a reserved key is reported; with `key->replacement` the fix renames it', () => {
    const f = byRule(only(withTags, { site: { reservedKeys: ['tags->keywords'] } }), 'site/reserved-key');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/`tags` is reserved by the site generator/);
    const fixed = fixFile({ [FILE]: withTags }, f, FILE).text;
    expect(fixed).toContain('\nkeywords:\n  domain: food');
    expect(byRule(only(fixed, { site: { reservedKeys: ['tags->keywords'] } }), 'site/reserved-key')).toEqual([]);
  });

  it('a section the layout renders is reported and deleted up to the rule that closes it', () => {
    const f = byRule(only(withNav, { site: { layoutHeadings: ['navigation'] } }), 'site/layout-heading');
    expect(f).toHaveLength(1);
    const fixed = fixFile({ [FILE]: withNav }, f, FILE).text;
    expect(fixed).not.toContain('Navigation');
    expect(fixed).toContain('*Seed Library footer*');
  });
});

describe('sectionsByKind and rulesByKind', () => {
  const legacy = (body: string) =>
    `---\nid: pat_d508c16cc7364a36a0fe4316\nslug: old-seed-swap\ntitle: Old Seed Swap\nclassification:\n  status: draft\n---\n# Old Seed Swap\n\n${body}`;
  const config = { sectionsByKind: { 'commons-pattern-legacy': ['Overview', 'Core Principles', 'Implementation'] } };

  it('sections of the classification era, numbered and with word hints, in order: clean', () => {
    const body = '### 1. Overview (150-300 words)\n\nText.\n\n### 2. Core Principles\n\nText.\n\n### 3. Implementation\n\nText.\n';
    expect(byRule(only(legacy(body), config, 'old-seed-swap.md'), 'body/section-list')).toEqual([]);
  });

  it('a missing section and one out of order are reported', () => {
    const body = '### 1. Implementation\n\nText.\n\n### 2. Overview\n\nText.\n';
    const f = byRule(only(legacy(body), config, 'old-seed-swap.md'), 'body/section-list');
    expect(f.map((x) => x.message).sort()).toEqual([
      expect.stringMatching(/`Core Principles` section is missing/),
      expect.stringMatching(/`Implementation` section comes before `Overview`/),
    ]);
  });

  it('rulesByKind sets a severity for one kind only, and turns a rule off for one kind', () => {
    const body = '### 1. Overview\n\nText.\n';
    const warn = byRule(
      only(legacy(body), { ...config, rulesByKind: { 'commons-pattern-legacy': { 'body/section-list': 'warning' } } }, 'old-seed-swap.md'),
      'body/section-list',
    );
    expect(warn.map((x) => x.severity)).toEqual(['warning', 'warning']);
    const off = only(legacy(body), { ...config, rulesByKind: { 'commons-pattern-legacy': { 'legacy/predates-v7': 'off' } } }, 'old-seed-swap.md');
    expect(rulesOf(off)).not.toContain('legacy/predates-v7');
    const onForKind = only(
      legacy(body),
      { rules: { 'legacy/predates-v7': 'off' }, rulesByKind: { 'commons-pattern-legacy': { 'legacy/predates-v7': 'warning' } } },
      'old-seed-swap.md',
    );
    expect(byRule(onForKind, 'legacy/predates-v7').map((x) => x.severity)).toEqual(['warning']);
  });
});
