/**
 * Mojibake: UTF-8 text that was read as Windows-1252 or Mac Roman and saved again, so that each
 * non-ASCII character became two to four others (`⚖️` → `‚öñÔ∏è` in Mac Roman, `é` → `Ã©` in
 * Windows-1252). Repair maps those characters back to their bytes and decodes the bytes as UTF-8.
 *
 * Built for precision over recall: a sequence is repaired only when its bytes form one valid UTF-8
 * character of a kind such damage produces in prose (accented Latin letters, punctuation, symbols,
 * emoji), and two-byte sequences only from the lead bytes of Latin letters. Legitimate text that
 * happens to hold such a pair (`’é`, `—é`) decodes to Armenian or Cyrillic and is left alone.
 */

const CP1252_HIGH =
  '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ\u00A0¡¢£¤¥¦§¨©ª«¬\u00AD®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ';
const MAC_ROMAN_HIGH =
  'ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u00A0ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uF8FFÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ';

interface Codepage {
  name: string;
  byteOf: Map<string, number>;
  /** Lead bytes accepted for a two-byte character. */
  twoByteLeads: ReadonlySet<number>;
  /** Two-byte leads whose character is common in correct text (Mac Roman's `ƒ` and `≈`): trusted only in context. */
  riskyLeads: ReadonlySet<number>;
}

function codepage(name: string, high: string, twoByteLeads: number[], riskyLeads: number[] = []): Codepage {
  const byteOf = new Map<string, number>();
  [...high].forEach((ch, i) => byteOf.set(ch, 0x80 + i));
  return { name, byteOf, twoByteLeads: new Set([...twoByteLeads, ...riskyLeads]), riskyLeads: new Set(riskyLeads) };
}

// Windows-1252: Â Ã (U+0080–U+00FF), Ä Å (Latin Extended-A: ć, č, ł, ő, š, œ...). Mac Roman: ¬ √ (U+0080–U+00FF),
// and ƒ ≈ (Latin Extended-A: `≈Å` for Ł, `ƒç` for č), which maths and prose also write, so only in context.
const CODEPAGES: readonly Codepage[] = [
  codepage('Windows-1252', CP1252_HIGH, [0xc2, 0xc3, 0xc4, 0xc5]),
  codepage('Mac Roman', MAC_ROMAN_HIGH, [0xc2, 0xc3], [0xc4, 0xc5]),
];

/**
 * Mac Roman characters that follow `≈` or `ƒ` in maths (`x≈π`, `≈±2`, `ƒ∂x`): a risky sequence ending in
 * one of them is repaired only when the line holds other damage.
 */
const MATH_AFTER_RISKY = new Set([...'±∞≤≥∂∑∏π∫Ω≠µ¬√ƒ≈∆°']);

/** Whether a character decoded from a damaged sequence is one that prose holds. */
function plausible(cp: number, bytes: number): boolean {
  if (bytes === 2) return cp >= 0xa0 && cp <= 0x17f;
  if (bytes === 3)
    return (
      (cp >= 0x2000 && cp <= 0x2bff) || // punctuation, currency, arrows, math, symbols, dingbats
      (cp >= 0x3000 && cp <= 0x303f) ||
      (cp >= 0xfe00 && cp <= 0xfe0f) // variation selectors (emoji presentation)
    );
  return cp >= 0x1f000 && cp <= 0x1faff; // emoji
}

/** The UTF-8 character encoded by `b[0..]` when it is exactly one valid multi-byte sequence. */
function decodeOne(b: number[]): number | undefined {
  const lead = b[0] as number;
  const n = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xc2 && lead <= 0xdf ? 2 : 0;
  if (n === 0 || b.length !== n) return undefined;
  let cp = lead & (n === 2 ? 0x1f : n === 3 ? 0x0f : 0x07);
  for (let i = 1; i < n; i++) {
    const c = b[i] as number;
    if (c < 0x80 || c > 0xbf) return undefined;
    cp = (cp << 6) | (c & 0x3f);
  }
  const min = n === 2 ? 0x80 : n === 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return cp;
}

