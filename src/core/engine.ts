/**
 * The rules engine: documents in, findings out. Pure: no I/O, no GitHub, no clock
 * (today is passed in). Every adapter (CLI, check run, review, replant issues) calls this.
 */
import type { GardenerConfig } from './config.js';
import type { CorpusIndex } from './corpus.js';
import type { CalendarDate } from './dates.js';
import type { DocKind, ParsedDocument } from './document.js';
import { detach } from './detach.js';
import { compareFindings, type Finding, type Severity } from './finding.js';
import { compileSchema, formatAjvErrors, loadBundledSchema } from './schemas.js';
import { EXTRA_RULE_DOCS, RULES, RULES_BY_ID } from '../rules/index.js';
import { SUPPRESSION_INVALID, SUPPRESSION_UNUSED } from '../rules/suppression.js';
import { boundedDistance } from './similar.js';
import { readSuppressions, silences, type Suppression } from './suppressions.js';
import type { Problem, Rule, RuleContext } from '../rules/rule.js';

export interface EngineOptions {
  config: GardenerConfig;
  today: CalendarDate;
  /** Schemas that replace the bundled ones (a repository's `schemas:` config, already loaded). */
  schemaOverrides?: Partial<Record<DocKind, object>>;
  /** Rules to run; defaults to the registry. */
  rules?: readonly Rule[];
}

/** Some of a document's findings: only `rules` run, and only problems whose target `target` accepts are kept. */
export interface FindingFilter {
  rules: ReadonlySet<string>;
  target(rule: string, target: string): boolean;
}

/** One document's findings, and those its inline suppressions silenced. */
export interface DocumentCheck {
  findings: Finding[];
  suppressed: Finding[];
}

const KNOWN_RULES: ReadonlySet<string> = new Set([...RULES.map((r) => r.id), ...EXTRA_RULE_DOCS.map((r) => r.id)]);

/** ` (did you mean …?)` for a misspelt rule id, when one is clearly closest. */
function suggestRule(name: string): string {
  const scored = [...KNOWN_RULES].map((r) => ({ r, d: boundedDistance(name, r, 3) })).filter((x) => x.d <= 3);
  const best = Math.min(...scored.map((x) => x.d));
  const nearest = scored.filter((x) => x.d === best);
  return nearest.length === 1 ? ` (did you mean \`${nearest[0]!.r}\`?)` : '';
}

export class Engine {
  private readonly rules: readonly Rule[];
  private readonly validators = new Map<DocKind, RuleContext['schemaFor'] extends (k: DocKind) => infer V ? V : never>();

  constructor(private readonly opts: EngineOptions) {
    // A rule off everywhere is never run; one off globally but set for a kind runs for that kind only.
    const kinds = Object.values(opts.config.rulesByKind ?? {});
    this.rules = (opts.rules ?? RULES).filter((r) => opts.config.rules[r.id] !== 'off' || kinds.some((k) => k?.[r.id] !== undefined && k[r.id] !== 'off'));
  }

  private schemaFor(kind: DocKind) {
    if (kind === 'unknown') return undefined;
    if (!this.validators.has(kind)) {
      const schema = this.opts.schemaOverrides?.[kind] ?? loadBundledSchema(kind);
      const validate = compileSchema(schema);
      // Both schema rules ask for the same document's errors: validate it once.
      const memo = new WeakMap<object, ReturnType<typeof formatAjvErrors>>();
      this.validators.set(kind, (data: unknown) => {
        const key = data !== null && typeof data === 'object' ? data : undefined;
        const hit = key ? memo.get(key) : undefined;
        if (hit) return hit;
        const errors = validate(data) ? [] : formatAjvErrors(validate.errors ?? [], data, schema);
        if (key) memo.set(key, errors);
        return errors;
      });
    }
    return this.validators.get(kind);
  }

  severityOf(rule: Rule, problem?: Problem, kind?: DocKind): Severity | 'off' {
    const config = this.opts.config;
    return (kind && config.rulesByKind?.[kind]?.[rule.id]) ?? config.rules[rule.id] ?? problem?.severity ?? rule.defaultSeverity;
  }

  /** Findings of one document against the corpus index (those the filter accepts, when one is given). */
  checkDocument(doc: ParsedDocument, corpus: CorpusIndex, filter?: FindingFilter): Finding[] {
    return this.inspectDocument(doc, corpus, filter).findings;
  }

