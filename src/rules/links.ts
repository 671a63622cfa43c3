/** Link rules: every reference resolves, is well-formed, typed from the vocabulary and stored both ways. */
import type { ParsedDocument } from '../core/document.js';
import type { Edit, Fix } from '../core/finding.js';
import { deleteNodeFix, yamlScalar } from '../core/fixes.js';
import type { InboundLink } from '../core/corpus.js';
import { INVERSE_TYPE, RECIPROCAL_TYPES, RELATIONSHIP_TYPES, extractLinks, isNoteLink, looksLikeTypeId, type LinkRef } from '../core/links.js';
import { hasAnchor, headingKey, isTemplateNote } from '../core/obsidian.js';
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
  if (link.source === 'wikilink') return link.embed ? 'the embed' : 'the wikilink';
  if (link.source === 'markdown') return link.embed ? 'the embedded Markdown link' : 'the Markdown link';
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

/** "They … this pattern": the relationship types as verbs after a plural subject. */
const PLURAL_VERB: Record<string, string> = { generalizes_from: 'generalize from', specializes_to: 'specialize to', enables: 'enable', requires: 'require' };

/** Missing inverses of one type beyond which the other side's links are the likelier mistake. */
const HUB_LIMIT = 10;

const VOCABULARY = new Set<string>([...RELATIONSHIP_TYPES, 'related']);
/** Variants that name the relation but not its direction ("enabler" of whom?): no fix, both readings offered. */
const AMBIGUOUS_TYPES: Record<string, string[]> = {
  enabler: ['enables', 'requires'],
  enablers: ['enables', 'requires'],
  enablement: ['enables', 'requires'],
  enabling: ['enables', 'requires'],
};
const TYPE_VARIANTS: Record<string, string> = {
  enable: 'enables',
  enabler: 'enables',
  enabled_by: 'requires',
  enabling: 'enables',
  enablement: 'enables',
  enablers: 'enables',
  prerequisite: 'requires',
  prerequisite_for: 'enables',
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
  const k = t
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
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
    fix: 'Replaces the target with the one existing name that is clearly closest (a typo, or the one name it shortens or extends by whole words); lists candidates when it is ambiguous.',
    check(doc, ctx, report) {
      // A template's links name notes of whoever applies it; the notes made from it answer for them.
      // The corpus entry already says so; a document outside the corpus is asked directly.
      const entry = ctx.corpus.entries.get(doc.file);
      const template =
        doc.kind === 'obsidian-note' &&
        (entry ? entry.template === true : !doc.headOnly && isTemplateNote(doc.file, doc.frontmatter?.yaml, doc.lines().slice(doc.bodyLine - 1), doc.bodyLine));
      for (const link of linksOf(doc, ctx)) {
        if (!link.target) continue;
        const isNote = isNoteLink(link);
        const resolved = isNote ? ctx.corpus.resolveNote(link.target, doc.file) : ctx.corpus.resolvePattern(link.target);
        if (resolved || (template && isNote)) continue;
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
    id: 'links/unknown-heading',
    defaultSeverity: 'warning',
    kinds: ['obsidian-note'],
    description: 'A note link names a heading (`[[Note#Heading]]`, `[[#Heading]]`) or a block (`[[Note#^id]]`) that the note it points at does not have.',
    fix: 'Replaces the heading with the one heading of that note that is clearly closest; lists close headings otherwise.',
    check(doc, ctx, report) {
      for (const link of linksOf(doc, ctx)) {
        if (link.subpath === undefined || !isNoteLink(link)) continue;
        const file = link.target === '' ? doc.file : ctx.corpus.resolveNote(link.target, doc.file);
        const anchors = file ? ctx.corpus.entries.get(file)?.anchors : undefined;
        if (!anchors || hasAnchor(anchors, link.subpath)) continue;
        const target = `${link.source}:${link.target}#${link.subpath}`;
        if (ctx.wants && !ctx.wants('links/unknown-heading', target)) continue;
        const where = locateLink(doc, link);
        const note = link.target === '' ? 'this note' : `\`${file}\``;
        const isBlock = link.subpath.startsWith('^');
        const wanted = isBlock ? link.subpath : (link.subpath.split('#').pop() as string);
        const pool = isBlock ? anchors.blocks.map((b) => `^${b}`) : anchors.headings;
        const close = closestAnchors(wanted, pool);
        let message = `${linkWhere(link)} points at ${isBlock ? 'the block' : 'the heading'} \`${link.subpath.slice(0, 120)}\` in ${note}, which has no such ${isBlock ? 'block id' : 'heading'}.`;
        let fix: Fix | undefined;
        if (close.length === 1) {
          const best = close[0] as string;
          message += ` Did you mean \`${best}\`?`;
          if (!isBlock && !link.subpath.includes('#') && !/[#|[\]^]/.test(best)) {
            const text = doc.line(where.line);
            const at = text.indexOf(`#${link.subpath}`, Math.max(0, where.column - 1));
            if (at >= 0)
              fix = {
                description: `Link to the heading \`${best}\``,
                edits: [{ line: where.line, endLine: where.line, text: `${text.slice(0, at + 1)}${best}${text.slice(at + 1 + link.subpath.length)}\n` }],
              };
          }
        } else if (close.length > 1) message += ` Close ${isBlock ? 'blocks' : 'headings'}: ${close.map((c) => `\`${c}\``).join(', ')}.`;
        else if (!isBlock && pool.length > 0)
          message += ` Its headings: ${pool
            .slice(0, 5)
            .map((c) => `\`${c.slice(0, 60)}\``)
            .join(', ')}${pool.length > 5 ? ', …' : ''}.`;
        report({ target, ...where, message, fix, candidates: close.length > 1 ? close : undefined });
      }
    },
  },
  {
    id: 'links/self',
    defaultSeverity: 'warning',
    kinds: ['commons-pattern', 'commons-pattern-legacy'],
    description: 'A pattern links to itself.',
    fix: 'Deletes an inferred self-link; a curated relationship is left to its author.',
    check(doc, ctx, report) {
      for (const link of linksOf(doc, ctx)) {
        if (!link.target || !link.path) continue;
        if (ctx.corpus.resolvePattern(link.target) !== doc.slug && link.target !== doc.slug) continue;
        report({
          target: `${link.source}:${link.type}`,
          path: link.path,
          message: `${linkWhere(link)} links this pattern to itself.`,
          // A curated relationship may name the pattern meant in its own words: only a person can repair it.
          fix: link.source === 'inferred' ? deleteNodeFix(doc, link.path, 'Remove the self-link') : undefined,
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
    description:
      'Entries of a relationship list are not `{slug, weight}`, or inferred links are not `{target, type, confidence, reason}` (bare names, `id:` or the other key): one finding per list. Entries of `tools` without a slug or id (external software) are left alone.',
    fix: 'Renames the key (`id:` → `slug:`) or turns a bare name into `slug: name`, on the same lines, keeping every other value as written.',
    check(doc, ctx, report) {
      const byList = new Map<string, { first: LinkRef; entries: LinkRef[] }>();
      for (const link of linksOf(doc, ctx)) {
        if (!link.path || (link.source !== 'relationships' && link.source !== 'inferred')) continue;
        if (link.shape === (link.source === 'inferred' ? 'target' : 'slug')) continue;
        // `tools` may list software outside the library (`{name: Git, role: …}`): no pattern to point at.
        if (link.source === 'relationships' && link.type === 'tools' && link.shape === 'other') continue;
        const key = `${link.source}:${link.type}`;
        const list = byList.get(key);
        if (list) list.entries.push(link);
        else byList.set(key, { first: link, entries: [link] });
      }
      for (const [key, { first, entries }] of byList) {
        const want = first.source === 'inferred' ? 'target' : 'slug';
        const edits: Edit[] = [];
        for (const link of entries) {
          let target = link.target;
          if (link.shape === 'id' && looksLikeTypeId(target)) target = ctx.corpus.resolvePattern(target) ?? '';
          const edit = target ? entryKeyEdit(doc, link, want, target) : undefined;
          if (edit) edits.push(edit);
        }
        const byShape = new Map<string, number>();
        for (const l of entries) byShape.set(l.shape, (byShape.get(l.shape) ?? 0) + 1);
        const parts = [...byShape].map(([shape, n]) => {
          const [one, many] =
            shape === 'string'
              ? ['a bare name', 'bare names']
              : shape === 'other'
                ? ['an entry without a target', 'entries without a target']
                : [`an entry keyed by \`${shape}\``, `entries keyed by \`${shape}\``];
          return n === 1 ? one : `${n} ${many}`;
        });
        const where = first.source === 'inferred' ? '`graph_garden.inferred_links`' : `\`relationships.${first.type}\``;
        const count = `has ${listWords(parts)}`;
        report({
          target: key,
          path: first.path,
          message: `${where} ${count}; ${first.source === 'inferred' ? 'inferred links are written as `{target, type, confidence, reason}`' : 'relationship entries are written as `{slug, weight}`'}.`,
          fix:
            edits.length > 0
              ? { description: `Write ${edits.length === 1 ? 'the entry' : `the ${edits.length} entries`} with \`${want}:\``, edits }
              : undefined,
        });
      }
    },
  },
  {
    id: 'links/inferred-type',
    defaultSeverity: 'warning',
    kinds: ['commons-pattern'],
    description: 'Inferred links without a `type` (one finding per file), or with a `type` outside the relationship vocabulary.',
    fix: 'Replaces an obvious variant (`specializes`, `complements`, `depends_on`, …) with the vocabulary term; a variant without a direction (`enabler`) gets both readings and no fix.',
    check(doc, ctx, report) {
      const untyped: LinkRef[] = [];
      let inferredCount = 0;
      for (const link of linksOf(doc, ctx)) {
        if (link.source !== 'inferred' || !link.path) continue;
        inferredCount++;
        const entry = getPath(doc.frontmatter?.data, link.path);
        if (!isRecord(entry)) continue;
        const t = entry.type;
        if (typeof t === 'string' && VOCABULARY.has(t)) continue;
        if (typeof t !== 'string' || t.trim() === '') {
          untyped.push(link);
          continue;
        }
        const loc = doc.find([...link.path, 'type']);
        const readings = AMBIGUOUS_TYPES[t.trim().toLowerCase()];
        if (readings) {
          report({
            target: `inferred:${link.target}:type`,
            path: loc ? [...link.path, 'type'] : link.path,
            message: `The inferred link type \`${t.slice(0, 60)}\` does not say which way the link goes: \`enables\` if this pattern enables \`${link.target}\`, \`requires\` if \`${link.target}\` enables this one.`,
            candidates: readings,
          });
          continue;
        }
        const canonical = normaliseType(t);
        const fix = canonical && loc ? replaceOnLine(doc, loc.line, loc.column, t, canonical, `Use \`${canonical}\``) : undefined;
        report({
          target: `inferred:${link.target}:type`,
          path: loc ? [...link.path, 'type'] : link.path,
          message: `The inferred link type \`${t.slice(0, 60)}\` is not in the vocabulary (${[...VOCABULARY].join(', ')}).${canonical ? ` Did you mean \`${canonical}\`?` : ''}`,
          fix,
        });
      }
      const first = untyped[0];
      if (!first) return;
      const which =
        untyped.length === 1
          ? `The inferred link to \`${first.target}\` has`
          : untyped.length === inferredCount
            ? `All ${untyped.length} inferred links have`
            : `${untyped.length} of the ${inferredCount} inferred links have`;
      report({
        target: 'inferred:type-missing',
        path: first.path,
        message: `${which} no \`type\`; ${untyped.length === 1 ? 'it needs' : 'each needs'} one of ${[...VOCABULARY].join(', ')}.`,
      });
    },
  },
  {
    id: 'links/reciprocal',
    defaultSeverity: 'warning',
    kinds: ['commons-pattern'],
    description: `Another pattern declares generalizes_from/specializes_to or enables/requires towards this one, but this one lacks the inverse (ADR-0005 stores them both ways). More than ${HUB_LIMIT} missing inverses of one type are one finding without a fix: a list that long is rarely curated, the links on the other side need a look first.`,
    fix: "Adds the inverse entry to this pattern, shaped and indented like the list's other entries (with the other side's weight when they have weights); no fix where both sides claim the same direction of each other.",
    check(doc, ctx, report) {
      const data = doc.frontmatter?.data;
      if (!data) return;
      // What this pattern lists, by type (slugs resolved): built only once another pattern asks for an
      // inverse, and grown with every inverse found so each is reported once.
      let listed: Map<string, Set<string>> | undefined;
      const missing = new Map<string, InboundLink[]>();
      for (const inbound of ctx.corpus.inbound(doc.slug)) {
        const { link } = inbound;
        if (inbound.file === doc.file || link.source !== 'relationships' || !RECIPROCAL_TYPES.has(link.type)) continue;
        const inverse = INVERSE_TYPE[link.type] as string;
        listed ??= listedByType(doc, ctx);
        let slugs = listed.get(inverse);
        if (!slugs) listed.set(inverse, (slugs = new Set()));
        if (slugs.has(inbound.slug)) continue;
        slugs.add(inbound.slug);
        const list = missing.get(inverse);
        if (list) list.push(inbound);
        else missing.set(inverse, [inbound]);
      }
      for (const [inverse, inbound] of missing) {
        if (inbound.length > HUB_LIMIT) {
          const target = `${inverse}:*`;
          if (ctx.wants && !ctx.wants('links/reciprocal', target)) continue;
          const verbs = [...new Set(inbound.map((l) => PLURAL_VERB[l.link.type] ?? l.link.type))];
          const shown = inbound.slice(0, 3).map((l) => `\`${l.slug}\``);
          report({
            target,
            path: doc.find(['relationships', inverse]) ? ['relationships', inverse] : ['relationships'],
            message: `${inbound.length} patterns say they ${listWords(verbs)} \`${doc.slug}\` (${shown.join(', ')}, …), but this pattern lists none of them under \`relationships.${inverse}\`. That many is rarely a curated list: check those patterns' links before adding ${inbound.length} entries here.`,
          });
          continue;
        }
        for (const l of inbound) {
          const target = `${inverse}:${l.slug}`;
          // A pull request asks a hub pattern about one counterpart only: skip the others' messages and fixes.
          if (ctx.wants && !ctx.wants('links/reciprocal', target)) continue;
          // Each side claims the same relation of the other (both "specialize to" each other): adding the
          // inverse would make this pattern both; only the authors can say which direction is meant.
          if (listed?.get(l.link.type)?.has(l.slug)) {
            report({
              target,
              path: doc.find(['relationships', l.link.type]) ? ['relationships', l.link.type] : ['relationships'],
              message: `\`${l.file}\` says it ${l.link.type.replace(/_/g, ' ')} \`${doc.slug}\`, and this pattern says the same of \`${l.slug}\` under \`relationships.${l.link.type}\`: the two disagree on the direction. Keep one direction, then store it both ways (\`${inverse}\` on the other side).`,
            });
            continue;
          }
          report({
            target,
            path: doc.find(['relationships', inverse]) ? ['relationships', inverse] : ['relationships'],
            message: `\`${l.file}\` says it ${l.link.type.replace(/_/g, ' ')} \`${doc.slug}\`, but this pattern does not list \`${l.slug}\` under \`relationships.${inverse}\` (ADR-0005 stores the link both ways). Add it here, or remove the link there if it is wrong.`,
            fix: appendEntryFix(doc, ['relationships', inverse], l.slug, l.link.weight, `Add \`${l.slug}\` to relationships.${inverse}`),
          });
        }
      }
    },
  },
];

/**
 * Headings (or `^block` ids) of one note close to a wanted one: the one containing it or contained in it,
 * else those within a small edit distance; at most three, closest first.
 */
function closestAnchors(wanted: string, pool: readonly string[]): string[] {
  const w = headingKey(wanted);
  if (w === '') return [];
  const scored: { name: string; d: number }[] = [];
  const bound = Math.max(1, Math.min(4, Math.floor(w.length / 4)));
  for (const name of new Set(pool)) {
    const k = headingKey(name);
    if (k === '') continue;
    let d = boundedDistance(w, k, bound);
    if (d > bound && k.length >= 4 && w.length >= 4 && (k.includes(w) || w.includes(k))) d = bound;
    if (d <= bound) scored.push({ name, d });
  }
  scored.sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1));
  const best = scored[0];
  if (!best) return [];
  const tied = scored.filter((s) => s.d === best.d);
  return tied.length === 1 ? [best.name] : scored.slice(0, 3).map((s) => s.name);
}

