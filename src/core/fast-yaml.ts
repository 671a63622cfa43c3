/**
 * A fast path for the block-style YAML that frontmatter is nearly always written in: block
 * mappings and sequences, plain and single-quoted scalars (also wrapped over lines, as dumpers write
 * them), one-line double-quoted scalars, one-line flow sequences of scalars, and literal or folded
 * block scalars. It gives exactly what js-yaml's `load` with the CORE schema gives, or `undefined`
 * when the text uses anything else (anchors, tags, multi-line flow collections or double quotes,
 * tabs, duplicate keys, errors...): the caller then parses with js-yaml, which stays the reference
 * and reports every error.
 *
 * Why: js-yaml was the largest single cost of a full-corpus check (a quarter of it: 15 MB of frontmatter
 * in the real corpus); this path reads the same text in about 60% of js-yaml's time.
 * Plain scalars are resolved with js-yaml's own CORE types, so `1.0`, `0x1F`, `~` or `TRUE` mean
 * the same here. test/core/fast-yaml.test.ts compares both parsers on hand-written cases, generated
 * and mutated documents, and every file of the commons-os corpus when ../shared is present;
 * `npm run fuzz` compares them on every mutant it makes.
 */
import jsyaml from 'js-yaml';

interface ScalarType {
  resolve(data: string): boolean;
  construct(data: string): unknown;
}

/**
 * The CORE schema's implicit scalar types, in the order js-yaml tries them. `types` is a public runtime
 * export of js-yaml 4 that its typings omit; test/core/fast-yaml.test.ts checks that these four resolve
 * every plain scalar exactly as `load` with CORE_SCHEMA does.
 */
const YAML_TYPES = (jsyaml as unknown as { types: Record<'null' | 'bool' | 'int' | 'float', ScalarType> }).types;
const IMPLICIT: readonly ScalarType[] = [YAML_TYPES.null, YAML_TYPES.bool, YAML_TYPES.int, YAML_TYPES.float];

/**
 * The code unit at s[i], or -1 past either end. The parser reads one past a line's end all the time
 * (`while (code(l, k) === 32) k++`); a plain `charCodeAt` there returns NaN, and every function that
 * did so was deoptimised and recompiled once per process (`--trace-deopt`: "out of bounds").
 */
function code(s: string, i: number): number {
  return i >= 0 && i < s.length ? s.charCodeAt(i) : -1;
}

/** Thrown inside the parser when the text leaves the subset; never escapes `fastYaml`. */
class Unsupported {}
const UNSUPPORTED = new Unsupported();

function bail(): never {
  throw UNSUPPORTED;
}

const SIMPLE_NUMBER = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;
/** Plain scalars YAML 1.1 readers (PyYAML, Psych) take differently: see src/rules/portability.ts. */
const YAML11_NUMBER = /^[-+]?(?:0[0-9_]+|0o[0-7_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+)$/;
const YAML11_WORD = /^(?:yes|no|on|off|=)$/i;

/**
 * Set when a plain scalar read since `fastYaml` was last called is one that YAML 1.1 readers take
 * differently (`yes`, `012`, `1:30`, `1e3`, a `?` in a flow item): the portability rule then looks
 * closer. Noting it while parsing costs nothing for the usual scalars.
 */
let yaml11Divergent = false;
export const yaml11DivergentSeen = (): boolean => yaml11Divergent;

/** Plain scalar → its CORE value (null, bool, int, float) or the string itself. */
function resolvePlain(s: string): unknown {
  const c = code(s, 0);
  // Only these first characters can start a null, bool, int or float: skip the resolvers otherwise.
  // Words (`~`, null, true, false in their three spellings) are at most five letters long.
  const maybeNumber = (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46;
  const maybeWord = s.length <= 5 && (c === 126 || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70);
  if (s.length <= 3 && (c === 121 || c === 89 || c === 110 || c === 78 || c === 111 || c === 79 || c === 61) && YAML11_WORD.test(s)) yaml11Divergent = true;
  if (maybeNumber || maybeWord) {
    // Unsigned decimals without leading zeros (scores, versions): what js-yaml's int and float give.
    if (SIMPLE_NUMBER.test(s) && s.length <= 15) return Number(s);
    if (maybeNumber && YAML11_NUMBER.test(s)) yaml11Divergent = true;
    for (const t of IMPLICIT) if (t.resolve(s)) return t.construct(s);
  }
  return s;
}

/** Characters that cannot start a plain scalar (YAML c-indicator), besides `-?:` followed by a space. */
function isIndicator(c: number): boolean {
  return (
    c === 44 ||
    c === 91 ||
    c === 93 ||
    c === 123 ||
    c === 125 ||
    c === 35 ||
    c === 38 ||
    c === 42 ||
    c === 33 ||
    c === 124 ||
    c === 62 ||
    c === 39 ||
    c === 34 ||
    c === 37 ||
    c === 64 ||
    c === 96
  );
}

const isFlowIndicator = (c: number): boolean => c === 44 || c === 91 || c === 93 || c === 123 || c === 125;

/** True when a plain scalar may start at s[i]; in a flow collection `-`/`?`/`:` may not precede `,[]{}` either. */
function plainStart(s: string, i: number, flow = false): boolean {
  const c = code(s, i);
  if (c < 0 || isIndicator(c)) return false;
  if (c === 45 || c === 63 || c === 58) {
    const d = code(s, i + 1);
    return !(d < 0 || d === 32 || (flow && isFlowIndicator(d)));
  }
  return true;
}

const HEX = (s: string, from: number, n: number): number => {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = code(s, from + k);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) bail();
    v = v * 16 + d;
  }
  return v;
};

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\x00',
  a: '\x07',
  b: '\x08',
  t: '\x09',
  n: '\x0A',
  v: '\x0B',
  f: '\x0C',
  r: '\x0D',
  e: '\x1B',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xA0',
  L: '\u2028',
  P: '\u2029',
};

