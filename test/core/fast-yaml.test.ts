/**
 * The YAML fast path must give exactly js-yaml's value (CORE schema) or step aside (undefined).
 * Hand-written cases pin both sides: the shapes frontmatter uses must take the fast path (else the
 * speed-up silently disappears), and everything outside the subset must fall back.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { fastYaml } from '../../src/core/fast-yaml.js';
import { corpusFiles, realCorpus, skipMessage } from '../helpers/corpus.js';
import { join } from 'node:path';
import { propertyRuns } from '../helpers/runs.js';

const reference = (y: string): { value?: unknown; error?: string } => {
  try {
    return { value: jsyaml.load(y, { schema: jsyaml.CORE_SCHEMA }) };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

/** The contract: undefined, or js-yaml's value for a text js-yaml accepts. */
function agrees(y: string): boolean {
  const fast = fastYaml(y);
  if (fast === undefined) return true;
  const ref = reference(y);
  return ref.error === undefined && isDeepStrictEqual(fast, ref.value);
}

const FAST: [string, string][] = [
  [
    'scalars',
    'slug: my-pattern\ntitle: My Pattern (v2)\nversion: 1.0\ncount: 12\nneg: -3\nhex: 0x1F\nyes: true\nno: FALSE\nnothing: ~\nempty:\nfloat: 3.25\nexp: 1e3\ninf: .inf\ndate: 2026-02-30\nurl: https://example.org/a#b\nword: a#b\n',
  ],
  ['comments', '# head\nslug: a # trailing\n\n  # indented comment\ntitle: b\n'],
  [
    'nested mappings',
    'ontology:\n  domain: x\n  search_hints:\n    primary_tension: a vs. b\n    vector_keywords: []\n  commons_assessment:\n    ownership: 4\n    overall_score: 3.9\n',
  ],
  ['sequences', 'tags:\n  - one\n  - two\ncompact:\n- a\n- b\nafter: 1\n'],
  ['sequence of mappings', 'relationships:\n  enables:\n  - slug: x\n    weight: 0.5\n  - {}\n  - slug: y\n    description: "quoted: yes"\n'],
  ['flow sequences', 'aliases: []\ntags: [a, b c, \'d e\', "f\\tg", 12, null]\nempty_map: {}\n'],
  ['double quotes', 'a: "x \\"y\\" \\\\ \\u00e9 \\x41 \\U0001F600 \\N \\_"\nb: "with # hash"\nc: "" # comment\n'],
  ['single quotes', "a: 'it''s'\nb: 'with: colon'\nc: ''\n"],
  ['literal block', 'text: |\n  line one\n    indented\n\n  after blank\nstrip: |-\n  no newline\nnext: 1\n'],
  ['folded block', 'text: >\n  folded\n  together\n\n  new paragraph\nstrip: >-\n  one\n  two\n'],
  ['wrapped plain scalar', 'summary: a long value that a dumper\n  wrapped over lines\n\n  and a paragraph\nnext: x\nlist:\n- item that\n  wraps\n'],
  ['wrapped single quotes', "summary: 'quoted and  \n  wrapped with ''quotes''\n\n\n  three'\nnext: 1\n"],
  ['quoted keys', '"quoted key": 1\n\'single\': 2\nplain key with spaces: 3\n'],
  ['unicode', 'title: Café — “quoted” 😀\n'],
  ['compact nested sequence under item key', 'hubs:\n- hub_id: a\n  tags:\n  - x\n  - y\n- hub_id: b\n'],
];

const FALLBACK: [string, string][] = [
  ['anchors', 'a: &x 1\nb: *x\n'],
  ['tags', 'a: !!str 1\n'],
  ['duplicate keys', 'a: 1\na: 2\n'],
  // the second key of each pair is one the parser has seen many times: its per-mapping filter must not skip the check
  ['duplicate key, quoted first', 'slug: x\n"title": a\ntitle: b\n'],
  ['duplicate key, nested', 'ontology:\n  domain: a\n  domain: b\n'],
  ['duplicate key in a sequence item', 'list:\n- slug: a\n  weight: 1\n  slug: b\n'],
  ['tabs', 'a:\n\t- 1\n'],
  ['second document', 'a: 1\n---\nb: 2\n'],
  ['keep chomping', 'a: |+\n  x\n\n'],
  ['indentation indicator', 'a: |2\n   x\n'],
  ['multi-line double quotes', 'a: "one\n  two"\n'],
  ['multi-line flow', 'a: [1,\n  2]\n'],
  ['nested flow', 'a: [[1]]\n'],
  ['flow mapping', 'a: {b: 1}\n'],
  ['top-level sequence', '- a\n- b\n'],
  ['scalar document', 'just text\n'],
  ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
  ['non-string key', '1.0: x\ntrue: y\n'],
  ['proto key', '__proto__: x\n'],
  ['unclosed quote', "a: 'open\n"],
  ['colon in value', 'a: b: c\n'],
  ['control character', 'a: b\u0007c\n'],
  ['lone surrogate', 'a: \ud800x\n'],
  ['directive', '%YAML 1.2\na: 1\n'],
];

