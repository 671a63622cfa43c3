/**
 * Drift: one deviation repeated across many files (`graph_garden.last_pruned: null` in two thousand
 * patterns, `entities` written as text in hundreds). A repository that drifted from the spec this way
 * has one decision to make (accept the convention, or fix it in bulk), not thousands of findings to
 * read. This groups such findings and says what the decision looks like. Pure; renderers decide how
 * much to show.
 *
 * Group key: rule + the target's shape (list indices and link slugs normalised) + the message's shape
 * (code spans, quoted texts and numbers normalised, except the value of an enum, which is the point).
 */
import type { Finding, Severity } from './finding.js';

/** Files a deviation must span before it is folded into one item. */
export const DRIFT_MIN_FILES = 5;

export interface DriftGroup<F extends Finding = Finding> {
  key: string;
  rule: string;
  severity: Severity;
  /** The target with indices and slugs normalised, e.g. `graph_garden.entities[]:type`. */
  shape: string;
  /** All findings of the group, in input order. */
  findings: F[];
  /** Distinct files. */
  files: number;
  /** Up to three findings from different files. */
  examples: F[];
  /** Findings of the group that carry a fix. */
  fixable: number;
  /** What to do, most direct first: each line a ready change or command. */
  advice: string[];
}

const INDEX = /\[\d+\]/g;
// Pattern slugs are hyphenated lower-case words; as target segments they are values, not structure.
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;

/**
 * Rules whose target names the value that is wrong (a link to a missing pattern): the same missing
 * pattern linked from many files is one decision, different missing patterns are different ones.
 */
const VALUE_RULES = new Set(['links/unknown-target']);

/**
 * A target's structure: `graph_garden.entities[3]:type` -> `graph_garden.entities[]:type`,
 * `requires:some-slug` -> `requires:*`, `section:4:words` -> `section:#:words`.
 */
export function targetShape(target: string, rule = ''): string {
  if (VALUE_RULES.has(rule)) return target.replace(INDEX, '[]');
  return target
    .replace(INDEX, '[]')
    .split(':')
    .map((seg) => (SLUG.test(seg) ? '*' : /^\d+$/.test(seg) ? '#' : seg))
    .join(':');
}