/**
 * Where the scalar or flow sequence the last scanner call read ends: the index after its closing quote
 * or bracket (-1 when a single-quoted run does not close on its line). A second return value kept in
 * module state (one parse runs at a time, and callers read it right after the call): returning
 * `[value, end]` pairs cost an array each and a megamorphic destructuring in the hottest callers.
 */
let scanEnd = 0;

/** A double-quoted scalar opening at s[i]; sets `scanEnd` after the closing quote. Single line only. */
function doubleQuoted(s: string, i: number): string {
  let out = '';
  let from = i + 1;
  let j = from;
  // The next quote and the next backslash, found by the string search builtins rather than a loop over
  // every character, and searched again only once an escape has moved past them: each character is
  // searched once, however many escapes the line holds.
  let quote = -1;
  let backslash = -1;
  for (;;) {
    if (quote < j) quote = s.indexOf('"', j);
    if (quote < 0) bail(); // continues on the next line
    if (backslash < j) backslash = s.indexOf('\\', j); // none left (-1): the scalar closes just below
    if (backslash < 0 || backslash > quote) {
      out += s.slice(from, quote);
      scanEnd = quote + 1;
      return out;
    }
    j = backslash;
    out += s.slice(from, j);
    const e = s[j + 1];
    if (e === undefined) bail(); // escaped line break
    if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const code = HEX(s, j + 2, n);
      if (code > 0x10ffff) bail();
      out += code <= 0xffff ? String.fromCharCode(code) : String.fromCodePoint(code);
      j += 2 + n;
    } else {
      const r = SIMPLE_ESCAPES[e];
      if (r === undefined) bail();
      out += r;
      j += 2;
    }
    from = j;
  }
}

/** A single-quoted scalar opening at s[i]; sets `scanEnd`. Single line only. */
function singleQuoted(s: string, i: number): string {
  const text = singleQuotedRun(s, i + 1);
  if (scanEnd < 0) bail(); // continues on the next line
  return text;
}

/**
 * Single-quoted text from s[from] up to the closing quote (`''` read as `'`), `scanEnd` set after the
 * quote; or the rest of the line, `scanEnd` -1, when the quote does not close on this line.
 */
function singleQuotedRun(s: string, from: number): string {
  let out = '';
  for (;;) {
    const q = s.indexOf("'", from);
    if (q < 0) {
      scanEnd = -1;
      return out + s.slice(from);
    }
    if (code(s, q + 1) === 39) {
      out += s.slice(from, q + 1);
      from = q + 2;
      continue;
    }
    scanEnd = q + 1;
    return out + s.slice(from, q);
  }
}

