/**
 * Strings that outlive the file they came from. V8 keeps a substring as a view of its parent (a key's
 * value keeps the whole frontmatter, a message quoting a line keeps the whole file): a corpus index
 * or a list of findings made of such views holds every file's text. A copy holds only itself.
 */

/** `s` as a string of its own (short strings are copies already). */
export function detach(s: string): string;
export function detach(s: string | undefined): string | undefined;
export function detach(s: string | undefined): string | undefined {
  // Concatenating makes a rope; slicing it flattens the rope into a new string of length + 1 first.
  return s === undefined || s.length < 13 ? s : (' ' + s).slice(1);
}
