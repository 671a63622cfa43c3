/**
 * Source maps for frontmatter: where each key path and list item sits in the file.
 *
 * Two builders produce the same map:
 *  - `scanBlockYaml`, a single pass over the lines, cheap enough to run on every file of a
 *    large corpus. It understands the block style real pattern files use and gives up (returns
 *    null) on anything it is not sure of: anchors, tags, complex keys, multi-line flow mappings.
 *  - `yamlDocumentSourceMap`, the `yaml` Document API with a LineCounter: exact for any YAML,
 *    about five times slower, so it is only used where the scanner gives up.
 * Tests check that both agree on the fixtures and on the real corpus.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node as YamlNode } from 'yaml';
import { pathKey, childKey, type KeyPath } from './path.js';

export interface Loc {
  /** File line (1-based) of the key, or of the item for list entries. */
  line: number;
  /** 1-based column of the key or item. */
  column: number;
  /** Last file line of the node's value (trailing blank and comment lines excluded). */
  endLine: number;
}

export class SourceMap {
  private readonly locs = new Map<string, Loc>();
  constructor(readonly builtBy: 'scanner' | 'yaml') {}

  set(path: KeyPath, loc: Loc): void {
    this.locs.set(pathKey(path), loc);
  }

  /** Same as `set` with a key already built by `childKey` (the scanner's hot path). */
  setKey(key: string, loc: Loc): void {
    this.locs.set(key, loc);
  }

  /** Exact location of a path, if known. */
  get(path: KeyPath): Loc | undefined {
    return this.locs.get(pathKey(path));
  }

  /** Location of the path or of its nearest located ancestor (a finding always gets a line). */
  locate(path: KeyPath): Loc | undefined {
    for (let n = path.length; n > 0; n--) {
      const loc = this.locs.get(pathKey(path.slice(0, n)));
      if (loc) return loc;
    }
    return undefined;
  }

  get size(): number {
    return this.locs.size;
  }

  entries(): IterableIterator<[string, Loc]> {
    return this.locs.entries();
  }
}

interface Frame {
  indent: number;
  /** pathKey() of the node, built incrementally. */
  key: string;
  loc: Loc;
  /** A map key whose value starts on a later line (children or a same-indent block sequence). */
  open: boolean;
  isItem: boolean;
  nextIndex: number;
}

