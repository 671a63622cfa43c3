/**
 * GitHub's size limits on what the app writes, and a pure helper that fits Markdown into them.
 *
 * Every limit is measured here in UTF-8 bytes. GitHub documents most of them in "characters" and enforces
 * some in bytes (a check run summary of 65,535 non-ASCII characters is refused); a UTF-8 byte count is
 * never smaller than a count of characters or UTF-16 units, so text within a budget in bytes is within
 * it whatever GitHub counts.
 */

/** Issue, pull request, review and comment bodies. */
export const BODY_LIMIT = 65_536;
/** Check run `output.summary`. */
export const CHECK_SUMMARY_LIMIT = 65_535;
/** Check run `output.text`. */
export const CHECK_TEXT_LIMIT = 65_535;
/** Check run `output.title`: GitHub documents no limit; kept to an annotation title's. */
export const CHECK_TITLE_LIMIT = 255;
/** Annotation `message` and `raw_details`: 64 KB each. */
export const ANNOTATION_MESSAGE_LIMIT = 64 * 1024;
export const ANNOTATION_RAW_DETAILS_LIMIT = 64 * 1024;
/** Annotation `title`. */
export const ANNOTATION_TITLE_LIMIT = 255;
/** Annotations accepted in one create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

const encoder = new TextEncoder();

export function byteLength(s: string): number {
  // Buffer.byteLength is exact and does not allocate.
  return Buffer.byteLength(s, 'utf8');
}

export function fits(s: string, limit: number): boolean {
  // A string of n UTF-16 units has at most 3n UTF-8 bytes: most strings need no count.
  return s.length * 3 <= limit || byteLength(s) <= limit;
}

/** `s` cut to at most `limit` bytes at a code point boundary, ending in `ellipsis` when cut. */
export function truncate(s: string, limit: number, ellipsis = '…'): string {
  if (fits(s, limit)) return s;
  const room = Math.max(0, limit - byteLength(ellipsis));
  const bytes = encoder.encode(s);
  let end = Math.min(room, bytes.length);
  // Step back over UTF-8 continuation bytes (10xxxxxx) so no code point is split.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  const cut = Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('utf8');
  return byteLength(ellipsis) <= limit ? cut + ellipsis : cut;
}

/**
 * One part of a Markdown document: fixed text, or a list whose items are dropped from the end when the
 * document would not fit, replaced by one line saying how many were left out.
 */
export type MarkdownBlock =
  | string
  | {
      /** Lines (or multi-line items) of the list, in order; each is joined with `separator`. */
      items: readonly string[];
      /** The line that stands for the `n` items left out, e.g. `- … and 12 more in the check run`. */
      more: (n: number) => string;
      /** Text before the list (a heading, a table header), shown whenever the list has items. */
      head?: string;
      /** Between items (default one newline). */
      separator?: string;
      /** Lower numbers get the room first (default 0); blocks render in document order whatever the priority. */
      priority?: number;
    };

/** Closes an unclosed code fence at the end of a cut Markdown text, so what follows renders as text. */
export function closeFences(text: string): string {
  let open: string | undefined;
  for (const m of text.matchAll(/^(`{3,}|~{3,})(.*)$/gm)) {
    const fence = m[1]!;
    if (open === undefined) open = fence;
    else if (fence[0] === open[0] && fence.length >= open.length && m[2]!.trim() === '') open = undefined;
  }
  return open === undefined ? text : `${text}\n${open}`;
}

/** Room a closing fence may add after a cut (the longest fence opener in a text, plus its newline). */
function fenceReserve(text: string): number {
  let max = 0;
  for (const m of text.matchAll(/^(`{3,}|~{3,})/gm)) max = Math.max(max, m[1]!.length);
  return max === 0 ? 0 : max + 1;
}

/**
 * Cuts Markdown to `limit` bytes at a line boundary (or a code point inside an over-long single line),
 * closes an open code fence, and appends `note` on its own line. The result always fits.
 */
