/**
 * The document model: one Markdown file as frontmatter data, a lazily built source map,
 * body sections and the raw text. Parsing never throws: every problem with the bytes
 * (encoding, binary, size, YAML syntax) becomes a `FileProblem` that the rules engine
 * turns into a finding.
 */
import { isUtf8 } from 'node:buffer';
import { fastYaml, yaml11DivergentSeen } from './fast-yaml.js';
import jsyaml from 'js-yaml';
import { parseDocument as parseYamlDocument, LineCounter } from 'yaml';
import { locatePath, scanBlockYaml, yamlDocumentSourceMap, type SourceMap, type Loc } from './source-map.js';
import { isRecord, type KeyPath } from './path.js';
import { looksLikeBrokenPattern } from './stray.js';

export type DocKind = 'commons-pattern' | 'commons-pattern-legacy' | 'obsidian-note' | 'unknown';
export const DOC_KINDS: readonly DocKind[] = ['commons-pattern', 'commons-pattern-legacy', 'obsidian-note', 'unknown'];

/** A commons pattern of either format (v7.1 or legacy): what slugs resolve to and what the link engine indexes. */
export const isPatternKind = (kind: string | undefined): boolean => kind === 'commons-pattern' || kind === 'commons-pattern-legacy';

export interface Limits {
  /** Files larger than this are refused whole (one finding, no parse). */
  maxFileBytes: number;
  /** Frontmatter larger than this is refused (one finding, body still read). */
  maxFrontmatterBytes: number;
  /** Frontmatter node budget: aliases that fan out past this are refused (billion laughs). */
  maxYamlNodes: number;
  /** Deepest nesting accepted in frontmatter. */
  maxYamlDepth: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFileBytes: 2 * 1024 * 1024,
  maxFrontmatterBytes: 512 * 1024,
  maxYamlNodes: 200_000,
  maxYamlDepth: 64,
};

export type FileProblemCode =
  | 'file/binary'
  | 'file/encoding'
  | 'file/too-large'
  | 'file/empty'
  | 'file/bom'
  | 'file/line-endings'
  | 'frontmatter/missing'
  | 'frontmatter/unclosed'
  | 'frontmatter/too-large'
  | 'frontmatter/not-mapping'
  | 'yaml/syntax'
  | 'yaml/too-complex';

export interface FileProblem {
  code: FileProblemCode;
  message: string;
  line: number;
  column: number;
}

export interface Section {
  /** Heading text without the leading #s. */
  heading: string;
  level: number;
  /** "### Section 3: Solution" gives number 3 and name "Solution". */
  number?: number;
  name: string;
  /** File line of the heading. */
  line: number;
  /** Last file line that belongs to the section (before the next heading of same or higher level). */
  endLine: number;
  words: number;
}

export interface BodyMarkers {
  /** File lines that are `---` alone and followed (past blank lines) by a `key:` line: a block of frontmatter keys in the body. */
  yamlBlocks: number[];
  /** File lines that are three or more `'` or `"` alone: Markdown has no such fence. */
  quotes: number[];
  /** File line of a code fence that is never closed (the rest of the file renders as code). */
  unclosedFence?: number;
}

export interface Frontmatter {
  /** File line of the opening `---`. */
  openLine: number;
  /** File line of the closing `---`. */
  closeLine: number;
  /** The YAML text between the fences. */
  yaml: string;
  /** Parsed data; null when the YAML did not parse or is not a mapping. */
  data: Record<string, unknown> | null;
  /**
   * False when the YAML fast path read it and saw no plain scalar that YAML 1.1 readers take
   * differently; true when it saw one; undefined when js-yaml parsed it (nobody looked).
   */
  yaml11Divergent?: boolean;
}

export interface ParsedDocument {
  /** Path relative to the checked root, "/" separated. */
  file: string;
  /** Text with BOM removed and line endings normalised to "\n". */
  text: string;
  eol: '\n' | '\r\n';
  bom: boolean;
  /** True when only the frontmatter was read (`headOnly`): no body, no sections, no body problems. */
  headOnly: boolean;
  problems: FileProblem[];
  frontmatter: Frontmatter | null;
  /** File line where the body starts (1 when there is no frontmatter). */
  bodyLine: number;
  kind: DocKind;
  /**
   * True for a file that is not a pattern and is not checked: no frontmatter, no `kinds:` glob matched
   * it, nothing in it recognised a kind, and it does not look like a pattern with broken frontmatter
   * (see `looksLikeBrokenPattern`). READMEs and guides beside the patterns.
   */
  notPattern: boolean;
  /** The file's lines ("\n"-split, no terminators). Allocates every line: prefer `line(n)`. */
  lines(): string[];
  /** One file line (1-based) without its terminator; '' past the end. */
  line(n: number): string;
  /** Number of lines in the file. */
  lineCount(): number;
  /** Whether the file's text contains `needle` (ASCII), without decoding a body not read yet. */
  mentions(needle: string): boolean;
  body(): string;
  sections(): Section[];
  /** Body lines outside fenced code that are `---`, `'''` or `"""`, and a code fence left open. */
  bodyMarkers(): BodyMarkers;
  sourceMap(): SourceMap;
  /** Location of a frontmatter key path (or its nearest ancestor); frontmatter start when unknown. */
  locate(path: KeyPath): Loc;
  /** Exact location of a frontmatter path, or undefined; a directed lookup first, the full map when unsure. */
  find(path: KeyPath): Loc | undefined;
  /** Slug from frontmatter, else the file name without extension. */
  slug: string;
  /** The file name without directories and `.md`. */
  basename: string;
}

