/** Link rules: unknown targets (did you mean), self links, duplicates, entry shapes, inferred types, reciprocity. */
import { describe, expect, it } from 'vitest';
import { byRule, checkFiles, fixFile, rulesOf } from '../helpers/check.js';
import { buildPattern, lineOf, mutate, patternCorpus } from '../helpers/pattern.js';

const FILE = 'community-seed-library.md';
const compost = () => buildPattern({ slug: 'compost-cooperative' });
const corpus = (extra: Record<string, string> = {}) => patternCorpus({ 'compost-cooperative.md': compost(), ...extra });
const withFocus = (text: string, extra: Record<string, string> = {}) => ({ ...corpus(extra), [FILE]: text });
const focus = () => corpus()[FILE] as string;
const ALTERNATIVES = '  alternatives: []';

describe('links/unknown-target', () => {
  it('is silent when every link resolves', () => {
    expect(checkFiles(corpus())).toEqual([]);
  });

  it('suggests and fixes the one clearly closest slug', () => {
    const text = mutate(focus(), ALTERNATIVES, '  alternatives:\n    - slug: compost-coperative\n      weight: 0.6');
    const files = withFocus(text);
    const findings = checkFiles(files);
    expect(rulesOf(findings)).toEqual(['links/unknown-target']);
    const f = findings[0]!;
    expect(f.severity).toBe('error');
    expect(f.line).toBe(lineOf(text, 'slug: compost-coperative'));
    // Frontmatter findings point at the key that holds the value.
    expect(f.column).toBe('    - '.length + 1);
    expect(f.message).toContain('Did you mean `compost-cooperative`?');
    expect(f.fix?.edits).toEqual([{ line: f.line, endLine: f.line, text: '    - slug: compost-cooperative\n' }]);
    const fixed = fixFile(files, findings, FILE);
    expect(checkFiles(fixed.files)).toEqual([]);
  });

  it('lists candidates and offers no fix when two names are equally close', () => {
    const extra = { 'seed-bank-east.md': buildPattern({ slug: 'seed-bank-east' }), 'seed-bank-west.md': buildPattern({ slug: 'seed-bank-west' }) };
    const text = mutate(focus(), ALTERNATIVES, '  alternatives:\n    - slug: seed-bank-eest\n      weight: 0.6');
    const f = byRule(checkFiles(withFocus(text, extra)), 'links/unknown-target');
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toBeUndefined();
    expect(f[0]!.candidates).toEqual(['seed-bank-east', 'seed-bank-west']);
    expect(f[0]!.message).toMatch(/Close matches: `seed-bank-east`, `seed-bank-west`/);
  });

  it('offers nothing for a name that is not a plausible typo', () => {
    const text = mutate(focus(), ALTERNATIVES, '  alternatives:\n    - slug: river-restoration-fund\n      weight: 0.6');
    const f = byRule(checkFiles(withFocus(text)), 'links/unknown-target');
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toBeUndefined();
    expect(f[0]!.candidates).toBeUndefined();
  });

  it('a dangling inferred link is a warning, with the same did-you-mean fix', () => {
    const text = mutate(focus(), '    - target: harvest-festival-rotation', '    - target: harvest-festival-rotaton');
    const files = withFocus(text);
    const findings = checkFiles(files);
    const f = byRule(findings, 'links/unknown-target');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.fix?.edits[0]!.text).toBe('    - target: harvest-festival-rotation\n');
    expect(checkFiles(fixFile(files, findings, FILE).files)).toEqual([]);
  });

  it('an unknown TypeID reference gets no did-you-mean', () => {
    const text = mutate(focus(), ALTERNATIVES, '  alternatives:\n    - id: pat_01h8x4e1gq7r9d1z2x3c4v5b6n\n      weight: 0.6');
    const f = byRule(checkFiles(withFocus(text)), 'links/unknown-target');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/refers to the id/);
    expect(f[0]!.fix).toBeUndefined();
  });

  it('fixes a quoted and a flow-sequence target too', () => {
    const text = mutate(focus(), ALTERNATIVES, '  alternatives: ["compost-coperative"]');
    const files = withFocus(text);
    const findings = checkFiles(files);
    const f = byRule(findings, 'links/unknown-target');
    expect(f).toHaveLength(1);
    expect(f[0]!.fix?.edits[0]!.text).toBe('  alternatives: ["compost-cooperative"]\n');
  });
});

