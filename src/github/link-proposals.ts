/**
 * The link gardener in pull requests: for every changed `commons-pattern`, the offline link engine
 * (`src/links`) plans `graph_garden.inferred_links` (keep, add, remove) against the head corpus, and the
 * plan becomes ONE finding `links/inferred-proposal` (notice) whose fix replaces the whole block (kept
 * entries first, additions after, removals gone) and sets `last_pruned` to today. The existing review
 * machinery turns it into a suggestion (block inside one hunk) or a check-run patch (outside the diff).
 *
 * Not a rule of the engine: rules are pure and per document, the proposal needs the whole-corpus link index.
 *
 * Fingerprint: rule + file + target `inferred_links:<digest>`, the digest covering the proposed
 * additions (target and type) and removals (target). Consequences:
 *   - a re-run with the same proposal (even with shifted lines or re-rounded confidences) has the same
 *     fingerprint and comments nothing;
 *   - a changed proposal has a new fingerprint: the old thread is resolved as stale (its suggestion would
 *     write the old list) and a new comment is posted, in the same review and mutation as every other
 *     finding (no extra requests);
 *   - an accepted proposal (the suggestion committed) leaves nothing to add or remove at the new head:
 *     no finding, and the old thread is resolved as stale.
 *
 * Memory of rejections (GitHub only, the app is stateless), read from the one GraphQL pull-state query:
 *   - `links.rejected` in the repository config: `slug` (no proposals for it) or `slug->target`, for good,
 *     across pull requests — maintainers add entries there;
 *   - `links-rejected` markers in the app's PR comments (written on `/gardener reject <slug> [<target>]`);
 *   - a proposal thread resolved by a person while its additions are not in the file at head, or a 👎 on
 *     the proposal comment: its additions that are not in the file are rejected pairwise (a proposal that
 *     only removes links rejects the pattern).
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { GardenerConfig } from '../core/config.js';
import { isPatternKind, type ParsedDocument } from '../core/document.js';
import type { Finding } from '../core/finding.js';
import { LinkIndex, type TakenDoc } from '../links/index.js';
import { possibleDuplicates } from '../links/duplicates.js';
import { planInferredLinks, type InferredLinkOut, type PrunePlan } from '../links/prune.js';
import { inferredLinksEdit } from '../links/render.js';
import { recordFromDocument, type LinkRecord, type LinkRecordHead } from '../links/record.js';
import { linkProposalMarker } from './markers.js';
import type { PullState } from './review.js';
import { cachedSiblings, sameBytes, type Snapshot } from './snapshot.js';

export const LINK_PROPOSAL_RULE = 'links/inferred-proposal';
export const LINK_PROPOSAL_TARGET = 'inferred_links';

/** Documented in the README rules table through `EXTRA_RULE_DOCS` (src/rules/index.ts). */

// ---- the link index, one per head snapshot -----------------------------------------------------

export interface LinkIndexStats {
  /** True when this call built the index (false: cached with the snapshot). */
  built: boolean;
  /** True when documents of another commit's index were taken over (their patterns not read again). */
  incremental?: boolean;
  /** Patterns read and tokenised when `incremental` (the others were taken over). */
  updated?: number;
  /** Patterns taken over from the other commit's index when `incremental`. */
  takenOver?: number;
  ms: number;
  patterns: number;
}

/** An index and the file each of its documents was read from (document k: `paths[k]`). */
interface BuiltIndex {
  index: LinkIndex;
  paths: readonly string[];
}

/** Lives exactly as long as its snapshot in the snapshot LRU (keyed by the Snapshot object). */
const indexes = new WeakMap<Snapshot, BuiltIndex>();

/**
 * Link records of every commons pattern of a snapshot, one at a time: each record is the pattern's link
 * stub (kept from the snapshot's frontmatter parse) plus its body bytes decoded, so no YAML is parsed
 * again; it is dropped as soon as the index has tokenised it (the index keeps no text), so a cold build
 * never holds every body of the corpus at once.
 */
