/**
 * Hostile and broken files each give a clear finding (or a refusal of the whole file), never an
 * exception, a hang or runaway memory. No test here measures time: each input is one that a quadratic
 * or exponential reading would take minutes or hours on, so the suite's generous per-test timeout
 * (HANG_GUARD_MS) is the guard, and the speed itself belongs to `npm run bench`.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { CorpusIndex } from '../../src/core/corpus.js';
import { requireDate } from '../../src/core/dates.js';
import { DEFAULT_LIMITS, parseDocument } from '../../src/core/document.js';
import { Engine } from '../../src/core/engine.js';
import type { Finding } from '../../src/core/finding.js';

const TODAY = requireDate('2026-11-21');
/** Far above any linear reading of these inputs (milliseconds), far below a super-linear one (minutes). */
const HANG_GUARD_MS = 120_000;

const VALID_HEAD = `id: pat_01h8x4e1gq7r9d1z2x3c4v5b6n
slug: hostile
title: "Hostile"
summary: "A file written to attack the checker."
`;

function check(name: string, content: string | Uint8Array): { findings: Finding[] } {
  const doc = parseDocument(name, content);
  const corpus = CorpusIndex.fromDocuments([doc]);
  const findings = new Engine({ config: structuredClone(DEFAULT_CONFIG), today: TODAY }).checkDocument(doc, corpus);
  // Rendering touches every lazily computed part too.
  doc.sections();
  return { findings };
}

function rules(fs: Finding[]): string[] {
  return [...new Set(fs.map((f) => f.rule))];
}

