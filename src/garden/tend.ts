/**
 * Tending the garden in batches: which files a gardening pull request takes up next and what it changes in
 * them, one stage per rule. Pure: documents, findings and config in, texts out; no clock, no I/O, no GitHub.
 *
 * A batch is at most `gardening.batchSize` files of one document kind, the most valuable first (most
 * patterns linking to it, then the stalest garden). Each file goes through the stages in order; a stage
 * applies only the fixes the engine offers for its rule (a fix exists only where it is mechanical and
 * unambiguous), and the link refresh rewrites `graph_garden.inferred_links` with the link engine's plan
 * (additions above the configured confidence, existing entries kept unless they point nowhere) and sets
 * `last_pruned`. Every stage's result is checked again: it must still parse, keep the body byte for byte,
 * clear what it fixed and bring no finding that was not there before; a stage that fails is dropped for
 * that file and the file keeps its text from the stage before.
 */
import type { GardenerConfig } from '../core/config.js';
import { CorpusIndex, entryFromDocument } from '../core/corpus.js';
import { addDays, formatDate, type CalendarDate } from '../core/dates.js';
import { isPatternKind, parseDocument, type DocKind, type ParsedDocument } from '../core/document.js';
import { Engine, type FindingFilter } from '../core/engine.js';
import { countBy, fingerprint, type Finding, type Fix } from '../core/finding.js';
import { applyFixes } from '../core/fixes.js';
import { isRecord } from '../core/path.js';
import { LinkIndex } from '../links/index.js';
import { planInferredLinks, type InferredLinkOut, type PrunePlan } from '../links/prune.js';
import { recordFromDocument } from '../links/record.js';
import { inferredLinksEdit } from '../links/render.js';

/** Rules whose fixes a gardening batch applies, in commit order. */
export const TEND_FIX_RULES = ['links/unknown-target', 'links/entry-shape', 'links/inferred-type', 'links/reciprocal', 'assessment/overall-score'] as const;
/** The link refresh is the last stage: it rewrites the block the fixes above may have touched. */
export const TEND_REFRESH_RULE = 'links/inferred-proposal';
export const TEND_STAGES: readonly string[] = [...TEND_FIX_RULES, TEND_REFRESH_RULE];

const STALE_RULE = 'garden/last-pruned-stale';
/** Passes of one rule's fixes per file: fixes inserting after the same line wait for the next pass. */
const MAX_PASSES = 10;

export interface TendRejections {
  rejectsPattern(slug: string): boolean;
  rejectsPair(slug: string, target: string): boolean;
}

export interface TendInput {
  /** Every selected document of the repository (the corpus). */
  docs: readonly ParsedDocument[];
  /** The engine's findings for `docs` (as `gardener check` reports them). */
  findings: readonly Finding[];
  config: GardenerConfig;
  today: CalendarDate;
  /** Document kind of the batch. */
  kind: DocKind;
  rejections?: TendRejections;
  /** Files left out: those of a batch closed without merging not long ago, those of other open batches. */
  skipFiles?: ReadonlySet<string>;
  /** The corpus' link index, when the caller has one; built from `docs` otherwise. */
  linkIndex?: LinkIndex;
  schemaOverrides?: Partial<Record<DocKind, object>>;
  /** Files at most (default `gardening.batchSize`). */
  batchSize?: number;
  /** Stages to run (rule ids of TEND_STAGES); all by default. */
  rules?: readonly string[];
}

/** One line of the explanation table. */
export interface TendChange {
  file: string;
  rule: string;
  /** What changes and why, in one line. */
  evidence: string;
  /** The link engine's confidence for an added link; undefined for mechanical fixes. */
  confidence?: number;
}

export interface TendStage {
  rule: string;
  /** File -> its whole text after this stage (only files this stage changed). */
  texts: Map<string, string>;
  changes: TendChange[];
}

export interface TendDrop {
  file: string;
  rule: string;
  why: string;
}

/** Counts that say how the garden is doing, for the repository as a whole. */
export interface GardenNumbers {
  patterns: number;
  staleGardens: number;
  danglingLinks: number;
  missingInverses: number;
  safeFixes: number;
}

export interface TendBatch {
  kind: DocKind;
  /** Files of the batch in value order. */
  files: string[];
  /** Stages with at least one change, in commit order. */
  stages: TendStage[];
  /** File -> original text (with its own line endings) and final text. */
  before: Map<string, string>;
  after: Map<string, string>;
  dropped: TendDrop[];
  garden: { before: GardenNumbers; after: GardenNumbers };
  /** Candidates of this kind left for later batches (files with something to do, beyond this batch). */
  remaining: number;
}

