/**
 * Checks GraphQL documents (and the stand-in's answers) against GitHub's GraphQL schema
 * (@octokit/graphql-schema). The introspection JSON, without descriptions, is cached under
 * node_modules/.cache and the schema built once per test worker, on the first GraphQL request.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildClientSchema,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type IntrospectionQuery,
  type SelectionSetNode,
} from 'graphql';
import type { Violation } from './openapi.js';

const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

const OPERATION = 'POST /graphql';

let schemaMemo: GraphQLSchema | undefined;
export function githubSchema(): GraphQLSchema {
  if (schemaMemo) return schemaMemo;
  const pkg = join(NODE_MODULES, '@octokit/graphql-schema/package.json');
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  const file = join(NODE_MODULES, '.cache', 'pattern-gardener-conformance', `graphql-schema-${version}-v1.json`);
  let introspection: IntrospectionQuery | undefined;
  try {
    introspection = JSON.parse(readFileSync(file, 'utf8')) as IntrospectionQuery;
  } catch {
    const full = readFileSync(join(dirname(pkg), 'schema.json'), 'utf8');
    const slim = JSON.stringify(JSON.parse(full), (k, v: unknown) => (k === 'description' ? undefined : v));
    introspection = JSON.parse(slim) as IntrospectionQuery;
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, slim);
      renameSync(tmp, file);
    } catch {
      // a read-only node_modules only costs the next worker the slimming
    }
  }
  return (schemaMemo = buildClientSchema(introspection, { assumeValid: true }));
}

function parsed(req: GraphqlRequest): { doc: DocumentNode } | { violations: Violation[] } {
  try {
    return { doc: parse(req.query) };
  } catch (e) {
    return { violations: [{ operation: OPERATION, message: `the document does not parse: ${(e as Error).message}` }] };
  }
}

/** Violations of one GraphQL request: the document against the schema, the variables against their definitions. */
export function validateGraphqlRequest(req: GraphqlRequest): Violation[] {
  if (typeof req.query !== 'string') return [{ operation: OPERATION, message: 'the body has no query string' }];
  const p = parsed(req);
  if ('violations' in p) return p.violations;
  const schema = githubSchema();
  const errors = validate(schema, p.doc);
  if (errors.length > 0) return errors.map((e) => ({ operation: OPERATION, message: e.message }));
  const op = getOperationAST(p.doc, req.operationName);
  if (!op) return [{ operation: OPERATION, message: 'no single operation to run (operationName?)' }];
  const vars = getVariableValues(schema, op.variableDefinitions ?? [], req.variables ?? {});
  const out: Violation[] = (vars.errors ?? []).map((e) => ({ operation: OPERATION, message: e.message }));
  const declared = new Set((op.variableDefinitions ?? []).map((d) => d.variable.name.value));
  for (const k of Object.keys(req.variables ?? {}))
    if (!declared.has(k)) out.push({ operation: OPERATION, message: `variable "${k}" is sent but the document does not declare it` });
  return out;
}

interface Expected {
  field: GraphQLField<unknown, unknown> | '__typename';
  selections: SelectionSetNode[];
  /** False when it comes from a fragment whose type condition could not be decided. */
  definite: boolean;
}

/**
 * Violations of an answer to `req`: every key of `data` objects is a selected response key, every
 * selected field is there (unless its fragment's type is undecidable), values have the field's type
 * (non-null, lists, scalars, enums).
 */
