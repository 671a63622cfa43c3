/**
 * Obsidian's Markdown, as far as links go: which text is a link at all (code, comments and math are
 * not), the link forms (`[[Note]]`, `[[Note|shown]]`, `[[Note#Heading]]`, `[[Note#^block]]`,
 * `[[#Heading]]`, `![[embed]]`, `[shown](Some%20Note.md#Heading)`), and what a note offers as link
 * targets inside it (headings, block ids). Pure; resolution against the vault is in corpus.ts.
 */

/** One link as written in a note's body or in a frontmatter value. */
export interface NoteLink {
  /** The file part, as written (`folder/Note`, `diagram.png`); '' for a link inside the same note. */
  file: string;
  /** What follows `#`: a heading (`A#B` for a nested one) or `^block-id`; undefined when none. */
  subpath?: string;
  embed: boolean;
  form: 'wikilink' | 'markdown';
  /** 1-based line and column of the link's first character (`!` or `[`). */
  line: number;
  column: number;
  /** 1-based column of the file part's first character, for a fix that replaces it. */
  fileColumn: number;
}

/**
 * A note's body lines with everything that is not rendered as linkable text blanked out (same length,
 * so columns stay true): fenced code, inline code, HTML comments, Obsidian `%%` comments, `$$` math
 * blocks and inline `$…$` math. `lines[i]` is file line `firstLine + i`.
 */
export function linkableLines(lines: readonly string[], firstLine: number): string[] {
  const out: string[] = new Array(lines.length);
  let fence: string | null = null;
  let state: 'text' | 'html' | 'percent' | 'math' = 'text';
  // Indented code (four spaces or a tab after a blank line), unless it continues a list: nested list
  // items and their paragraphs are indented the same way.
  let indented = false;
  let blankBefore = true;
  let listBefore = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    const blank = l.trim() === '';
    if (state === 'text' && fence === null) {
      const deep = /^(?: {4}|\t| {0,3}\t)/.test(l);
      if (indented && (blank || deep)) {
        out[i] = '';
        continue;
      }
      indented = !blank && deep && blankBefore && !listBefore && !/^\s*(?:[-*+]|\d+[.)])(?:\s|$)/.test(l);
      if (indented) {
        out[i] = '';
        continue;
      }
      if (!blank) listBefore = /^\s*(?:[-*+]|\d+[.)])(?:\s|$)/.test(l) || (deep && listBefore);
      blankBefore = blank;
    }
    if (state === 'text') {
      const f = /^ {0,3}(?:>\s?)*(`{3,}|~{3,})/.exec(l);
      if (f) {
        const marker = f[1] as string;
        if (fence === null) {
          // A backtick fence's info string cannot hold a backtick: "```a```" is inline code, not a fence.
          if (!(marker[0] === '`' && l.slice(f.index + f[0].length).includes('`'))) {
            fence = marker;
            out[i] = '';
            continue;
          }
        } else if (marker[0] === fence[0] && marker.length >= fence.length && l.slice(f[0].length).trim() === '') {
          fence = null;
          out[i] = '';
          continue;
        }
      }
      if (fence !== null) {
        out[i] = '';
        continue;
      }
    }
    const r = maskLine(l, state);
    out[i] = r.text;
    state = r.state;
  }
  void firstLine;
  return out;
}

const BLANK = (n: number) => ' '.repeat(n);

/** One line blanked where it is code, comment or math; `state` is what is open from earlier lines. */
function maskLine(l: string, start: 'text' | 'html' | 'percent' | 'math'): { text: string; state: 'text' | 'html' | 'percent' | 'math' } {
  let state = start;
  // Fast path: nothing on the line can open or close anything.
  if (state === 'text' && !/[`<%$]/.test(l)) return { text: l, state };
  let out = '';
  let i = 0;
  while (i < l.length) {
    if (state !== 'text') {
      const close = state === 'html' ? '-->' : state === 'percent' ? '%%' : '$$';
      const at = l.indexOf(close, i);
      if (at < 0) {
        out += BLANK(l.length - i);
        i = l.length;
        break;
      }
      out += BLANK(at + close.length - i);
      i = at + close.length;
      state = 'text';
      continue;
    }
    const c = l[i] as string;
    if (c === '\\' && i + 1 < l.length) {
      out += l.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 1;
      while (l[i + n] === '`') n++;
      const run = '`'.repeat(n);
      // The span closes at the next run of exactly the same length.
      let at = l.indexOf(run, i + n);
      while (at >= 0 && (l[at + n] === '`' || l[at - 1] === '`')) at = l.indexOf(run, at + 1);
      if (at < 0) {
        out += run;
        i += n;
        continue;
      }
      out += BLANK(at + n - i);
      i = at + n;
      continue;
    }
    if (l.startsWith('<!--', i)) {
      state = 'html';
      out += BLANK(4);
      i += 4;
      continue;
    }
    if (l.startsWith('%%', i)) {
      state = 'percent';
      out += BLANK(2);
      i += 2;
      continue;
    }
    if (l.startsWith('$$', i)) {
      state = 'math';
      out += BLANK(2);
      i += 2;
      continue;
    }
    if (c === '$') {
      // Inline math: `$` then no space, closed by a `$` after no space and not followed by a digit
      // ("$5 and $10" is money, not math).
      const next = l[i + 1];
      if (next !== undefined && next !== ' ' && next !== '\t') {
        let at = l.indexOf('$', i + 1);
        while (at >= 0 && (l[at - 1] === '\\' || /[ \t]/.test(l[at - 1] as string) || /\d/.test(l[at + 1] ?? ''))) at = l.indexOf('$', at + 1);
        if (at > i + 1 && !/[ \t]/.test(l[at - 1] as string)) {
          out += BLANK(at + 1 - i);
          i = at + 1;
          continue;
        }
      }
    }
    out += c;
    i++;
  }
  return { text: out, state };
}