export function cutMarkdown(text: string, limit: number, note = ''): string {
  if (fits(text, limit)) return text;
  const tail = note ? `\n\n${note}` : '';
  const tailBytes = byteLength(tail);
  if (tailBytes >= limit) return truncate(note, limit);
  const room = limit - tailBytes - fenceReserve(text);
  let cut = truncate(text, Math.max(0, room), '');
  const nl = cut.lastIndexOf('\n');
  if (nl > 0) cut = cut.slice(0, nl);
  const closed = closeFences(cut);
  return fits(closed + tail, limit) ? closed + tail : truncate(closed, limit - tailBytes, '') + tail;
}

/**
 * Joins `blocks` with newlines into at most `limit` bytes. Lists give up their last items first (in
 * priority order), each leaving its `more` line; fixed text is cut only when it alone is too long
 * (`cutNote` then ends the document). A list item is never cut in the middle.
 */
export function fitMarkdown(blocks: readonly MarkdownBlock[], limit: number, cutNote = '…'): string {
  const lists = blocks.map((b) => (typeof b === 'string' ? undefined : listSizer(b)));
  const render = (shown: readonly number[]): string => {
    const out: string[] = [];
    blocks.forEach((b, i) => {
      if (typeof b === 'string') out.push(b);
      else if (b.items.length > 0) out.push(listParts(b, shown[i]!).join('\n'));
    });
    return out.join('\n');
  };
  const full = render(blocks.map((b) => (typeof b === 'string' ? 0 : b.items.length)));
  if (fits(full, limit)) return full;

  // Every list at its smallest (head and more line): what the fixed text leaves for the items.
  const shown = blocks.map(() => 0);
  const floor = render(shown);
  if (!fits(floor, limit)) return cutMarkdown(floor, limit, cutNote);
  let used = byteLength(floor);
  const order = blocks
    .map((b, i) => ({ b, i }))
    .filter((x) => typeof x.b !== 'string' && x.b.items.length > 0)
    .sort((x, y) => priorityOf(x.b) - priorityOf(y.b) || x.i - y.i);
  for (const { i } of order) {
    const size = lists[i]!;
    let k = 0;
    while (k < size.count && used - size.of(k) + size.of(k + 1) <= limit) {
      used += size.of(k + 1) - size.of(k);
      k++;
    }
    shown[i] = k;
  }
  const out = render(shown);
  // The sizes mirror listParts; this guard keeps the promise should they ever disagree.
  return fits(out, limit) ? out : cutMarkdown(out, limit, cutNote);
}

const priorityOf = (b: MarkdownBlock): number => (typeof b === 'string' ? 0 : (b.priority ?? 0));

function listParts(b: Exclude<MarkdownBlock, string>, k: number): string[] {
  const parts: string[] = [];
  if (b.head !== undefined) parts.push(b.head);
  if (k > 0) parts.push(b.items.slice(0, k).join(b.separator ?? '\n'));
  if (k < b.items.length) parts.push(b.more(b.items.length - k));
  return parts;
}

/** Bytes of a list block showing its first k items, from prefix sums (no rendering). */
function listSizer(b: Exclude<MarkdownBlock, string>): { count: number; of(k: number): number } {
  const sep = byteLength(b.separator ?? '\n');
  const prefix = [0];
  for (const item of b.items) prefix.push(prefix[prefix.length - 1]! + byteLength(item));
  const head = b.head === undefined ? undefined : byteLength(b.head);
  return {
    count: b.items.length,
    of(k: number): number {
      let parts = 0;
      let bytes = 0;
      if (head !== undefined) {
        parts++;
        bytes += head;
      }
      if (k > 0) {
        parts++;
        bytes += prefix[k]! + (k - 1) * sep;
      }
      if (k < b.items.length) {
        parts++;
        bytes += byteLength(b.more(b.items.length - k));
      }
      return bytes + Math.max(0, parts - 1);
    },
  };
}