describe('links/self and links/duplicate', () => {
  it('links/self in a curated relationship: reported, left to the author (no fix)', () => {
    const text = mutate(focus(), ALTERNATIVES, '  alternatives:\n    - slug: community-seed-library\n      weight: 0.6');
    const findings = checkFiles(withFocus(text));
    expect(rulesOf(findings)).toEqual(['links/self']);
    expect(findings[0]!.line).toBe(lineOf(text, '- slug: community-seed-library'));
    expect(findings[0]!.fix).toBeUndefined();
  });

  it('links/self in an inferred link: the fix deletes the entry', () => {
    const text = mutate(focus(), '    - target: harvest-festival-rotation', '    - target: community-seed-library');
    const files = withFocus(text);
    const findings = byRule(checkFiles(files), 'links/self');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.fix).toBeDefined();
    const fixed = fixFile(files, findings, FILE);
    expect(fixed.text).not.toContain('target: community-seed-library');
    expect(byRule(checkFiles(fixed.files), 'links/self')).toEqual([]);
  });

  it('links/duplicate points at the repeat and deletes it', () => {
    const text = mutate(
      focus(),
      '    - slug: harvest-festival-rotation\n      weight: 0.8',
      '    - slug: harvest-festival-rotation\n      weight: 0.8\n    - slug: harvest-festival-rotation\n      weight: 0.5',
    );
    const files = withFocus(text);
    const findings = checkFiles(files);
    expect(rulesOf(findings)).toEqual(['links/duplicate']);
    expect(findings[0]!.line).toBe(lineOf(text, 'weight: 0.5') - 1);
    const fixed = fixFile(files, findings, FILE);
    expect(fixed.text).toBe(focus());
  });
});

describe('links/entry-shape', () => {
  it('a bare string entry is rewritten as {slug, weight}', () => {
    const text = mutate(focus(), ALTERNATIVES, '  alternatives:\n    - compost-cooperative');
    const files = withFocus(text);
    const findings = checkFiles(files);
    expect(rulesOf(findings)).toEqual(['links/entry-shape']);
    expect(findings[0]!.message).toMatch(/bare name/);
    const fixed = fixFile(files, findings, FILE);
    expect(fixed.text).toContain('  alternatives:\n    - slug: compost-cooperative\n');
    expect(checkFiles(fixed.files)).toEqual([]);
  });

  it('{id, weight, description} is rewritten with the slug of that id, keeping the other values', () => {
    const id = /id: (pat_\w+)/.exec(compost())![1]!;
    const text = mutate(focus(), ALTERNATIVES, `  alternatives:\n    - id: ${id}\n      weight: 0.6\n      description: "Both turn surplus into shared soil"`);
    const files = withFocus(text);
    const findings = checkFiles(files);
    expect(rulesOf(findings)).toEqual(['links/entry-shape']);
    expect(findings[0]!.message).toMatch(/keyed by `id`/);
    const fixed = fixFile(files, findings, FILE);
    // Only the key and the id change: the description keeps its quotes.
    expect(fixed.text).toContain('    - slug: compost-cooperative\n      weight: 0.6\n      description: "Both turn surplus into shared soil"\n');
    expect(checkFiles(fixed.files)).toEqual([]);
  });

  it('an inferred link keyed by slug is rewritten with target', () => {
    const text = mutate(focus(), '    - target: harvest-festival-rotation', '    - slug: harvest-festival-rotation');
    const files = withFocus(text);
    const findings = checkFiles(files);
    // The schema's "required `target`" is the same problem: one finding.
    expect(rulesOf(findings)).toEqual(['links/entry-shape']);
    const fixed = fixFile(files, findings, FILE);
    expect(checkFiles(fixed.files)).toEqual([]);
  });
});

