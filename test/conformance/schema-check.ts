/**
 * A small interpreter of the JSON Schema GitHub's OpenAPI description uses (type, enum, const,
 * properties, required, additionalProperties, items, allOf/anyOf/oneOf, $ref, format, string and array
 * lengths, numeric bounds, pattern). Interpreting costs nothing up front: compiling the description's
 * large response schemas with a code generator took seconds per test worker.
 *
 * `x-closed: true` (set on request bodies) rejects properties the schema and its branches do not name.
 * oneOf is read as anyOf: GitHub's branches overlap.
 */

export interface SchemaError {
  path: string;
  message: string;
}

export interface CheckOptions {
  /** Resolves a `$ref` string to its schema. */
  resolve: (ref: string) => unknown;
  /** Skip `required` (answers that leave out fields nobody reads). */
  lenient?: boolean;
}

type Schema = Record<string, unknown>;

const FORMATS: Record<string, (s: string) => boolean> = {
  uri: (s) => /^[a-z][a-z\d+.-]*:[^\s\u0000-\u001f"<>\\^`{|}]*$/i.test(s),
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/.test(s),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s),
  email: (s) => /^[^\s@]+@[^\s@]+$/.test(s),
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(want: string, v: unknown): boolean {
  const t = typeOf(v);
  return want === t || (want === 'number' && t === 'integer');
}

/** Property names a closed object accepts: its own and those of its inline and referenced branches. */
function namedProperties(s: Schema, opts: CheckOptions, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 8) return out;
  const r = typeof s.$ref === 'string' ? (opts.resolve(s.$ref) as Schema) : s;
  for (const k of Object.keys((r.properties as Schema | undefined) ?? {})) out.add(k);
  for (const key of ['allOf', 'anyOf', 'oneOf']) for (const b of (r[key] as Schema[] | undefined) ?? []) namedProperties(b, opts, out, depth + 1);
  return out;
}

function rootTypeMatches(schema: unknown, value: unknown, opts: CheckOptions): boolean {
  let s = schema as Schema;
  for (let i = 0; i < 20 && s && typeof s.$ref === 'string'; i++) s = opts.resolve(s.$ref) as Schema;
  if (!s || s.type === undefined) return true;
  const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
  return types.some((t) => typeMatches(t, value));
}

export function checkSchema(schema: unknown, value: unknown, opts: CheckOptions, path = ''): SchemaError[] {
  const errors: SchemaError[] = [];
  const err = (message: string, at = path) => errors.push({ path: at, message });
  let s = schema as Schema;
  if (!s || typeof s !== 'object') return errors;
  for (let i = 0; i < 20 && typeof s.$ref === 'string'; i++) s = opts.resolve(s.$ref) as Schema;

  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => typeMatches(t, value))) {
      err(`must be ${types.join(',')}`);
      return errors;
    }
  }
  if (s.const !== undefined && s.const !== value) err(`must be equal to constant ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => e === value)) err(`must be equal to one of the allowed values: ${JSON.stringify(s.enum)}`);

  if (typeof value === 'string') {
    const len = [...value].length;
    if (typeof s.maxLength === 'number' && len > s.maxLength) err(`must NOT have more than ${s.maxLength} characters`);
    if (typeof s.minLength === 'number' && len < s.minLength) err(`must NOT have fewer than ${s.minLength} characters`);
    if (typeof s.pattern === 'string') {
      let re: RegExp | undefined;
      try {
        re = new RegExp(s.pattern, 'u');
      } catch {
        re = undefined;
      }
      if (re && !re.test(value)) err(`must match pattern "${s.pattern}"`);
    }
    const f = typeof s.format === 'string' ? FORMATS[s.format] : undefined;
    if (f && !f(value)) err(`must match format "${String(s.format)}"`);
  }
  if (typeof value === 'number') {
    if (typeof s.maximum === 'number' && value > s.maximum) err(`must be <= ${s.maximum}`);
    if (typeof s.minimum === 'number' && value < s.minimum) err(`must be >= ${s.minimum}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) err(`must NOT have more than ${s.maxItems} items`);
    if (typeof s.minItems === 'number' && value.length < s.minItems) err(`must NOT have fewer than ${s.minItems} items`);
    if (s.items && typeof s.items === 'object') value.forEach((v, i) => errors.push(...checkSchema(s.items, v, opts, `${path}/${i}`)));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (s.properties as Record<string, unknown> | undefined) ?? {};
    if (!opts.lenient && Array.isArray(s.required)) for (const r of s.required as string[]) if (!(r in obj)) err(`must have required property '${r}'`);
    for (const [k, v] of Object.entries(obj)) {
      if (k in props) errors.push(...checkSchema(props[k], v, opts, `${path}/${k}`));
      else if (s.additionalProperties === false) err(`has a property the description does not name: "${k}"`);
      else if (s.additionalProperties && typeof s.additionalProperties === 'object')
        errors.push(...checkSchema(s.additionalProperties, v, opts, `${path}/${k}`));
    }
    if (s['x-closed'] === true) {
      const named = namedProperties(s, opts);
      for (const k of Object.keys(obj)) if (!named.has(k)) err(`has a property the description does not name: "${k}"`);
    }
  }

  for (const sub of (s.allOf as unknown[] | undefined) ?? []) errors.push(...checkSchema(sub, value, opts, path));
  for (const key of ['anyOf', 'oneOf']) {
    const branches = s[key] as unknown[] | undefined;
    if (!branches?.length) continue;
    // None passes: report the closest branch of the value's own type (not "must be null" for an object).
    let best: { e: SchemaError[]; typed: boolean } | undefined;
    for (const b of branches) {
      const e = checkSchema(b, value, opts, path);
      if (e.length === 0) {
        best = { e: [], typed: true };
        break;
      }
      const typed = rootTypeMatches(b, value, opts);
      if (!best || (typed && !best.typed) || (typed === best.typed && e.length < best.e.length)) best = { e, typed };
    }
    // Errors outside the branches already say what is wrong; the branches' own would only repeat it.
    if (errors.length === 0) errors.push(...(best?.e ?? []));
  }
  return errors;
}