/** Nothing but spaces and an optional comment (preceded by a space) from s[i] on. */
function onlyTrailer(s: string, i: number): boolean {
  let j = i;
  while (code(s, j) === 32) j++;
  if (j >= s.length) return true;
  return code(s, j) === 35 && j > i;
}

/**
 * End of a block-context plain scalar starting at s[i]: before its comment (`hash`, the index of ` #`
 * from i, or -1) or the end of the line, trailing spaces trimmed.
 */
function plainEnd(s: string, i: number, hash: number): number {
  let end = hash >= 0 ? hash : s.length;
  while (end > i && code(s, end - 1) === 32) end--;
  return end;
}

/** A one-line flow sequence of scalars opening at s[i]: `[]`, `[a, "b", 'c']`; sets `scanEnd` after the `]`. */
function flowSequence(s: string, i: number): unknown[] {
  const out: unknown[] = [];
  let j = i + 1;
  const skip = () => {
    while (code(s, j) === 32) j++;
  };
  skip();
  if (code(s, j) === 93) {
    scanEnd = j + 1;
    return out;
  }
  for (;;) {
    skip();
    const c = code(s, j);
    if (c === 34 || c === 39) {
      out.push(c === 34 ? doubleQuoted(s, j) : singleQuoted(s, j));
      j = scanEnd;
    } else {
      if (!plainStart(s, j, true)) bail();
      const st = j;
      while (j < s.length) {
        const d = code(s, j);
        if (d === 44 || d === 93) break;
        if (d === 91 || d === 123 || d === 125) bail();
        if (d === 58) bail(); // `a: b` is a mapping in a flow sequence; `a:b` is left to js-yaml too
        if (d === 35 && code(s, j - 1) === 32) bail();
        if (d === 63) yaml11Divergent = true; // PyYAML ends a flow item's plain scalar at `?`
        j++;
      }
      let en = j;
      while (en > st && code(s, en - 1) === 32) en--;
      out.push(resolvePlain(s.slice(st, en)));
    }
    skip();
    const d = code(s, j);
    if (d === 93) {
      scanEnd = j + 1;
      return out;
    }
    if (d !== 44) bail(); // multi-line flow sequences, stray characters
    j++;
    skip();
    if (code(s, j) === 93 || code(s, j) === 44) bail(); // trailing or empty entries
  }
}

/**
 * `keyHash` of the characters before the colon `keyColon` last found (module state: one parse runs at a
 * time, and `key` reads it right after), so a plain key is scanned once, not twice.
 */
let scannedKeyHash = 0;

/** Index of the `:` ending a mapping key in `s` (from i), or -1 when the line holds no key. */
function keyColon(s: string, i: number): number {
  const c = code(s, i);
  if (c === 34 || c === 39) {
    if (c === 34) doubleQuoted(s, i);
    else singleQuoted(s, i);
    let j = scanEnd;
    while (code(s, j) === 32) j++;
    if (code(s, j) !== 58) return -1;
    const d = code(s, j + 1);
    return d < 0 || d === 32 ? j : -1;
  }
  let h = FNV_OFFSET;
  for (let j = i; j < s.length; j++) {
    const d = s.charCodeAt(j);
    if (d === 58) {
      const e = code(s, j + 1);
      if (e < 0 || e === 32) {
        scannedKeyHash = h;
        return j;
      }
    } else if (d === 35 && j > i && code(s, j - 1) === 32) return -1;
    h = Math.imul(h ^ d, FNV_PRIME);
  }
  return -1;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16777619;

/**
 * Plain keys seen before, by a hash of their characters. Frontmatter repeats the same few hundred
 * keys in every file; handing the object an already internalised key string skips V8's string-table
 * lookup for every property store (measured: the two property accesses per key were a third of the
 * parser's time). Only valid keys are remembered, so a hit needs no further checks.
 */
const KEY_SLOTS = 4096; // the real corpus has 114 different keys: few of them share a slot
const keyTable: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS).fill(undefined);