  /**
   * The document's findings, and those its inline suppressions silenced (counted by every output, never
   * shown). Without a filter, a suppression that gives no reason or names no known rule, and one that
   * silenced nothing of a rule that ran, are findings of their own.
   */
  inspectDocument(doc: ParsedDocument, corpus: CorpusIndex, filter?: FindingFilter): DocumentCheck {
    const found = this.runRules(doc, corpus, filter);
    const suppressions = doc.notPattern ? [] : readSuppressions(doc);
    if (suppressions.length === 0) return { findings: found.findings, suppressed: [] };
    const valid = suppressions.filter((s) => s.reason !== '' && s.rules.length > 0 && s.rules.every((r) => KNOWN_RULES.has(r)));
    const findings: Finding[] = [];
    const suppressed: Finding[] = [];
    const used = new Set<string>();
    for (const f of found.findings) {
      const by = valid.filter((s) => silences(s, f));
      if (by.length === 0) {
        findings.push(f);
        continue;
      }
      suppressed.push(f);
      for (const s of by) used.add(`${s.line}\u0000${f.rule}`);
    }
    if (filter) return { findings, suppressed };
    const emit = (rule: Rule, s: Suppression, target: string, message: string, fix?: Finding['fix']) => {
      const severity = this.severityOf(rule, undefined, doc.kind);
      if (severity === 'off') return;
      const f: Finding = { rule: rule.id, severity, file: doc.file, line: s.line, column: 1, endLine: s.line, message, target };
      if (fix) f.fix = fix;
      findings.push(f);
    };
    const invalid = RULES_BY_ID.get(SUPPRESSION_INVALID)!;
    const unusedRule = RULES_BY_ID.get(SUPPRESSION_UNUSED)!;
    for (const s of suppressions) {
      const where = s.scope === 'file' ? 'file' : 'line';
      const target = `${where}:${s.rules.join(',')}`;
      if (!valid.includes(s)) {
        const unknown = s.rules.filter((r) => !KNOWN_RULES.has(r));
        const why =
          s.rules.length === 0
            ? 'names no rule'
            : unknown.length > 0
              ? `names ${unknown.map((r) => `\`${r}\``).join(', ')}, which ${unknown.length === 1 ? 'is not a rule' : 'are not rules'}${suggestRule(unknown[0]!)}`
              : 'gives no reason';
        emit(
          invalid,
          s,
          target,
          `\`${s.text}\` ${why}, so it silences nothing. Write \`${s.scope === 'file' ? 'gardener-ignore-file' : 'gardener-ignore'} rule-id: why the finding does not apply here\`.`,
        );
        continue;
      }
      const unused = s.rules.filter((r) => found.ran.has(r) && !used.has(`${s.line}\u0000${r}`));
      if (unused.length === 0) continue;
      const alone = doc.line(s.line).trim() === s.text.trim() && unused.length === s.rules.length;
      const scope = s.scope === 'file' ? 'in this file' : s.appliesTo !== undefined ? `on line ${s.appliesTo}` : 'after it';
      emit(
        unusedRule,
        s,
        target,
        `\`${s.text}\`: ${unused.map((r) => `\`${r}\``).join(', ')} found nothing ${scope}; the suppression can go.`,
        alone ? { description: 'Delete the unused suppression comment', edits: [{ line: s.line, endLine: s.line, text: '' }] } : undefined,
      );
    }
    findings.sort(compareFindings);
    return { findings, suppressed };
  }

  private runRules(doc: ParsedDocument, corpus: CorpusIndex, filter?: FindingFilter): { findings: Finding[]; ran: Set<string> } {
    const ctx: RuleContext = {
      corpus,
      config: this.opts.config,
      today: this.opts.today,
      schemaFor: (k) => this.schemaFor(k),
      wants: filter ? (r, t) => filter.target(r, t) : undefined,
    };
    const findings: Finding[] = [];
    const ran = new Set<string>();
    if (doc.notPattern) return { findings, ran };
    const byKind = this.opts.config.rulesByKind?.[doc.kind];
    for (const rule of this.rules) {
      if (!rule.kinds.includes(doc.kind)) continue;
      if (filter && !filter.rules.has(rule.id)) continue;
      const setting = byKind?.[rule.id] ?? this.opts.config.rules[rule.id];
      if (setting === 'off') continue;
      ran.add(rule.id);
      rule.check(doc, ctx, (p) => {
        if (filter && !filter.target(rule.id, p.target)) return;
        const severity = this.severityOf(rule, p, doc.kind);
        if (severity === 'off') return;
        let line = p.line;
        let column = p.column ?? 1;
        if (line === undefined) {
          const loc = doc.locate(p.path ?? []);
          line = loc.line;
          column = p.column ?? loc.column;
        }
        // Findings outlive their document: their strings are copied, not views of the file's text.
        const finding: Finding = {
          rule: rule.id,
          severity,
          file: doc.file,
          line,
          column,
          endLine: Math.max(line, p.endLine ?? line),
          message: detach(p.message),
          target: detach(p.target),
        };
        if (p.fix && p.fix.edits.length > 0)
          finding.fix = { ...p.fix, description: detach(p.fix.description), edits: p.fix.edits.map((e) => ({ ...e, text: detach(e.text) })) };
        if (p.candidates && p.candidates.length > 0) finding.candidates = p.candidates.map((c) => detach(c));
        findings.push(finding);
      });
    }
    return { findings, ran };
  }

  /** Findings of many documents, in the stable order every output uses. */
  checkDocuments(docs: Iterable<ParsedDocument>, corpus: CorpusIndex): Finding[] {
    const all: Finding[] = [];
    for (const d of docs) for (const f of this.checkDocument(d, corpus)) all.push(f);
    return all.sort(compareFindings);
  }
}