/** A message's structure: code spans, quoted texts and numbers become placeholders. */
export function messageShape(message: string, keepQuoted = false): string {
  let s = message.replace(/`[^`]*`/g, '`…`');
  if (!keepQuoted) s = s.replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
  return s.replace(/\d+(?:\.\d+)?/g, 'N');
}

export function driftKey(f: Pick<Finding, 'rule' | 'target' | 'message'>): string {
  const shape = targetShape(f.target, f.rule);
  if (VALUE_RULES.has(f.rule)) return `${f.rule}\u0000${shape}`;
  return `${f.rule}\u0000${shape}\u0000${messageShape(f.message, shape.endsWith(':enum'))}`;
}

export interface DriftOptions {
  /** Default DRIFT_MIN_FILES. */
  minFiles?: number;
}

/**
 * Splits findings into drift groups (at least `minFiles` files each, largest first) and the rest
 * (input order kept). Every finding lands in exactly one of the two.
 */
export function groupDrift<F extends Finding>(findings: readonly F[], opts: DriftOptions = {}): { groups: DriftGroup<F>[]; rest: F[] } {
  const minFiles = opts.minFiles ?? DRIFT_MIN_FILES;
  const byKey = new Map<string, F[]>();
  const perRule = new Map<string, number>();
  for (const f of findings) {
    const k = driftKey(f);
    const list = byKey.get(k);
    if (list) list.push(f);
    else byKey.set(k, [f]);
    perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
  }
  const groups: DriftGroup<F>[] = [];
  const grouped = new Set<F>();
  for (const [key, list] of byKey) {
    const files = new Set(list.map((f) => f.file));
    if (files.size < minFiles) continue;
    const examples: F[] = [];
    const seen = new Set<string>();
    for (const f of list) {
      if (seen.has(f.file)) continue;
      seen.add(f.file);
      examples.push(f);
      if (examples.length === 3) break;
    }
    const first = list[0] as F;
    const group: DriftGroup<F> = {
      key,
      rule: first.rule,
      severity: first.severity,
      shape: targetShape(first.target, first.rule),
      findings: list,
      files: files.size,
      examples,
      fixable: list.filter((f) => f.fix).length,
      advice: [],
    };
    group.advice = driftAdvice(group, perRule.get(first.rule) ?? list.length);
    groups.push(group);
    for (const f of list) grouped.add(f);
  }
  groups.sort((a, b) => b.files - a.files || b.findings.length - a.findings.length || (a.key < b.key ? -1 : 1));
  return { groups, rest: findings.filter((f) => !grouped.has(f)) };
}

const EXPECTED: Record<string, string> = {
  text: 'string',
  'a number': 'number',
  'a whole number': 'integer',
  'true or false': 'boolean',
  'a list': 'array',
  'a group of keys': 'object',
  empty: 'null',
};

/** The JSON type of a value as the schema messages describe it (src/core/schemas.ts). */
function actualType(described: string): string | undefined {
  if (described.startsWith('nothing')) return 'null';
  if (described.startsWith('a list')) return 'array';
  if (described.startsWith('a group of keys')) return 'object';
  if (described.startsWith('the text')) return 'string';
  if (described.startsWith('number')) return 'number';
  if (described.startsWith('boolean')) return 'boolean';
  return undefined;
}

/** Where a frontmatter key path lives in a JSON Schema: `a.b[]` -> `properties.a.properties.b.items`. */
export function schemaLocation(keyPathShape: string): string {
  const parts: string[] = [];
  for (const seg of keyPathShape.split('.')) {
    const name = seg.replace(/(\[\])+$/, '');
    if (name) parts.push('properties', name);
    for (let i = 0; i < (seg.length - name.length) / 2; i++) parts.push('items');
  }
  return parts.join('.');
}

const SCHEMA_NOTE = 'in your schema (a copy of the bundled one, named under `schemas:` in the config)';

function driftAdvice(g: DriftGroup, ruleTotal: number): string[] {
  const out: string[] = [];
  const sample = g.findings[0] as Finding;
  if (g.fixable === g.findings.length) out.push(`fix all ${g.findings.length} at once: gardener check --fix`);
  if (g.rule === 'schema/invalid') {
    const [path, keyword] = [g.shape.slice(0, g.shape.lastIndexOf(':')), g.shape.slice(g.shape.lastIndexOf(':') + 1)];
    const loc = schemaLocation(path);
    const type = /should be (.+), but it is (.+)\.$/.exec(sample.message);
    const enumValue = /is the text ("(?:[^"\\]|\\.)*"); expected one of: (.+)\.$/.exec(sample.message);
    if (keyword === 'type' && type) {
      const want = (type[1] ?? '').split(' or ').map((w) => EXPECTED[w] ?? w);
      const got = actualType(type[2] ?? '');
      if (got && !want.includes(got)) out.push(`accept it: ${SCHEMA_NOTE}, set ${loc}.type to ${JSON.stringify([...want, got])}`);
    } else if (keyword === 'enum' && enumValue) {
      out.push(`accept it: ${SCHEMA_NOTE}, add ${enumValue[1]} to ${loc}.enum`);
    }
  } else if (g.rule === 'schema/required') {
    const at = g.shape.split('>');
    const loc = at[0] ? `${schemaLocation(at[0])}.required` : 'required';
    out.push(`accept it: ${SCHEMA_NOTE}, remove "${at[1] ?? ''}" from ${loc}`);
  }
  // A rule-wide setting only where the group is the whole rule (otherwise it would hide other problems
  // too), and never for errors: those are broken files, not conventions.
  if (g.findings.length === ruleTotal && g.severity !== 'error')
    out.push(`turn the rule off for this repository: rules: { ${g.rule}: "off" } in .github/pattern-gardener.yml`);
  return out;
}