describe('fastYaml', () => {
  it.each(FAST)('takes the fast path and equals js-yaml: %s', (_name, y) => {
    const fast = fastYaml(y);
    expect(fast).toBeDefined();
    expect(fast).toStrictEqual(reference(y).value);
  });

  it.each(FALLBACK)('leaves it to js-yaml: %s', (_name, y) => {
    expect(fastYaml(y)).toBeUndefined();
  });

  it('resolves every plain scalar as js-yaml load with the CORE schema does', () => {
    const plain = [
      '~',
      'null',
      'Null',
      'NULL',
      'true',
      'True',
      'FALSE',
      'yes',
      'on',
      '0',
      '-0',
      '+12',
      '012',
      '0o17',
      '0x1F',
      '0b101',
      '1_000',
      '1.5',
      '-.5',
      '1e3',
      '1.0e-2',
      '.inf',
      '-.Inf',
      '.NaN',
      '2026-02-30',
      '12:30',
      '1:20:30',
      '0.1.2',
      'v1',
      'nulll',
      '.',
    ];
    for (const s of plain) expect(fastYaml(`k: ${s}\n`), s).toStrictEqual(jsyaml.load(`k: ${s}\n`, { schema: jsyaml.CORE_SCHEMA }));
  });

  it('keeps the values js-yaml gives where a naive parser would not', () => {
    expect(fastYaml('v: 1.0\nd: 2026-01-01\nz: 012\ns: "1.0"\n')).toStrictEqual({ v: 1, d: '2026-01-01', z: 12, s: '1.0' });
    expect(fastYaml('t: >\n  a\n  b\n')).toStrictEqual({ t: 'a b\n' });
  });

  // Documents from the subset's pieces, with characters that sit on its edges.
  const word = fc.stringMatching(/^[a-zA-Z0-9 _.:#'"\-[\]{},&*!|>%@`~]{0,12}$/);
  const key = fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_ ]{0,8}$/), word);
  const scalar = fc.oneof(
    word,
    word.map((w) => `'${w.replace(/'/g, "''")}'`),
    word.map((w) => JSON.stringify(w)),
    fc.constantFrom('1', '1.0', '-2', '0x1F', '0o7', '012', 'true', 'Null', '~', '.inf', '1e3', '1_000', '2026-02-30', ''),
    fc.array(word, { maxLength: 3 }).map((ws) => `[${ws.join(', ')}]`),
  );
  const block = (depth: number): fc.Arbitrary<string[]> =>
    fc
      .array(
        fc.oneof(
          fc.tuple(key, scalar).map(([k, v]) => [`${k}: ${v}`]),
          fc
            .tuple(key, fc.array(scalar, { minLength: 1, maxLength: 3 }), fc.boolean())
            .map(([k, items, compact]) => [`${k}:`, ...items.map((i) => `${compact ? '' : '  '}- ${i}`)]),
          fc
            .tuple(key, fc.array(word, { minLength: 1, maxLength: 3 }), fc.constantFrom('|', '|-', '>', '>-'))
            .map(([k, ls, h]) => [`${k}: ${h}`, ...ls.map((l) => `  ${l}`)]),
          fc.tuple(key, scalar, word).map(([k, v, w]) => [`${k}: ${v}`, `  ${w}`]),
          depth > 0 ? fc.tuple(key, block(depth - 1)).map(([k, inner]) => [`${k}:`, ...inner.map((l) => `  ${l}`)]) : fc.constant(['# comment']),
        ),
        { minLength: 1, maxLength: 5 },
      )
      .map((parts) => parts.flat());

  it('agrees with js-yaml on generated documents (or steps aside)', () => {
    fc.assert(
      fc.property(block(2), (lines) => agrees(`${lines.join('\n')}\n`)),
      { numRuns: propertyRuns(3000) },
    );
  });

  it('agrees with js-yaml on mutated documents (or steps aside)', () => {
    const base = FAST.map(([, y]) => y);
    fc.assert(
      fc.property(
        fc.constantFrom(...base),
        fc.nat(),
        fc.constantFrom(' ', ':', '#', "'", '"', '-', '\n', '  ', '[', ']', ',', '|', '>', '\\', 'x'),
        (y, at, ins) => {
          const i = at % (y.length + 1);
          return agrees(y.slice(0, i) + ins + y.slice(i)) && agrees(y.slice(0, i) + y.slice(i + 1));
        },
      ),
      { numRuns: propertyRuns(5000) },
    );
  });
});

const dir = realCorpus();
if (!dir) console.warn(skipMessage('fast YAML path on the real corpus (test/core/fast-yaml.test.ts)'));

describe.skipIf(!dir)('fastYaml on the real corpus', () => {
  it('equals js-yaml on every frontmatter it takes, and takes nearly all', () => {
    let total = 0;
    let taken = 0;
    const wrong: string[] = [];
    for (const f of corpusFiles(dir!)) {
      const text = readFileSync(join(dir!, f), 'utf8').replace(/\r\n?/g, '\n');
      const m = /^---\n([\s\S]*?\n)---/.exec(text);
      if (!m) continue;
      total++;
      const fast = fastYaml(m[1]!);
      if (fast === undefined) continue;
      taken++;
      if (!agrees(m[1]!)) wrong.push(f);
    }
    expect(wrong).toEqual([]);
    expect(total).toBeGreaterThan(3600);
    expect(taken / total).toBeGreaterThan(0.95);
  });
});