/** FNV-1a over s[from, to), not yet reduced to a slot. */
function keyHash(s: string, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** The remembered key in `slot` when it is s[from, to), else undefined. */
function knownKey(slot: number, s: string, from: number, to: number): string | undefined {
  const k = keyTable[slot];
  return k !== undefined && k.length === to - from && s.startsWith(k, from) ? k : undefined;
}

function rememberKey(slot: number, key: string): void {
  // Names that objects inherit (`constructor`, `toString`) are never remembered: a remembered key is
  // then new to a mapping whenever the mapping's filter says so (see `mapping`).
  if (key in Object.prototype) return;
  // Property names are internalised; the table keeps that copy, not a slice of this file's text.
  keyTable[slot] = Object.keys({ [key]: 0 })[0] as string;
}

class Parser {
  private i = 0;
  constructor(private readonly lines: string[]) {}

  /** Indentation of a line, or -1 for a blank or comment-only line. */
  private indentOf(n: number): number {
    const l = this.lines[n] as string;
    let k = 0;
    while (code(l, k) === 32) k++;
    if (k >= l.length || code(l, k) === 35) return -1;
    return k;
  }

  /** Line index and indentation of the last `next()` answer: a value's end and its mapping both ask for the same line. */
  private seenLine = -1;
  private seenIndent = -1;

  /** Moves past blank and comment lines; returns the indentation of the next line, or -1 at the end. */
  private next(): number {
    if (this.i === this.seenLine) return this.seenIndent;
    let k = -1;
    while (this.i < this.lines.length) {
      k = this.indentOf(this.i);
      if (k >= 0) break;
      this.i++;
    }
    this.seenLine = this.i;
    this.seenIndent = k;
    return k;
  }

  document(): Record<string, unknown> {
    const k = this.next();
    if (k !== 0) bail();
    const map = this.mapping(0);
    if (this.next() !== -1) bail();
    return map;
  }

  private isItem(line: string, indent: number): boolean {
    return code(line, indent) === 45 && (indent + 1 === line.length || code(line, indent + 1) === 32);
  }

  /** A block mapping whose keys sit at `indent`; the current line is its first key. */
  private mapping(indent: number, first?: { line: string; at: number }): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    let seen = 0; // one bit per remembered key's hash: a 32-bit filter of the keys so far
    let entry = first;
    for (;;) {
      let line: string;
      let at: number;
      if (entry) {
        ({ line, at } = entry);
        entry = undefined;
      } else {
        const k = this.next();
        if (k < indent) return map;
        if (k > indent) bail();
        line = this.lines[this.i] as string;
        at = k;
        if (this.isItem(line, k)) bail(); // a sequence where a key belongs
      }
      const colon = keyColon(line, at);
      if (colon < 0) bail();
      const key = this.key(line, at, colon);
      // js-yaml reports duplicates; inherited names (`constructor`, `toString`) go to js-yaml as well.
      // A remembered key whose bit in this mapping's filter is clear cannot be either: the property
      // lookup, a megamorphic one, is skipped for most keys.
      const bit = this.keyBit;
      if (bit === 0 || (seen & bit) !== 0) {
        if (map[key] !== undefined) bail();
      }
      seen |= bit === 0 ? -1 : bit; // after a key outside the table every later key is looked up
      map[key] = this.valueAfter(line, colon + 1, indent, true);
    }
  }

  /** The filter bit of the key `key` last returned: non-zero only for a remembered key. */
  private keyBit = 0;

  private key(line: string, at: number, colon: number): string {
    const c = code(line, at);
    let key: string;
    this.keyBit = 0;
    if (c === 34 || c === 39) key = c === 34 ? doubleQuoted(line, at) : singleQuoted(line, at);
    else {
      if (!plainStart(line, at)) bail();
      let en = colon;
      while (en > at && code(line, en - 1) === 32) en--;
      const hash = en === colon ? scannedKeyHash : keyHash(line, at, en);
      const slot = (hash >>> 0) & (KEY_SLOTS - 1);
      const known = knownKey(slot, line, at, en);
      if (known !== undefined) {
        this.keyBit = 1 << (hash >>> 27);
        return known;
      }
      const raw = line.slice(at, en);
      if (resolvePlain(raw) !== raw) bail(); // `1.0:`, `null:`, `true:` become other strings in js-yaml
      key = raw;
      if (key.length <= 64 && key !== '__proto__' && key !== '<<') rememberKey(slot, key);
    }
    if (key.length > 1000 || key === '__proto__' || key === '<<') bail();
    return key;
  }

  /**
   * The value after a key's `:` (from line[from]), the key at `ownerIndent`; the current line is the
   * key's line. Leaves `this.i` on the first line after the value.
   */
  private valueAfter(line: string, from: number, ownerIndent: number, isKey: boolean): unknown {
    let j = from;
    while (code(line, j) === 32) j++;
    if (j >= line.length || code(line, j) === 35) {
      if (code(line, j) === 35 && j === from) bail();
      this.i++;
      return this.nested(ownerIndent, isKey);
    }
    const c = code(line, j);
    let value: unknown;
    if (c === 124 || c === 62) {
      if (!isKey) bail();
      return this.blockScalar(line, j, ownerIndent);
    } else if (c === 34) {
      value = doubleQuoted(line, j);
      if (!onlyTrailer(line, scanEnd)) bail();
    } else if (c === 39) {
      const q = this.singleQuotedLines(line, j);
      if (!onlyTrailer(q.line, q.after)) bail();
      value = q.value;
    } else if (c === 91) {
      value = flowSequence(line, j);
      if (!onlyTrailer(line, scanEnd)) bail();
    } else if (c === 123) {
      let k = j + 1;
      while (code(line, k) === 32) k++;
      if (code(line, k) !== 125 || !onlyTrailer(line, k + 1)) bail();
      value = {};
    } else {
      if (!plainStart(line, j)) bail();
      const hash = line.indexOf(' #', j);
      const raw = line.slice(j, plainEnd(line, j, hash));
      if (raw.includes(': ') || raw.endsWith(':')) bail();
      // A comment ends the scalar; otherwise deeper lines may continue it.
      value = hash < 0 ? this.plainContinued(raw, ownerIndent) : resolvePlain(raw);
    }
    this.i++;
    // A deeper line after an inline value continues a plain scalar, or is an error: js-yaml decides.
    const k = this.next();
    if (k > ownerIndent) bail();
    return value;
  }

  /**
   * A plain scalar wrapped over several lines (as YAML dumpers write long values): deeper lines
   * continue it, folded with a space, each empty line in between giving a line feed. Leaves `this.i`
   * on its last line.
   */
  private plainContinued(first: string, ownerIndent: number): unknown {
    const lines = this.lines;
    let text = first;
    let empty = 0;
    for (let n = this.i + 1; n < lines.length; n++) {
      const l = lines[n] as string;
      let k = 0;
      while (code(l, k) === 32) k++;
      if (k === l.length) {
        empty++;
        continue;
      }
      if (k <= ownerIndent) {
        // The line after the scalar: `next()` will be asked for it (a comment line it skips instead).
        if (code(l, k) !== 35) {
          this.seenLine = n;
          this.seenIndent = k;
        }
        break;
      }
      if (!plainStart(l, k)) bail(); // comments, indicators
      if (l.indexOf(' #', k) >= 0) bail(); // a comment inside a wrapped scalar
      const part = l.slice(k, plainEnd(l, k, -1));
      if (part.includes(': ') || part.endsWith(':')) bail();
      text += empty === 0 ? ` ${part}` : '\n'.repeat(empty) + part;
      empty = 0;
      this.i = n;
    }
    return resolvePlain(text);
  }

  /**
   * A single-quoted scalar opening at line[j], over as many lines as it takes, folded the way js-yaml
   * folds it: a line's trailing spaces are kept, one line break becomes a space, n empty lines n line
   * feeds, the next line's indentation is dropped. Leaves `this.i` on the line of the closing quote.
   */
  private singleQuotedLines(line: string, j: number): { value: string; line: string; after: number } {
    let out = '';
    let l = line;
    let from = j + 1;
    for (;;) {
      out += singleQuotedRun(l, from);
      if (scanEnd >= 0) return { value: out, line: l, after: scanEnd };
      let breaks = 1;
      for (let n = this.i + 1; ; n++) {
        if (n >= this.lines.length) bail(); // unclosed
        const m = this.lines[n] as string;
        let k = 0;
        while (code(m, k) === 32) k++;
        if (k === m.length) {
          breaks++;
          continue;
        }
        this.i = n;
        l = m;
        from = k;
        break;
      }
      out += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
    }
  }

  /** The block under a key or item with no inline value: a mapping, a sequence, or null. */
  private nested(ownerIndent: number, isKey: boolean): unknown {
    const k = this.next();
    if (k < 0) return null;
    const line = this.lines[this.i] as string;
    if (k > ownerIndent) return this.isItem(line, k) ? this.sequence(k) : this.mapping(k);
    // `key:` followed by `- item` at the key's own indentation.
    if (k === ownerIndent && isKey && this.isItem(line, k)) return this.sequence(k);
    return null;
  }

  /** A block sequence whose dashes sit at `indent`; the current line is its first item. */
  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const k = this.next();
      if (k !== indent) {
        if (k > indent) bail();
        return out;
      }
      const line = this.lines[this.i] as string;
      if (!this.isItem(line, k)) return out;
      let j = k + 1;
      while (code(line, j) === 32) j++;
      if (j >= line.length || code(line, j) === 35) {
        if (code(line, j) === 35 && j === k + 1) bail();
        this.i++;
        // An empty item followed by a shallower line: js-yaml nests that line into the item.
        const after = this.next();
        if (after >= 0 && after < indent) bail();
        out.push(this.nested(indent, false));
        continue;
      }
      if (this.isItem(line, j)) bail(); // `- - x`
      const colon = keyColon(line, j);
      if (colon >= 0) out.push(this.mapping(j, { line, at: j }));
      else out.push(this.valueAfter(line, j, indent, false));
    }
  }

  /** `|`, `|-`, `>`, `>-` after a key at `ownerIndent`; no indentation indicator, keep chomping or leading blank lines. */
  private blockScalar(line: string, at: number, ownerIndent: number): string {
    const folded = code(line, at) === 62;
    let j = at + 1;
    let strip = false;
    if (code(line, j) === 45) {
      strip = true;
      j++;
    }
    while (code(line, j) === 32) j++;
    if (j < line.length) bail(); // `+`, indentation digits, comments
    this.i++;
    const lines = this.lines;
    let textIndent = -1;
    let out = '';
    let empty = 0;
    let read = false;
    while (this.i < lines.length) {
      const l = lines[this.i] as string;
      let k = 0;
      while (code(l, k) === 32) k++;
      if (k === l.length) {
        if (!read || (textIndent >= 0 && k > textIndent)) bail(); // leading blank lines, whitespace content
        empty++;
        this.i++;
        continue;
      }
      if (textIndent < 0) {
        if (k <= ownerIndent) bail(); // empty block scalar
        textIndent = k;
      }
      if (k < textIndent) break;
      if (k > textIndent && folded) bail(); // more-indented lines fold differently
      const text = l.slice(textIndent);
      if (!read) out = text;
      else if (!folded) out += '\n'.repeat(1 + empty) + text;
      else out += empty === 0 ? ` ${text}` : '\n'.repeat(empty) + text;
      read = true;
      empty = 0;
      this.i++;
    }
    if (!read) bail();
    if (!strip) out += '\n';
    const k = this.next();
    if (k > ownerIndent) bail();
    return out;
  }
}