const KEY_RE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},&*!|>%@`?-][^#]*?|-[^\s#][^#]*?)\s*:(?:\s|$)/;

function unquoteKey(raw: string): string {
  if (raw.startsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  return raw;
}

/** Splits a one-line flow sequence into item start columns (0-based offsets in `s`), or null. */
function flowSeqItems(s: string): number[] | null {
  if (!s.startsWith('[')) return null;
  const starts: number[] = [];
  let depth = 0;
  let i = 0;
  let itemStart = -1;
  for (; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"' || ch === "'") {
      if (depth === 1 && itemStart < 0) itemStart = i;
      const q = ch;
      i++;
      while (i < s.length) {
        if (q === '"' && s[i] === '\\') i += 2;
        else if (s[i] === q) {
          if (q === "'" && s[i + 1] === "'") i += 2;
          else break;
        } else i++;
      }
      continue;
    }
    if (ch === '[' || ch === '{') {
      if (depth === 1 && itemStart < 0) itemStart = i;
      depth++;
      if (depth > 2 || ch === '{') return null; // nested flow collections: let the exact builder do it
      continue;
    }
    if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) {
        if (itemStart >= 0) starts.push(itemStart);
        const rest = s.slice(i + 1).trim();
        return rest === '' || rest.startsWith('#') ? starts : null;
      }
      continue;
    }
    if (depth === 1) {
      if (ch === ',') {
        if (itemStart >= 0) starts.push(itemStart);
        itemStart = -1;
      } else if (ch !== ' ' && ch !== '\t' && itemStart < 0) itemStart = i;
    }
  }
  return null; // not closed on this line
}

/** Keys of a one-line flow mapping `{a: 1, "b": "x, y"}` with their offsets in `s`, or null. */
function flowMapKeys(s: string): { key: string; off: number }[] | null {
  if (!s.startsWith('{')) return null;
  const out: { key: string; off: number }[] = [];
  let i = 1;
  const skipWs = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const readScalar = (stops: string): string | null => {
    const start = i;
    const q = s[i];
    if (q === '"' || q === "'") {
      i++;
      while (i < s.length) {
        if (q === '"' && s[i] === '\\') i += 2;
        else if (s[i] === q) {
          if (q === "'" && s[i + 1] === "'") i += 2;
          else break;
        } else i++;
      }
      if (i >= s.length) return null;
      i++;
      return s.slice(start, i);
    }
    if (q === '[' || q === '{') return null;
    while (i < s.length && !stops.includes(s[i] as string)) i++;
    return s.slice(start, i).trim();
  };
  for (;;) {
    skipWs();
    if (s[i] === '}') break;
    const off = i;
    const key = readScalar(':,}');
    if (key === null || s[i] !== ':') return null;
    out.push({ key: unquoteKey(key), off });
    i++;
    skipWs();
    if (readScalar(',}') === null) return null;
    skipWs();
    if (s[i] === ',') {
      i++;
      continue;
    }
    if (s[i] === '}') break;
    return null;
  }
  const rest = s.slice(i + 1).trim();
  return rest === '' || rest.startsWith('#') ? out : null;
}

/**
 * Cheap block-YAML scanner. `lines` are the frontmatter lines; `firstLine` is the file line of
 * lines[0]. Returns null when the text uses a construct it does not handle.
 */
export function scanBlockYaml(lines: readonly string[], firstLine: number): SourceMap | null {
  const map = new SourceMap('scanner');
  const stack: Frame[] = [];
  let rootIndex = 0;
  let blockScalarIndent = -1; // > -1 while inside a block scalar owned by a key at that indent
  let quoteOpen: '"' | "'" | null = null; // multi-line quoted scalar in progress

  const extend = (fileLine: number) => {
    for (const f of stack) f.loc.endLine = fileLine;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const fileLine = firstLine + i;

    if (quoteOpen) {
      extend(fileLine);
      if (closesQuote(raw, quoteOpen)) quoteOpen = null;
      continue;
    }

    let indent = 0;
    while (indent < raw.length && raw.charCodeAt(indent) === 32) indent++;
    const content = raw.slice(indent);

    if (blockScalarIndent >= 0) {
      if (content === '' || indent > blockScalarIndent) {
        if (content !== '') extend(fileLine);
        continue;
      }
      blockScalarIndent = -1;
    }
    if (content === '' || content.startsWith('#')) continue;
    if (content.startsWith('\t')) return null;
    if (/^(?:---|\.\.\.|%|\? |[&*!])/.test(content)) return null;

    const isDash = content === '-' || content.startsWith('- ');

    // Pop frames that this line closes.
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as Frame;
      if (top.indent < indent) break;
      if (top.indent === indent && isDash && !top.isItem && top.open) break; // "key:\n- item" at same indent
      stack.pop();
    }
    const parent = stack[stack.length - 1];
    if (parent && !parent.open) {
      // A deeper line under a key that already had an inline value: a plain multi-line scalar.
      extend(fileLine);
      continue;
    }

    extend(fileLine);
    let col = indent;
    let rest = content;
    let prefix = parent ? parent.key : '';

    if (isDash) {
      const index = parent ? parent.nextIndex++ : rootIndex++;
      const itemPath = childKey(prefix, index);
      const loc: Loc = { line: fileLine, column: col + 1, endLine: fileLine };
      map.setKey(itemPath, loc);
      const after = content.slice(1);
      const pad = after.length - after.trimStart().length;
      rest = after.trimStart();
      const frame: Frame = { indent: col, key: itemPath, loc, open: rest === '', isItem: true, nextIndex: 0 };
      stack.push(frame);
      if (rest === '' || rest.startsWith('#')) {
        frame.open = true;
        continue;
      }
      if (rest.startsWith('- ') || rest === '-') return null; // nested compact sequences
      col = col + 1 + pad;
      prefix = itemPath;
      const km = KEY_RE.exec(rest);
      if (!km) {
        const r = handleScalarValue(rest, map, itemPath, fileLine, col, frame);
        if (r === 'unsure') return null;
        if (r === 'block') blockScalarIndent = col - 1;
        if (r === 'quote-dq') quoteOpen = '"';
        if (r === 'quote-sq') quoteOpen = "'";
        continue;
      }
      // "- key: value": a mapping that starts on the dash line; its keys sit at `col`.
      frame.open = true;
    }

    const km = KEY_RE.exec(rest);
    if (!km) {
      if (isDash) continue;
      return null; // something we do not understand at block level
    }
    const key = unquoteKey((km[1] as string).trim());
    const keyPath = childKey(prefix, key);
    const loc: Loc = { line: fileLine, column: col + 1, endLine: fileLine };
    map.setKey(keyPath, loc);
    const value = rest.slice(km[0].length).trim();
    const frame: Frame = { indent: col, key: keyPath, loc, open: false, isItem: false, nextIndex: 0 };
    stack.push(frame);
    if (value === '' || value.startsWith('#')) {
      frame.open = true;
      continue;
    }
    const valueCol = col + (rest.length - rest.slice(km[0].length).trimStart().length);
    const r = handleScalarValue(value, map, keyPath, fileLine, valueCol, frame);
    if (r === 'unsure') return null;
    if (r === 'block') blockScalarIndent = col;
    if (r === 'quote-dq') quoteOpen = '"';
    if (r === 'quote-sq') quoteOpen = "'";
  }
  return map;
}

function closesQuote(line: string, q: '"' | "'"): boolean {
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q === '"' && ch === '\\') {
      i++;
      continue;
    }
    if (ch === q) {
      if (q === "'" && line[i + 1] === "'") {
        i++;
        continue;
      }
      return true;
    }
  }
  return false;
}

function handleScalarValue(
  value: string,
  map: SourceMap,
  path: string,
  fileLine: number,
  valueCol: number,
  _frame: Frame,
): 'done' | 'block' | 'quote-dq' | 'quote-sq' | 'unsure' {
  const c = value[0];
  if (c === '|' || c === '>') return 'block';
  if (c === '{') {
    const keys = flowMapKeys(value);
    if (!keys) return 'unsure';
    for (const k of keys) map.setKey(childKey(path, k.key), { line: fileLine, column: valueCol + k.off + 1, endLine: fileLine });
    return 'done';
  }
  if (c === '&' || c === '*' || c === '!' || c === '?') return 'unsure';
  if (c === '[') {
    const items = flowSeqItems(value);
    if (!items) return 'unsure';
    items.forEach((off, idx) => map.setKey(childKey(path, idx), { line: fileLine, column: valueCol + off + 1, endLine: fileLine }));
    return 'done';
  }
  if (c === '"' || c === "'") {
    if (!closesQuote(value.slice(1), c)) return c === '"' ? 'quote-dq' : 'quote-sq';
  }
  return 'done';
}

/** Exact source map from the `yaml` Document API. Slower; used when the scanner gives up. */
export function yamlDocumentSourceMap(yamlText: string, firstLine: number): SourceMap {
  const map = new SourceMap('yaml');
  const lc = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lc, uniqueKeys: false });
  const pos = (offset: number) => lc.linePos(offset);
  // Last line with content before `end` (ranges include the trailing newline).
  const endLineOf = (end: number) => {
    let e = Math.max(0, end - 1);
    while (e > 0 && /\s/.test(yamlText[e] ?? '')) e--;
    return pos(e).line + firstLine - 1;
  };
  let budget = 2_000_000;
  const visit = (node: YamlNode | null | undefined, path: KeyPath, depth: number) => {
    if (!node || depth > 200 || --budget < 0) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = pair.key;
        const keyName = isScalar(k) ? String(k.value) : String(k);
        const kr = (k as YamlNode | null)?.range;
        const vr = (pair.value as YamlNode | null)?.range;
        if (!kr) continue;
        const p = pos(kr[0]);
        const child = [...path, keyName];
        map.set(child, { line: p.line + firstLine - 1, column: p.col, endLine: endLineOf(vr ? vr[1] : kr[1]) });
        visit(pair.value as YamlNode, child, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, idx) => {
        const r = (item as YamlNode | null)?.range;
        if (!r) return;
        let start = r[0];
        if (!node.flow) {
          // Block items are located at their dash, even when the value starts on a later line.
          let i = r[0] - 1;
          while (i >= 0 && /\s/.test(yamlText[i] ?? '')) i--;
          if (yamlText[i] === '-') start = i;
        }
        const p = pos(start);
        const child = [...path, idx];
        const col = p.col;
        map.set(child, { line: p.line + firstLine - 1, column: col, endLine: endLineOf(r[1]) });
        visit(item as YamlNode, child, depth + 1);
      });
    }
  };
  visit(doc.contents as YamlNode, [], 0);
  return map;
}

/**
 * Directed lookup of one path in block-style YAML, without building a whole source map: find each
 * key at the indentation of its parent's first child, each list item by counting the dashes at the
 * list's indentation, and make sure no line in between closes the parent. Returns null whenever it is
 * not sure (flow style, quoted keys, tabs, nested compact lists, anything unusual): callers then use the
 * full map. Tests check it against the full map on every path of the real corpus.
 */
export function locatePath(yaml: string, path: readonly (string | number)[], firstLine: number): Loc | null {
  if (path.length === 0) return null;
  for (const p of path) if (typeof p === 'string' && (p === '' || /[\s:#"'{}[\],&*!|>%@`]/.test(p))) return null;
  const len = yaml.length;
  // The current node: its line start, its column (key or dash), the span of lines that belong to it
  // after its own line, and, for a dash item with content on the dash line, where that content starts.
  let nodeStart = -1;
  let nodeCol = -1;
  let from = 0;
  let to = len;
  let inlineCol = -1; // column of content after "- " on an item's dash line, or -1

  // The content line `seekContent` found: offset of its first non-space character, start of the next line.
  let cj = 0;
  let cnext = 0;
  /** Start of the first content line (not blank, not a comment) in [ls, end), or -1; sets cj and cnext. */
  const seekContent = (ls: number, end: number): number => {
    while (ls < end) {
      let j = ls;
      while (j < end && yaml.charCodeAt(j) === 32) j++;
      const c = yaml.charCodeAt(j);
      const nl = yaml.indexOf('\n', j);
      const next = nl < 0 || nl >= end ? end : nl + 1;
      if (j < end && c !== 10 && c !== 35) {
        cj = j;
        cnext = next;
        return ls;
      }
      ls = next;
    }
    return -1;
  };
  /** First content line in [a, b): its start offset and indent, or null. */
  const firstContent = (a: number, b: number): { at: number; indent: number } | null | 'tab' => {
    const ls = seekContent(a, b);
    if (ls < 0) return null;
    return yaml.charCodeAt(cj) === 9 ? 'tab' : { at: ls, indent: cj - ls };
  };
  /** End offset of the block of a node whose line starts at `at` with indent `indent`. */
  const blockEnd = (at: number, indent: number, isItem: boolean): number => {
    const nl = yaml.indexOf('\n', at);
    let end = nl < 0 || nl >= to ? to : nl + 1;
    for (let ls = seekContent(end, to); ls >= 0; ls = seekContent(cnext, to)) {
      const ind = cj - ls;
      if (ind < indent) break;
      if (ind === indent) {
        // A same-indent list belongs to a key ("key:\n- a"); for items, a same-indent line is the next sibling.
        const d1 = yaml.charCodeAt(cj + 1);
        const dash = yaml.charCodeAt(cj) === 45 && (d1 === 32 || d1 === 10 || cj + 1 === to);
        if (isItem || !dash) break;
      }
      end = cnext;
    }
    return end;
  };
  const isKeyAt = (j: number, seg: string) => {
    if (!yaml.startsWith(seg, j) || yaml.charCodeAt(j + seg.length) !== 58) return false;
    const after = yaml.charCodeAt(j + seg.length + 1);
    return Number.isNaN(after) || after === 32 || after === 10;
  };

  /**
   * Line start of `seg:` among the lines of [start, to) at `indent`: -1 when absent, null when unsure
   * (tabs, a line that leaves the block, or a sibling that is not a plain block key).
   */
  const keyAtIndent = (start: number, indent: number, seg: string, dashIsForeign: boolean): number | null => {
    for (let ls = seekContent(start, to); ls >= 0; ls = seekContent(cnext, to)) {
      const c = yaml.charCodeAt(cj);
      if (c === 9) return null;
      const ind = cj - ls;
      if (ind < indent) return null;
      if (ind === indent) {
        if (isKeyAt(cj, seg)) return ls;
        if (c === 34 || c === 39 || c === 63 || c === 123 || c === 91 || (dashIsForeign && c === 45)) return null;
      }
    }
    return -1;
  };

  for (const seg of path) {
    if (typeof seg === 'number') {
      if (inlineCol >= 0 || (nodeStart >= 0 && nodeCol >= 0 && yaml.charCodeAt(nodeStart + nodeCol) === 45)) return null; // nested lists
      const first = firstContent(from, to);
      if (first === null || first === 'tab') return null;
      const childIndent = first.indent;
      if (childIndent <= nodeCol && !(childIndent === nodeCol && nodeStart >= 0)) return null;
      let count = -1;
      let found = -1;
      for (let ls = seekContent(first.at, to); ls >= 0; ls = seekContent(cnext, to)) {
        const c = yaml.charCodeAt(cj);
        if (c === 9) return null;
        const ind = cj - ls;
        if (ind < childIndent) return null;
        if (ind === childIndent) {
          const d1 = yaml.charCodeAt(cj + 1);
          if (c !== 45 || !(d1 === 32 || d1 === 10 || cj + 1 === to)) return null; // not a block list
          if (++count === seg) {
            found = ls;
            break;
          }
        }
      }
      if (found < 0) return null;
      nodeStart = found;
      nodeCol = childIndent;
      // Content after "- " on the dash line.
      let k = found + childIndent + 1;
      while (k < to && yaml.charCodeAt(k) === 32) k++;
      const ck = yaml.charCodeAt(k);
      if (k < to && ck !== 10 && ck !== 35) {
        if (ck === 45 || ck === 91 || ck === 123 || ck === 34 || ck === 39 || ck === 38 || ck === 42 || ck === 33 || ck === 63 || ck === 9)
          inlineCol = ck === 34 || ck === 39 ? -2 : -3;
        else inlineCol = k - found;
      } else inlineCol = -1;
      if (inlineCol === -3) return null; // nested, flow, anchored or tagged item content: let the full map do it
      const nl = yaml.indexOf('\n', found);
      from = nl < 0 || nl >= to ? to : nl + 1;
      to = blockEnd(found, childIndent, true);
      continue;
    }
    // A map key.
    let keyLine = -1;
    let keyCol = -1;
    if (inlineCol >= 0) {
      // Inside a "- key: v" item: its first key is on the dash line, the others at the same column below.
      if (isKeyAt(nodeStart + inlineCol, seg)) {
        keyLine = nodeStart;
        keyCol = inlineCol;
      } else {
        const at = keyAtIndent(from, inlineCol, seg, true);
        if (at === null) return null;
        if (at >= 0) {
          keyLine = at;
          keyCol = inlineCol;
        }
      }
    } else {
      if (inlineCol === -2) return null; // a quoted scalar item has no keys
      const first = firstContent(from, to);
      if (first === null || first === 'tab') return null;
      const childIndent = first.indent;
      if (nodeStart >= 0 && childIndent <= nodeCol) return null;
      if (yaml.charCodeAt(first.at + childIndent) === 45) return null; // a list, not a mapping
      const at = keyAtIndent(first.at, childIndent, seg, false);
      if (at === null) return null;
      if (at >= 0) {
        keyLine = at;
        keyCol = childIndent;
      }
    }
    if (keyLine < 0) return null;
    nodeStart = keyLine;
    nodeCol = keyCol;
    inlineCol = -1;
    const nl = yaml.indexOf('\n', keyLine);
    from = nl < 0 || nl >= to ? to : nl + 1;
    to = blockEnd(keyLine, keyCol, false);
  }
  // Line numbers: count newlines before the node and before the end of its block.
  let line = firstLine;
  for (let k = yaml.indexOf('\n'); k >= 0 && k < nodeStart; k = yaml.indexOf('\n', k + 1)) line++;
  let endLine = line;
  for (let k = yaml.indexOf('\n', nodeStart); k >= 0 && k < to - 1; k = yaml.indexOf('\n', k + 1)) endLine++;
  return { line, column: nodeCol + 1, endLine };
}