export function* linkRecordStream(head: Snapshot): Generator<LinkRecord> {
  for (const [path, entry] of head.index.entries) {
    if (!isPatternKind(entry.kind)) continue;
    const r = head.linkRecord(path);
    if (r) yield r;
  }
}

/** Link records of every commons pattern of a snapshot, parsed without keeping the documents. */
export function linkRecordsOf(head: Snapshot): LinkRecord[] {
  return [...linkRecordStream(head)];
}

const sameStrings = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether two link stubs give the index the same texts (they may differ in links, labels' order aside). */
function sameTexts(a: LinkRecordHead, b: LinkRecordHead): boolean {
  return (
    a.title === b.title &&
    a.summary === b.summary &&
    a.tension === b.tension &&
    sameStrings(a.aliases, b.aliases) &&
    sameStrings(a.keywords, b.keywords) &&
    sameStrings(a.entities, b.entities) &&
    sameStrings(a.communities, b.communities)
  );
}

/** Whether the bytes from `start` on are equal (the bodies of two versions of a file). */
function sameTail(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number): boolean {
  return a.byteLength - aStart === b.byteLength - bStart && sameBytes(a.subarray(aStart), b.subarray(bStart));
}

/**
 * What the head's index is built from, in snapshot order: a document of `donor`'s index where the file
 * reads the same to the index (same bytes, or same body and texts with other links), else the record.
 * `paths` receives the file of each item.
 */
function* linkSources(
  head: Snapshot,
  donor: { snap: Snapshot; built: BuiltIndex } | undefined,
  paths: string[],
  read: () => void,
): Generator<LinkRecord | TakenDoc> {
  const donorDoc = new Map(donor?.built.paths.map((p, k) => [p, k]));
  for (const [path, entry] of head.index.entries) {
    if (!isPatternKind(entry.kind)) continue;
    const k = donorDoc.get(path);
    const stub = head.linkStubs.get(path);
    const bytes = head.files.get(path);
    if (donor && k !== undefined && stub && bytes) {
      const before = donor.snap.linkStubs.get(path);
      const old = donor.snap.files.get(path);
      const record = (): LinkRecord => {
        read();
        return head.linkRecord(path)!;
      };
      if (before && old) {
        if (before === stub && (old === bytes || sameBytes(old, bytes))) {
          paths.push(path);
          yield { takeOver: donor.built.index, doc: k, record };
          continue;
        }
        if (sameTexts(before.head, stub.head) && sameTail(old, before.bodyStart, bytes, stub.bodyStart)) {
          paths.push(path);
          yield { takeOver: donor.built.index, doc: k, head: stub.head, record };
          continue;
        }
      }
    }
    const r = head.linkRecord(path);
    if (!r) continue;
    read();
    paths.push(path);
    yield r;
  }
}

/** The cached index of another commit of the same repository sharing the most link stubs with `head`. */
function donorFor(head: Snapshot): { snap: Snapshot; built: BuiltIndex } | undefined {
  let best: { snap: Snapshot; built: BuiltIndex } | undefined;
  let most = 0;
  for (const snap of cachedSiblings(head)) {
    const built = indexes.get(snap);
    if (!built) continue;
    let shared = 0;
    for (const [path, stub] of head.linkStubs) if (stub && snap.linkStubs.get(path) === stub) shared++;
    if (shared > most) [best, most] = [{ snap, built }, shared];
  }
  return best;
}

/**
 * The head corpus' link index: cached with the snapshot, else built over the snapshot's patterns in
 * snapshot order, taking over the documents of a cached index of another commit of the repository (the
 * previous head, the base a push warmed) for the files that read the same, so only changed patterns are
 * read and tokenised. Either way the index equals one built from the records alone: the review does not
 * depend on what the process saw.
 */
export function linkIndexFor(head: Snapshot, stats?: LinkIndexStats): LinkIndex {
  const hit = indexes.get(head);
  if (hit) {
    if (stats) Object.assign(stats, { built: false, ms: 0, patterns: hit.index.size });
    return hit.index;
  }
  const t = performance.now();
  const donor = donorFor(head);
  const paths: string[] = [];
  let read = 0;
  const index = new LinkIndex(linkSources(head, donor, paths, () => read++));
  indexes.set(head, { index, paths });
  if (stats) {
    Object.assign(stats, { built: true, ms: Math.round(performance.now() - t), patterns: index.size });
    if (index.takenOver > 0) Object.assign(stats, { incremental: true, updated: read, takenOver: index.takenOver });
  }
  return index;
}

// ---- rejections --------------------------------------------------------------------------------

export class LinkRejections {
  private readonly patterns = new Set<string>();
  private readonly pairs = new Set<string>();

  add(slug: string, target?: string): void {
    const s = slug.trim();
    if (!s) return;
    if (target && target.trim()) this.pairs.add(`${s}\0${target.trim()}`);
    else this.patterns.add(s);
  }

  /** A `links.rejected` entry: `slug` or `slug->target`. */
  addConfigEntry(entry: string): void {
    const i = entry.indexOf('->');
    if (i < 0) this.add(entry);
    else this.add(entry.slice(0, i), entry.slice(i + 2));
  }

  rejectsPattern(slug: string): boolean {
    return this.patterns.has(slug);
  }

  rejectsPair(slug: string, target: string): boolean {
    return this.patterns.has(slug) || this.pairs.has(`${slug}\0${target}`);
  }

  get size(): number {
    return this.patterns.size + this.pairs.size;
  }

  list(): { slug: string; target?: string }[] {
    return [...[...this.patterns].map((slug) => ({ slug })), ...[...this.pairs].map((p) => ({ slug: p.split('\0')[0]!, target: p.split('\0')[1]! }))];
  }
}

/** Inferred-link targets a pattern has at head (slugs as the index resolves them). */
function presentTargets(index: LinkIndex, slug: string): Set<string> {
  return new Set((index.info(slug)?.inferred ?? []).map((l) => index.resolveSlug(l.target) ?? l.target));
}

/** Every rejection that applies to this pull request: config, reject markers, resolved or 👎 proposal threads. */
export function collectRejections(config: GardenerConfig, state: Pick<PullState, 'threads' | 'linkRejections'> | undefined, index?: LinkIndex): LinkRejections {
  const r = new LinkRejections();
  for (const e of config.links.rejected) r.addConfigEntry(e);
  for (const m of state?.linkRejections ?? []) r.add(m.slug, m.target);
  for (const t of state?.threads ?? []) {
    const p = t.linkProposal;
    if (!p || !(t.resolvedByHuman || (t.thumbsDown ?? 0) > 0)) continue;
    if (p.add.length === 0) {
      r.add(p.slug);
      continue;
    }
    // Additions now in the file were accepted (committed), the others rejected.
    const present = index ? presentTargets(index, p.slug) : new Set<string>();
    for (const target of p.add) if (!present.has(target)) r.add(p.slug, target);
  }
  return r;
}

// ---- proposals ---------------------------------------------------------------------------------

export interface LinkProposal {
  file: string;
  slug: string;
  plan: PrunePlan;
  finding: Finding;
}

export interface ProposeInput {
  head: Snapshot;
  /** Changed files present at head (others are skipped). */
  files: Iterable<string>;
  config: GardenerConfig;
  /** YYYY-MM-DD, written to `last_pruned`. */
  today: string;
  index: LinkIndex;
  rejections?: LinkRejections;
}

export function proposalDigest(plan: Pick<PrunePlan, 'add' | 'remove'>): string {
  const parts = [...plan.add.map((a) => `+${a.target}:${a.type}`).sort(), ...plan.remove.map((r) => `-${r.target}`).sort()];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12);
}

