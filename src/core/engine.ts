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
import { RULES } from '../rules/index.js';
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
    const ctx: RuleContext = { corpus, config: this.opts.config, today: this.opts.today, schemaFor: (k) => this.schemaFor(k), wants: filter ? (r, t) => filter.target(r, t) : undefined };
    const findings: Finding[] = [];
    if (doc.notPattern) return findings;
    const byKind = this.opts.config.rulesByKind?.[doc.kind];
    for (const rule of this.rules) {
      if (!rule.kinds.includes(doc.kind)) continue;
      if (filter && !filter.rules.has(rule.id)) continue;
      const setting = byKind?.[rule.id] ?? this.opts.config.rules[rule.id];
      if (setting === 'off') continue;
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
        const finding: Finding = { rule: rule.id, severity, file: doc.file, line, column, endLine: Math.max(line, p.endLine ?? line), message: detach(p.message), target: detach(p.target) };
        if (p.fix && p.fix.edits.length > 0) finding.fix = { ...p.fix, description: detach(p.fix.description), edits: p.fix.edits.map((e) => ({ ...e, text: detach(e.text) })) };
        if (p.candidates && p.candidates.length > 0) finding.candidates = p.candidates.map((c) => detach(c));
        findings.push(finding);
      });
    }
    return findings;
  }

  /** Findings of many documents, in the stable order every output uses. */
  checkDocuments(docs: Iterable<ParsedDocument>, corpus: CorpusIndex): Finding[] {
    const all: Finding[] = [];
    for (const d of docs) for (const f of this.checkDocument(d, corpus)) all.push(f);
    return all.sort(compareFindings);
  }
}
