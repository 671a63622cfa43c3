/**
 * A clean file's body is decoded when first read; every observable of the document must equal the
 * eager parse (`eagerBody: true`), whatever the file looks like.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument, type ParsedDocument } from '../../src/core/document.js';

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
  });

  it('reads the body only when asked, then keeps it', () => {
    const d = parseDocument('p.md', enc('---\nslug: a\ntitle: A\n---\nbody text\n'));
    expect(d.frontmatter?.data).toStrictEqual({ slug: 'a', title: 'A' });
    expect(d.body()).toBe('body text\n');
    expect(d.text).toBe('---\nslug: a\ntitle: A\n---\nbody text\n');
    expect(d.text).toBe(d.text);
  });
});
