/**
 * Strings that outlive the file they came from. V8 keeps a substring as a view of its parent (a key's
 * value keeps the whole frontmatter, a message quoting a line keeps the whole file): a corpus index
 * or a list of findings made of such views holds every file's text. A copy holds only itself.
 */

/** `s` as a string of its own (short strings are copies already). */
export function detach(s: string): string;
export function detach(s: string | undefined): string | undefined;
export function detach(s: string | undefined): string | undefined {
  // JSON.parse builds a new flat string. Slicing a concatenation would copy too, but hand back a view
  // of that copy: 32 bytes more per string, about 50 MB for the index of 50,000 patterns.
  return s === undefined || s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}