/** A document's text as it is on disk: its BOM and line endings restored. */
export function rawText(doc: ParsedDocument): string {
  return (doc.bom ? '\uFEFF' : '') + (doc.eol === '\r\n' ? doc.text.replace(/\n/g, '\r\n') : doc.text);
}

function lastPrunedOf(doc: ParsedDocument): string | undefined {
  const gg = doc.frontmatter?.data?.graph_garden;
  const v = isRecord(gg) ? gg.last_pruned : undefined;
  return typeof v === 'string' ? v : v instanceof Date ? v.toISOString().slice(0, 10) : undefined;
}

function setting(config: GardenerConfig, kind: DocKind, rule: string): string | undefined {
  return config.rulesByKind?.[kind]?.[rule] ?? config.rules[rule];
}

const WRITTEN_KEYS = new Set(['target', 'type', 'confidence', 'reason']);

/**
 * Why rewriting a file's inferred_links block would change what people wrote beyond the plan (the block
 * is written whole with target, type, confidence and reason): entries with other fields, without a type,
 * or not written as mappings. Undefined when the rewrite keeps everything.
 */
export function lossyEntries(doc: ParsedDocument): string | undefined {
  const gg = doc.frontmatter?.data?.graph_garden;
  const list = isRecord(gg) ? gg.inferred_links : undefined;
  if (!Array.isArray(list)) return undefined;
  const extra = new Set<string>();
  let untyped = 0;
  for (const e of list) {
    if (!isRecord(e)) return 'are not all written as mappings';
    for (const k of Object.keys(e)) if (!WRITTEN_KEYS.has(k)) extra.add(k);
    if (typeof e.type !== 'string' || !e.type) untyped++;
  }
  if (extra.size > 0)
    return `carry ${[...extra]
      .sort()
      .map((k) => `\`${k}\``)
      .join(', ')}`;
  if (untyped > 0) return `include ${untyped} without a type`;
  return undefined;
}

/** The link a fix writes (the did-you-mean target, the counterpart of an inverse), for pair rejections. */
export function linkTargetOf(f: Finding): string | undefined {
  if (f.rule === 'links/unknown-target') return /with `([^`]+)`/.exec(f.fix?.description ?? '')?.[1];
  if (f.rule === 'links/reciprocal') return f.target.slice(f.target.indexOf(':') + 1) || undefined;
  return undefined;
}

function oneLine(s: string, max = 160): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export class Tender {
  private readonly engine: Engine;
  private readonly corpus: CorpusIndex;
  private readonly index: LinkIndex;
  private readonly byFile: Map<string, ParsedDocument>;
  private readonly findingsByFile = new Map<string, Finding[]>();
  private readonly staleBefore: string;

  constructor(private readonly input: TendInput) {
    this.engine = new Engine({ config: input.config, today: input.today, schemaOverrides: input.schemaOverrides });
    this.corpus = CorpusIndex.fromDocuments(input.docs);
    // Built once here, shared by every re-check of an edited file (withEntryOf).
    this.corpus.inbound('');
    void this.corpus.slugMatcher;
    void this.corpus.byId;
    this.byFile = new Map(input.docs.map((d) => [d.file, d]));
    for (const f of input.findings) {
      const l = this.findingsByFile.get(f.file);
      if (l) l.push(f);
      else this.findingsByFile.set(f.file, [f]);
    }
    this.index =
      input.linkIndex ?? new LinkIndex(input.docs.filter((d) => d.kind === 'commons-pattern' && d.frontmatter?.data).map((d) => recordFromDocument(d)));
    this.staleBefore = formatDate(addDays(input.today, -input.config.staleAfterDays));
  }

  private runs(rule: string): boolean {
    return !this.input.rules || this.input.rules.includes(rule);
  }

  /** Files of the batch kind, most valuable first: most patterns linking in, then the stalest garden. */
  rankedFiles(): string[] {
    const rows: { file: string; inbound: number; pruned: string }[] = [];
    for (const d of this.input.docs) {
      if (d.kind !== this.input.kind || d.notPattern || !d.frontmatter?.data) continue;
      rows.push({ file: d.file, inbound: new Set(this.corpus.inbound(d.slug).map((i) => i.file)).size, pruned: lastPrunedOf(d) ?? '' });
    }
    rows.sort((a, b) => b.inbound - a.inbound || (a.pruned < b.pruned ? -1 : a.pruned > b.pruned ? 1 : 0) || (a.file < b.file ? -1 : 1));
    return rows.map((r) => r.file);
  }

  /** True when the file has something a batch could change: a safe fix of a tended rule, or a garden to refresh. */
  private worthTending(doc: ParsedDocument): boolean {
    const fs = this.findingsByFile.get(doc.file) ?? [];
    if (
      fs.some(
        (f) => f.fix && (TEND_FIX_RULES as readonly string[]).includes(f.rule) && this.runs(f.rule) && setting(this.input.config, doc.kind, f.rule) !== 'off',
      )
    )
      return true;
    return this.refreshWanted(doc);
  }

  private refreshWanted(doc: ParsedDocument): boolean {
    if (doc.kind !== 'commons-pattern' || !this.runs(TEND_REFRESH_RULE) || setting(this.input.config, doc.kind, TEND_REFRESH_RULE) === 'off') return false;
    if (this.input.rejections?.rejectsPattern(doc.slug)) return false;
    const gg = doc.frontmatter?.data?.graph_garden;
    if (!isRecord(gg)) return false;
    const pruned = lastPrunedOf(doc);
    // A garden pruned within staleAfterDays waits: refreshing it again would propose the same files forever.
    if (pruned && pruned >= this.staleBefore) {
      const dangling = (this.findingsByFile.get(doc.file) ?? []).some((f) => f.rule === 'links/unknown-target' && f.target.startsWith('inferred:'));
      return dangling;
    }
    return true;
  }

  plan(): TendBatch {
    const { config } = this.input;
    const size = this.input.batchSize ?? config.gardening.batchSize;
    const batch: TendBatch = {
      kind: this.input.kind,
      files: [],
      stages: TEND_STAGES.map(() => undefined as unknown as TendStage),
      before: new Map(),
      after: new Map(),
      dropped: [],
      garden: { before: this.numbers(new Map()), after: this.numbers(new Map()) },
      remaining: 0,
    };
    const stages: TendStage[] = TEND_STAGES.map((rule) => ({ rule, texts: new Map(), changes: [] }));
    const finalFindings = new Map<string, Finding[]>();
    for (const file of this.rankedFiles()) {
      if (this.input.skipFiles?.has(file)) continue;
      const doc = this.byFile.get(file)!;
      if (!this.worthTending(doc)) continue;
      if (batch.files.length >= size) {
        batch.remaining++;
        continue;
      }
      const result = this.tendFile(doc, batch.dropped);
      if (!result) continue;
      batch.files.push(file);
      batch.before.set(file, rawText(doc));
      batch.after.set(file, result.text);
      finalFindings.set(file, result.findings);
      result.stages.forEach((s, i) => {
        if (!s) return;
        stages[i]!.texts.set(file, s.text);
        stages[i]!.changes.push(...s.changes);
      });
    }
    batch.stages = stages.filter((s) => s.texts.size > 0);
    batch.garden.after = this.numbers(finalFindings);
    return batch;
  }

  /** The corpus with this version of the document in it (its slug is unchanged: fixes never touch it). */
  private corpusWith(doc: ParsedDocument): CorpusIndex {
    return this.corpus.withEntryOf(entryFromDocument(doc));
  }

  /** Findings of one text of a file, or undefined when it no longer parses as a pattern of its kind. */
  private check(file: string, text: string, kind: DocKind): { doc: ParsedDocument; findings: Finding[] } | undefined {
    const doc = parseDocument(file, text, { limits: this.input.config.limits, kind });
    if (!doc.frontmatter?.data || doc.kind !== kind || doc.problems.some((p) => p.code.startsWith('yaml') || p.code.startsWith('frontmatter')))
      return undefined;
    return { doc, findings: this.engine.checkDocument(doc, this.corpusWith(doc)) };
  }

  /** Runs every stage on one file; undefined when no stage changed it. */
  private tendFile(
    doc: ParsedDocument,
    dropped: TendDrop[],
  ): { text: string; findings: Finding[]; stages: ({ text: string; changes: TendChange[] } | undefined)[] } | undefined {
    let text = rawText(doc);
    let cur = { doc, findings: this.findingsByFile.get(doc.file) ?? [] };
    const body = doc.body();
    const out: ({ text: string; changes: TendChange[] } | undefined)[] = [];
    let changed = false;
    for (const rule of TEND_STAGES) {
      if (!this.runs(rule)) {
        out.push(undefined);
        continue;
      }
      const step = rule === TEND_REFRESH_RULE ? this.refresh(cur.doc, text) : this.fixRule(cur.doc, text, cur.findings, rule);
      if (step && 'why' in step) {
        dropped.push({ file: doc.file, rule, why: step.why });
        out.push(undefined);
        continue;
      }
      if (!step) {
        out.push(undefined);
        continue;
      }
      const verdict = this.verify(cur, step.text, rule, step.fixed, body);
      if (typeof verdict === 'string') {
        dropped.push({ file: doc.file, rule, why: verdict });
        out.push(undefined);
        continue;
      }
      text = step.text;
      cur = verdict;
      changed = true;
      out.push({ text, changes: step.changes });
    }
    return changed ? { text, findings: cur.findings, stages: out } : undefined;
  }

  /** The checks every stage passes: parses, keeps the body, clears what it fixed, adds nothing. */
  private verify(
    prev: { doc: ParsedDocument; findings: Finding[] },
    text: string,
    rule: string,
    fixed: readonly Finding[],
    body: string,
  ): { doc: ParsedDocument; findings: Finding[] } | string {
    const next = this.check(prev.doc.file, text, prev.doc.kind);
    if (!next) return 'the edited file would no longer parse';
    if (next.doc.body() !== body) return 'the edit would change the body text';
    const after = new Set(next.findings.map(fingerprint));
    const left = fixed.filter((f) => after.has(fingerprint(f)));
    if (left.length > 0) return `the fix would leave ${left.length} of its findings in place`;
    // Counted per rule, not by fingerprint: a few rules name a line in their target, and lines move.
    const had = countBy(prev.findings, (f) => f.rule);
    const now = countBy(next.findings, (f) => f.rule);
    const grown = Object.keys(now).find((r) => now[r]! > (had[r] ?? 0));
    if (grown) return `the edit would bring a new ${grown} finding (${oneLine(next.findings.find((f) => f.rule === grown)!.message, 100)})`;
    if (rule === TEND_REFRESH_RULE && next.findings.some((f) => f.rule === STALE_RULE)) return 'last_pruned would still be stale';
    return next;
  }

  /** Applies one rule's fixes to a file until none is left (each pass re-checks the new text). */
  private fixRule(
    doc: ParsedDocument,
    text: string,
    findings: readonly Finding[],
    rule: string,
  ): { text: string; changes: TendChange[]; fixed: Finding[] } | undefined {
    if (setting(this.input.config, doc.kind, rule) === 'off') return undefined;
    const filter: FindingFilter = { rules: new Set([rule]), target: () => true };
    const rejections = this.input.rejections;
    const wanted = (f: Finding): boolean => {
      if (f.rule !== rule || !f.fix) return false;
      const target = linkTargetOf(f);
      if (target && rejections && (rejections.rejectsPattern(doc.slug) || rejections.rejectsPair(doc.slug, target))) return false;
      return true;
    };
    let todo = findings.filter(wanted);
    if (todo.length === 0) return undefined;
    const changes: TendChange[] = [];
    const fixed: Finding[] = [];
    let current = doc;
    const seen = new Set<string>();
    for (let pass = 0; pass < MAX_PASSES && todo.length > 0; pass++) {
      const { text: next, applied } = applyFixes(
        text,
        todo.map((f) => f.fix as Fix),
      );
      if (applied.length === 0 || next === text) break;
      for (const f of todo) {
        if (!applied.includes(f.fix as Fix)) continue;
        const key = fingerprint(f);
        if (seen.has(key)) continue;
        seen.add(key);
        fixed.push(f);
        changes.push({ file: doc.file, rule, evidence: oneLine(`${f.fix!.description}: ${f.message}`, 220) });
      }
      text = next;
      current = parseDocument(doc.file, text, { limits: this.input.config.limits, kind: doc.kind });
      if (!current.frontmatter?.data) break;
      todo = this.engine.checkDocument(current, this.corpusWith(current), filter).filter((f) => wanted(f) && !seen.has(fingerprint(f)));
    }
    return changes.length > 0 ? { text, changes, fixed } : undefined;
  }

  /**
   * The link engine's plan for the file's inferred links, with what people kept: entries the plan would
   * drop for a low score, the cap or repeating a hard relationship stay where they are (with the reason a
   * person wrote); only entries pointing nowhere, at the pattern itself or listed twice go. Rejected
   * additions are left out.
   */
  refreshPlan(doc: ParsedDocument): PrunePlan | undefined {
    const { config, rejections } = this.input;
    let plan: PrunePlan;
    try {
      plan = planInferredLinks(doc, this.index, { max: config.links.maxInferred, minConfidence: config.links.minConfidence });
    } catch {
      return undefined;
    }
    const kept = new Map(plan.keep.map((k) => [k.target, k]));
    const removed = new Map(plan.remove.map((r) => [r.target, r]));
    const keep: InferredLinkOut[] = [];
    const remove: PrunePlan['remove'] = [];
    for (const l of recordFromDocument(doc).inferred) {
      const resolved = this.index.resolveSlug(l.target) ?? l.target;
      const k = kept.get(resolved);
      if (k) {
        keep.push(k);
        kept.delete(resolved);
        continue;
      }
      const r = removed.get(l.target) ?? removed.get(resolved);
      if (r && !/far below the threshold|over the cap|duplicates the hard relationship/.test(r.why)) {
        remove.push(r);
        continue;
      }
      if (keep.some((x) => x.target === resolved)) continue;
      keep.push({
        target: resolved,
        type: l.type || 'complementary',
        confidence: l.confidence !== undefined && l.confidence >= 0 && l.confidence <= 1 ? l.confidence : this.index.score(doc.slug, resolved),
        reason: l.reason ?? this.index.reason(doc.slug, resolved),
      });
    }
    const room = Math.max(0, config.links.maxInferred - keep.length);
    const add = plan.add.filter((a) => a.confidence >= config.links.minConfidence && !rejections?.rejectsPair(doc.slug, a.target)).slice(0, room);
    return { slug: doc.slug, keep, add, remove };
  }

  private refresh(doc: ParsedDocument, text: string): { text: string; changes: TendChange[]; fixed: Finding[] } | { why: string } | undefined {
    if (!this.refreshWanted(doc)) return undefined;
    const lossy = lossyEntries(doc);
    if (lossy) return { why: `the inferred_links entries ${lossy}; rewriting the block would lose or invent that, so it is left to a person` };
    const plan = this.refreshPlan(doc);
    if (!plan) return undefined;
    const today = formatDate(this.input.today);
    const edit = inferredLinksEdit(doc, plan, today);
    if (!edit) return undefined;
    const fix: Fix = {
      description: 'refresh inferred_links',
      edits: [{ line: edit.startLine, endLine: edit.endLine, text: edit.lines.length ? `${edit.lines.join('\n')}\n` : '' }],
    };
    const { text: next } = applyFixes(text, [fix]);
    if (next === text) return undefined;
    const changes: TendChange[] = [];
    for (const a of plan.add)
      changes.push({
        file: doc.file,
        rule: TEND_REFRESH_RULE,
        evidence: oneLine(`add \`${a.target}\` as \`${a.type}\`: ${a.reason}`),
        confidence: a.confidence,
      });
    for (const r of plan.remove) changes.push({ file: doc.file, rule: TEND_REFRESH_RULE, evidence: oneLine(`remove \`${r.target}\`: ${r.why}`) });
    const pruned = lastPrunedOf(doc);
    changes.push({
      file: doc.file,
      rule: TEND_REFRESH_RULE,
      evidence: `\`last_pruned\` ${pruned ?? '(none)'} → ${today}${plan.keep.length ? `; ${plan.keep.length} existing link(s) kept` : ''}`,
    });
    // What the refresh clears (a stale last_pruned) is checked in verify().
    return { text: next, changes, fixed: [] };
  }

  /** The garden's numbers for the whole repository, with some files' findings replaced. */
  numbers(replaced: ReadonlyMap<string, Finding[]>): GardenNumbers {
    const n: GardenNumbers = { patterns: 0, staleGardens: 0, danglingLinks: 0, missingInverses: 0, safeFixes: 0 };
    for (const d of this.input.docs) {
      if (isPatternKind(d.kind) && !d.notPattern) n.patterns++;
      for (const f of replaced.get(d.file) ?? this.findingsByFile.get(d.file) ?? []) {
        if (f.rule === STALE_RULE) n.staleGardens++;
        else if (f.rule === 'links/unknown-target') n.danglingLinks++;
        else if (f.rule === 'links/reciprocal') n.missingInverses++;
        if (f.fix && (TEND_FIX_RULES as readonly string[]).includes(f.rule)) n.safeFixes++;
      }
    }
    return n;
  }
}

/** The next batch of one document kind. */
export function planTendBatch(input: TendInput): TendBatch {
  return new Tender(input).plan();
}

/** Document kinds a repository can be tended for, in the order their batches are offered. */
export function tendKinds(docs: readonly ParsedDocument[]): DocKind[] {
  const kinds: DocKind[] = ['commons-pattern', 'commons-pattern-legacy'];
  return kinds.filter((k) => docs.some((d) => d.kind === k));
}
