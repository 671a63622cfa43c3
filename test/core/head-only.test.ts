/** headOnly parsing gives the same index entries as a full parse for patterns, without decoding the body. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { entryFromDocument } from '../../src/core/corpus.js';
import { frontmatterEnd, parseDocument } from '../../src/core/document.js';
import { corpusFiles, realCorpus } from '../helpers/corpus.js';
import { buildPattern } from '../helpers/pattern.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('headOnly', () => {
  it('reads only up to the closing fence', () => {
    const text = buildPattern({ slug: 'seed-library' });
    const bytes = enc(text);
    const end = frontmatterEnd(bytes);
    expect(new TextDecoder().decode(bytes.subarray(0, end)).endsWith('---\n')).toBe(true);
    const head = parseDocument('seed-library.md', bytes, { headOnly: true });
    expect(head.headOnly).toBe(true);
    expect(head.body()).toBe('');
    expect(head.text.length).toBeLessThan(text.length);
    expect(entryFromDocument(head)).toEqual(entryFromDocument(parseDocument('seed-library.md', bytes)));
  });

  it('falls back to a full read without frontmatter, with an unclosed fence, or for binary files', () => {
    for (const t of ['# no frontmatter\n', '---\nslug: x\n', '---\nslug: x\n---\n\u0000']) {
      expect(parseDocument('x.md', enc(t), { headOnly: true }).headOnly).toBe(false);
    }
  });

  const dir = realCorpus();
  it.skipIf(!dir)('gives the same index entry as a full parse for every pattern of the real corpus', () => {
    let n = 0;
    for (const f of corpusFiles(dir!)) {
      const bytes = readFileSync(join(dir!, f));
      const head = parseDocument(f, bytes, { headOnly: true });
      if (head.kind !== 'commons-pattern' && head.kind !== 'commons-pattern-legacy') continue;
      const got = entryFromDocument(head);
      const want = entryFromDocument(parseDocument(f, bytes));
      // toEqual only where the cheap strict comparison disagrees: thousands of toEqual calls cost seconds.
      if (!isDeepStrictEqual(got, want)) expect(got, f).toEqual(want);
      n++;
    }
    expect(n).toBeGreaterThan(3000);
  });
});
