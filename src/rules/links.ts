/** Link rules: every reference resolves, is well-formed, typed from the vocabulary and stored both ways. */
import type { ParsedDocument } from '../core/document.js';
import type { Edit, Fix } from '../core/finding.js';
import { deleteNodeFix, yamlScalar } from '../core/fixes.js';
import { INVERSE_TYPE, RECIPROCAL_TYPES, RELATIONSHIP_TYPES, extractLinks, type LinkRef } from '../core/links.js';
import { formatPath, getPath, isRecord, type KeyPath } from '../core/path.js';
import { boundedDistance } from '../core/similar.js';
import type { Problem, Rule, RuleContext } from './rule.js';

/** Replaces `oldValue` (plain or quoted) on one line, at or after a column, keeping everything else. */
export function replaceOnLine(doc: ParsedDocument, line: number, fromColumn: number, oldValue: string, newValue: string, description: string): Fix | undefined {
  if (line < 1 || line > doc.lineCount() || oldValue === '') return undefined;
  const text = doc.line(line);
  for (const form of [oldValue, JSON.stringify(oldValue), `'${oldValue.replace(/'/g, "''")}'`]) {
    let at = text.indexOf(form, Math.max(0, fromColumn - 1));
    while (at >= 0) {
      const before = text[at - 1] ?? ' ';
      const after = text[at + form.length] ?? ' ';
      if (!/[\w-]/.test(before) && !/[\w-]/.test(after)) {
        const replacement = form === oldValue ? newValue : form.startsWith('"') ? JSON.stringify(newValue) : `'${newValue.replace(/'/g, "''")}'`;
        return { description, edits: [{ line, endLine: line, text: `${text.slice(0, at)}${replacement}${text.slice(at + form.length)}\n` }] };
      }
      at = text.indexOf(form, at + 1);
    }
  }
  return undefined;
}

/** Key path of the scalar that holds a link's target inside its entry. */
function targetPath(link: LinkRef): KeyPath | undefined {
  if (!link.path) return undefined;
  if (link.shape === 'slug') return [...link.path, 'slug'];
  if (link.shape === 'target') return [...link.path, 'target'];
  if (link.shape === 'id') return [...link.path, 'id'];
  return link.path;
}

function linkWhere(link: LinkRef): string {
  if (link.source === 'wikilink') return 'the wikilink';
  if (link.source === 'related') return '`related`';
  if (link.source === 'inferred') return '`graph_garden.inferred_links`';
  return link.source === 'legacy' ? `\`${link.type}\`` : `\`relationships.${link.type}\``;
}

function locateLink(doc: ParsedDocument, link: LinkRef): { line: number; column: number } {
  if (link.line) return { line: link.line, column: link.column ?? 1 };
  const p = targetPath(link);
  const loc = p ? doc.locate(p) : doc.locate([]);
  return { line: loc.line, column: loc.column };
}

function linksOf(doc: ParsedDocument, ctx: RuleContext): LinkRef[] {
  return ctx.corpus.entries.get(doc.file)?.links ?? extractLinks(doc);
}

const VOCABULARY = new Set<string>([...RELATIONSHIP_TYPES, 'related']);
const TYPE_VARIANTS: Record<string, string> = {
  enable: 'enables',
  enabler: 'enables',
  enabled_by: 'requires',
  enabling: 'enables',
  require: 'requires',
  required: 'requires',
  requirement: 'requires',
  depends_on: 'requires',
  dependency: 'requires',
  specializes: 'specializes_to',
  specialises: 'specializes_to',
  specialises_to: 'specializes_to',
  specialization: 'specializes_to',
  specialization_of: 'generalizes_from',
  generalizes: 'generalizes_from',
  generalises: 'generalizes_from',
  generalises_from: 'generalizes_from',
  generalization: 'generalizes_from',
  complements: 'complementary',
  complement: 'complementary',
  complementary_to: 'complementary',
  alternative: 'alternatives',
  alternative_to: 'alternatives',
  tool: 'tools',
  uses_tool: 'tools',
};

export function normaliseType(t: string): string | undefined {
  const k = t.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (VOCABULARY.has(k)) return k;
  const variant = TYPE_VARIANTS[k];
  if (variant) return variant;
  // A misspelling of one term (`complemntary`), when exactly one term is that close.
  if (k.length < 5 || k.length > 40) return undefined;
  const close = [...VOCABULARY, ...Object.keys(TYPE_VARIANTS)].filter((v) => boundedDistance(k, v, 2) <= 2);
  const targets = new Set(close.map((v) => (VOCABULARY.has(v) ? v : (TYPE_VARIANTS[v] as string))));
  return targets.size === 1 ? [...targets][0] : undefined;
}

