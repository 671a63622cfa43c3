/**
 * The README's rules and configuration references, generated from the rule registry and the
 * config schema so that they cannot drift (a test compares the README with this output;
 * `npm run docs` rewrites it).
 */
import { EXTRA_RULE_DOCS, RULES } from '../rules/index.js';
import { loadBundledSchema } from '../core/schemas.js';
import { ruleAnchor } from '../core/project.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderRulesReference(): string {
  const rows = [...RULES, ...EXTRA_RULE_DOCS].map(
    (r) => `| <a id="${ruleAnchor(r.id)}"></a>\`${r.id}\` | ${r.defaultSeverity} | ${cell(r.description)} | ${r.fix ? cell(r.fix) : '—'} |`,
  );
  return ['| rule | default severity | what triggers it | fix |', '|---|---|---|---|', ...rows].join('\n');
}

interface SchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  examples?: unknown[];
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: boolean | SchemaNode;
  minimum?: number;
  maximum?: number;
}

function typeOf(n: SchemaNode): string {
  if (n.enum) return n.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  const t = Array.isArray(n.type) ? n.type.join(' \\| ') : (n.type ?? 'any');
  if (t === 'array' && n.items?.type) return `list of ${String(n.items.type)}`;
  if (t === 'object' && n.additionalProperties && typeof n.additionalProperties === 'object' && !n.properties)
    return `map of ${typeOf(n.additionalProperties)}`;
  const range = n.minimum !== undefined || n.maximum !== undefined ? ` (${n.minimum ?? ''}–${n.maximum ?? ''})` : '';
  return t + range;
}

const show = (v: unknown) => (v === undefined ? '—' : `\`${JSON.stringify(v)}\``);

export function renderConfigReference(): string {
  const schema = loadBundledSchema('config') as SchemaNode;
  const rows: string[] = [];
  const walk = (props: Record<string, SchemaNode>, prefix: string) => {
    for (const [key, node] of Object.entries(props)) {
      const path = prefix ? `${prefix}.${key}` : key;
      rows.push(
        `| \`${path}\` | ${typeOf(node)} | ${show(node.default)} | ${cell(node.description ?? '')} | ${node.examples ? show(node.examples[0]) : '—'} |`,
      );
      if (node.properties && node.type === 'object' && prefix === '' && !['kinds', 'schemas', 'rulesByKind', 'sectionsByKind'].includes(key))
        walk(node.properties, path);
    }
  };
  walk(schema.properties ?? {}, '');
  return ['| key | type | default | meaning | example |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceBlock(doc: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README has no ${start} … ${end} block`);
  return `${doc.slice(0, a + start.length)}\n${content}\n${doc.slice(b)}`;
}

export function renderReadme(readme: string): string {
  return replaceBlock(replaceBlock(readme, 'rules-reference', renderRulesReference()), 'config-reference', renderConfigReference());
}