/** "a, b and c" */
function listWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

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

/**
 * The edit that gives one entry the wanted key, changing only that: `- id: x` → `- slug: x`,
 * `{id: x, weight: 0.7}` → `{slug: x, weight: 0.7}`, `- x` → `- slug: x` (a TypeID value becomes its slug).
 */
function entryKeyEdit(doc: ParsedDocument, link: LinkRef, key: 'slug' | 'target', target: string): Edit | undefined {
  if (!link.path) return undefined;
  const loc = doc.find(link.path);
  if (!loc) return undefined;
  const first = doc.line(loc.line);
  if (link.shape === 'string') {
    // A block entry `- name` (flow sequences share their line with other items: left to a human).
    const m = /^(\s*-\s+)(.*?)(\s+#.*)?$/.exec(first);
    if (!m || /^[[{]/.test(m[2] as string)) return undefined;
    return { line: loc.line, endLine: loc.line, text: `${m[1]}${key}: ${yamlScalar(target)}${m[3] ?? ''}\n` };
  }
  if (link.shape === 'other') return undefined;
  const old = link.shape;
  // Entries of a flow sequence share their line with other entries: left to a human.
  if (!/^\s*-\s/.test(first)) return undefined;
  // The key is on the entry's first line (`- id: x`, `- {id: x, …}`) or on a later line of a block entry.
  for (let line = loc.line; line <= loc.endLine; line++) {
    const text = doc.line(line);
    const re = new RegExp(`(^\\s*-\\s+|^\\s+|[{,]\\s*)${old}(\\s*:\\s*)`);
    const m = re.exec(text);
    if (!m) continue;
    const at = m.index + (m[1] as string).length;
    let rest = text.slice(at + old.length);
    if (link.target !== target) {
      // Only the value right after the key is replaced (a TypeID by its slug).
      const sep = m[2] as string;
      const after = rest.slice(sep.length);
      const form = [link.target, JSON.stringify(link.target), `'${link.target}'`].find((f) => after.startsWith(f));
      if (!form) return undefined;
      rest = `${sep}${yamlScalar(target)}${after.slice(form.length)}`;
    }
    return { line, endLine: line, text: `${text.slice(0, at)}${key}${rest}\n` };
  }
  return undefined;
}

/** How entries of a relationship list are written, so that an added entry looks like its neighbours. */
interface ListStyle {
  /** Text before `- ` of an entry. */
  dash: string;
  form: 'bare' | 'block' | 'flow';
  /** For block entries: the text before `weight:` (undefined when the entries have no weight). */
  weightIndent?: string;
  /** Flow entries with a weight. */
  flowWeight?: boolean;
}

/** The style of a non-empty block list at `path`, read from its last entry. */
function styleOfList(doc: ParsedDocument, path: KeyPath): ListStyle | undefined {
  const value = getPath(doc.frontmatter?.data, path);
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const last = doc.find([...path, value.length - 1]);
  if (!last) return undefined;
  const firstLine = doc.line(last.line);
  const dash = /^(\s*)-\s/.exec(firstLine)?.[1];
  if (dash === undefined) return undefined;
  const entry = value[value.length - 1];
  if (typeof entry === 'string') return { dash, form: 'bare' };
  if (!isRecord(entry)) return undefined;
  const hasWeight = typeof entry.weight === 'number';
  if (/^\s*-\s+\{/.test(firstLine)) return { dash, form: 'flow', flowWeight: hasWeight };
  let weightIndent: string | undefined;
  if (hasWeight) {
    for (let l = last.line; l <= last.endLine; l++) {
      const m = /^(\s*(?:-\s+)?)weight\s*:/.exec(doc.line(l));
      if (m) {
        weightIndent = l === last.line ? `${dash}  ` : (m[1] as string);
        break;
      }
    }
    weightIndent ??= `${dash}  `;
  }
  return { dash, form: 'block', weightIndent };
}

/**
 * The style for a list that is empty or absent: that of a sibling relationship list with entries
 * (its indentation relative to its own key), else the spec's `- slug: x` / `weight: w` indented two
 * spaces under the key.
 */
function styleForNewList(doc: ParsedDocument, listPath: KeyPath, keyIndent: string): ListStyle {
  const parent = getPath(doc.frontmatter?.data, listPath.slice(0, -1));
  if (isRecord(parent)) {
    for (const key of Object.keys(parent)) {
      const siblingPath = [...listPath.slice(0, -1), key];
      const style = styleOfList(doc, siblingPath);
      const keyLoc = doc.find(siblingPath);
      if (!style || !keyLoc) continue;
      const siblingKeyIndent = /^(\s*)/.exec(doc.line(keyLoc.line))?.[1] ?? '';
      const shift = (s: string) => keyIndent + s.slice(siblingKeyIndent.length);
      if (!style.dash.startsWith(siblingKeyIndent)) continue;
      return { ...style, dash: shift(style.dash), weightIndent: style.weightIndent !== undefined ? shift(style.weightIndent) : undefined };
    }
  }
  return { dash: `${keyIndent}  `, form: 'block', weightIndent: `${keyIndent}    ` };
}

/** A weight as the corpus writes weights: `1.0`, never `1`. */
function weightText(w: number): string {
  return Number.isInteger(w) ? w.toFixed(1) : String(w);
}

/** The lines of one new entry in a list's style; the weight only when the list's entries have one. */
function entryLines(style: ListStyle, slug: string, weight: number | undefined): string {
  const name = yamlScalar(slug);
  if (style.form === 'bare') return `${style.dash}- ${name}`;
  if (style.form === 'flow') return `${style.dash}- {slug: ${name}${style.flowWeight && weight !== undefined ? `, weight: ${weightText(weight)}` : ''}}`;
  const w = style.weightIndent !== undefined && weight !== undefined ? `\n${style.weightIndent}weight: ${weightText(weight)}` : '';
  return `${style.dash}- slug: ${name}${w}`;
}

/** Adds an entry to a relationship list, whether it is written `key: []`, as a block list or not at all. */
function appendEntryFix(doc: ParsedDocument, listPath: KeyPath, slug: string, weight: number | undefined, description: string): Fix | undefined {
  const loc = doc.find(listPath);
  if (!loc) return addListFix(doc, listPath, slug, weight, description);
  const keyLine = doc.line(loc.line);
  const keyIndent = (/^(\s*)/.exec(keyLine)?.[1] ?? '') as string;
  const value = getPath(doc.frontmatter?.data, listPath);
  if (Array.isArray(value) && value.length === 0 && /:\s*\[\s*\]\s*(#.*)?$/.test(keyLine) && loc.endLine === loc.line) {
    const keyPart = keyLine.replace(/\[\s*\]\s*(#.*)?$/, '').trimEnd();
    const comment = /\[\s*\]\s*(#.*)$/.exec(keyLine)?.[1];
    const style = styleForNewList(doc, listPath, keyIndent);
    return {
      description,
      edits: [{ line: loc.line, endLine: loc.line, text: `${keyPart}${comment ? ` ${comment}` : ''}\n${entryLines(style, slug, weight)}\n` }],
    };
  }
  if (Array.isArray(value) && value.length > 0) {
    const style = styleOfList(doc, listPath);
    const last = doc.find([...listPath, value.length - 1]);
    if (!style || !last) return undefined;
    return { description, edits: [{ line: last.endLine, endLine: last.endLine, text: `${doc.line(last.endLine)}\n${entryLines(style, slug, weight)}\n` }] };
  }
  return undefined;
}

/** The list key does not exist yet: add `key:` with the entry at the end of its parent mapping. */
function addListFix(doc: ParsedDocument, listPath: KeyPath, slug: string, weight: number | undefined, description: string): Fix | undefined {
  const parentPath = listPath.slice(0, -1);
  const key = listPath[listPath.length - 1];
  const parent = getPath(doc.frontmatter?.data, parentPath);
  if (typeof key !== 'string' || !isRecord(parent)) return undefined;
  const parentLoc = doc.find(parentPath);
  if (!parentLoc || parentLoc.endLine === parentLoc.line) return undefined; // `relationships: {}` or flow style
  const sibling = Object.keys(parent)[0];
  const siblingLoc = sibling !== undefined ? doc.find([...parentPath, sibling]) : undefined;
  if (!siblingLoc) return undefined;
  const indent = ' '.repeat(siblingLoc.column - 1);
  const style = styleForNewList(doc, listPath, indent);
  return {
    description,
    edits: [
      { line: parentLoc.endLine, endLine: parentLoc.endLine, text: `${doc.line(parentLoc.endLine)}\n${indent}${key}:\n${entryLines(style, slug, weight)}\n` },
    ],
  };
}
