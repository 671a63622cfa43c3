/**
 * JSON Schema validation with ajv, and the mapping of ajv errors to key paths and plain messages.
 * The bundled schemas live in schemas/ at the package root.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { formatPath, getPath, type KeyPath } from './path.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;

export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

export type BundledSchema = 'commons-pattern' | 'commons-pattern-legacy' | 'obsidian-note' | 'config';
export const BUNDLED_SCHEMAS: readonly BundledSchema[] = ['commons-pattern', 'commons-pattern-legacy', 'obsidian-note', 'config'];

/**
 * Validators generated from the bundled schemas at build time (src/build/compile-schemas.ts writes
 * dist/validators/<name>.cjs): compiling the pattern schema costs about 70 ms of a cold check or review,
 * loading its generated code about 5 ms. Running from sources (tests), the folder does not exist and
 * the schemas are compiled as before.
 */
export const VALIDATOR_DIR = fileURLToPath(new URL('../validators/', import.meta.url));

/**
 * The schema files' texts when a bundler wrote them into the code (scripts/build-action.mjs defines this
 * name for the GitHub Action's single-file bundle, which has no schemas/ beside it); undefined otherwise.
 */
declare const GARDENER_INLINE_SCHEMAS: Partial<Record<BundledSchema, string>> | undefined;
const inlineSchemas = typeof GARDENER_INLINE_SCHEMAS === 'object' ? GARDENER_INLINE_SCHEMAS : undefined;

const bundled = new Map<BundledSchema, object>();
const bundledText = new WeakMap<object, { name: BundledSchema; text: string }>();
export function loadBundledSchema(name: BundledSchema): object {
  let s = bundled.get(name);
  if (!s) {
    const text = inlineSchemas?.[name] ?? readFileSync(`${SCHEMA_DIR}${name}.schema.json`, 'utf8');
    s = JSON.parse(text) as object;
    bundled.set(name, s);
    bundledText.set(s, { name, text });
  }
  return s;
}

/** Fingerprint of a schema's file text: a generated validator is used only for the text it was made from. */
export function schemaSourceHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The ajv of the runtime compiler and of the build step, so both make the same validator. */
export function newAjv(extra: Options = {}): Ajv {
  const a = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, ...extra });
  addFormats(a);
  return a;
}

let ajv: Ajv | undefined;
function getAjv(): Ajv {
  ajv ??= newAjv();
  return ajv;
}

const requireGenerated = createRequire(import.meta.url);
const generated = new Map<string, ValidateFunction | null>();

/** The build's validator for a bundled schema, when it exists and was generated from the same text. */
export function generatedValidator(schema: object, dir = VALIDATOR_DIR): ValidateFunction | undefined {
  const src = bundledText.get(schema);
  if (!src) return undefined;
  const file = `${dir}${src.name}.cjs`;
  let hit = generated.get(file);
  if (hit === undefined) {
    hit = null;
    try {
      const mod = requireGenerated(file) as ValidateFunction & { sourceHash?: string };
      // A build older than the schema text is ignored.
      if (typeof mod === 'function' && mod.sourceHash === schemaSourceHash(src.text)) hit = mod;
    } catch {
      /* not built: running from sources */
    }
    generated.set(file, hit);
  }
  return hit ?? undefined;
}

/** Compiles a schema (cached by identity); throws a readable Error for an invalid schema. */
export function compileSchema(schema: object): ValidateFunction {
  const pre = generatedValidator(schema);
  if (pre) return pre;
  const a = getAjv();
  const id = (schema as { $id?: string }).$id;
  if (id) {
    const existing = a.getSchema(id);
    if (existing) return existing;
  }
  return a.compile(schema);
}

export interface SchemaError {
  /** Key path of the offending key (for `required`: the parent; for unknown keys: the key). */
  keyPath: KeyPath;
  /** Dotted form of keyPath. */
  path: string;
  keyword: string;
  message: string;
}

function pointerToPath(pointer: string, data: unknown): KeyPath {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^\d+$/.test(seg)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = getPath(cur, [seg]);
    }
  }
  return out;
}

function describe(v: unknown): string {
  if (v === null) return 'empty (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a group of keys';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of keys',
  null: 'empty (null)',
};