function fmt(x: number): string {
  return (Math.round(x * 100) / 100).toFixed(2);
}

export function proposalMessage(plan: PrunePlan): string {
  const head = `Link gardener: proposed changes to the inferred links of \`${plan.slug}\`: ${plan.add.length} to add, ${plan.remove.length} to remove${plan.keep.length ? `, ${plan.keep.length} kept` : ''}.`;
  const lines = [head];
  for (const a of plan.add) lines.push(`- add \`${a.target}\` as \`${a.type}\` (confidence ${fmt(a.confidence)}): ${a.reason}`);
  for (const r of plan.remove) lines.push(`- remove \`${r.target}\`: ${r.why}`);
  return lines.join('\n');
}

/** The plan with rejected additions dropped and their slots refilled by the next candidates. */
function withoutRejected(plan: PrunePlan, doc: ParsedDocument, index: LinkIndex, config: GardenerConfig, rejections: LinkRejections | undefined): PrunePlan {
  if (!rejections || rejections.size === 0) return plan;
  const slug = plan.slug;
  const add = plan.add.filter((a) => !rejections.rejectsPair(slug, a.target));
  const missing = plan.add.length - add.length;
  if (missing > 0) {
    const hard = recordFromDocument(doc).links.map((l) => index.resolveSlug(l.target) ?? l.target);
    const rejected = rejections
      .list()
      .filter((x) => x.slug === slug && x.target)
      .map((x) => x.target!);
    const exclude = [...plan.keep.map((k) => k.target), ...plan.remove.map((r) => r.target), ...hard, ...rejected, ...add.map((a) => a.target)];
    const more = index.propose(slug, missing + rejected.length, { exclude, excludeInferred: false, minConfidence: config.links.minConfidence });
    for (const p of more) {
      if (add.length >= plan.add.length) break;
      if (rejections.rejectsPair(slug, p.target)) continue;
      add.push({ target: p.target, type: p.type, confidence: p.confidence, reason: p.reason } satisfies InferredLinkOut);
    }
  }
  return { ...plan, add };
}