const TEMPLATE_PLACEHOLDER = /\{\{[^{}\n]*\}\}|<%[\s\S]*?%>/;
const TEMPLATE_PLACEHOLDERS = new RegExp(TEMPLATE_PLACEHOLDER.source, 'g');

/**
 * Whether a text holds a template placeholder (core Templates' `{{date}}`, Templater's `<% tp.file.title %>`):
 * a template's link or value is filled in when a note is made from it, so it is not a link or a value yet.
 */
export function holdsTemplatePlaceholder(s: string): boolean {
  return TEMPLATE_PLACEHOLDER.test(s);
}

/**
 * The folder of the Templates and Templater plugins, by the names vaults give it: `Templates`,
 * `_templates`, or numbered the way the rest of the vault is (`01 Templates`, `99 - Templates`), but not
 * a folder that only ends in the word (`Showcases & Templates`).
 */
export const TEMPLATE_FOLDER = /(?:^|\/)(?:_|\d+(?:\.\d+)*\s*(?:-\s*)?)?templates?\//i;

/**
 * Whether a note is a template: it sits in a template folder and holds a placeholder in its frontmatter or
 * in its text outside code (a note there that only shows a template in a code block is an ordinary note).
 * A template's links name notes of whoever applies it: each note made from it carries them and answers
 * for them, so an unresolved one is not this vault's missing note.
 */
export function isTemplateNote(file: string, yaml: string | undefined, body: readonly string[], bodyLine: number): boolean {
  if (!TEMPLATE_FOLDER.test(file)) return false;
  if (yaml !== undefined && holdsTemplatePlaceholder(yaml)) return true;
  return linkableLines(body, bodyLine).some((l) => holdsTemplatePlaceholder(l));
}

/**
 * A text with every template placeholder written over by `x`s of the same length (line breaks kept), as
 * the note made from the template will hold some value there: Templater's `<% tp.date.now("YYYY") %>`
 * inside a quoted YAML value is the template's code, not YAML, and its quotes end no string.
 */
export function maskTemplatePlaceholders(s: string): string {
  return s.replace(TEMPLATE_PLACEHOLDERS, (m) => m.replace(/[^\n]/g, 'x'));
}

