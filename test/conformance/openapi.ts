/**
 * Checks REST requests (and the stand-in's answers) against GitHub's own OpenAPI description of
 * api.github.com (@octokit/openapi). The 13 MB description is read once per machine: a slim copy
 * (descriptions and examples dropped, OpenAPI 3.0 turned into JSON Schema) is cached under
 * node_modules/.cache and read once per test worker, on the first request a test makes.
 *
 * Besides the schemas, limits GitHub states only in prose are enforced where they are unambiguous:
 * a parameter described with "(max N)" gets `maximum: N` (per_page), and a body property described as
 * "**Required**." is required (a check run's output title). Request bodies reject properties the
 * description does not name (a misspelt field is silently ignored by GitHub).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSchema, type SchemaError } from './schema-check.js';

const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));
/** The cached copy is keyed by the package version and this file's text (the transformation). */
const CACHE_KEY = createHash('sha1')
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .digest('hex')
  .slice(0, 10);

export interface HttpRequest {
  method: string;
  /** Path with query string, e.g. `/repos/o/r/pulls?state=open` (an `/api/v3` prefix is ignored). */
  url: string;
  /** Parsed JSON body, or the raw string, or undefined. */
  body?: unknown;
}

export interface HttpExchange extends HttpRequest {
  status: number;
  responseBody?: unknown;
}

export interface Violation {
  /** `METHOD /template` of the operation, or `METHOD /path` when no operation matched. */
  operation: string;
  message: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  deprecated?: boolean;
  schema?: Record<string, unknown>;
  'x-multi-segment'?: boolean;
}

interface Operation {
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> } | { $ref: string }>;
  deprecated?: boolean;
  /** `x-github.enabledForGitHubApps`: false for operations a GitHub App cannot call. */
  'x-apps'?: boolean;
}

interface Slim {
  version: string;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

interface Route {
  method: string;
  template: string;
  segments: string[];
  literals: number;
  multiSegment: boolean;
  op: Operation;
  params: Parameter[];
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];
const DROP = new Set([
  'description',
  'summary',
  'examples',
  'example',
  'externalDocs',
  'tags',
  'x-github',
  'x-githubEnterpriseOverlays',
  'operationId',
  'title',
  'headers',
  'servers',
]);
/** Keys whose value maps names to things (property names, status codes…): never dropped. */
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  'paths',
  'schemas',
  'responses',
  'requestBodies',
  'content',
  'parameters',
  'mapping',
  'components',
  'definitions',
]);

function openapiVersion(): string {
  return (JSON.parse(readFileSync(join(NODE_MODULES, '@octokit/openapi/package.json'), 'utf8')) as { version: string }).version;
}

/** Turns an OpenAPI 3.0 schema node into JSON Schema in place (nullable), recursively. */
function toJsonSchema(node: unknown, nameMap = false): unknown {
  if (Array.isArray(node)) return node.map((v) => toJsonSchema(v));
  if (!node || typeof node !== 'object') return node;
  const src = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (nameMap) {
      out[k] = toJsonSchema(v);
      continue;
    }
    if (k === '$ref' && typeof v === 'string') {
      out[k] = v.startsWith('#/') ? `gh${v}` : v;
      continue;
    }
    // Prose limits: "(max 100)" on a parameter, "**Required**." on a body property.
    if (k === 'description' && typeof v === 'string') {
      const max = /\(max (\d+)\)/.exec(v);
      if (max) out['x-max'] = Number(max[1]);
      if (/^\*\*Required\*\*\.?\s*$/.test(v)) out['x-required'] = true;
    }
    if (DROP.has(k) && !(k === 'headers' && typeof v !== 'object')) continue;
    out[k] = toJsonSchema(v, NAME_MAPS.has(k) && !Array.isArray(v));
  }
  if (!nameMap && out.nullable !== undefined) {
    const nullable = out.nullable === true;
    delete out.nullable;
    if (nullable) {
      if (typeof out.type === 'string') {
        out.type = [out.type, 'null'];
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      } else {
        return { anyOf: [out, { type: 'null' }] };
      }
    }
  }
  return out;
}

/** Request bodies: "**Required**." properties become required; undeclared properties are rejected. */
function tightenRequestSchema(node: unknown): void {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return;
  const s = node as Record<string, unknown>;
  if (s.$ref) return; // shared components are also used by responses: left as described
  const props = s.properties as Record<string, Record<string, unknown>> | undefined;
  if (props) {
    for (const [name, p] of Object.entries(props)) {
      if (p['x-required']) s.required = [...new Set([...((s.required as string[]) ?? []), name])];
      tightenRequestSchema(p);
    }
    if (s.additionalProperties === undefined && s.type === 'object') s['x-closed'] = true;
  }
  for (const k of ['items', 'additionalProperties']) tightenRequestSchema(s[k]);
  for (const k of ['oneOf', 'anyOf', 'allOf']) for (const sub of (s[k] as unknown[]) ?? []) tightenRequestSchema(sub);
}