/**
 * Plans per index and document (both immutable per commit), so a re-run on the same head (re-delivery,
 * re-requested check, a comment command) does not score the same patterns again. Rejections are applied
 * after, fresh each time. Weak maps: the plans go when the snapshot leaves the cache.
 */
const planCache = new WeakMap<LinkIndex, WeakMap<object, Map<string, PrunePlan>>>();
function cachedPlan(doc: NonNullable<ReturnType<Snapshot['doc']>>, index: LinkIndex, max: number, minConfidence: number): PrunePlan {
  let byDoc = planCache.get(index);
  if (!byDoc) planCache.set(index, (byDoc = new WeakMap()));
  let byOpts = byDoc.get(doc);
  if (!byOpts) byDoc.set(doc, (byOpts = new Map()));
  const key = `${max}|${minConfidence}`;
  let plan = byOpts.get(key);
  if (!plan) byOpts.set(key, (plan = planInferredLinks(doc, index, { max, minConfidence })));
  return plan;
}

export const POSSIBLE_DUPLICATE_RULE = 'links/possible-duplicate';

/**
 * `links/possible-duplicate` for changed commons patterns that are far more similar to one other
 * pattern than to anything else, and the other way round (see src/links/duplicates.ts).
 */
export function duplicateFindings(head: Snapshot, files: readonly string[], index: LinkIndex, config: GardenerConfig): Finding[] {
  const severity = config.rules[POSSIBLE_DUPLICATE_RULE] ?? 'warning';
  if (severity === 'off') return [];
  const out: Finding[] = [];
  for (const file of files) {
    const doc = head.doc(file);
    if (!doc || doc.kind !== 'commons-pattern') continue;
    for (const pair of possibleDuplicates(index, { slugs: [doc.slug] })) {
      const other = pair.a === doc.slug ? pair.b : pair.a;
      const loc = doc.locate(['slug']);
      out.push({
        rule: POSSIBLE_DUPLICATE_RULE,
        severity,
        file,
        line: loc.line,
        column: loc.column,
        endLine: loc.line,
        target: `duplicate:${other}`,
        message: `\`${doc.slug}\` reads almost like \`${other}\` (similarity ${pair.score}, ${pair.margin}x closer than to any other pattern). If they describe the same pattern, merge them; if not, say in both how they differ.`,
      });
    }
  }
  return out;
}

