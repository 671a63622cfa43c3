/**
 * Tokenising for the link engine: lower-cased words, stop words removed, a light
 * plural-folding stemmer (so that the surface form shown in a reason is almost always
 * a word that really occurs in both documents).
 */

import { Buffer } from 'node:buffer';

const STOP = new Set(
  (
    'a about above across after again against all almost also although always am among an and another any are around as at be ' +
    'because been before being below between both but by can cannot could did do does doing done down during each either else ' +
    'enough even ever every few for from further had has have having he her here hers herself him himself his how however i if ' +
    'in into is it its itself just least less like made make makes making many may me might more most much must my myself near ' +
    'need needs neither never no nor not now of off often on once one only onto or other others our ours ourselves out over own ' +
    'per perhaps rather same seem seems several shall she should since so some still such than that the their theirs them ' +
    'themselves then there these they this those though through thus to together too toward towards under until up upon us ' +
    'use used uses using very via was we well were what when where whether which while who whom whose why will with within ' +
    'without would yet you your yours yourself yourselves e g eg ie etc vs s t re ve ll d m isn aren wasn weren don doesn ' +
    'didn won wouldn shouldn couldn can t new two three first second third also become becomes becoming across instead already ' +
    'get gets got given give gives way ways thing things something anything everything nothing within upon whose whereby'
  ).split(/\s+/),
);

/**
 * A copy of `s` that does not keep a larger string alive. V8 substrings of 13+ characters are
 * views into their parent: a label sliced from a YAML document, or a word sliced from a body,
 * would otherwise retain the whole file text for as long as the index lives.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** Plural folding only: "patterns" → "pattern", "policies" → "policy", "analyses" kept. */
export function stem(w: string): string {
  const n = w.length;
  if (n <= 3) return w;
  if (w.endsWith('ies') && n > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses') || w.endsWith('xes') || w.endsWith('ches') || w.endsWith('shes')) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is') && !w.endsWith('ics')) return w.slice(0, -1);
  return w;
}

const stemCache = new Map<string, string>();

const NON_WORD = /[^a-z0-9\u00df-\u024f\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u0dff\u3040-\u9fff\uac00-\ud7af]+/;

/** Calls `fn(term, surface)` for every indexable word of `text` (apostrophe suffixes drop out as 1-letter words). */
export function forEachTerm(text: string, fn: (term: string, surface: string) => void): void {
  const parts = text.toLowerCase().split(NON_WORD);
  for (let i = 0; i < parts.length; i++) {
    const w = parts[i]!;
    const len = w.length;
    if (len < 2 || len > 40) continue;
    if (STOP.has(w)) continue;
    if (len < 4) {
      const d0 = w.charCodeAt(0);
      if (d0 >= 48 && d0 <= 57 && /^\d+$/.test(w)) continue;
    }
    let st = stemCache.get(w);
    if (st === undefined) {
      st = stem(w);
      if (stemCache.size > 500_000) stemCache.clear();
      stemCache.set(w, st);
    }
    fn(st, w);
  }
}

export function terms(text: string): string[] {
  const out: string[] = [];
  forEachTerm(text, (t) => out.push(t));
  return out;
}