export const linkRules: Rule[] = [
  {
    id: 'links/unknown-target',
    defaultSeverity: 'error',
    kinds: ['commons-pattern', 'commons-pattern-legacy', 'obsidian-note'],
    description: 'A relationship, inferred link, note `related` entry or [[wikilink]] points at a pattern or note that does not exist.',
    fix: 'Replaces the target with the one existing name that is clearly closest (did you mean); lists candidates when it is ambiguous.',
    check(doc, ctx, report) {
      for (const link of linksOf(doc, ctx)) {
        if (!link.target) continue;
        const isNote = link.source === 'wikilink' || link.source === 'related';
        const resolved = isNote ? ctx.corpus.resolveNote(link.target) : ctx.corpus.resolvePattern(link.target);
        if (resolved) continue;
        const target = `${link.source}:${link.type}:${link.target}`;
        if (ctx.wants && !ctx.wants('links/unknown-target', target)) continue; // spares the did-you-mean search
        if (!isNote && /^[a-z]{2,10}_[0-9a-z]{16,32}$/.test(link.target)) {
          report({ target, ...locateLink(doc, link), message: `${linkWhere(link)} refers to the id \`${link.target}\`, which no pattern has.` });
          continue;
        }
        const suggestion = isNote ? ctx.corpus.noteMatcher.suggest(link.target) : ctx.corpus.slugMatcher.suggest(link.target);
        const where = locateLink(doc, link);
        let fix: Fix | undefined;
        let message = `${linkWhere(link)} points at \`${link.target.slice(0, 120)}\`, which does not exist in this repository.`;
        if (suggestion.best) {
          message += ` Did you mean \`${suggestion.best}\`?`;
          fix = replaceOnLine(doc, where.line, where.column, link.target, suggestion.best, `Replace \`${link.target}\` with \`${suggestion.best}\``);
        } else if (suggestion.candidates.length > 0) {
          message += ` Close matches: ${suggestion.candidates.map((c) => `\`${c}\``).join(', ')}.`;
        }
        const problem: Problem = { target, ...where, message, fix, candidates: suggestion.candidates };
        // Dangling machine-written links and legacy files are less urgent than the human-curated graph.
        if (link.source === 'inferred' || link.source === 'legacy') problem.severity = 'warning';
        report(problem);
      }
    },
  },
  {
    id: 'links/self',
    defaultSeverity: 'warning',
    kinds: ['commons-pattern', 'commons-pattern-legacy'],
    description: 'A pattern links to itself.',
    fix: 'Deletes the entry.',
    check(doc, ctx, report) {
      for (const link of linksOf(doc, ctx)) {
        if (!link.target || !link.path) continue;
        if (ctx.corpus.resolvePattern(link.target) !== doc.slug && link.target !== doc.slug) continue;
        report({
          target: `${link.source}:${link.type}`,
          path: link.path,
          message: `${linkWhere(link)} links this pattern to itself.`,
          fix: deleteNodeFix(doc, link.path, 'Remove the self-link'),
        });
      }
    },
  },
  {
    id: 'links/duplicate',
    defaultSeverity: 'warning',
    kinds: ['commons-pattern', 'commons-pattern-legacy'],
    description: 'The same target is listed twice in one relationship list or in inferred_links.',
    fix: 'Deletes the repeated entry.',
    check(doc, ctx, report) {
      // Inferred links that repeat a hard relationship are pruned by the link gardener's proposal instead.
      const seen = new Map<string, LinkRef>();
      for (const link of linksOf(doc, ctx)) {
        if (!link.target || !link.path) continue;
        const resolved = ctx.corpus.resolvePattern(link.target) ?? link.target;
        const key = `${link.source}|${link.type}|${resolved}`;
        const first = seen.get(key);
        if (first) {
          report({
            target: `${link.source}:${link.type}:${resolved}`,
            path: link.path,
            message: `\`${resolved}\` is listed twice in ${linkWhere(link)} (first at \`${formatPath(first.path ?? [])}\`).`,
            fix: deleteNodeFix(doc, link.path, `Remove the repeated \`${resolved}\``),
          });
        } else seen.set(key, link);
      }
    },
  },
  {
    id: 'links/entry-shape',
    defaultSeverity: 'warning',
    kinds: ['commons-pattern'],
    description: 'A relationship entry is not `{slug, weight}` or an inferred link is not `{target, type, confidence, reason}`.',
    fix: 'Rewrites the entry in the spec shape, keeping its values.',
    check(doc, ctx, report) {
      for (const link of linksOf(doc, ctx)) {
        if (!link.path) continue;
        const want = link.source === 'inferred' ? 'target' : 'slug';
        if (link.source !== 'relationships' && link.source !== 'inferred') continue;
        if (link.shape === want) continue;
        const entry = getPath(doc.frontmatter?.data, link.path);
        let target = link.target;
        if (link.shape === 'id' && /^[a-z]{2,10}_/.test(target)) target = ctx.corpus.resolvePattern(target) ?? '';
        const fix = target ? rewriteEntryFix(doc, link.path, entry, want, target) : undefined;
        const found = link.shape === 'string' ? 'a bare name' : link.shape === 'other' ? 'an entry without a target' : `an entry keyed by \`${link.shape}\``;
        report({
          target: `${link.source}:${link.type}:${link.target || formatPath(link.path)}`,
          path: link.path,
          message:
            link.source === 'inferred'
              ? `Inferred links are written as \`{target, type, confidence, reason}\`; this is ${found}.`
              : `Relationship entries are written as \`{slug, weight}\`; this is ${found}.`,
          fix,
        });
      }
    },
  },
  {
    id: 'links/inferred-type',
    defaultSeverity: 'warning',
    kinds: ['commons-pattern'],
    description: "An inferred link's `type` is not in the relationship vocabulary.",
    fix: 'Replaces an obvious variant (`enabler`, `specializes`, `complements`, …) with the vocabulary term.',
    check(doc, ctx, report) {
      for (const link of linksOf(doc, ctx)) {
        if (link.source !== 'inferred' || !link.path) continue;
        const entry = getPath(doc.frontmatter?.data, link.path);
        if (!isRecord(entry)) continue;
        const t = entry.type;
        if (typeof t === 'string' && VOCABULARY.has(t)) continue;
        const canonical = typeof t === 'string' ? normaliseType(t) : undefined;
        const loc = doc.find([...link.path, 'type']);
        const fix = canonical && loc && typeof t === 'string' ? replaceOnLine(doc, loc.line, loc.column, t, canonical, `Use \`${canonical}\``) : undefined;
        report({
          target: `inferred:${link.target}:type`,
          path: loc ? [...link.path, 'type'] : link.path,
          message:
            typeof t === 'string'
              ? `The inferred link type \`${t.slice(0, 60)}\` is not in the vocabulary (${[...VOCABULARY].join(', ')}).${canonical ? ` Did you mean \`${canonical}\`?` : ''}`
              : `The inferred link to \`${link.target}\` has no type; use one of ${[...VOCABULARY].join(', ')}.`,
          fix,
        });
      }
    },
  },
  {
    id: 'links/reciprocal',
    defaultSeverity: 'warning',
    kinds: ['commons-pattern'],
    description: 'Another pattern declares generalizes_from/specializes_to or enables/requires towards this one, but this one lacks the inverse (ADR-0005 stores them both ways).',
    fix: 'Adds the inverse entry to this pattern.',
    check(doc, ctx, report) {
      const data = doc.frontmatter?.data;
      if (!data) return;
      // What this pattern lists, by type (slugs resolved): built only once another pattern asks for an
      // inverse, and grown with every inverse reported so each is reported once. Sets of the slug strings
      // themselves: no "type|slug" key string to build and hash per link.
      let listed: Map<string, Set<string>> | undefined;
      for (const inbound of ctx.corpus.inbound(doc.slug)) {
        const { link } = inbound;
        if (inbound.file === doc.file || link.source !== 'relationships' || !RECIPROCAL_TYPES.has(link.type)) continue;
        const inverse = INVERSE_TYPE[link.type] as string;
        listed ??= listedByType(doc, ctx);
        let slugs = listed.get(inverse);
        if (!slugs) listed.set(inverse, (slugs = new Set()));
        if (slugs.has(inbound.slug)) continue;
        slugs.add(inbound.slug);
        const target = `${inverse}:${inbound.slug}`;
        // A pull request asks a hub pattern about one counterpart only: skip the others' messages and fixes.
        if (ctx.wants && !ctx.wants('links/reciprocal', target)) continue;
        report({
          target,
          path: ['relationships', inverse],
          message: `\`${inbound.file}\` says it ${link.type.replace(/_/g, ' ')} \`${doc.slug}\`, but this pattern does not list \`${inbound.slug}\` under \`relationships.${inverse}\`.`,
          fix: appendEntryFix(doc, ['relationships', inverse], inbound.slug, undefined, `Add \`${inbound.slug}\` to relationships.${inverse}`),
        });
      }
    },
  },
];