describe('hostile files', { timeout: HANG_GUARD_MS }, () => {
  it('YAML alias bomb ("billion laughs") is refused, not expanded', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const { findings } = check('bomb.md', `---\n${levels.join('\n')}\n---\nbody\n`);
    expect(rules(findings)).toContain('yaml/too-complex');
  });

  it('nesting 10,000 deep is refused before the parser recurses', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const { findings } = check('deep.md', `---\n${VALID_HEAD}x: ${deep}\n---\n`);
    expect(rules(findings)).toContain('yaml/too-complex');
    // 10,000 levels of indentation would be a 50 MB file (refused by size); 900 levels fit the limits.
    const indented = Array.from({ length: 900 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    const r2 = check('deep2.md', `---\n${indented}\n---\n`);
    expect(rules(r2.findings)).toContain('yaml/too-complex');
  });

  it('a double-quoted value of 2,000,000 escapes on one line is read in linear time', () => {
    // Limits raised so the line reaches the parser: were each escape to restart the search for the
    // closing quote, this line would take minutes (about 4e12 characters scanned), not milliseconds.
    const limits = { ...DEFAULT_LIMITS, maxFileBytes: 16 * 1024 * 1024, maxFrontmatterBytes: 16 * 1024 * 1024 };
    const doc = parseDocument('escapes.md', `---\n${VALID_HEAD}note: "${'\\t'.repeat(2_000_000)}"\n---\n`, { limits });
    expect(doc.problems).toEqual([]);
    expect((doc.frontmatter?.data as { note: string } | undefined)?.note).toBe('\t'.repeat(2_000_000));
  });

  it('5 MB frontmatter is refused by size, and so is one just over the frontmatter limit', () => {
    const big = `---\n${VALID_HEAD}blob: "${'x'.repeat(5 * 1024 * 1024)}"\n---\n`;
    const { findings } = check('big.md', big);
    expect(rules(findings)).toEqual(['file/too-large']);
    const over = `---\n${VALID_HEAD}blob: "${'x'.repeat(600 * 1024)}"\n---\n`;
    const r2 = check('over.md', over);
    expect(rules(r2.findings)).toContain('frontmatter/too-large');
  });

  it('a 50 MB file is refused whole', () => {
    const bytes = new Uint8Array(50 * 1024 * 1024).fill(0x61);
    const { findings } = check('huge.md', bytes);
    expect(rules(findings)).toEqual(['file/too-large']);
  });

  it('__proto__, constructor and prototype keys do not pollute prototypes', () => {
    const { findings } = check(
      'proto.md',
      `---\n${VALID_HEAD}__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    polluted: yes\nrelationships:\n  __proto__: [x]\n---\n`,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(Array.isArray(findings)).toBe(true);
  });

  it('duplicate keys, tabs, CRLF, BOM and NUL bytes each give a finding', () => {
    expect(rules(check('dup.md', `---\n${VALID_HEAD}slug: again\n---\n`).findings)).toContain('yaml/syntax');
    expect(rules(check('tab.md', `---\n${VALID_HEAD}ontology:\n\tdomain: x\n---\n`).findings)).toContain('yaml/syntax');
    expect(rules(check('crlf.md', `---\r\n${VALID_HEAD.replace(/\n/g, '\r\n')}---\r\n`).findings)).toContain('file/line-endings');
    expect(rules(check('bom.md', `\uFEFF---\n${VALID_HEAD}---\n`).findings)).toContain('file/bom');
    expect(rules(check('nul.md', new Uint8Array([45, 45, 45, 10, 0, 1, 2])).findings)).toEqual(['file/binary']);
  });

  it('invalid UTF-8 is reported with its line', () => {
    const head = new TextEncoder().encode(`---\n${VALID_HEAD}---\nline one\n`);
    const bytes = new Uint8Array([...head, 0xc3, 0x28, 10]);
    const f = check('latin1.md', bytes).findings.find((x) => x.rule === 'file/encoding');
    expect(f?.line).toBe(8);
  });

  it('impossible dates, NaN and Infinity scores, numbers for strings give findings', () => {
    const text = `---\n${VALID_HEAD}ontology:\n  domain: 7\n  search_hints: {primary_tension: "A vs. B"}\n  commons_assessment:\n    stakeholder_architecture: .nan\n    value_creation: .inf\n    resilience: 3\n    ownership: 3\n    autonomy: 3\n    composability: 3\n    fractal_value: 3\n    vitality: 3\n    overall_score: 3\nlifecycle: {status: draft, confidence: 1}\nrelationships: {}\ngraph_garden:\n  last_pruned: 2026-02-30\n  inferred_links: []\n---\n`;
    const found = rules(check('values.md', text).findings);
    expect(found).toContain('dates/invalid');
    expect(found).toContain('assessment/range');
    expect(found).toContain('schema/invalid');
  });

  it('100,000 list items and 10,000-character slugs and wikilinks are checked', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => `  - slug: s${i}`).join('\n');
    const r = check('many.md', `---\n${VALID_HEAD}relationships:\n  enables:\n${items}\n---\n`);
    expect(r.findings.length).toBeGreaterThan(0);
    const longSlug = 'a'.repeat(10_000);
    const r2 = check('long.md', `---\n${VALID_HEAD}relationships:\n  enables:\n    - slug: ${longSlug}\n---\n[[${'b'.repeat(10_000)}]]\n`);
    expect(rules(r2.findings)).toContain('links/unknown-target');
    const note = check('note.md', `---\ntitle: n\ntags: [a]\n---\n${'[['.repeat(5000)}${'x'.repeat(10_000)}${']]'.repeat(5000)}\n`);
    // 5,000 unclosed openers before one long name: no link is read, and nothing throws.
    expect(note.findings).toEqual([]);
  });

  it('regex-heavy inputs do not backtrack catastrophically', () => {
    const evil = [
      `---\n${VALID_HEAD}${'a:'.repeat(20_000)}\n---\n`,
      `---\n${VALID_HEAD}x: "${'\\"'.repeat(20_000)}\n---\n`,
      `---\n${VALID_HEAD}---\n${'#'.repeat(6)} ${' '.repeat(50_000)}#\n`,
      `---\n${VALID_HEAD}---\n### Section 2: Problem\n> **The core conflict is ${'a vs. '.repeat(20_000)}**x\n`,
      `---\n${VALID_HEAD}---\n${'*('.repeat(20_000)}\n${'- '.repeat(30_000)}\n`,
      `---\n${VALID_HEAD}relationships:\n  enables: [${'"a", '.repeat(20_000)}\n---\n`,
      `---\n${' '.repeat(100_000)}x: 1\n---\n`,
    ];
    for (const [i, text] of evil.entries()) {
      expect(Array.isArray(check(`evil${i}.md`, text).findings), `input ${i}`).toBe(true);
    }
  });

  it('empty files and files without frontmatter give a finding', () => {
    expect(rules(check('empty.md', '').findings)).toContain('file/empty');
    // A file with no frontmatter and nothing pattern-like is an ordinary document: not checked.
    expect(check('plain.md', '# Just a heading\n').findings).toEqual([]);
    expect(rules(check('broken.md', 'id: pat_x\ntitle: Broken\n---\n# Just a heading\n').findings)).toContain('frontmatter/missing');
  });
});
