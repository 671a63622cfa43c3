/**
 * Frontmatter that is there but not where every tool reads it: YAML after an empty `---`/`---` block,
 * below lines that come before the opening fence, without fences at all, or pasted a second time in
 * the body. Pure text functions over a document's lines; the rules in src/rules/artifacts.ts report
 * them, and `looksLikeBrokenPattern` keeps such files from being skipped as ordinary docs.
 */
import jsyaml from 'js-yaml';
import { isRecord } from './path.js';

/** A frontmatter-style line: a lower-case key (snake_case or kebab-case) and a colon. */
const KEY_LINE = /^[a-z_][a-z0-9_-]*:(?:[ \t]|$)/;
/** Lines that may sit inside a block of YAML keys: indented, list items, comments, blank. */
const YAML_INNER = /^(?:[ \t]|- |-$|#|$)/;
const FENCE_LINE = /^(?:---|\.\.\.)[ \t]*$/;
/** A line a paste or an editor leaves around a block: a code fence (with or without language) or Python-style quotes. */
const WRAPPER_LINE = /^[ \t]*(?:`{3,}[\w-]*|~{3,}[\w-]*|'{3,}[\w-]*|"{3,}[\w-]*)[ \t]*$/;

/** How far from the top a misplaced opening fence or unfenced YAML is still looked for. */
export const TOP_LINES = 20;

export interface YamlRun {
  /** First and last line of the YAML (1-based file lines, fences excluded). */
  from: number;
  to: number;
  /** Line of the `---` that closes it, when there is one. */
  close?: number;
  data: Record<string, unknown>;
}

export type LineReader = (n: number) => string;

export const isFenceLine = (s: string): boolean => FENCE_LINE.test(s);
export const isKeyLine = (s: string): boolean => KEY_LINE.test(s);
export const isWrapperLine = (s: string): boolean => WRAPPER_LINE.test(s);

/**
 * The YAML mapping that starts at line `from` (its first key line): lines of keys, indented lines, list
 * items, comments and blank lines up to a `---`/`...` line, or up to the first other line when
 * `needClose` is false. Only a block with at least `minKeys` top-level keys that parses as a mapping
 * counts, so a line of prose with a colon is never taken for frontmatter.
 */
export function yamlRunAt(
  line: LineReader,
  count: number,
  from: number,
  opts: { needClose: boolean; minKeys?: number; maxLines?: number },
): YamlRun | undefined {
  if (from > count || !KEY_LINE.test(line(from))) return undefined;
  const maxLines = opts.maxLines ?? 2000;
  let to = from;
  let close: number | undefined;
  let keys = 0;
  for (let n = from; n <= count && n < from + maxLines; n++) {
    const s = line(n);
    if (FENCE_LINE.test(s)) {
      close = n;
      break;
    }
    if (KEY_LINE.test(s)) keys++;
    else if (!YAML_INNER.test(s)) break;
    if (s.trim() !== '' && !s.startsWith('#')) to = n;
  }
  if (opts.needClose && close === undefined) return undefined;
  if (keys < (opts.minKeys ?? 2)) return undefined;
  const lines: string[] = [];
  for (let n = from; n <= to; n++) lines.push(line(n));
  let data: unknown;
  try {
    data = jsyaml.load(lines.join('\n'), { schema: jsyaml.CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (!isRecord(data) || Object.keys(data).length < (opts.minKeys ?? 2)) return undefined;
  return { from, to, close: close !== undefined && close === nextNonBlank(line, count, to + 1) ? close : undefined, data };
}

function nextNonBlank(line: LineReader, count: number, from: number): number | undefined {
  for (let n = from; n <= count; n++) if (line(n).trim() !== '') return n;
  return undefined;
}

export interface MisplacedFrontmatter {
  /** Line of the opening `---`, after line 1. */
  open: number;
  close: number;
  run: YamlRun;
}

/** A frontmatter block whose opening `---` is not on line 1 but within the first lines (lines before the fence). */
export function findMisplacedFrontmatter(line: LineReader, count: number): MisplacedFrontmatter | undefined {
  if (isFenceLine(line(1))) return undefined;
  for (let open = 2; open <= Math.min(count, TOP_LINES); open++) {
    if (!/^---[ \t]*$/.test(line(open))) continue;
    const run = yamlRunAt(line, count, pastComments(line, count, open + 1), { needClose: true });
    if (run?.close !== undefined) return { open, close: run.close, run };
  }
  return undefined;
}

/** The first line from `from` on that is neither blank nor a `#` comment. */
export function pastComments(line: LineReader, count: number, from: number): number {
  let n = from;
  while (n <= count && (line(n).trim() === '' || line(n).startsWith('#'))) n++;
  return n;
}

/**
 * Frontmatter keys at the top of a file without an opening fence (with or without the closing one);
 * `from` is the first line of the block, comment lines before its first key included.
 */
export function findUnfencedYaml(line: LineReader, count: number): YamlRun | undefined {
  const first = nextNonBlank(line, count, 1);
  if (first === undefined || first > TOP_LINES) return undefined;
  const run = yamlRunAt(line, count, pastComments(line, count, first), { needClose: false });
  return run && { ...run, from: first };
}

/** The first `## Section N: Name`-style heading line of the pattern template, if any. */
const TEMPLATE_SECTION = /^#{2,4}[ \t]+Section[ \t]+\d+[ \t]*:/m;

/**
 * Whether a file without frontmatter still looks like a pattern whose frontmatter is broken: it opens
 * a fence that never closes, has a frontmatter block below other lines or keys without fences at its
 * top, or has the pattern template's numbered `Section N:` headings. Everything else without
 * frontmatter (READMEs, guides, notes) is not a pattern and is not checked unless a `kinds:` glob says so.
 */
export function looksLikeBrokenPattern(text: string): boolean {
  if (/^---[ \t]*(?:\n|$)/.test(text)) return true;
  const top = text.split('\n', TOP_LINES + 2000);
  const line = (n: number) => top[n - 1] ?? '';
  if (findMisplacedFrontmatter(line, top.length) || findUnfencedYaml(line, top.length)) return true;
  return TEMPLATE_SECTION.test(text);
}