/** The relationship targets a pattern lists, by relationship type, resolved to slugs where they resolve. */
function listedByType(doc: ParsedDocument, ctx: RuleContext): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const link of linksOf(doc, ctx)) {
    if (link.source !== 'relationships') continue;
    let slugs = out.get(link.type);
    if (!slugs) out.set(link.type, (slugs = new Set()));
    slugs.add(ctx.corpus.resolvePattern(link.target) ?? link.target);
  }
  return out;
}

/** Rewrites one list entry (all its lines) as a block mapping in the wanted shape. */
function rewriteEntryFix(doc: ParsedDocument, path: KeyPath, entry: unknown, key: 'slug' | 'target', target: string): Fix | undefined {
  const loc = doc.find(path);
  if (!loc) return undefined;
  const first = doc.line(loc.line);
  const dash = /^(\s*)-\s/.exec(first);
  if (!dash) return undefined; // flow sequences share lines with other items
  const indent = dash[1] as string;
  const fields: [string, unknown][] = [[key, target]];
  if (isRecord(entry)) {
    for (const [k, v] of Object.entries(entry)) {
      if (k === 'slug' || k === 'id' || k === 'target' || v === undefined) continue;
      if (v !== null && typeof v === 'object') return undefined; // nested values: leave to a human
      fields.push([k, v]);
    }
  }
  const body = fields.map(([k, v], i) => `${i === 0 ? `${indent}- ` : `${indent}  `}${k}: ${yamlScalar(v)}`).join('\n');
  return { description: `Rewrite as \`{${fields.map(([k]) => k).join(', ')}}\``, edits: [{ line: loc.line, endLine: loc.endLine, text: `${body}\n` }] };
}

