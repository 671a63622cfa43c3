/** A key path into frontmatter data: map keys are strings, list indexes are numbers. */
export type KeyPath = readonly (string | number)[];

/** Unambiguous map key for a path (U+0001 never appears in a YAML key we accept). */
export function pathKey(path: KeyPath): string {
  return path.map((p) => (typeof p === 'number' ? `#${p}` : `.${p}`)).join('\u0001');
}

/** pathKey(path.concat(seg)) from pathKey(path), without rebuilding the whole key. */
export function childKey(parentKey: string, seg: string | number): string {
  const part = typeof seg === 'number' ? `#${seg}` : `.${seg}`;
  return parentKey === '' ? part : `${parentKey}\u0001${part}`;
}

/** Human-readable form used in messages and fingerprints: `relationships.enables[2].slug`. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return out;
}

/** Own-property lookup that never walks the prototype chain (hostile keys such as `__proto__`). */
export function getPath(data: unknown, path: KeyPath): unknown {
  let cur: unknown = data;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.hasOwn(cur, p)) return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