// eslint-disable-next-line no-control-regex
const SUSPECT = /[\t\r\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFEFF\uFFFE\uFFFF\uD800-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const REFUSED = /[\t\r\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFEFF\uFFFE\uFFFF]/;

/** True when the only suspect characters of `text` are well-formed surrogate pairs (astral characters). */
function pairedSurrogatesOnly(text: string): boolean {
  if (REFUSED.test(text)) return false;
  for (let i = 0; i < text.length; i++) {
    const c = code(text, i);
    if (c < 0xd800 || c >= 0xe000) continue;
    const d = code(text, i + 1);
    if (c >= 0xdc00 || !(d >= 0xdc00 && d < 0xe000)) return false;
    i++;
  }
  return true;
}

/**
 * The value js-yaml's `load(text, {schema: CORE_SCHEMA})` returns for `text`, when the text is a block
 * mapping in the subset this parser handles; otherwise `undefined` (parse with js-yaml then).
 */
export function fastYaml(text: string): Record<string, unknown> | undefined {
  yaml11Divergent = false;
  // Tabs, CR and every character js-yaml refuses; surrogates only when unpaired (checked by hand).
  if (SUSPECT.test(text) && !pairedSurrogatesOnly(text)) return undefined;
  const lines = text.split('\n');
  for (const l of lines) {
    const c = code(l, 0);
    // Document markers and directives: more than one document, or a directive.
    if ((c === 45 || c === 46) && (l.startsWith('---') || l.startsWith('...'))) return undefined;
    if (c === 37) return undefined;
  }
  try {
    return new Parser(lines).document();
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}