/** Characters that may start a damaged sequence in either code page, for a cheap first look. */
const LEADS = (() => {
  const s = new Set<string>();
  for (const page of CODEPAGES) for (const [ch, byte] of page.byteOf) if (page.twoByteLeads.has(byte) || (byte >= 0xe0 && byte <= 0xf4)) s.add(ch);
  return s;
})();
const QUICK = new RegExp(`[${[...LEADS].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]`, 'u');

/** Whether a text may hold mojibake (cheap: one character class search). */
export function mayHoldMojibake(text: string): boolean {
  return QUICK.test(text);
}

export interface Repair {
  text: string;
  /** The damaged runs as found, in order. */
  damaged: string[];
  codepage: string;
}

interface Hit {
  cp: number;
  len: number;
  page: string;
  /** 'safe': trusted alone; 'word': a risky lead, trusted inside a word; 'math': a risky lead, trusted with other damage. */
  trust: 'safe' | 'word' | 'math';
}

/** The damaged sequence starting at `chars[i]`, if any (`risky`: whether risky leads may start one). */
function hitAt(chars: readonly string[], i: number, risky: boolean): Hit | undefined {
  for (const page of CODEPAGES) {
    const lead = page.byteOf.get(chars[i] as string);
    if (lead === undefined) continue;
    const n = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xc2 && lead <= 0xdf ? 2 : 0;
    if (n === 0 || (n === 2 && !page.twoByteLeads.has(lead)) || i + n > chars.length) continue;
    const isRisky = n === 2 && page.riskyLeads.has(lead);
    if (isRisky && !risky) continue;
    const bytes = [lead];
    for (let k = 1; k < n; k++) {
      const b = page.byteOf.get(chars[i + k] as string);
      if (b === undefined) break;
      bytes.push(b);
    }
    const cp = decodeOne(bytes);
    if (cp !== undefined && plausible(cp, n))
      return { cp, len: n, page: page.name, trust: !isRisky ? 'safe' : MATH_AFTER_RISKY.has(chars[i + 1] as string) ? 'math' : 'word' };
  }
  return undefined;
}

const LETTER = /\p{L}/u;

/** The line with every damaged sequence repaired, or undefined when it holds none. */
export function repairMojibake(line: string): Repair | undefined {
  if (!QUICK.test(line)) return undefined;
  const chars = [...line];
  // First look: where sequences may start, and whether the line holds damage that needs no context.
  const starts = new Set<number>();
  let evidence = false;
  for (let i = 0; i < chars.length; i++) {
    const h = hitAt(chars, i, true);
    if (!h) continue;
    starts.add(i);
    if (h.trust === 'safe') evidence = true;
  }
  if (starts.size === 0) return undefined;
  const inWord = (i: number, len: number): boolean => {
    const before = chars[i - 1];
    const after = chars[i + len];
    return (before !== undefined && (LETTER.test(before) || starts.has(i - 2))) || (after !== undefined && (LETTER.test(after) || starts.has(i + len)));
  };
  if (!evidence)
    for (const i of starts) {
      const h = hitAt(chars, i, true);
      if (h?.trust === 'word' && inWord(i, h.len)) evidence = true;
    }
  let out = '';
  const damaged: string[] = [];
  let used: string | undefined;
  let run = '';
  let i = 0;
  while (i < chars.length) {
    let hit = hitAt(chars, i, true);
    if (hit && hit.trust !== 'safe' && !(inWord(i, hit.len) && (hit.trust === 'word' || evidence))) hit = hitAt(chars, i, false);
    if (hit) {
      run += chars.slice(i, i + hit.len).join('');
      out += String.fromCodePoint(hit.cp);
      used ??= hit.page;
      i += hit.len;
      continue;
    }
    if (run) {
      damaged.push(run);
      run = '';
    }
    out += chars[i];
    i++;
  }
  if (run) damaged.push(run);
  if (damaged.length === 0) return undefined;
  return { text: out, damaged, codepage: used ?? '' };
}