/** Adds `- slug: x` to a relationship list, whether it is written `key: []` or as a block list. */
function appendEntryFix(doc: ParsedDocument, listPath: KeyPath, slug: string, weight: number | undefined, description: string): Fix | undefined {
  const sm = { get: (p: KeyPath) => doc.find(p) };
  const loc = sm.get(listPath);
  if (!loc) return addListFix(doc, listPath, slug, weight, description);
  const keyLine = doc.line(loc.line);
  const keyIndent = (/^(\s*)/.exec(keyLine)?.[1] ?? '') as string;
  const value = getPath(doc.frontmatter?.data, listPath);
  const entry = (indent: string) => `${indent}- slug: ${yamlScalar(slug)}${weight !== undefined ? `\n${indent}  weight: ${weight}` : ''}`;
  let edit: Edit | undefined;
  if (Array.isArray(value) && value.length === 0 && /:\s*\[\s*\]\s*(#.*)?$/.test(keyLine) && loc.endLine === loc.line) {
    const keyPart = keyLine.replace(/\[\s*\]\s*(#.*)?$/, '').trimEnd();
    edit = { line: loc.line, endLine: loc.line, text: `${keyPart}\n${entry(`${keyIndent}  `)}\n` };
  } else if (Array.isArray(value) && value.length > 0) {
    const last = sm.get([...listPath, value.length - 1]);
    const lastLine = last ? doc.line(last.line) : '';
    const dash = /^(\s*)-\s/.exec(lastLine);
    if (!last || !dash) return undefined;
    const endText = doc.line(last.endLine);
    edit = { line: last.endLine, endLine: last.endLine, text: `${endText}\n${entry(dash[1] as string)}\n` };
  } else if (value === null || value === undefined) {
    return undefined;
  }
  return edit ? { description, edits: [edit] } : undefined;
}

/** The list key does not exist yet: add `key:` with the entry at the end of its parent mapping. */
function addListFix(doc: ParsedDocument, listPath: KeyPath, slug: string, weight: number | undefined, description: string): Fix | undefined {
  const parentPath = listPath.slice(0, -1);
  const key = listPath[listPath.length - 1];
  const parent = getPath(doc.frontmatter?.data, parentPath);
  if (typeof key !== 'string' || !isRecord(parent)) return undefined;
  const sm = { get: (p: KeyPath) => doc.find(p) };
  const parentLoc = sm.get(parentPath);
  if (!parentLoc || parentLoc.endLine === parentLoc.line) return undefined; // `relationships: {}` or flow style
  const sibling = Object.keys(parent)[0];
  const siblingLoc = sibling !== undefined ? sm.get([...parentPath, sibling]) : undefined;
  if (!siblingLoc) return undefined;
  const indent = ' '.repeat(siblingLoc.column - 1);
  const lastText = doc.line(parentLoc.endLine);
  const entry = `${indent}  - slug: ${yamlScalar(slug)}${weight !== undefined ? `\n${indent}    weight: ${weight}` : ''}`;
  return { description, edits: [{ line: parentLoc.endLine, endLine: parentLoc.endLine, text: `${lastText}\n${indent}${key}:\n${entry}\n` }] };
}