function buildSlim(version: string): Slim {
  const full = JSON.parse(readFileSync(join(NODE_MODULES, '@octokit/openapi/generated/api.github.com.json'), 'utf8')) as {
    paths: Record<string, unknown>;
    components: Record<string, unknown>;
  };
  for (const item of Object.values(full.paths) as Record<string, Record<string, unknown>>[]) {
    for (const m of METHODS) {
      const op = item[m];
      if (op) op['x-apps'] = (op['x-github'] as { enabledForGitHubApps?: boolean } | undefined)?.enabledForGitHubApps ?? true;
    }
  }
  const paths = toJsonSchema(full.paths, true) as Slim['paths'];
  for (const item of Object.values(paths)) {
    for (const m of METHODS) {
      const body = item[m]?.requestBody?.content?.['application/json']?.schema;
      if (body) tightenRequestSchema(body);
    }
  }
  const { examples: _e, ...components } = full.components;
  return { version, paths, components: toJsonSchema(components, true) as Slim['components'] };
}

function cacheDir(): string {
  return join(NODE_MODULES, '.cache', 'pattern-gardener-conformance');
}

let slimMemo: Slim | undefined;
/** The slim description: from the cache, else built (and cached) from @octokit/openapi. */
export function loadSlimDescription(): Slim {
  if (slimMemo) return slimMemo;
  const version = openapiVersion();
  const file = join(cacheDir(), `openapi-api.github.com-${version}-${CACHE_KEY}.json`);
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as Slim;
    if (cached.version === version) return (slimMemo = cached);
  } catch {
    // not cached yet
  }
  const slim = buildSlim(version);
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(slim));
    renameSync(tmp, file);
  } catch {
    // a read-only node_modules only costs the next worker the build
  }
  return (slimMemo = slim);
}

class Description {
  private readonly byMethod = new Map<string, Route[]>();

  constructor(readonly slim: Slim) {
    for (const [template, item] of Object.entries(slim.paths)) {
      const shared = (item.parameters as unknown as Operation['parameters']) ?? [];
      for (const m of METHODS) {
        const op = item[m];
        if (!op) continue;
        const params = [...shared, ...(op.parameters ?? [])].map((p) => this.deref<Parameter>(p));
        const segments = template.split('/').slice(1);
        const route: Route = {
          method: m.toUpperCase(),
          template,
          segments,
          literals: segments.filter((s) => !s.startsWith('{')).length,
          multiSegment: params.some((p) => p.in === 'path' && p['x-multi-segment']),
          op,
          params,
        };
        const list = this.byMethod.get(route.method) ?? [];
        list.push(route);
        this.byMethod.set(route.method, list);
      }
    }
    for (const list of this.byMethod.values()) list.sort((a, b) => b.literals - a.literals);
  }

