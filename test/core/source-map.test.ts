/** The cheap line scanner and the exact yaml-based source map must agree wherever the scanner answers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/document.js';
import { scanBlockYaml, yamlDocumentSourceMap, type SourceMap } from '../../src/core/source-map.js';
import { corpusFiles, realCorpus, skipMessage } from '../helpers/corpus.js';
import { buildPattern } from '../helpers/pattern.js';
import { propertyRuns } from '../helpers/runs.js';

function asObject(m: SourceMap): Record<string, unknown> {
  return Object.fromEntries([...m.entries()].map(([k, v]) => [k.replace(/\u0001/g, ' '), v]));
}

/** Both maps for a frontmatter text, with `firstLine` 2 as in a file. */
function both(yaml: string) {
  const lines = yaml.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return { scanner: scanBlockYaml(lines, 2), exact: yamlDocumentSourceMap(yaml, 2) };
}

function expectAgree(yaml: string, mustScan = true) {
  const { scanner, exact } = both(yaml);
  if (mustScan) expect(scanner, 'the scanner gave up').not.toBeNull();
  if (scanner) expect(asObject(scanner)).toEqual(asObject(exact));
}

const FIXTURES: Record<string, string> = {
  'block maps and lists':
    'title: Seed Library\nrelationships:\n  enables:\n    - slug: tool-shed\n      weight: 0.8\n    - slug: soup-kitchen\n      weight: 0.5\n  requires: []\n',
  'flow sequences': 'keywords: ["seed", "library, with comma", \'it\'\'s\']\nnums: [1, 2, 3]\nempty: []\nnested:\n  list: [a, b]\n',
  'flow maps in list items':
    'entities:\n  - {id: seed, label: "Seed, Stock", relevance: 0.9}\n  - {id: "tool", label: \'Tool\'}\n  - id: plain\n    meta: {a: 1}\n',
  'block scalars':
    'summary: >-\n  Folded text\n  over lines: with colons\n\n  and a blank line\nnotes: |\n  - not a list\n  key: not a key\nafter: 1\nlist:\n  - |\n    literal in item\n  - next\n',
  'quoted multi-line strings': 'title: "A title that\n  continues here"\nother: \'single\n  quoted: still text\'\nlast: done\n',
  'plain multi-line scalars': 'summary: a plain scalar that\n  wraps onto a second line\nnext: 2\n',
  comments:
    '# heading comment\ntitle: x # trailing\n\n# ═══ group ═══\nontology:\n  # inside\n  domain: soil\n  cross: [a, b] # flow then comment\nlist:\n  # before item\n  - a\n',
  'same-indent block sequences': 'aliases:\n- one\n- two\nrelated:\n- "[[Seed Saving]]"\n- plain\ntags: []\n',
  'quoted keys and odd scalars': '"quoted key": 1\n\'single\': 2\nurl: https://example.org/a:b\ntime: 12:30\ndash-key: -5\n',
  'empty values and nulls': 'a:\nb: ~\nc: null\nd:\n  e:\n',
};

describe('scanner and yaml source map agree on fixtures', () => {
  for (const [name, yaml] of Object.entries(FIXTURES)) {
    it(name, () => {
      expectAgree(yaml);
      expect(both(yaml).exact.size).toBeGreaterThan(0);
    });
  }

  it('the builder fixture (a full v7.1 frontmatter)', () => {
    const doc = parseDocument(
      'p.md',
      buildPattern({ slug: 'seed-library', relationships: { enables: ['a'], complementary: ['b', 'c'] }, inferred: [{ target: 'd', type: 'enables' }] }),
    );
    expect(doc.sourceMap().builtBy).toBe('scanner');
    expectAgree(doc.frontmatter!.yaml);
  });

  it('gives up (null) on anchors, tags and complex keys rather than guessing', () => {
    for (const y of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', '? complex\n: value\n', 'a: {b: [1, 2]}\n']) {
      expect(both(y).scanner, y).toBeNull();
    }
  });

  it('agrees on generated block YAML', () => {
    const scalar = fc.constantFrom('x', '1', '"q, r"', "'s'", '[a, b]', '{k: v}', 'two words', '');
    const key = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', '"quo ted"');
    type Node = { kind: 'map'; entries: [string, Node][] } | { kind: 'seq'; items: Node[] } | { kind: 'scalar'; v: string };
    const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar.map((v) => ({ kind: 'scalar' as const, v })),
        fc.uniqueArray(fc.tuple(key, tie('node')), { minLength: 1, maxLength: 3, selector: (e) => e[0] }).map((entries) => ({ kind: 'map' as const, entries })),
        fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((items) => ({ kind: 'seq' as const, items })),
      ),
    })).node;
    const render = (n: Node, indent: number): string[] => {
      const pad = ' '.repeat(indent);
      if (n.kind === 'scalar') return [`${pad}${n.v || '~'}`];
      if (n.kind === 'map') {
        return n.entries.flatMap(([k, v]) => (v.kind === 'scalar' ? [`${pad}${k}: ${v.v}`] : [`${pad}${k}:`, ...render(v, indent + 2)]));
      }
      return n.items.flatMap((it) => {
        if (it.kind === 'scalar') return [`${pad}- ${it.v || '~'}`];
        // Maps start on the dash line ("- key: v"); nested lists use a bare "-" with the list below.
        if (it.kind === 'seq') return [`${pad}-`, ...render(it, indent + 2)];
        const inner = render(it, indent + 2);
        return [`${pad}- ${inner[0]!.trimStart()}`, ...inner.slice(1)];
      });
    };
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, node), { minLength: 1, maxLength: 4, selector: (e) => e[0] }), (entries) => {
        const yaml = `${render({ kind: 'map', entries }, 0).join('\n')}\n`;
        expectAgree(yaml, false);
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});

describe('bare dash items', () => {
  // Both maps locate a list item written as a bare "-" (value on the following lines) at its dash,
  // so that fixes built on it (deleteNodeFix) remove the dash too.
  it('a bare "-" item with its value on the next lines is located at the dash by both maps', () => {
    expectAgree('aliases:\n  -\n    - nested\n  - plain\n');
  });
});

describe('scanner and yaml source map agree on the real corpus', () => {
  const dir = realCorpus();
  it.skipIf(!dir)('on every path of the first 500 files', () => {
    const files = corpusFiles(dir!).slice(0, 500);
    expect(files.length).toBe(500);
    let scanned = 0;
    const disagreements: string[] = [];
    for (const f of files) {
      const doc = parseDocument(f, readFileSync(join(dir!, f)));
      if (!doc.frontmatter || doc.frontmatter.data === null) continue;
      const { scanner, exact } = both(doc.frontmatter.yaml);
      if (!scanner) continue;
      scanned++;
      const a = asObject(scanner);
      const b = asObject(exact);
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) disagreements.push(`${f}: ${k}: scanner ${JSON.stringify(a[k])} yaml ${JSON.stringify(b[k])}`);
      }
    }
    expect(scanned).toBeGreaterThan(400);
    expect(disagreements.slice(0, 20)).toEqual([]);
  });
  if (!dir) it('skips the corpus comparison', () => console.warn(skipMessage('source-map corpus agreement')));
});