export function validateGraphqlAnswer(req: GraphqlRequest, answer: unknown): Violation[] {
  const p = parsed(req);
  if ('violations' in p) return [];
  const schema = githubSchema();
  if (validate(schema, p.doc).length > 0) return []; // reported as a request violation
  const op = getOperationAST(p.doc, req.operationName);
  const data = (answer as { data?: unknown } | null)?.data;
  if (!op || data === null || data === undefined) return [];
  const root = op.operation === 'mutation' ? schema.getMutationType() : op.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of p.doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const out: string[] = [];

  const collect = (
    parent: GraphQLCompositeType,
    runtime: GraphQLCompositeType | undefined,
    sets: SelectionSetNode[],
    expected: Map<string, Expected>,
    definite: boolean,
  ): void => {
    for (const set of sets) {
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          const key = s.alias?.value ?? s.name.value;
          const name = s.name.value;
          const fields = 'getFields' in parent ? parent.getFields() : {};
          const field = name === '__typename' ? '__typename' : fields[name];
          if (!field) continue;
          const prev = expected.get(key);
          const subs = s.selectionSet ? [s.selectionSet] : [];
          if (prev) {
            prev.selections.push(...subs);
            prev.definite ||= definite;
          } else expected.set(key, { field, selections: subs, definite });
          continue;
        }
        const cond = s.kind === Kind.INLINE_FRAGMENT ? s.typeCondition : fragments.get(s.name.value)?.typeCondition;
        const selectionSet = s.kind === Kind.INLINE_FRAGMENT ? s.selectionSet : fragments.get(s.name.value)?.selectionSet;
        if (!selectionSet) continue;
        const condType = cond ? (schema.getType(cond.name.value) as GraphQLCompositeType | undefined) : parent;
        if (!condType) continue;
        let applies: boolean | undefined;
        if (!cond || condType === runtime) applies = true;
        else if (runtime && isObjectType(runtime)) applies = isAbstractType(condType) ? schema.isSubType(condType, runtime) : condType === runtime;
        if (applies === false) continue;
        collect(condType, runtime, [selectionSet], expected, definite && applies === true);
      }
    }
  };

  const checkObject = (type: GraphQLCompositeType, value: Record<string, unknown>, sets: SelectionSetNode[], path: string): void => {
    const typename = typeof value.__typename === 'string' ? schema.getType(value.__typename) : undefined;
    const runtime = (typename as GraphQLCompositeType | undefined) ?? (isObjectType(type) ? type : undefined);
    const expected = new Map<string, Expected>();
    collect(type, runtime, sets, expected, true);
    for (const key of Object.keys(value)) if (!expected.has(key)) out.push(`${path}.${key} was not selected`);
    for (const [key, e] of expected) {
      if (!(key in value)) {
        if (e.definite) out.push(`${path}.${key} was selected but not answered`);
        continue;
      }
      if (e.field === '__typename') {
        if (typeof value[key] !== 'string') out.push(`${path}.${key} is not a type name`);
        continue;
      }
      checkValue(e.field.type, value[key], e.selections, `${path}.${key}`);
    }
  };

  const checkValue = (type: GraphQLOutputType, value: unknown, sets: SelectionSetNode[], path: string): void => {
    if (value === null || value === undefined) {
      if (isNonNullType(type)) out.push(`${path} is null but ${String(type)} is non-null`);
      return;
    }
    const t = getNullableType(type);
    if (isListType(t)) {
      if (!Array.isArray(value)) out.push(`${path} is not a list (${String(t)})`);
      else value.forEach((v, i) => checkValue(t.ofType as GraphQLOutputType, v, sets, `${path}[${i}]`));
      return;
    }
    const named = getNamedType(t);
    if (isEnumType(named)) {
      if (!named.getValues().some((v) => v.name === value)) out.push(`${path} is ${JSON.stringify(value)}, not a value of ${named.name}`);
      return;
    }
    if (isScalarType(named)) {
      const ok =
        named.name === 'Int'
          ? Number.isInteger(value)
          : named.name === 'Float'
            ? typeof value === 'number'
            : named.name === 'Boolean'
              ? typeof value === 'boolean'
              : named.name === 'ID'
                ? typeof value === 'string' || Number.isInteger(value)
                : typeof value === 'string';
      if (!ok) out.push(`${path} is ${JSON.stringify(value)}, not a ${named.name}`);
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push(`${path} is not an object (${named.name})`);
      return;
    }
    checkObject(named as GraphQLCompositeType, value as Record<string, unknown>, sets, path);
  };

  if (typeof data !== 'object' || Array.isArray(data)) return [{ operation: OPERATION, message: 'data is not an object' }];
  checkObject(root, data as Record<string, unknown>, [op.selectionSet], 'data');
  return out.map((message) => ({ operation: OPERATION, message }));
}