  deref<T>(v: unknown): T {
    let cur = v as { $ref?: string };
    for (let i = 0; i < 10 && cur && typeof cur.$ref === 'string'; i++) {
      const parts = cur.$ref.replace(/^gh#\//, '').split('/');
      let node: unknown = this.slim;
      for (const p of parts) node = (node as Record<string, unknown>)[p];
      cur = node as { $ref?: string };
    }
    return cur as T;
  }

  check(schema: unknown, value: unknown, lenient = false): SchemaError[] {
    return checkSchema(schema, value, { resolve: (ref) => this.deref(ref === '' ? {} : { $ref: ref }), lenient });
  }

  /** The operation for a method and a raw (encoded) path, with its path parameters. */
  match(method: string, path: string): { route: Route; pathParams: Map<string, string> } | undefined {
    const segs = path.split('/').slice(1);
    for (const route of this.byMethod.get(method) ?? []) {
      const t = route.segments;
      if (t.length !== segs.length && !(route.multiSegment && segs.length > t.length)) continue;
      const pathParams = new Map<string, string>();
      let ok = true;
      for (let i = 0, j = 0; i < t.length; i++, j++) {
        const ts = t[i]!;
        if (!ts.startsWith('{')) {
          if (ts !== segs[j]) {
            ok = false;
            break;
          }
          continue;
        }
        const name = ts.slice(1, -1);
        const multi = route.params.some((p) => p.name === name && p.in === 'path' && p['x-multi-segment']);
        // A multi-segment parameter takes every segment left over by the literals after it.
        const take = multi ? segs.length - j - (t.length - i - 1) : 1;
        if (take < 1) {
          ok = false;
          break;
        }
        const raw = segs.slice(j, j + take).join('/');
        if (raw === '') {
          ok = false;
          break;
        }
        pathParams.set(name, raw);
        j += take - 1;
      }
      if (ok) return { route, pathParams };
    }
    return undefined;
  }
}

let descriptionMemo: Description | undefined;
function description(): Description {
  return (descriptionMemo ??= new Description(loadSlimDescription()));
}

function formatErrors(errors: SchemaError[], where: string): string[] {
  return [...new Set(errors.map((e) => `${where}${e.path} ${e.message}`))];
}

/** A parameter's string value coerced to its schema's type, as GitHub reads it. */
function coerce(raw: string, schema: Record<string, unknown> | undefined): unknown {
  const type = Array.isArray(schema?.type) ? (schema!.type as string[])[0] : (schema?.type as string | undefined);
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (type === 'array') return raw.split(',');
  return raw;
}

function checkParam(d: Description, p: Parameter, raw: string): string[] {
  const out: string[] = [];
  if (p.deprecated) out.push(`${p.in} parameter "${p.name}" is deprecated`);
  const schema = { ...(p.schema ?? {}) } as Record<string, unknown>;
  const max = (p as { 'x-max'?: number })['x-max'];
  if (typeof max === 'number' && schema.maximum === undefined) schema.maximum = max;
  out.push(...formatErrors(d.check(schema, coerce(raw, schema)), `${p.in} parameter "${p.name}"=${JSON.stringify(raw)}`));
  return out;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  if (body === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/**
 * Violations of one REST request against the description (empty when it conforms). `asApp: false`
 * for requests a test makes as a person (operations closed to GitHub Apps are then fine).
 */
export function validateRequest(req: HttpRequest, opts: { asApp?: boolean } = {}): Violation[] {
  const d = description();
  const method = req.method.toUpperCase();
  const url = new URL(req.url, 'https://api.github.com');
  const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
  const m = d.match(method, path);
  if (!m) {
    const other = METHODS.map((x) => x.toUpperCase()).filter((x) => x !== method && d.match(x, path));
    return [
      {
        operation: `${method} ${path}`,
        message: other.length ? `GitHub has no ${method} on this path (it has ${other.join(', ')})` : 'GitHub has no such path',
      },
    ];
  }
  const { route, pathParams } = m;
  const operation = `${method} ${route.template}`;
  const out: string[] = [];
  if (route.op.deprecated) out.push('the operation is deprecated');
  if (route.op['x-apps'] === false && opts.asApp !== false) out.push('the operation is not enabled for GitHub Apps');
  for (const p of route.params.filter((x) => x.in === 'path')) {
    const raw = pathParams.get(p.name);
    if (raw === undefined) {
      out.push(`path parameter "${p.name}" is missing`);
      continue;
    }
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      out.push(`path parameter "${p.name}" is not valid percent-encoding: ${raw}`);
    }
    out.push(...checkParam(d, p, decoded));
  }
  const queryParams = route.params.filter((x) => x.in === 'query');
  for (const key of new Set(url.searchParams.keys())) {
    const p = queryParams.find((x) => x.name === key);
    if (!p) {
      out.push(`query parameter "${key}" is not in the description (it takes: ${queryParams.map((x) => x.name).join(', ') || 'none'})`);
      continue;
    }
    for (const raw of url.searchParams.getAll(key)) out.push(...checkParam(d, p, raw));
  }
  for (const p of queryParams) if (p.required && !url.searchParams.has(p.name)) out.push(`required query parameter "${p.name}" is missing`);

  const body = parseBody(req.body);
  const described = route.op.requestBody;
  const schema = described?.content?.['application/json']?.schema;
  if (body === undefined) {
    if (described?.required) out.push('the request body is required');
  } else if (!described) {
    if (!(typeof body === 'object' && body !== null && Object.keys(body).length === 0)) out.push('the operation takes no request body');
  } else if (schema) {
    out.push(...formatErrors(d.check(schema, body), 'body'));
  }
  return out.map((message) => ({ operation, message }));
}

/**
 * Violations of the stand-in's answer: a 2xx status the operation documents, and a JSON body whose
 * every field has the type, enum and format the schema gives it (no field the schema does not name
 * where it closes the object). The stand-in sends the fields clients read, not every hypermedia URL
 * GitHub adds, so missing required fields are reported only with `{ complete: true }`.
 */
export function validateResponse(ex: HttpExchange, opts: { complete?: boolean } = {}): Violation[] {
  if (ex.status < 200 || ex.status >= 300) return [];
  const d = description();
  const method = ex.method.toUpperCase();
  const url = new URL(ex.url, 'https://api.github.com');
  const m = d.match(method, url.pathname.replace(/^\/api\/v3(?=\/)/, ''));
  if (!m) return [];
  const operation = `${method} ${m.route.template}`;
  const responses = m.route.op.responses ?? {};
  const described = responses[String(ex.status)];
  if (!described)
    return [{ operation, message: `answered HTTP ${ex.status}, which the operation does not document (it documents ${Object.keys(responses).join(', ')})` }];
  const res = d.deref<{ content?: Record<string, { schema?: unknown }> }>(described);
  const schema = res.content?.['application/json']?.schema;
  if (!schema || ex.responseBody === undefined) return [];
  return formatErrors(d.check(schema, ex.responseBody, !opts.complete), `response ${ex.status}`).map((message) => ({ operation, message }));
}
