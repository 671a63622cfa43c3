/**
 * A clean file's body is decoded when first read; every observable of the document must equal the
 * eager parse (`eagerBody: true`), whatever the file looks like.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, type ParsedDocument } from '../../src/core/document.js';
import { propertyRuns } from '../helpers/runs.js';

const enc = (s: string) => new TextEncoder().encode(s);

const CASES: [string, Uint8Array][] = [
  ['clean pattern', enc('---\nslug: a\ntitle: A\n---\n\n## Section 1: Problem\n\nWords here.\n')],
  ['body with CRLF only', enc('---\nslug: a\n---\nline one\r\nline two\r\n')],
  ['CRLF everywhere', enc('---\r\nslug: a\r\n---\r\nbody\r\n')],
  ['closing fence with text', enc('---\nslug: a\n--- not a fence\nmore: yaml\n---\nbody\n')],
  ['four dashes', enc('---\nslug: a\n----\n---\nbody\n')],
  ['dots close', enc('---\nslug: a\n...\nbody\n')],
  ['BOM', enc('\uFEFF---\nslug: a\n---\nbody é\n')],
  ['invalid UTF-8 in body', new Uint8Array([...enc('---\nslug: a\n---\nbad '), 0xff, 0xfe, ...enc('\n')])],
  ['NUL in body', new Uint8Array([...enc('---\nslug: a\n---\nx'), 0, ...enc('\n')])],
  ['no body', enc('---\nslug: a\n---\n')],
  ['note detected from its body', enc('---\nsource: x\n---\nSee [[Other Note]].\n')],
  ['no frontmatter', enc('# Title\n\ntext\n')],
  ['unclosed frontmatter', enc('---\nslug: a\nbody\n')],
  ['non-ASCII body', enc('---\nslug: a\n---\n### Section 2: Problème — “x”\n\n**Tension** 😀 words\n')],
];

/** What a lazy document answers from its undecoded bytes, read before anything decodes the body. */
function observeBodyFirst(d: ParsedDocument) {
  const lineCount = d.lineCount();
  return {
    lineCount,
    everyLine: Array.from({ length: lineCount + 2 }, (_, n) => d.line(n)),
    sections: d.sections(),
  };
}

/**
 * The word count's definition over UTF-16 code units (the oracle): runs that start with a letter or digit,
 * any non-ASCII unit counting as a letter except U+00A0, U+2013, U+2014 (word ends) and U+2019 (continues).
 */
function oracleWords(line: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const alnum =
      (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && c !== 0x2019 && c !== 0x2014 && c !== 0x2013 && c !== 0xa0);
    if (alnum) {
      if (!inWord) words++;
      inWord = true;
    } else if (!(c === 39 || c === 45 || c === 0x2019)) inWord = false;
  }
  return words;
}

function observe(d: ParsedDocument) {
  return {
    // Frontmatter lines first: a lazy document answers them before its body is decoded.
    head: [0, 1, 2, 3, 4, 5].map((n) => d.line(n)),
    text: d.text,
    eol: d.eol,
    bom: d.bom,
    problems: d.problems,
    frontmatter: d.frontmatter,
    bodyLine: d.bodyLine,
    kind: d.kind,
    slug: d.slug,
    lines: d.lines(),
    line3: d.line(3),
    lineCount: d.lineCount(),
    body: d.body(),
    sections: d.sections(),
  };
}

describe('lazily decoded bodies', () => {
  it.each(CASES)('%s: same document as the eager parse', (_name, bytes) => {
    const lazy = parseDocument('p.md', bytes);
    const eager = parseDocument('p.md', bytes, { eagerBody: true });
    expect(observe(lazy)).toStrictEqual(observe(eager));
    expect(observeBodyFirst(parseDocument('p.md', bytes))).toStrictEqual(observeBodyFirst(parseDocument('p.md', bytes, { eagerBody: true })));
  });

  it('counts words from the bytes exactly as over the decoded text', () => {
    const unit = fc.constantFrom('a', 'Z', '7', ' ', "'", '-', '\u2019', '\u2013', '\u2014', '\u00a0', 'é', '€', '😀', '中', '\t', '.', '\u0085', '\u00c2');
    const lineArb = fc.array(unit, { maxLength: 30 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 6 }), (lines) => {
        const text = `---\nslug: a\n---\n## Heading\n${lines.join('\n')}\n`;
        const lazy = parseDocument('p.md', enc(text));
        const [section] = lazy.sections();
        expect(section?.words).toBe(lines.reduce((n, l) => n + oracleWords(l), 0));
        expect(observeBodyFirst(lazy)).toStrictEqual(observeBodyFirst(parseDocument('p.md', text)));
      }),
      { numRuns: propertyRuns(2000) },
    );
  });

  it('reads the body only when asked, then keeps it', () => {
    const d = parseDocument('p.md', enc('---\nslug: a\ntitle: A\n---\nbody text\n'));
    expect(d.frontmatter?.data).toStrictEqual({ slug: 'a', title: 'A' });
    expect(d.body()).toBe('body text\n');
    expect(d.text).toBe('---\nslug: a\ntitle: A\n---\nbody text\n');
    expect(d.text).toBe(d.text);
  });
});