describe('links/inferred-type', () => {
  it.each([
    ['enabled_by', 'requires'],
    ['specializes', 'specializes_to'],
    ['complements', 'complementary'],
    ['Depends On', 'requires'],
  ])('%s is fixed to %s', (variant, canonical) => {
    const text = mutate(focus(), '      type: complementary', `      type: ${variant}`);
    const files = withFocus(text);
    const findings = checkFiles(files);
    expect(rulesOf(findings)).toEqual(['links/inferred-type']);
    expect(findings[0]!.line).toBe(lineOf(text, `type: ${variant}`));
    expect(findings[0]!.message).toContain(`Did you mean \`${canonical}\``);
    const fixed = fixFile(files, findings, FILE);
    expect(fixed.text).toBe(mutate(focus(), '      type: complementary', `      type: ${canonical}`));
    expect(checkFiles(fixed.files)).toEqual([]);
  });

  it('enabler names no direction: both readings offered, no fix', () => {
    const f = byRule(checkFiles(withFocus(mutate(focus(), '      type: complementary', '      type: enabler'))), 'links/inferred-type');
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toBeUndefined();
    expect(f[0]!.candidates).toEqual(['enables', 'requires']);
  });

  it('an unknown type gets no fix; `related` is in the vocabulary', () => {
    const f = byRule(checkFiles(withFocus(mutate(focus(), '      type: complementary', '      type: vibes'))), 'links/inferred-type');
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toBeUndefined();
    expect(checkFiles(withFocus(mutate(focus(), '      type: complementary', '      type: related')))).toEqual([]);
  });
});

describe('links/entry-shape and external tools', () => {
  it('a `tools` entry naming software outside the library is not a malformed link; a bare pattern name there still is', () => {
    const tools = (lines: string) => mutate(focus(), '  tools: []', `  tools:\n${lines}`);
    expect(byRule(checkFiles(withFocus(tools('    - name: "Git"\n      role: "Version control"\n'))), 'links/entry-shape')).toEqual([]);
    expect(byRule(checkFiles(withFocus(tools('    - shared-tool-shed\n'))), 'links/entry-shape')).toHaveLength(1);
  });
});

describe('links/reciprocal', () => {
  it('an empty flow list gets the inverse entry added', () => {
    const files = { ...corpus(), 'shared-tool-shed.md': buildPattern({ slug: 'shared-tool-shed' }) };
    const findings = checkFiles(files);
    expect(rulesOf(findings)).toEqual(['links/reciprocal']);
    const f = findings[0]!;
    expect(f.file).toBe('shared-tool-shed.md');
    expect(f.message).toContain('relationships.requires');
    const fixed = fixFile(files, findings, 'shared-tool-shed.md');
    expect(fixed.text).toContain('  requires:\n    - slug: community-seed-library\n');
    expect(checkFiles(fixed.files)).toEqual([]);
  });

  it('a block list gets the entry appended after its last item', () => {
    const files = corpus({
      'compost-cooperative.md': buildPattern({ slug: 'compost-cooperative', relationships: { generalizes_from: ['mutual-aid-network'] } }),
    });
    const findings = checkFiles(files);
    expect(rulesOf(findings)).toEqual(['links/reciprocal']);
    expect(findings[0]!.file).toBe('mutual-aid-network.md');
    const fixed = fixFile(files, findings, 'mutual-aid-network.md');
    expect(fixed.text).toContain('  specializes_to:\n    - slug: community-seed-library\n      weight: 0.8\n    - slug: compost-cooperative\n');
    expect(checkFiles(fixed.files)).toEqual([]);
  });

  it('both sides claiming the same direction of each other: reported on both, no fix', () => {
    const files = corpus({
      'compost-cooperative.md': buildPattern({ slug: 'compost-cooperative', relationships: { generalizes_from: ['mutual-aid-network'] } }),
      'mutual-aid-network.md': buildPattern({ slug: 'mutual-aid-network', relationships: { generalizes_from: ['compost-cooperative'] } }),
    });
    const clash = byRule(checkFiles(files), 'links/reciprocal').filter((f) => /compost-cooperative|mutual-aid-network/.test(f.target));
    expect(clash.map((f) => f.file).sort()).toEqual(['compost-cooperative.md', 'mutual-aid-network.md']);
    for (const f of clash) {
      expect(f.fix).toBeUndefined();
      expect(f.message).toContain('disagree on the direction');
    }
  });

  it('complementary and alternatives are not required both ways', () => {
    const files = corpus({ 'compost-cooperative.md': buildPattern({ slug: 'compost-cooperative', relationships: { complementary: ['shared-tool-shed'] } }) });
    expect(checkFiles(files)).toEqual([]);
  });
});