function basenameOf(file: string): string {
  const b = file.slice(file.lastIndexOf('/') + 1);
  return b.replace(/\.(md|markdown)$/i, '');
}

/** Decodes bytes, reporting binary, invalid UTF-8 and size problems. */
export function decode(bytes: Uint8Array | string, limits: Limits, sizeOnDisk?: number): { text: string | null; problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  const size = sizeOnDisk ?? (typeof bytes === 'string' ? bytes.length : bytes.byteLength);
  if (size > limits.maxFileBytes) {
    problems.push({
      code: 'file/too-large',
      message: `File is ${size} bytes, over the ${limits.maxFileBytes}-byte limit; it was not checked.`,
      line: 1,
      column: 1,
    });
    return { text: null, problems };
  }
  if (typeof bytes === 'string') return { text: bytes, problems };
  const probe = bytes.subarray(0, Math.min(bytes.byteLength, 8000));
  if (probe.includes(0)) {
    problems.push({ code: 'file/binary', message: 'File contains NUL bytes: it looks binary, not a Markdown pattern.', line: 1, column: 1 });
    return { text: null, problems };
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Decoding replaces invalid bytes with U+FFFD; only then is the (second) validity pass needed.
  const text = buf.toString('utf8');
  if (text.includes('\uFFFD') && !isUtf8(buf)) {
    const bad = text.indexOf('\uFFFD');
    const before = bad >= 0 ? text.slice(0, bad) : '';
    const line = before.split('\n').length;
    problems.push({
      code: 'file/encoding',
      message: 'File is not valid UTF-8; invalid bytes were read as U+FFFD. Save the file as UTF-8.',
      line,
      column: bad >= 0 ? bad - before.lastIndexOf('\n') : 1,
    });
    return { text, problems };
  }
  return { text, problems };
}

/** Walks parsed YAML with a node budget and depth limit (aliases share objects, so count visits). */
function withinBudget(data: unknown, limits: Limits): 'ok' | 'nodes' | 'depth' {
  let nodes = 0;
  const walk = (v: unknown, depth: number): 'ok' | 'nodes' | 'depth' => {
    if (++nodes > limits.maxYamlNodes) return 'nodes';
    if (depth > limits.maxYamlDepth) return 'depth';
    if (v !== null && typeof v === 'object') {
      const vals = Array.isArray(v) ? v : Object.values(v as object);
      for (const c of vals) {
        const r = walk(c, depth + 1);
        if (r !== 'ok') return r;
      }
    }
    return 'ok';
  };
  return walk(data, 0);
}

/**
 * Whether the YAML text nests deeper than `cap` by a rough measure taken before parsing, so that a
 * hostile file cannot overflow the parser's stack: brackets opened inside each other, or half the
 * indentation of the most indented line that is not blank. No allocation but one search string;
 * brackets are only counted character by character when one opens inside another (rare in
 * frontmatter), and indentation is found with a string search for a line break and 2 * cap + 2 spaces.
 */
function nestsDeeper(yaml: string, cap: number): boolean {
  if (cap < 0) return true;
  if (cap < 1 && /[[{]/.test(yaml)) return true;
  if (NESTED_BRACKETS.test(yaml)) {
    let bracket = 0;
    for (let i = 0; i < yaml.length; i++) {
      const c = yaml.charCodeAt(i);
      if (c === 91 || c === 123) {
        if (++bracket > cap) return true;
      } else if ((c === 93 || c === 125) && bracket > 0) bracket--;
    }
  }
  return deepIndent(yaml, cap);
}

/** A line that is not blank and starts with at least 2 * cap + 2 spaces. */
function deepIndent(yaml: string, cap: number): boolean {
  const needle = `\n${' '.repeat(2 * cap + 2)}`;
  const contentAfter = (k: number) => {
    while (yaml.charCodeAt(k) === 32) k++;
    return k < yaml.length && yaml.charCodeAt(k) !== 10;
  };
  if (yaml.startsWith(needle.slice(1)) && contentAfter(needle.length - 1)) return true;
  for (let at = yaml.indexOf(needle); at >= 0; at = yaml.indexOf(needle, at + 1)) if (contentAfter(at + needle.length)) return true;
  return false;
}

/** An opening bracket followed by another before any closing one. */
const NESTED_BRACKETS = /[[{][^\]}]*[[{]/;

/** Memo key of a key path: length-prefixed names and `#`-marked indexes, so no two paths share a key. */
function pathKey(path: KeyPath): string {
  let k = '';
  for (const seg of path) k += typeof seg === 'number' ? `#${seg};` : `${seg.length}:${seg}`;
  return k;
}

/** Directed lookups per document before the whole source map is cheaper (measured on the corpus). */
const DIRECTED_LOOKUPS = 12;

const SAFE_SCHEMA = jsyaml.CORE_SCHEMA; // dates stay strings: `dates/invalid` checks them, nothing is silently shifted

/** Exact line and column of a YAML syntax error, from the `yaml` parser (js-yaml's marks are coarser). */
function yamlSyntaxError(yaml: string, firstLine: number, fallback: { line: number; column: number; message: string }): FileProblem {
  try {
    const lc = new LineCounter();
    const doc = parseYamlDocument(yaml, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
    const err = doc.errors[0];
    if (err) {
      const p = lc.linePos(err.pos[0]);
      const first = err.message.split('\n')[0] ?? err.message;
      return { code: 'yaml/syntax', message: `YAML syntax error: ${first}`, line: p.line + firstLine - 1, column: p.col };
    }
  } catch {
    /* fall through to js-yaml's position */
  }
  return { code: 'yaml/syntax', message: `YAML syntax error: ${fallback.message}`, line: fallback.line + firstLine - 1, column: fallback.column };
}

export interface ParseOptions {
  limits?: Limits;
  /** Kind chosen by config globs; auto-detected from content when absent. */
  kind?: DocKind;
  /** Size of the file when the caller did not read it (too large): the document is refused. */
  sizeOnDisk?: number;
  /**
   * Decode and parse only the frontmatter, for corpus indexes of pattern kinds, which need nothing
   * from the body: most of a pattern's bytes are never decoded. Obsidian notes need their body
   * (wikilinks); callers re-parse those in full.
   */
  headOnly?: boolean;
  /** Decode the whole file now (the default decodes a clean file's body when it is first read). */
  eagerBody?: boolean;
}

/** Byte offset just past the closing frontmatter fence line, or -1 (no frontmatter, unclosed). */
export function frontmatterEnd(bytes: Uint8Array): number {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  if (bytes[start] !== 45 || bytes[start + 1] !== 45 || bytes[start + 2] !== 45) return -1;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = buf.indexOf(10, start); at >= 0; at = buf.indexOf(10, at + 1)) {
    const next = at + 1;
    if ((buf[next] === 45 && buf[next + 1] === 45 && buf[next + 2] === 45) || (buf[next] === 46 && buf[next + 1] === 46 && buf[next + 2] === 46)) {
      const nl = buf.indexOf(10, next);
      return nl < 0 ? buf.byteLength : nl + 1;
    }
  }
  return -1;
}

/**
 * Offsets where each line of a text (or of its UTF-8 bytes) starts, in one pass of `indexOf` (memchr for
 * bytes); the array is estimated from the length and doubled when short.
 */
function lineStarts(text: string | Buffer): Int32Array {
  let out = new Int32Array(Math.max(16, text.length >> 5));
  let k = 1;
  const nl = (typeof text === 'string' ? '\n' : 10) as string & number;
  for (let i = text.indexOf(nl); i >= 0; i = text.indexOf(nl, i + 1)) {
    if (k === out.length) {
      const grown = new Int32Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[k++] = i + 1;
  }
  return out.subarray(0, k);
}

const FULL_TEXT = Symbol('fullText');
const LAZY_TEXT: object = Object.defineProperty({}, 'text', {
  get(this: { [FULL_TEXT]: () => string }) {
    return this[FULL_TEXT]();
  },
  enumerable: true,
  configurable: false,
});

export function parseDocument(file: string, bytes: Uint8Array | string, opts: ParseOptions = {}): ParsedDocument {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const original = bytes;
  let headOnly = false;
  // The body is decoded when a rule first reads it (never with `headOnly`). Legacy patterns never need
  // theirs, and a body decoded just before its rules run dies young instead of filling the heap for the
  // whole corpus pass. Only for clean files (valid UTF-8, no CR, no NUL): everything else is decoded at
  // once and reported as before. Binary probing and size limits still see the whole file.
  let lazyBody: Uint8Array | undefined;
  if ((opts.headOnly || !opts.eagerBody) && typeof bytes !== 'string' && bytes.byteLength <= limits.maxFileBytes && opts.sizeOnDisk === undefined) {
    const end = frontmatterEnd(bytes);
    if (end > 0 && !bytes.subarray(0, Math.min(bytes.byteLength, 8000)).includes(0)) {
      if (opts.headOnly) {
        bytes = bytes.subarray(0, end);
        headOnly = true;
      } else if (end < bytes.byteLength && !bytes.includes(13) && isUtf8(bytes)) {
        lazyBody = bytes.subarray(end);
        bytes = bytes.subarray(0, end);
      }
    }
  }
  const decoded = decode(bytes, limits, opts.sizeOnDisk);
  const problems = decoded.problems;
  let text = decoded.text ?? '';
  let bom = false;
  if (text.charCodeAt(0) === 0xfeff) {
    bom = true;
    text = text.slice(1);
    problems.push({
      code: 'file/bom',
      message: 'File starts with a byte-order mark (BOM); remove it so every tool reads the frontmatter fence.',
      line: 1,
      column: 1,
    });
  }
  let eol: '\n' | '\r\n' = '\n';
  if (text.includes('\r')) {
    if (text.includes('\r\n')) eol = '\r\n';
    text = text.replace(/\r\n?/g, '\n');
    problems.push({ code: 'file/line-endings', message: 'File uses Windows (CRLF) or old Mac (CR) line endings; the library uses LF.', line: 1, column: 1 });
  }
  if (decoded.text !== null && text.trim() === '') {
    problems.push({ code: 'file/empty', message: 'File is empty.', line: 1, column: 1 });
  }

  let frontmatter: Frontmatter | null = null;
  let bodyLine = 1;
  let bodyOffset = 0;
  if (decoded.text !== null && /^---[ \t]*(?:\n|$)/.test(text)) {
    const firstNl = text.indexOf('\n');
    const close = /\n(?:---|\.\.\.)[ \t]*(?=\n|$)/g;
    close.lastIndex = firstNl < 0 ? text.length : firstNl;
    const m = firstNl < 0 ? null : close.exec(text);
    if (!m) {
      problems.push({ code: 'frontmatter/unclosed', message: 'Frontmatter starts with `---` but has no closing `---` line.', line: 1, column: 1 });
    } else {
      const yaml = text.slice(firstNl + 1, m.index + 1);
      let newlines = 0;
      for (let i = yaml.indexOf('\n'); i >= 0; i = yaml.indexOf('\n', i + 1)) newlines++;
      const closeLine = 2 + newlines;
      frontmatter = { openLine: 1, closeLine, yaml, data: null };
      bodyOffset = m.index + m[0].length;
      if (text.charCodeAt(bodyOffset) === 10) bodyOffset++;
      bodyLine = closeLine + 1;
      if (yaml.length > limits.maxFrontmatterBytes) {
        problems.push({
          code: 'frontmatter/too-large',
          message: `Frontmatter is ${yaml.length} characters, over the ${limits.maxFrontmatterBytes} limit; it was not parsed.`,
          line: 2,
          column: 1,
        });
      } else if (nestsDeeper(yaml, limits.maxYamlDepth)) {
        problems.push({
          code: 'yaml/too-complex',
          message: `Frontmatter nests deeper than ${limits.maxYamlDepth} levels; it was not parsed.`,
          line: 2,
          column: 1,
        });
      } else {
        try {
          // The fast path gives js-yaml's value for plain block YAML; js-yaml parses (and reports) the rest.
          const fast = fastYaml(yaml);
          if (fast) frontmatter.yaml11Divergent = yaml11DivergentSeen();
          const data = fast ?? jsyaml.load(yaml, { schema: SAFE_SCHEMA, json: false });
          // Without anchors there are no aliases, so the value count is bounded by the text size and
          // the depth by nestsDeeper: only anchored YAML needs the walk (the fast path refuses anchors).
          const budget = fast === undefined && yaml.includes('&') ? withinBudget(data, limits) : 'ok';
          if (budget !== 'ok') {
            problems.push({
              code: 'yaml/too-complex',
              message:
                budget === 'nodes'
                  ? `Frontmatter expands to more than ${limits.maxYamlNodes} values (aliases?); it was not checked.`
                  : `Frontmatter nests deeper than ${limits.maxYamlDepth} levels; it was not checked.`,
              line: 2,
              column: 1,
            });
          } else if (data === undefined || data === null) {
            frontmatter.data = {};
          } else if (!isRecord(data)) {
            problems.push({ code: 'frontmatter/not-mapping', message: 'Frontmatter must be a mapping of keys to values.', line: 2, column: 1 });
          } else {
            frontmatter.data = data;
          }
        } catch (e) {
          const err = e as { mark?: { line: number; column: number }; reason?: string; message?: string };
          const reason = err.reason ?? String(err.message ?? e);
          const line = (err.mark?.line ?? 0) + 1;
          const column = (err.mark?.column ?? 0) + 1;
          if (e instanceof RangeError) {
            problems.push({ code: 'yaml/too-complex', message: 'Frontmatter is too deeply nested to parse.', line: 2, column: 1 });
          } else {
            problems.push(yamlSyntaxError(yaml, 2, { line, column, message: reason }));
          }
        }
      }
    }
  }

  // The fence `frontmatterEnd` found must be the one the frontmatter rules see (`--- x`, `----`: not).
  if (lazyBody && (frontmatter === null || bodyOffset !== text.length)) return parseDocument(file, original, { ...opts, eagerBody: true });
  let full: string | undefined = lazyBody ? undefined : text;
  // The undecoded body of a lazy document: line counts, body lines and sections are read from its bytes.
  const bodyBytes = lazyBody;
  const fullText = (): string => {
    if (full === undefined) {
      const b = lazyBody as Uint8Array;
      full = text + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
      lazyBody = undefined;
      if (docRef) Object.defineProperty(docRef, 'text', { value: full, writable: true, enumerable: true, configurable: true });
    }
    return full;
  };
  let docRef: ParsedDocument | undefined;

  const basename = basenameOf(file);
  const data = frontmatter?.data ?? null;
  const slugValue = data && typeof data.slug === 'string' ? data.slug : undefined;
  const kind = opts.kind ?? detectKind(data, fullText, bodyOffset);
  // Only files without frontmatter are ever skipped; a file that could not be read (binary, too large) is reported.
  const notPattern =
    opts.kind === undefined &&
    frontmatter === null &&
    kind === 'unknown' &&
    decoded.text !== null &&
    !problems.some((p) => p.code === 'file/binary' || p.code === 'file/empty') &&
    !looksLikeBrokenPattern(text);

  let linesCache: string[] | undefined;
  let directedLookups = 0;
  let startsCache: Int32Array | undefined;
  let headStarts: Int32Array | undefined;
  let bodyStartsCache: Int32Array | undefined;
  const starts = (): Int32Array => (startsCache ??= lineStarts(fullText()));
  const bodyStarts = (): Int32Array => (bodyStartsCache ??= byteLineStarts(bodyBytes as Uint8Array));
  let sectionsCache: Section[] | undefined;
  let markersCache: BodyMarkers | undefined;
  let mapCache: SourceMap | undefined;
  let found: Map<string, Loc | null> | undefined;
  let located: Map<string, Loc> | undefined;
  const fields: ParsedDocument = {
    file,
    text: full ?? '',
    eol,
    bom,
    headOnly,
    problems,
    frontmatter,
    bodyLine,
    kind,
    notPattern,
    slug: slugValue ?? basename,
    basename,
    lines() {
      return (linesCache ??= fullText().split('\n'));
    },
    line(n) {
      if (bodyBytes && startsCache === undefined) {
        // Frontmatter lines (fixes, suggestions) come from the head, body lines from their bytes.
        if (n >= 1 && n < bodyLine) {
          headStarts ??= lineStarts(text);
          const from = headStarts[n - 1] as number;
          return text.slice(from, n < headStarts.length ? (headStarts[n] as number) - 1 : text.length);
        }
        const bs = bodyStarts();
        const k = n - bodyLine;
        if (k < 0 || k >= bs.length) return '';
        const b = bodyBytes;
        return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString(
          'utf8',
          bs[k] as number,
          k + 1 < bs.length ? (bs[k + 1] as number) - 1 : b.byteLength,
        );
      }
      const st = starts();
      if (n < 1 || n > st.length) return '';
      const from = st[n - 1] as number;
      const all = fullText();
      return all.slice(from, n < st.length ? (st[n] as number) - 1 : all.length);
    },
    mentions(needle) {
      if (full !== undefined || !bodyBytes) return fullText().includes(needle);
      return text.includes(needle) || Buffer.from(bodyBytes.buffer, bodyBytes.byteOffset, bodyBytes.byteLength).includes(needle);
    },
    lineCount() {
      // the head ends with its closing fence's line break: the body's lines follow its `bodyLine - 1` lines
      return bodyBytes && startsCache === undefined ? bodyLine - 1 + bodyStarts().length : starts().length;
    },
    body() {
      return fullText().slice(bodyOffset);
    },
    sections() {
      if (sectionsCache) return sectionsCache;
      const markers: BodyMarkers = { yamlBlocks: [], quotes: [] };
      if (bodyBytes) sectionsCache = parseSections(bodyBytes, bodyStarts(), bodyLine, markers);
      else {
        const st = starts();
        const all = fullText();
        const body = Buffer.from(bodyLine - 1 < st.length ? all.slice(st[bodyLine - 1] as number) : '', 'utf8');
        sectionsCache = parseSections(body, byteLineStarts(body), bodyLine, markers);
      }
      markersCache ??= markers;
      return sectionsCache;
    },
    bodyMarkers() {
      // From the sections pass when it ran (rules that need markers run after the body rules), else a scan of its own.
      if (markersCache) return markersCache;
      if (bodyBytes) return (markersCache = scanBodyMarkers(bodyBytes, bodyStarts, bodyLine));
      const st = starts();
      const all = fullText();
      const body = Buffer.from(bodyLine - 1 < st.length ? all.slice(st[bodyLine - 1] as number) : '', 'utf8');
      return (markersCache = scanBodyMarkers(body, () => byteLineStarts(body), bodyLine));
    },
    sourceMap() {
      if (mapCache) return mapCache;
      const fm = frontmatter;
      if (!fm || fm.data === null) return (mapCache = yamlDocumentSourceMap('', 2));
      const fmLines = fm.yaml.split('\n');
      if (fmLines[fmLines.length - 1] === '') fmLines.pop();
      mapCache = scanBlockYaml(fmLines, 2) ?? yamlDocumentSourceMap(fm.yaml, 2);
      return mapCache;
    },
    find(path) {
      if (path.length === 0 || !frontmatter?.data) return undefined;
      // Rules ask for the same few paths again and again (one relationship list per reciprocal finding,
      // then its fix): 21,305 questions, 5,080 different ones on the real corpus.
      const key = pathKey(path);
      const hit = (found ??= new Map()).get(key);
      if (hit !== undefined) return hit ?? undefined;
      let loc: Loc | undefined;
      if (mapCache || ++directedLookups > DIRECTED_LOOKUPS) loc = doc.sourceMap().get(path);
      else loc = locatePath(frontmatter.yaml, path, 2) ?? doc.sourceMap().get(path);
      found.set(key, loc ?? null);
      return loc;
    },
    locate(path) {
      if (path.length === 0 || !frontmatter?.data) return { line: 1, column: 1, endLine: frontmatter ? frontmatter.closeLine : 1 };
      const key = pathKey(path);
      const hit = (located ??= new Map()).get(key);
      if (hit) return hit;
      // Most documents need one or two paths: find them without building the whole map; a document
      // that asks for many gets the map, which answers every later question at once.
      const quick = mapCache || ++directedLookups > DIRECTED_LOOKUPS ? undefined : locatePath(frontmatter.yaml, path, 2);
      const loc = quick ?? doc.sourceMap().locate(path) ?? { line: 1, column: 1, endLine: frontmatter ? frontmatter.closeLine : 1 };
      located.set(key, loc);
      return loc;
    },
  };
  // `text` is a plain data property, unless the body is still undecoded: then one getter on the prototype
  // of every lazy document decodes it and leaves an own data property in its place. (A getter closure per
  // document gave each its own hidden class: 2.5x the peak heap of the 50,000-pattern link bench.)
  let doc = fields;
  if (full === undefined) {
    const { text: _unused, ...rest } = fields;
    doc = docRef = Object.assign(Object.create(LAZY_TEXT) as ParsedDocument, rest, { [FULL_TEXT]: fullText });
  }
  return doc;
}

/** Content-based kind detection, the fallback when no config glob matches. */
export function detectKind(data: Record<string, unknown> | null, text: string | (() => string), bodyOffset: number): DocKind {
  if (data) {
    if ('classification' in data || ('generalizes_from' in data && !('relationships' in data))) return 'commons-pattern-legacy';
    if ('relationships' in data || 'graph_garden' in data || 'ontology' in data || 'lifecycle' in data) return 'commons-pattern';
    if (('id' in data || 'slug' in data) && 'title' in data) return 'commons-pattern';
    if ('tags' in data || 'related' in data || 'aliases' in data || 'created' in data || 'modified' in data) return 'obsidian-note';
  }
  const t = typeof text === 'string' ? text : text();
  if (/\[\[[^\]\n]+\]\]/.test(t.slice(bodyOffset, bodyOffset + 200_000))) return 'obsidian-note';
  return 'unknown';
}

const HEADING_RE = /^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/;
const SECTION_RE = /^Section[ \t]+(\d+)[ \t]*[:.\-–—][ \t]*(.*)$/i;
/**
 * Fenced code blocks: given a line and the fence currently open (null: none), returns the fence open
 * after the line, or undefined when the line is not a fence line. A fence closes only with the same
 * character, at least as long (CommonMark).
 */
export function fenceAfter(line: string, open: string | null): string | null | undefined {
  const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
  if (!f) return undefined;
  const marker = f[1] as string;
  if (open === null) return marker;
  return marker[0] === open[0] && marker.length >= open.length ? null : open;
}

/**
 * The word counter's state machine over UTF-8 bytes, indexed by (in a word ? 256 : 0) + byte: bit 0 is the
 * next state, bit 1 is set when a word starts. ASCII letters and digits start or continue a word;
 * apostrophes and hyphens continue one; other ASCII ends it. Any non-ASCII character counts as a letter
 * (its continuation bytes keep the state), except the leads 0xC2 and 0xE2 (value 4), which need the next
 * bytes: the no-break space and en/em dashes end a word, the right single quote continues one.
 */
const WORD_STEP = (() => {
  const t = new Uint8Array(512);
  for (let s = 0; s < 2; s++)
    for (let c = 0; c < 256; c++) {
      const start = 1 | ((1 - s) << 1);
      let v: number;
      if (c < 0x80) {
        const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
        v = alnum ? start : c === 39 || c === 45 ? s : 0;
      } else if (c < 0xc0) v = s;
      else v = c === 0xc2 || c === 0xe2 ? 4 : start;
      t[(s << 8) | c] = v;
    }
  return t;
})();

/**
 * Words in the UTF-8 bytes b[from, to) with the state machine above, one byte at a time; `inWord` is the
 * state before b[from]. The state after b[to - 1] is left in `wordState`.
 */
export function countWordsBytewise(b: Uint8Array, from: number, to: number, inWord = 0): number {
  let words = 0;
  let s = inWord;
  for (let i = from; i < to; i++) {
    const v = WORD_STEP[(s << 8) | (b[i] as number)] as number;
    if (v < 4) {
      words += v >> 1;
      s = v & 1;
      continue;
    }
    let k: number; // 0 ends a word, 1 starts or continues one, 2 continues one
    if (b[i] === 0xc2)
      k = b[i + 1] === 0xa0 ? 0 : 1; // U+00A0
    else if (b[i + 1] === 0x80) {
      const d = b[i + 2];
      k = d === 0x99 ? 2 : d === 0x93 || d === 0x94 ? 0 : 1; // U+2019, U+2013, U+2014
    } else k = 1;
    if (k === 1) {
      words += 1 - s;
      s = 1;
    } else if (k === 0) s = 0;
  }
  wordState = s;
  return words;
}

/** The word machine's state after the last `countWordsBytewise` call (1 inside a word). */
let wordState = 0;

/** The four-byte groups below read a group's first byte as its lowest: true on x86 and ARM. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Words in the UTF-8 bytes b[from, to): the same count as `countWordsBytewise`, four bytes at a time
 * wherever four bytes are plain ASCII without an apostrophe or hyphen (most of an English body): each
 * byte's "letter or digit" bit is computed for the four at once, and a word starts at a letter whose
 * previous byte is not one. Other groups go through the byte machine. Bodies are the largest input of
 * a corpus check (72 MB in the real corpus) and this counter reads all of them: the byte loop alone
 * was about 6% of a check (CPU profile). test/core/word-count.test.ts compares both counters.
 */
export function countWordsIn(b: Uint8Array, from: number, to: number): number {
  if (!LITTLE_ENDIAN) return countWordsBytewise(b, from, to);
  // Four-byte groups are read through an Int32Array, which needs offsets that are multiples of four.
  const base = b.byteOffset;
  const first = Math.min(to, from + ((4 - ((base + from) & 3)) & 3));
  const groups = (to - first) >> 2;
  if (groups < 4) return countWordsBytewise(b, from, to);
  let words = countWordsBytewise(b, from, first);
  let s = wordState;
  const view = new Int32Array(b.buffer, base + first, groups);
  for (let g = 0; g < groups; g++) {
    const v = view[g] as number;
    const apostrophe = v ^ 0x27272727;
    const hyphen = v ^ 0x2d2d2d2d;
    // A byte >= 0x80, or a zero byte in either xor (a `'` or `-`): leave the group to the byte machine.
    if (((v | ((apostrophe - 0x01010101) & ~apostrophe) | ((hyphen - 0x01010101) & ~hyphen)) & 0x80808080) !== 0) {
      const at = first + (g << 2);
      words += countWordsBytewise(b, at, at + 4, s);
      s = wordState;
      continue;
    }
    // Bytes below 0x80 here, so adding up to 0x50 never carries into the next byte.
    const digit = (v + 0x50505050) & ~(v + 0x46464646); // 0x30-0x39
    const lower = v | 0x20202020; // A-Z onto a-z (and nothing else onto a-z)
    const letter = (lower + 0x1f1f1f1f) & ~(lower + 0x05050505); // 0x61-0x7a
    const word = (digit | letter) & 0x80808080;
    const starts = word & ~((word << 8) | (s << 7));
    words += Math.imul((starts >>> 7) & 0x01010101, 0x01010101) >>> 24;
    s = word >>> 31;
  }
  return words + countWordsBytewise(b, first + (groups << 2), to, s);
}

/** Byte offsets where each line of `b` starts. */
export function byteLineStarts(b: Uint8Array): Int32Array {
  return lineStarts(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A run of three or more `c` at b[at], then (for quotes, after a language word) only blanks to `end`. */
function markerLine(b: Uint8Array, at: number, end: number, c: number, word: boolean): boolean {
  let k = at;
  while (k < end && b[k] === c) k++;
  if (k - at < 3 || (c === 45 && k - at !== 3)) return false;
  if (word) while (k < end && ((b[k] as number) | 0x20) >= 97 && ((b[k] as number) | 0x20) <= 122) k++;
  while (k < end && (b[k] === 32 || b[k] === 9)) k++;
  return k === end;
}

/** Whether the line after the `---` line ending at b[eol] (past blank lines) starts like a frontmatter key: `key:`. */
function keyLineAfter(b: Uint8Array, eol: number): boolean {
  let k = eol + 1;
  for (;;) {
    let e = k;
    while (b[e] === 32 || b[e] === 9) e++;
    if (b[e] !== 10) break;
    k = e + 1;
  }
  let c = b[k] as number;
  if (!((c >= 97 && c <= 122) || c === 95)) return false;
  do c = b[++k] as number;
  while ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45);
  if (c !== 58) return false;
  c = b[k + 1] as number;
  return k + 1 >= b.length || c === 32 || c === 9 || c === 10;
}

/**
 * Marker lines of a body given as UTF-8 bytes (see `BodyMarkers`). Native searches tell first whether
 * the body has a code fence, a quote run or a `---` line before a `key:` line at all; most bodies have
 * none, and only the others are walked line by line (fence-aware) with their line starts.
 */
export function scanBodyMarkers(b: Uint8Array, lineStartsOf: () => Int32Array, firstLine: number): BodyMarkers {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  // `\n---` skips table rules (`|---|`), which are most of a body's dashes.
  let yamlAfterDashes = false;
  for (let at = b[0] === 45 ? 0 : buf.indexOf('\n---'); at >= 0 && !yamlAfterDashes; at = buf.indexOf('\n---', at + 1)) {
    const from = b[at] === 10 ? at + 1 : at;
    let eol = buf.indexOf(10, from);
    if (eol < 0) eol = b.byteLength;
    yamlAfterDashes = markerLine(b, from, eol, 45, false) && keyLineAfter(b, eol);
  }
  const fences = buf.indexOf('```') >= 0 || buf.indexOf('~~~') >= 0;
  const quoteRuns = buf.indexOf("'''") >= 0 || buf.indexOf('"""') >= 0;
  const markers: BodyMarkers = { yamlBlocks: [], quotes: [] };
  if (!yamlAfterDashes && !fences && !quoteRuns) return markers;
  const starts = lineStartsOf();
  const n = starts.length;
  const endOf = (i: number) => (i + 1 < n ? (starts[i + 1] as number) - 1 : b.byteLength);
  let fence: string | null = null;
  let fenceLine = 0;
  for (let i = 0; i < n; i++) {
    const at = starts[i] as number;
    let k = at;
    while (b[k] === 32 && k - at < 3) k++;
    const c = b[k];
    if (c === 96 || c === 126) {
      const next = fenceAfter(buf.toString('utf8', at, endOf(i)), fence);
      if (next !== undefined) {
        if (fence === null) fenceLine = i + firstLine;
        fence = next;
      }
      continue;
    }
    if (fence === null && k === at && (c === 45 || c === 39 || c === 34)) noteMarker(markers, b, at, endOf(i), i + firstLine);
  }
  if (fence !== null) markers.unclosedFence = fenceLine;
  return markers;
}

/** Records the line b[at, end) (file line `line`, outside code, starting with `-`, `'` or `"`) when it is a marker. */
function noteMarker(markers: BodyMarkers, b: Uint8Array, at: number, end: number, line: number): void {
  const c = b[at] as number;
  if (c === 45) {
    if (markerLine(b, at, end, 45, false) && keyLineAfter(b, end)) markers.yamlBlocks.push(line);
  } else if (markerLine(b, at, end, c, true)) markers.quotes.push(line);
}

const WORD_HINT_RE = /^\*\(\d+\s*[–-]\s*\d+ words\)\*\s*$/;

/**
 * Sections of a body given as UTF-8 bytes (`firstLine` is the file line of its first byte) and the byte
 * offsets of its lines: only heading, fence and hint lines are decoded; word counts run over the bytes.
 */
export function parseSections(b: Uint8Array, starts: Int32Array, firstLine: number, markers?: BodyMarkers): Section[] {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const n = starts.length;
  const endOf = (i: number) => (i + 1 < n ? (starts[i + 1] as number) - 1 : b.byteLength);
  const lineAt = (i: number) => buf.toString('utf8', starts[i] as number, endOf(i));
  // heads[].line are body line indexes (0-based) until the end
  const heads: { level: number; heading: string; at: number }[] = [];
  let fence: string | null = null;
  let fenceLine = 0;
  for (let i = 0; i < n; i++) {
    const at = starts[i] as number;
    let c = b[at];
    let k = at;
    while (c === 32 && k - at < 3) c = b[++k];
    if (c === 96 || c === 126) {
      const next = fenceAfter(lineAt(i), fence);
      if (next !== undefined) {
        if (fence === null) fenceLine = i + firstLine;
        fence = next;
        continue;
      }
    }
    // The marker lines come with this pass for free: it already reads each line's first byte.
    if (markers && fence === null && k === at && (c === 45 || c === 39 || c === 34)) noteMarker(markers, b, at, endOf(i), i + firstLine);
    if (fence !== null || b[at] !== 35) continue;
    const m = HEADING_RE.exec(lineAt(i));
    if (m) heads.push({ level: (m[1] as string).length, heading: (m[2] as string).trim(), at: i });
  }
  if (markers && fence !== null) markers.unclosedFence = fenceLine;
  const blank = (i: number) => {
    for (let p = starts[i] as number, e = endOf(i); p < e; p++) {
      const c = b[p] as number;
      if (c >= 0x80) return lineAt(i).trim() === ''; // Unicode spaces: let trim() decide
      if (c !== 32 && c !== 9 && c !== 11 && c !== 12) return false;
    }
    return true;
  };
  // Words under each heading up to the next heading of any level: every line is counted once, and a
  // section's count is the sum over itself and its subsections.
  const own = heads.map((cur, h) => {
    const stop = h + 1 < heads.length ? (heads[h + 1] as (typeof heads)[number]).at : n;
    if (cur.at + 1 >= stop) return 0;
    // A line break ends a word, so the lines' counts add up to their whole range's, counted at once.
    let words = countWordsIn(b, starts[cur.at + 1] as number, endOf(stop - 1));
    for (let i = cur.at + 1; i < stop; i++) {
      const from = starts[i] as number;
      // Horizontal rules have no words; only the template's `*(100–200 words)*` hint must be taken out.
      if (b[from] === 42 && b[from + 1] === 40 && WORD_HINT_RE.test(lineAt(i))) words -= countWordsIn(b, from, endOf(i));
    }
    return words;
  });
  const sections: Section[] = [];
  for (let h = 0; h < heads.length; h++) {
    const cur = heads[h] as (typeof heads)[number];
    let end = n - 1;
    let words = own[h] as number;
    for (let x = h + 1; x < heads.length; x++) {
      const next = heads[x] as (typeof heads)[number];
      if (next.level <= cur.level) {
        end = next.at - 1;
        break;
      }
      // A subsection's heading line is text of the enclosing section too.
      words += (own[x] as number) + countWordsIn(b, starts[next.at] as number, endOf(next.at));
    }
    while (end > cur.at && blank(end)) end--;
    const sm = SECTION_RE.exec(cur.heading);
    sections.push({
      heading: cur.heading,
      level: cur.level,
      number: sm ? Number(sm[1]) : undefined,
      name: sm ? (sm[2] as string).trim() : cur.heading,
      line: cur.at + firstLine,
      endLine: Math.max(end, cur.at) + firstLine,
      words,
    });
  }
  return sections;
}