/** The subschema at an ajv `schemaPath` (`#/properties/a/items/type`, without its last keyword). */
function subschemaAt(schema: object | undefined, schemaPath: string): Record<string, unknown> | undefined {
  if (!schema || !schemaPath.startsWith('#/')) return undefined;
  let cur: unknown = schema;
  const parts = schemaPath.slice(2).split('/').slice(0, -1);
  for (const raw of parts) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>) : undefined;
}

/**
 * What a value should be, in words: the schema's own `x-expected` annotation when it has one ("a date
 * (YYYY-MM-DD)"), else its JSON types.
 */
function expectedWords(e: ErrorObject, schema: object | undefined): string {
  const expected = subschemaAt(schema, e.schemaPath)?.['x-expected'];
  if (typeof expected === 'string' && expected.trim() !== '') return expected.trim();
  return String((e.params as { type: string | string[] }).type)
    .split(',')
    .map((t) => TYPE_WORDS[t] ?? t)
    .join(' or ');
}

/** What a list's wrongly typed entries are, in a few words: "text", "lists". */
function kindWords(values: readonly unknown[]): string {
  const kinds = new Set(
    values.map((v) =>
      v === null ? 'empty values' : Array.isArray(v) ? 'lists' : typeof v === 'object' ? 'groups of keys' : typeof v === 'string' ? 'text' : `${typeof v}s`,
    ),
  );
  return [...kinds].join(' and ');
}

/**
 * Turns ajv errors into one readable message per problem, each with the key path to locate. Entries of
 * one list that fail the same type check are one problem, reported once at the list. `schema` (the
 * validated schema) lets messages say what a field is, from its `x-expected` annotation.
 */
export function formatAjvErrors(errors: readonly ErrorObject[], data: unknown, schema?: object): SchemaError[] {
  const out: SchemaError[] = [];
  const seen = new Set<string>();
  // List entries with the same failed type check, by list and schema location.
  const entryGroups = new Map<string, { list: KeyPath; error: ErrorObject; values: unknown[] }>();
  for (const e of errors) {
    if (e.keyword !== 'type') continue;
    const path = pointerToPath(e.instancePath, data);
    if (path.length === 0 || typeof path[path.length - 1] !== 'number') continue;
    const list = path.slice(0, -1);
    const key = `${formatPath(list)}|${e.schemaPath}`;
    const group = entryGroups.get(key);
    if (group) group.values.push(getPath(data, path));
    else entryGroups.set(key, { list, error: e, values: [getPath(data, path)] });
  }
  for (const e of errors) {
    const base = pointerToPath(e.instancePath, data);
    let keyPath: KeyPath = base;
    let message: string;
    const where = base.length > 0 ? `\`${formatPath(base)}\`` : 'the frontmatter';
    const value = getPath(data, base);
    switch (e.keyword) {
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        message = base.length > 0 ? `\`${formatPath(base)}\` is missing the required key \`${missing}\`.` : `The required key \`${missing}\` is missing.`;
        break;
      }
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        keyPath = [...base, extra];
        message = `Unknown key \`${formatPath(keyPath)}\`.`;
        break;
      }
      case 'type': {
        const group =
          base.length > 0 && typeof base[base.length - 1] === 'number' ? entryGroups.get(`${formatPath(base.slice(0, -1))}|${e.schemaPath}`) : undefined;
        if (group && group.values.length > 1) {
          keyPath = group.list;
          const total = getPath(data, group.list);
          const count = Array.isArray(total) && total.length === group.values.length ? `All ${group.values.length} entries` : `${group.values.length} entries`;
          message = `${count} of \`${formatPath(group.list)}\` are ${kindWords(group.values)}; each should be ${expectedWords(e, schema)}.`;
          break;
        }
        message = `${where} should be ${expectedWords(e, schema)}, but it is ${describe(value)}.`;
        break;
      }
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ');
        message = `${where} is ${describe(value)}; expected one of: ${allowed}.`;
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const limit = (e.params as { limit: number }).limit;
        const word = e.keyword.includes('inimum') ? 'at least' : 'at most';
        message = `${where} is ${String(value)}; it must be ${word} ${limit}.`;
        break;
      }
      case 'minLength':
        message = `${where} must not be empty.`;
        break;
      case 'format':
        message = `${where} is ${describe(value)}, which is not a valid ${(e.params as { format: string }).format}.`;
        break;
      default:
        message = `${where} ${e.message ?? 'is invalid'}.`;
    }
    const key = `${formatPath(keyPath)}|${e.keyword}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ keyPath, path: formatPath(keyPath), keyword: e.keyword, message });
  }
  return out;
}
