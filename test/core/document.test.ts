/** The document model: hostile and odd inputs become problems (findings), never exceptions. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, parseDocument, type FileProblemCode } from '../../src/core/document.js';
import { buildPattern, lineOf } from '../helpers/pattern.js';
import { propertyRuns } from '../helpers/runs.js';

const codes = (text: string | Uint8Array) => parseDocument('p.md', text).problems.map((p) => p.code);
const valid = () => buildPattern({ slug: 'community-seed-library' });

describe('parseDocument: bytes and fences', () => {
  it('the valid fixture has no problems, frontmatter from line 1 and the body after the fence', () => {
    const text = valid();
    const doc = parseDocument('community-seed-library.md', text);
    expect(doc.problems).toEqual([]);
    expect(doc.frontmatter?.openLine).toBe(1);
    const close = text.split('\n').indexOf('---', 1) + 1;
    expect(doc.frontmatter?.closeLine).toBe(close);
    expect(doc.bodyLine).toBe(close + 1);
    expect(doc.slug).toBe('community-seed-library');
    expect(doc.basename).toBe('community-seed-library');
  });

  it('CRLF: one problem, text normalised, every line number unchanged', () => {
    const lf = parseDocument('p.md', valid());
    const crlf = parseDocument('p.md', valid().replace(/\n/g, '\r\n'));
    expect(crlf.problems.map((p) => p.code)).toEqual(['file/line-endings']);
    expect(crlf.eol).toBe('\r\n');
    expect(crlf.text).toBe(lf.text);
    expect(crlf.locate(['graph_garden', 'last_pruned'])).toEqual(lf.locate(['graph_garden', 'last_pruned']));
    expect(crlf.sections().map((s) => s.line)).toEqual(lf.sections().map((s) => s.line));
    // Old Mac CR-only endings too.
    expect(codes('---\rtitle: x\r---\rbody\r')).toEqual(['file/line-endings']);
  });

  it('BOM: one notice-level problem, frontmatter still read', () => {
    const doc = parseDocument('p.md', `\uFEFF${valid()}`);
    expect(doc.problems.map((p) => p.code)).toEqual(['file/bom']);
    expect(doc.bom).toBe(true);
    expect(doc.frontmatter?.data?.slug).toBe('community-seed-library');
    // As bytes, too.
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('---\ntitle: x\n---\n')]);
    expect(codes(bytes)).toEqual(['file/bom']);
  });

  it('tabs in YAML indentation are a yaml/syntax problem at their line', () => {
    const text = '---\ntitle: Tabbed\nontology:\n\tdomain: soil\n---\nbody\n';
    const doc = parseDocument('p.md', text);
    expect(doc.problems.map((p) => p.code)).toEqual(['yaml/syntax']);
    expect(doc.problems[0]!.line).toBe(4);
    expect(doc.frontmatter?.data).toBeNull();
  });

  it('empty and whitespace-only files', () => {
    expect(codes('')).toEqual(['file/empty']);
    expect(codes(new Uint8Array(0))).toEqual(['file/empty']);
    expect(codes('\n\n   \n')).toEqual(['file/empty']);
  });

  it('no frontmatter: no problem from the model, body from line 1', () => {
    const doc = parseDocument('p.md', '# Title\n\nSome text.\n');
    expect(doc.problems).toEqual([]);
    expect(doc.frontmatter).toBeNull();
    expect(doc.bodyLine).toBe(1);
    expect(doc.sections()[0]!.line).toBe(1);
    // A fence that is not on line 1 is not frontmatter.
    expect(parseDocument('p.md', '\n---\ntitle: x\n---\n').frontmatter).toBeNull();
  });

  it('unclosed frontmatter', () => {
    const doc = parseDocument('p.md', '---\ntitle: x\nslug: y\n');
    expect(doc.problems.map((p) => p.code)).toEqual(['frontmatter/unclosed']);
    expect(doc.frontmatter).toBeNull();
    expect(codes('---')).toEqual(['frontmatter/unclosed']);
  });

  it('`...` closes frontmatter as YAML allows', () => {
    const doc = parseDocument('p.md', '---\ntitle: x\n...\nbody\n');
    expect(doc.problems).toEqual([]);
    expect(doc.frontmatter?.data).toEqual({ title: 'x' });
    expect(doc.bodyLine).toBe(4);
  });

  it('non-UTF-8 bytes: file/encoding at the first bad byte, text decoded with U+FFFD', () => {
    const bytes = new Uint8Array([...Buffer.from('---\ntitle: caf'), 0xe9, ...Buffer.from('\n---\nbody\n')]);
    const doc = parseDocument('p.md', bytes);
    expect(doc.problems.map((p) => p.code)).toEqual(['file/encoding']);
    expect(doc.problems[0]).toMatchObject({ line: 2, column: 11 });
    expect(doc.frontmatter?.data?.title).toBe('caf\uFFFD');
  });

  it('binary (NUL bytes): refused unparsed', () => {
    const doc = parseDocument('p.md', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x0d, 0x0a]));
    expect(doc.problems.map((p) => p.code)).toEqual(['file/binary']);
    expect(doc.frontmatter).toBeNull();
    expect(doc.sections()).toEqual([]);
  });

  it('too large: refused by size without reading', () => {
    const doc = parseDocument('p.md', new Uint8Array(0), { sizeOnDisk: 10 * 1024 * 1024 });
    expect(doc.problems.map((p) => p.code)).toEqual(['file/too-large']);
  });
});

describe('parseDocument: YAML', () => {
  it('duplicate keys are a yaml/syntax problem at the duplicate (file line)', () => {
    const text = '---\ntitle: One\nslug: one\ntitle: Two\n---\n';
    const doc = parseDocument('p.md', text);
    expect(doc.problems.map((p) => p.code)).toEqual(['yaml/syntax']);
    expect(doc.problems[0]).toMatchObject({ line: 4, column: 1 });
  });

  it('syntax error line numbers include the frontmatter offset', () => {
    const text = '---\ntitle: x\nsummary: "unterminated\nslug: y\n---\nbody\n';
    const doc = parseDocument('p.md', text);
    expect(doc.problems.map((p) => p.code)).toEqual(['yaml/syntax']);
    expect(doc.problems[0]!.line).toBeGreaterThanOrEqual(3);
    const bad = '---\na: 1\nb: 2\nc: [1, 2\nd: 4\n---\n';
    const p = parseDocument('p.md', bad).problems[0]!;
    expect(p.code).toBe('yaml/syntax');
    expect(p.line).toBeGreaterThanOrEqual(4);
    expect(p.line).toBeLessThanOrEqual(6);
  });

  it('__proto__ keys never pollute prototypes and stay own data', () => {
    const doc = parseDocument(
      'p.md',
      '---\ntitle: x\n__proto__: {polluted: 1}\nnested:\n  __proto__:\n    polluted: 2\nconstructor: {prototype: {polluted: 3}}\n---\n',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(doc.problems).toEqual([]);
    const data = doc.frontmatter?.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect((data as { polluted?: unknown }).polluted).toBeUndefined();
    // The source map and locate() handle the hostile key without walking the prototype chain.
    expect(doc.locate(['__proto__', 'polluted']).line).toBe(3);
    expect(doc.locate(['constructor', 'prototype', 'polluted']).line).toBe(7);
  });

  it('alias bombs are refused as yaml/too-complex', () => {
    const lines = ['---', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('---', '');
    const doc = parseDocument('p.md', lines.join('\n'));
    expect(doc.problems.map((p) => p.code)).toEqual(['yaml/too-complex']);
    expect(doc.frontmatter?.data).toBeNull();
  });

  it('deep nesting is refused before parsing (flow brackets and block indentation)', () => {
    const flow = `---\nv: ${'['.repeat(5000)}${']'.repeat(5000)}\n---\n`;
    expect(codes(flow)).toEqual(['yaml/too-complex']);
    const block = ['---', ...Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i)}k${i}:`), `${'  '.repeat(100)}leaf`, '---', ''].join('\n');
    expect(codes(block)).toEqual(['yaml/too-complex']);
    // Moderate nesting is fine.
    expect(codes(`---\nv: ${'['.repeat(10)}${']'.repeat(10)}\n---\n`)).toEqual([]);
  });

  it('the indentation limit is half the deepest non-blank line, first line included', () => {
    const limits = { ...DEFAULT_LIMITS, maxYamlDepth: 3 };
    const refused = (yaml: string) => parseDocument('p.md', `---\n${yaml}\n---\n`, { limits }).problems.some((p) => p.code === 'yaml/too-complex');
    expect(refused(`a:\n${' '.repeat(7)}b: 1`)).toBe(false); // 7 spaces: depth 3
    expect(refused(`a: |\n${' '.repeat(8)}text`)).toBe(true); // 8 spaces: depth 4
    expect(refused(`a: 1\n${' '.repeat(12)}\nb: 2`)).toBe(false); // a blank line does not count
    expect(refused(`${' '.repeat(8)}a: 1`)).toBe(true); // nor does being the first line exempt one
    expect(refused(`a: [[[x]]]`)).toBe(false);
    expect(refused(`a: [[[[x]]]]`)).toBe(true);
  });

  it('a frontmatter that is a list or a scalar', () => {
    expect(codes('---\n- a\n---\n')).toEqual(['frontmatter/not-mapping']);
    expect(codes('---\n42\n---\n')).toEqual(['frontmatter/not-mapping']);
    // Empty frontmatter is an empty mapping.
    expect(parseDocument('p.md', '---\n---\nbody\n').frontmatter?.data).toEqual({});
  });

  it('dates stay strings (CORE schema): nothing is shifted or coerced', () => {
    const doc = parseDocument('p.md', '---\ncreated: 2026-02-30\nmodified: 2026-01-05\nflag: yes\n---\n');
    expect(doc.frontmatter?.data).toEqual({ created: '2026-02-30', modified: '2026-01-05', flag: 'yes' });
  });
});

describe('parseDocument: sections, kinds and locations', () => {
  it('section lines are file lines and word counts match the builder', () => {
    const text = valid();
    const doc = parseDocument('p.md', text);
    const numbered = doc.sections().filter((s) => s.number !== undefined);
    expect(numbered.map((s) => s.name)).toEqual([
      'Context',
      'Problem',
      'Solution',
      'Implementation',
      'Consequences',
      'Known Uses',
      'Cognitive Era',
      'Vitality',
    ]);
    expect(numbered.map((s) => s.words)).toEqual([150, 150, 300, 400, 250, 250, 200, 250]);
    expect(numbered[0]!.line).toBe(lineOf(text, '### Section 1: Context'));
  });

  it('word counts skip the template hint lines only, count subsection headings, and split on dashes and no-break spaces', () => {
    const body = [
      '### Section 1: Context',
      '*(100–200 words)*',
      'one two three',
      '*(not a hint)* four',
      '```',
      'code words count',
      '```',
      '#### Sub part',
      'five six\u00a0seven eight—nine ten–eleven don\u2019t',
      '*(100–200 words)*',
      '### Section 2: Problem',
      '*(100–200 words)*',
      '',
    ].join('\n');
    for (const text of [`---\ntitle: t\n---\n${body}`, `---\ntitle: t\n---\r\n${body.replace(/\n/g, '\r\n')}`]) {
      const [ctx, sub, problem] = parseDocument('p.md', text).sections();
      expect(sub!.words).toBe(8); // five six seven eight nine ten eleven don't
      expect(ctx!.words).toBe(3 + 4 + 3 + 2 + 8); // 'one two three', '*(not a hint)* four', code, 'Sub part', the subsection
      expect(problem!.words).toBe(0);
    }
  });

  it('locate() gives file lines, falling back to the nearest ancestor', () => {
    const text = valid();
    const doc = parseDocument('p.md', text);
    expect(doc.locate(['ontology', 'commons_assessment', 'overall_score']).line).toBe(lineOf(text, 'overall_score:'));
    expect(doc.locate(['ontology', 'commons_assessment', 'no_such_key']).line).toBe(lineOf(text, '  commons_assessment:'));
    const linked = buildPattern({ slug: 'community-seed-library', relationships: { enables: ['shared-tool-shed'] } });
    const ldoc = parseDocument('p.md', linked);
    expect(ldoc.locate(['relationships', 'enables', 0])).toEqual({
      line: lineOf(linked, '- slug: shared-tool-shed'),
      column: 5,
      endLine: lineOf(linked, '- slug: shared-tool-shed') + 1,
    });
    expect(ldoc.locate(['relationships', 'enables', 0, 'slug']).column).toBe(7);
    expect(doc.locate([]).line).toBe(1);
  });

  it('kind detection', () => {
    expect(parseDocument('p.md', valid()).kind).toBe('commons-pattern');
    expect(parseDocument('p.md', '---\nid: pat_1\ntitle: t\nslug: s\nclassification: {}\n---\n').kind).toBe('commons-pattern-legacy');
    expect(parseDocument('p.md', '---\ntitle: t\ntags: [a]\n---\n').kind).toBe('obsidian-note');
    expect(parseDocument('p.md', 'A note linking [[Elsewhere]].\n').kind).toBe('obsidian-note');
    expect(parseDocument('p.md', 'Just prose.\n').kind).toBe('unknown');
    expect(parseDocument('p.md', valid(), { kind: 'obsidian-note' }).kind).toBe('obsidian-note');
  });
});

describe('parseDocument never throws', () => {
  const KNOWN: FileProblemCode[] = [
    'file/binary',
    'file/encoding',
    'file/too-large',
    'file/empty',
    'file/bom',
    'file/line-endings',
    'frontmatter/missing',
    'frontmatter/unclosed',
    'frontmatter/too-large',
    'frontmatter/not-mapping',
    'yaml/syntax',
    'yaml/too-complex',
  ];
  const yamlish = fc.array(
    fc.constantFrom(
      '---',
      'a: 1',
      '- x',
      '  b: [1, {c: d}]',
      'k: "q',
      "'s",
      '&x y',
      '*x',
      '? k',
      ': v',
      '\t',
      '|',
      '  text',
      '#c',
      '{',
      ']',
      '\r',
      '\uFEFF',
      '__proto__: {}',
      '[[Link]]',
      '### Section 2: Problem',
    ),
    { maxLength: 30 },
  );

  it('on random line soup and random bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          yamlish.map((ls) => ls.join('\n')),
          fc.string({ unit: 'binary' }),
          fc.uint8Array({ maxLength: 300 }),
        ),
        (input) => {
          const doc = parseDocument('p.md', input);
          for (const p of doc.problems) {
            expect(KNOWN).toContain(p.code);
            expect(p.line).toBeGreaterThanOrEqual(1);
          }
          doc.sections();
          doc.sourceMap();
          doc.locate(['a', 0, 'b']);
        },
      ),
      { numRuns: propertyRuns(400) },
    );
  });
});
