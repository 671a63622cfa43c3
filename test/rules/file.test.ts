/** File-level rules: bytes, fences and YAML problems become findings with ids, never exceptions. */
import { describe, expect, it } from 'vitest';
import { byRule, checkFiles, rulesOf } from '../helpers/check.js';
import { lineOf, mutate, patternCorpus } from '../helpers/pattern.js';

const FILE = 'community-seed-library.md';
const base = () => patternCorpus();
const only = (text: string | Uint8Array, config?: Record<string, unknown>) => checkFiles({ ...base(), [FILE]: text }, { only: [FILE], config });

describe('file rules', () => {
  it('the valid fixture triggers no file, frontmatter or yaml rule', () => {
    const f = only(base()[FILE] as string);
    expect(f).toEqual([]);
  });

  it('yaml/syntax at the exact file line and column (frontmatter offset included)', () => {
    const text = mutate(base()[FILE] as string, '  domain: food-commons', '  domain: [food-commons');
    const f = byRule(only(text), 'yaml/syntax');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('error');
    // The flow sequence is never closed: the parser notices at or after the opening line.
    expect(f[0]!.line).toBeGreaterThanOrEqual(lineOf(text, 'domain: [food-commons'));
    expect(f[0]!.line).toBeLessThanOrEqual(lineOf(text, 'license:') + 1);
  });

  it('yaml/syntax for a nested mapping on one line reports the offending line itself', () => {
    const text = mutate(base()[FILE] as string, '  status: draft', '  status: draft: final');
    const f = byRule(only(text), 'yaml/syntax');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(lineOf(text, 'status: draft: final'));
  });

  it('yaml/syntax for a duplicate key, at the repeated key', () => {
    const text = mutate(base()[FILE] as string, 'license: CC-BY-SA-4.0', 'license: CC-BY-SA-4.0\nlicense: CC0-1.0');
    const f = byRule(only(text), 'yaml/syntax');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(lineOf(text, 'license: CC0-1.0'));
    expect(f[0]!.message).toMatch(/YAML syntax error/);
  });

  it('yaml/too-complex for an alias bomb and for deep nesting, config limits respected', () => {
    const bomb = [
      '---',
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'title: x',
      '---',
      'body',
      '',
    ].join('\n');
    expect(rulesOf(only(bomb))).toContain('yaml/too-complex');
    const deep = `---\nid: pat_x\ntitle: x\nv: ${'['.repeat(80)}${']'.repeat(80)}\n---\n`;
    expect(rulesOf(only(deep))).toContain('yaml/too-complex');
    const shallowLimit = `---\ntitle: x\nv: ${'['.repeat(6)}${']'.repeat(6)}\n---\n`;
    expect(rulesOf(only(shallowLimit))).not.toContain('yaml/too-complex');
    expect(rulesOf(only(shallowLimit, { limits: { maxYamlDepth: 4 } }))).toContain('yaml/too-complex');
  });

  it('frontmatter/unclosed', () => {
    // The body's `---` rules would close the fence (as Jekyll does): use a body without any.
    const text = '---\nid: pat_x\ntitle: Unclosed\n\n# Unclosed\n\nThe fence never closes.\n';
    const f = only(text);
    expect(rulesOf(f)).toEqual(['frontmatter/unclosed']);
    expect(f[0]!.line).toBe(1);
  });

  it('frontmatter/too-large with a small configured limit', () => {
    const f = only(base()[FILE] as string, { limits: { maxFrontmatterBytes: 256 } });
    expect(rulesOf(f)).toContain('frontmatter/too-large');
  });

  it('frontmatter/not-mapping for a list or a scalar', () => {
    expect(rulesOf(only('---\n- a\n- b\n---\nbody\n'))).toContain('frontmatter/not-mapping');
    expect(rulesOf(only('---\njust words\n---\nbody\n'))).toContain('frontmatter/not-mapping');
  });

  it('frontmatter/missing for a pattern-looking file without frontmatter', () => {
    const f = only('# A pattern\n\n### Section 1: Context\n\nNo frontmatter at all.\n');
    expect(rulesOf(f)).toEqual(['frontmatter/missing']);
  });

  it('file/binary for NUL bytes', () => {
    const bytes = new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0x02]);
    expect(rulesOf(only(bytes))).toEqual(['file/binary']);
  });

  it('file/encoding for invalid UTF-8, at the bad byte', () => {
    const good = Buffer.from(base()[FILE] as string, 'utf8');
    const at = good.indexOf('Seed Stock');
    const bytes = Buffer.concat([good.subarray(0, at), Buffer.from([0xff, 0xfe]), good.subarray(at)]);
    const f = byRule(only(new Uint8Array(bytes)), 'file/encoding');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(lineOf(base()[FILE] as string, 'Seed Stock'));
  });

  it('file/too-large with a small configured limit', () => {
    const f = only(base()[FILE] as string, { limits: { maxFileBytes: 1024 } });
    expect(rulesOf(f)).toEqual(['file/too-large']);
  });

  it('file/empty', () => {
    expect(rulesOf(only(''))).toEqual(['file/empty']);
    expect(rulesOf(only('  \n\n'))).toEqual(['file/empty']);
  });

  it('file/bom is a notice and the file is otherwise checked normally', () => {
    const f = only(`\uFEFF${base()[FILE] as string}`);
    expect(rulesOf(f)).toEqual(['file/bom']);
    expect(f[0]!.severity).toBe('notice');
  });

  it('file/line-endings for CRLF, with line numbers unchanged', () => {
    const crlf = (base()[FILE] as string).replace(/\n/g, '\r\n');
    expect(rulesOf(only(crlf))).toEqual(['file/line-endings']);
    const broken = mutate(crlf, 'overall_score: 3.6', 'overall_score: 2.0');
    const f = byRule(only(broken), 'assessment/overall-score');
    expect(f[0]!.line).toBe(lineOf(broken, 'overall_score: 2.0'));
  });
});