/** Normalised label for exact comparisons of entities, keywords and communities. */
export function normLabel(s: string): string {
  return s
    .toLowerCase()
    .replace(/[_\s]+/g, '-')
    .replace(/[^\p{L}\p{N}-]+/gu, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

// ---------------------------------------------------------------------------------------------
// Fast scanning: one pass over the characters of a text, no per-word string allocation. Words
// are hashed while they are read (two independent 32-bit hashes, so a 64-bit key) and looked up
// in an open-addressing table of raw lower-case words; each raw word maps once to a term id
// (after stop-word removal and plural folding, exactly as `forEachTerm`). The same pass
// collects the name-like phrases used by the mention signal.

/** 1 for characters that are part of words (either case); see NON_WORD. */
const WORD = new Uint8Array(65536);
/** Lower-case of a UTF-16 code unit (single-unit mappings only). */
const LOWER = new Uint16Array(65536);
/** Upper-case initial of a name-like word. */
const UPPER = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) {
  let l = c;
  if (c < 0x500) {
    const s = String.fromCharCode(c).toLowerCase();
    if (s.length === 1) l = s.charCodeAt(0);
  }
  LOWER[c] = l;
  WORD[c] = NON_WORD.test(String.fromCharCode(l)) || (c >= 0xd800 && c <= 0xdfff) ? 0 : 1;
  UPPER[c] = (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde) ? 1 : 0;
}
const HYPHEN = 45;
const CONNECTOR_WORDS = new Set(['and', 'of', 'the', 'as', 'to', 'for', 'in', 'a', 'an']);

const FNV_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The FNV-1a hash used for names and mentions (UTF-16 code units, like `mentionHashes` always did). */
export function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** Receives the term ids of a scanned text. */
export type TermSink = (term: number) => void;

/**
 * The mention hashes of one document: appended to a reused typed buffer, sorted and made distinct once
 * at the end. A Set of them cost a heap number per hash (most are above the small-integer range).
 */
export class HashBag {
  private buf = new Uint32Array(1024);
  private n = 0;

  add(h: number): void {
    if (this.n === this.buf.length) {
      const b = new Uint32Array(this.n * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.n++] = h;
  }

  clear(): void {
    this.n = 0;
  }

  /** The distinct hashes added since the last `clear`, ascending, in a new array. */
  sorted(): Uint32Array {
    const s = this.buf.subarray(0, this.n).sort();
    let m = 0;
    for (let k = 0; k < s.length; k++) if (k === 0 || s[k] !== s[k - 1]) s[m++] = s[k]!;
    return s.slice(0, m);
  }
}

export class TermScanner {
  private cap = 1 << 16;
  /**
   * Open-addressing table of raw words, 4 ints per slot (one cache line holds 4 slots):
   * [hash a, hash b, term id (-1 dropped word, -2 empty slot), 1 when a connector of names].
   */
  private slots = TermScanner.emptySlots(1 << 16);
  private rawWords = 0;
  private termIds = new Map<string, number>();
  /** Term strings (stemmed) and the first surface form seen. */
  readonly termStrings: string[] = [];
  readonly surfaces: string[] = [];
  // scratch for one name-like run: word start/end offsets
  private runS = new Int32Array(64);
  private runE = new Int32Array(64);

  get vocabularySize(): number {
    return this.termStrings.length;
  }

  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  /** Id of a stemmed term, registered with `surface` when new, as a scan meeting it would register it. */
  intern(term: string, surface: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termStrings.length;
      this.termIds.set(term, id);
      this.termStrings.push(term);
      this.surfaces.push(surface);
    }
    return id;
  }

  private static emptySlots(cap: number): Int32Array {
    const a = new Int32Array(cap * 4);
    for (let k = 2; k < a.length; k += 4) a[k] = -2;
    return a;
  }

  private grow(): void {
    const old = this.slots;
    const cap = this.cap * 2;
    const mask = cap - 1;
    const slots = TermScanner.emptySlots(cap);
    for (let s = 0; s < old.length; s += 4) {
      if (old[s + 2] === -2) continue;
      let k = old[s]! & mask;
      while (slots[(k << 2) + 2] !== -2) k = (k + 1) & mask;
      slots.set(old.subarray(s, s + 4), k << 2);
    }
    this.cap = cap;
    this.slots = slots;
  }

  /** Slot of the raw word text[st, en) with hashes (a, b); registers it when new. */
  private slot(text: string, st: number, en: number, a: number, b: number): number {
    const mask = this.cap - 1;
    const slots = this.slots;
    let k = a & mask;
    for (;;) {
      const x = k << 2;
      if (slots[x + 2] === -2) break;
      if (slots[x] === a && slots[x + 1] === b) return k;
      k = (k + 1) & mask;
    }
    // new raw word
    const w = ownString(text.slice(st, en).toLowerCase());
    let term = -1;
    const len = w.length;
    if (len >= 2 && len <= 40 && !STOP.has(w) && !(len < 4 && /^\d+$/.test(w))) {
      const st2 = stem(w);
      let id = this.termIds.get(st2);
      if (id === undefined) {
        id = this.termStrings.length;
        this.termIds.set(st2, id);
        this.termStrings.push(st2);
        this.surfaces.push(w);
      }
      term = id;
    }
    const x = k << 2;
    slots[x] = a;
    slots[x + 1] = b;
    slots[x + 2] = term;
    slots[x + 3] = CONNECTOR_WORDS.has(w) ? 1 : 0;
    if (++this.rawWords * 2 > this.cap) {
      this.grow();
      return this.slot(text, st, en, a, b);
    }
    return k;
  }

  /**
   * Calls `sink(termId)` for every indexable word of `text` (the words of `forEachTerm`), and
   * when `mentions` is given adds the hashes of its name-like phrases: 2..6-word windows of
   * runs of Capitalised words (joined by "-", inner connectors such as "of" allowed) and
   * hyphenated lower-case slugs.
   */
  scan(text: string, sink: TermSink | null, mentions: HashBag | null): void {
    const n = this.scanIds(text, sink !== null, mentions);
    if (sink) for (let k = 0; k < n; k++) sink(this.ids[k]!);
  }

  /** UTF-16 code units of the text being scanned, followed by a space. */
  private unitBuf = new Uint16Array(1 << 16);
  private unitBytes = Buffer.from(this.unitBuf.buffer);

  private units(text: string): Uint16Array {
    const L = text.length;
    if (this.unitBuf.length < L + 1) {
      this.unitBuf = new Uint16Array(Math.max(L + 1, this.unitBuf.length * 2));
      this.unitBytes = Buffer.from(this.unitBuf.buffer);
    }
    this.unitBytes.write(text, 0, 'utf16le');
    this.unitBuf[L] = 32;
    return this.unitBuf;
  }

  /** Term ids of the last `scanIds` call are ids[0 .. returned count). */
  ids = new Int32Array(4096);

  /** Like `scan`, but writes the term ids to `this.ids` and returns their count. */
  scanIds(text: string, wantIds: boolean, mentions: HashBag | null): number {
    const L = text.length;
    let nIds = 0;
    if (wantIds && this.ids.length < L / 2 + 16) this.ids = new Int32Array(Math.ceil(L / 2) + 4096);
    const ids = this.ids;
    // Read the characters from a typed copy: bodies are often cons strings (joined by the
    // parser), and charCodeAt on them goes through the rope on every call (measured 3x slower).
    const u = this.units(text);
    let i = 0;
    let runN = 0; // words in the current capitalised run
    let lastBreak = true; // punctuation other than spaces (or a hyphen) since the last word
    // hyphenated compound state
    let compStart = -1;
    let compParts = 0;
    let compUpper = false;
    let compEnd = 0;
    let prevEnd = -1;
    while (i < L) {
      let c = u[i]!;
      if (!WORD[c]) {
        i++;
        continue;
      }
      // separator between the previous word and this one
      const sepHyphen = prevEnd >= 0 && i === prevEnd + 1 && u[prevEnd] === HYPHEN;
      if (prevEnd >= 0 && !sepHyphen) {
        for (let p = prevEnd; p < i; p++) {
          const d = u[p]!;
          if (d !== 32 && d !== 10 && d !== 9 && d !== 13) {
            lastBreak = true;
            break;
          }
        }
      }
      const st = i;
      const upper = UPPER[c] === 1;
      let a = FNV_BASIS;
      let b = 5381;
      do {
        c = LOWER[c]!;
        a = Math.imul(a ^ c, FNV_PRIME);
        b = (Math.imul(b, 33) + c) | 0;
        i++;
        c = u[i]!; // u[L] is a space
      } while (WORD[c]);
      b = (b + Math.imul(i - st, 0x9e3779b1 | 0)) | 0;
      // inline probe for the common case (a known word), else register it
      const mask = this.cap - 1;
      let slots = this.slots;
      let k = a & mask;
      for (;;) {
        const x = k << 2;
        if (slots[x + 2] === -2) {
          k = this.slot(text, st, i, a, b);
          slots = this.slots;
          break;
        }
        if (slots[x] === a && slots[x + 1] === b) break;
        k = (k + 1) & mask;
      }
      const term = slots[(k << 2) + 2]!;
      if (term >= 0 && wantIds) ids[nIds++] = term;
      prevEnd = i;
      if (!mentions) continue;
      // --- name-like phrases ---
      if (sepHyphen && compStart >= 0) {
        compParts++;
        compEnd = i;
        if (compUpper && !this.pushRun(st, i, runN++)) runN = this.flushRun(u, runN, mentions);
        continue;
      }
      // a new compound starts here: close the previous one
      if (compStart >= 0 && !compUpper && compParts >= 2) mentions.add(slugHash(u, compStart, compEnd));
      compStart = st;
      compParts = 1;
      compUpper = upper;
      if (lastBreak) runN = this.flushRun(u, runN, mentions);
      lastBreak = false;
      if (upper) {
        if (!this.pushRun(st, i, runN++)) runN = this.flushRun(u, runN, mentions);
      } else if (runN > 0 && slots[(k << 2) + 3] === 1) {
        if (!this.pushRun(st, i, runN++)) runN = this.flushRun(u, runN, mentions);
      } else runN = this.flushRun(u, runN, mentions);
      compEnd = i;
    }
    if (mentions) {
      if (compStart >= 0 && !compUpper && compParts >= 2) mentions.add(slugHash(u, compStart, compEnd));
      this.flushRun(u, runN, mentions);
    }
    return nIds;
  }

  /** Hashes of a finished capitalised run (2+ words); returns the new run length (0). */
  private flushRun(u: Uint16Array, runN: number, mentions: HashBag): number {
    if (runN >= 2) this.runHashes(u, runN, mentions);
    return 0;
  }

  private pushRun(st: number, en: number, at: number): boolean {
    if (at >= 64) return false;
    this.runS[at] = st;
    this.runE[at] = en;
    return true;
  }

  /** Windows of 2..6 words of a run, trailing connectors dropped. */
  private runHashes(u: Uint16Array, n: number, out: HashBag): void {
    // drop trailing connectors
    while (n > 0 && !UPPER[u[this.runS[n - 1]!]!] && isConnectorAt(u, this.runS[n - 1]!, this.runE[n - 1]!)) n--;
    for (let s = 0; s < n; s++) {
      let h = FNV_BASIS;
      for (let w = 0; w < 6 && s + w < n; w++) {
        if (w > 0) h = Math.imul(h ^ HYPHEN, FNV_PRIME);
        const e = this.runE[s + w]!;
        for (let p = this.runS[s + w]!; p < e; p++) h = Math.imul(h ^ LOWER[u[p]!]!, FNV_PRIME);
        if (w >= 1) out.add(h >>> 0);
      }
    }
  }
}

function isConnectorAt(u: Uint16Array, st: number, en: number): boolean {
  if (en - st > 3) return false;
  let w = '';
  for (let p = st; p < en; p++) w += String.fromCharCode(LOWER[u[p]!]!);
  return CONNECTOR_WORDS.has(w);
}

/** Hash of a hyphenated lower-case compound text[st, en) in slug form. */
function slugHash(u: Uint16Array, st: number, en: number): number {
  let h = FNV_BASIS;
  let sep = false;
  for (let p = st; p < en; p++) {
    const c = u[p]!;
    if (WORD[c]) {
      if (sep) h = Math.imul(h ^ HYPHEN, FNV_PRIME);
      sep = false;
      h = Math.imul(h ^ LOWER[c]!, FNV_PRIME);
    } else sep = true;
  }
  return h >>> 0;
}