/** One `links/inferred-proposal` finding per changed commons pattern whose inferred links should change. */
export function proposeLinks(input: ProposeInput): LinkProposal[] {
  const { head, config, index, rejections } = input;
  const out: LinkProposal[] = [];
  // `rules: { links/inferred-proposal: off | error | warning | notice }` works as for engine rules.
  const severity = config.rules[LINK_PROPOSAL_RULE] ?? 'notice';
  if (severity === 'off') return out;
  for (const file of input.files) {
    const doc = head.doc(file);
    if (!doc || doc.kind !== 'commons-pattern' || !doc.frontmatter?.data) continue;
    const slug = doc.slug;
    if (rejections?.rejectsPattern(slug)) continue;
    let plan: PrunePlan;
    try {
      plan = cachedPlan(doc, index, config.links.maxInferred, config.links.minConfidence);
    } catch {
      continue; // the engine must never fail a review
    }
    plan = withoutRejected(plan, doc, index, config, rejections);
    if (plan.add.length === 0 && plan.remove.length === 0) continue;
    const edit = inferredLinksEdit(doc, plan, input.today);
    if (!edit) continue;
    const lines = doc.lines();
    const current = lines.slice(edit.startLine - 1, edit.endLine);
    if (current.length === edit.lines.length && current.every((l, i) => l === edit.lines[i])) continue;
    const line = Math.max(1, Math.min(edit.startLine, lines.length));
    const finding: Finding = {
      rule: LINK_PROPOSAL_RULE,
      severity,
      file,
      line,
      column: 1,
      endLine: Math.max(line, edit.endLine),
      message: proposalMessage(plan),
      target: `${LINK_PROPOSAL_TARGET}:${proposalDigest(plan)}`,
      fix: {
        description: 'Replace `graph_garden.inferred_links` with the proposed list (kept entries first, then additions) and set `last_pruned` to today.',
        edits: [{ line: edit.startLine, endLine: edit.endLine, text: edit.lines.length ? `${edit.lines.join('\n')}\n` : '' }],
      },
    };
    out.push({ file, slug, plan, finding });
  }
  return out;
}

/**
 * Changed commons patterns with room for more inferred links where no candidate reached
 * `links.minConfidence`: the review says so once rather than propose weak links.
 */
export function patternsWithoutConfidentLinks(input: ProposeInput): number {
  const { head, config, index, rejections } = input;
  if ((config.rules[LINK_PROPOSAL_RULE] ?? 'notice') === 'off') return 0;
  let n = 0;
  for (const file of input.files) {
    const doc = head.doc(file);
    if (!doc || doc.kind !== 'commons-pattern' || !doc.frontmatter?.data || rejections?.rejectsPattern(doc.slug)) continue;
    try {
      const plan = cachedPlan(doc, index, config.links.maxInferred, config.links.minConfidence);
      if (plan.add.length === 0 && plan.keep.length < config.links.maxInferred) n++;
    } catch {
      // the engine must never fail a review
    }
  }
  return n;
}

/** The check run's one line when no changed pattern got a link proposal good enough to make. */
export function nothingConfidentNote(patterns: number, minConfidence: number): string {
  return `Link gardener: no new link for the ${patterns} changed pattern${patterns === 1 ? '' : 's'} reached \`links.minConfidence\` (${minConfidence}), so none is proposed.`;
}

/** The hidden marker of a proposal's comment (slug and additions), for the rejection memory. */
export function proposalMarkerFor(proposals: readonly LinkProposal[]): (f: Finding) => string | undefined {
  const byKey = new Map(proposals.map((p) => [`${p.finding.file}\0${p.finding.target}`, p]));
  return (f) => {
    if (f.rule !== LINK_PROPOSAL_RULE) return undefined;
    const p = byKey.get(`${f.file}\0${f.target}`);
    return p
      ? linkProposalMarker(
          p.slug,
          p.plan.add.map((a) => a.target),
        )
      : undefined;
  };
}

export const APPLY_HINT = 'Comment `/gardener apply links` on this pull request to commit the link proposals outside the diff (one commit per file).';