const WIKILINK = /(!?)\[\[([^[\]\n]{1,500}?)\]\]/g;
// `[shown](destination "title")`, the destination possibly in `<…>`.
const MD_LINK = /(!?)\[((?:[^[\]\n]|\[[^[\]\n]*\])*)\]\(\s*(<[^>\n]+>|[^)\s]+)(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/g;

/** Splits the inside of a wikilink (`Note#Heading|shown`) into its file and subpath. */
export function parseWikilinkInner(inner: string): { file: string; subpath?: string } {
  let target = inner;
  const bar = target.indexOf('|');
  if (bar >= 0) target = target.slice(0, bar);
  // In a table the bar is escaped: `[[Note\|shown]]`.
  if (target.endsWith('\\')) target = target.slice(0, -1);
  const hash = target.indexOf('#');
  if (hash < 0) return { file: target.trim() };
  const subpath = target.slice(hash + 1).trim();
  return { file: target.slice(0, hash).trim(), subpath: subpath === '' ? undefined : subpath };
}

/** A Markdown link destination that points into the vault: no scheme, not site-absolute; %-decoded. */
export function parseMarkdownDestination(dest: string): { file: string; subpath?: string } | undefined {
  let d = dest.startsWith('<') && dest.endsWith('>') ? dest.slice(1, -1) : dest;
  if (/^[a-z][a-z0-9+.-]*:/i.test(d) || d.startsWith('//') || d.startsWith('/')) return undefined;
  const hash = d.indexOf('#');
  let sub: string | undefined;
  if (hash >= 0) {
    sub = d.slice(hash + 1);
    d = d.slice(0, hash);
  }
  let file: string;
  try {
    file = decodeURIComponent(d);
    if (sub !== undefined) sub = decodeURIComponent(sub);
  } catch {
    return undefined;
  }
  // Only notes: a Markdown link to anything else (a folder, a page of the site) is not Obsidian's to resolve.
  if (file !== '' && !/\.md$/i.test(file)) return undefined;
  if (file === '' && !sub) return undefined;
  return { file, subpath: sub?.trim() || undefined };
}

/** Every link of a note's body (`lines` from file line `firstLine`), in file order. */
export function noteBodyLinks(lines: readonly string[], firstLine: number): NoteLink[] {
  const out: NoteLink[] = [];
  const masked = linkableLines(lines, firstLine);
  for (let i = 0; i < masked.length; i++) {
    const l = masked[i] as string;
    if (!l.includes('[')) continue;
    const line = firstLine + i;
    const found: NoteLink[] = [];
    if (l.includes('[[')) {
      for (const m of l.matchAll(WIKILINK)) {
        const inner = m[2] as string;
        const { file, subpath } = parseWikilinkInner(inner);
        if ((file === '' && subpath === undefined) || holdsTemplatePlaceholder(file)) continue;
        const at = m.index ?? 0;
        const openAt = at + (m[1] as string).length + 2;
        const lead = inner.length - inner.trimStart().length;
        found.push({ file, subpath, embed: m[1] === '!', form: 'wikilink', line, column: at + 1, fileColumn: openAt + lead + 1 });
      }
    }
    if (l.includes('](')) {
      // Wikilinks blanked so that `[[a]](b)` is not read twice.
      const rest = l.replace(WIKILINK, (s) => BLANK(s.length));
      for (const m of rest.matchAll(MD_LINK)) {
        const dest = m[3] as string;
        const parsed = parseMarkdownDestination(dest);
        if (!parsed) continue;
        const at = m.index ?? 0;
        const destAt = (lines[i] as string).indexOf(dest, at);
        found.push({ ...parsed, embed: m[1] === '!', form: 'markdown', line, column: at + 1, fileColumn: destAt + 1 + (dest.startsWith('<') ? 1 : 0) });
      }
    }
    found.sort((a, b) => a.column - b.column);
    for (const f of found) out.push(f);
  }
  return out;
}

/** What a note offers to `#` links: its headings (text as written) and block ids (without `^`). */
export interface NoteAnchors {
  headings: string[];
  blocks: string[];
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const BLOCK_ID = /(?:^|\s)\^([A-Za-z0-9-]+)\s*$/;

export function noteAnchors(lines: readonly string[], firstLine: number): NoteAnchors {
  const headings: string[] = [];
  const blocks: string[] = [];
  const masked = linkableLines(lines, firstLine);
  for (let i = 0; i < masked.length; i++) {
    const raw = lines[i] as string;
    const l = masked[i] as string;
    if (l === '' && raw !== '') continue; // fenced code
    const h = ATX.exec(raw);
    if (h && l.trimStart().startsWith('#')) {
      const text = (h[2] ?? '').trim();
      if (text) headings.push(text);
      continue;
    }
    // Setext headings: a paragraph line underlined with = or -.
    if (/^ {0,3}(=+|-+)[ \t]*$/.test(raw) && i > 0) {
      const prev = (lines[i - 1] as string).trim();
      if (
        prev &&
        (masked[i - 1] as string).trim() !== '' &&
        !/^([-*+]|\d+[.)])\s|^>|^#|^\|/.test(prev) &&
        !(raw.trim().startsWith('-') && raw.trim().length < 3)
      )
        headings.push(prev);
    }
    const b = BLOCK_ID.exec(l);
    if (b) blocks.push(b[1] as string);
  }
  return { headings, blocks };
}

/**
 * A heading as links compare it: Obsidian leaves out the characters a link cannot hold (`#`, `|`, `^`,
 * `:`, `%%`, `[[`, `]]`) and what the editor's autocompletion drops, writing a space for each (`D&D`
 * is linked as `D D`, `CI/CD` as `CI CD`); case and spacing do not matter here.
 */
export function headingKey(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[#|^:%[\]*_`~=<>"'()!?.,;/\\&]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a subpath (`Heading`, `A#B`, `^block`) exists among a note's anchors. */
export function hasAnchor(anchors: NoteAnchors, subpath: string): boolean {
  if (subpath.startsWith('^')) {
    const id = subpath.slice(1).trim().toLowerCase();
    return anchors.blocks.some((b) => b.toLowerCase() === id);
  }
  // `A#B`: a heading B under A; every part must be a heading of the note.
  const keys = new Set(anchors.headings.map(headingKey));
  return subpath
    .split('#')
    .map((p) => headingKey(p))
    .filter((p) => p !== '')
    .every((p) => keys.has(p));
}
