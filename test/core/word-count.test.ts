/**
 * The section word counter reads four ASCII bytes at a time where it can (countWordsIn) and falls back
 * to the byte state machine (countWordsBytewise) elsewhere. Both must give the same count for every
 * input: plain prose, apostrophes and hyphens, non-ASCII letters and the special UTF-8 characters
 * (no-break space, dashes, right single quote) at every offset and alignment.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWordsBytewise, countWordsIn } from '../../src/core/document.js';
import { propertyRuns } from '../helpers/runs.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/** The same text at each of the four alignments the grouped reader can meet. */
function atEveryAlignment(text: string, check: (b: Uint8Array, from: number, to: number) => void): void {
  const body = bytes(text);
  for (let pad = 0; pad < 4; pad++) {
    const buf = new Uint8Array(body.length + pad + 3);
    buf.set(body, pad);
    check(buf.subarray(pad, pad + body.length), 0, body.length);
  }
}

describe('section word count', () => {
  it('counts hand-made prose like a reader does', () => {
    const cases: [string, number][] = [
      ['Commons thrive when stewards share the work.', 7],
      ["Don't re-plant half-grown patterns; it's 2026.", 6],
      // Café · owners’ · co-ops · with · no‑break (U+2011 counts as a letter) · spaces · and · en · dashes (U+2013 ends a word)
      ['Café owners’ co-ops — with no‑break spaces and en–dashes', 9],
      ['a - b -- c', 3],
      ['  leading and trailing  ', 3],
      ['ascii1234 then 5678 digits', 4],
      ['', 0],
    ];
    for (const [text, words] of cases)
      atEveryAlignment(text, (b, from, to) => {
        expect(countWordsBytewise(b, from, to)).toBe(words);
        expect(countWordsIn(b, from, to)).toBe(words);
      });
  });

  it('gives the byte machine’s count for any text, at any alignment and range', () => {
    const pieces = fc.constantFrom('word', 'Word', 'w0rd', ' ', '  ', '\n', "'", '-', '—', '–', '’', '\u00a0', 'é', '日本', '😀', '.', ',', '*', '(', '9', 'x');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 80 }), fc.nat(3), fc.nat(3), (parts, cutFront, cutBack) => {
        const text = parts.join('');
        atEveryAlignment(text, (b) => {
          // Ranges that start or end inside a group (never inside a character: the check reads whole lines).
          const from = Math.min(cutFront, b.length);
          const to = Math.max(from, b.length - cutBack);
          const safe = (i: number) => i === 0 || i === b.length || ((b[i] as number) & 0xc0) !== 0x80;
          if (!safe(from) || !safe(to)) return;
          expect(countWordsIn(b, from, to)).toBe(countWordsBytewise(b, from, to));
        });
      }),
      { numRuns: propertyRuns(2000) },
    );
  });
});
