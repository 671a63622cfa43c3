/** The rule contract: a rule reads one document (and the corpus index) and reports problems. */
import type { GardenerConfig } from '../core/config.js';
import type { CorpusIndex } from '../core/corpus.js';
import type { CalendarDate } from '../core/dates.js';
import type { DocKind, ParsedDocument } from '../core/document.js';
import type { Fix, Severity } from '../core/finding.js';
import type { KeyPath } from '../core/path.js';

export interface RuleContext {
  corpus: CorpusIndex;
  config: GardenerConfig;
  today: CalendarDate;
  /** Compiled schema validators per kind (repository overrides applied). */
  schemaFor(kind: DocKind): ((data: unknown) => { keyPath: KeyPath; message: string; keyword: string }[]) | undefined;
  /**
   * Set when only some findings are wanted (a pull request's files outside its diff): false for a problem
   * target the caller drops, so that a rule can skip building its message and fix. Asking is optional:
   * the engine drops unwanted problems either way.
   */
  wants?: (rule: string, target: string) => boolean;
}

export interface Problem {
  /** What the finding is about, stable across edits (key path, link target, section name). */
  target: string;
  /** Where: a frontmatter key path (located lazily) or explicit lines. */
  path?: KeyPath;
  line?: number;
  column?: number;
  endLine?: number;
  message: string;
  fix?: Fix;
  candidates?: string[];
  /** Overrides the rule's severity for this one problem (e.g. a softer case). */
  severity?: Severity;
}

export interface Rule {
  /** Stable id, `group/name`. Never renamed: configs and fingerprints use it. */
  id: string;
  defaultSeverity: Severity;
  /** Kinds the rule applies to. */
  kinds: readonly DocKind[];
  /** One line for the rules reference: what triggers it. */
  description: string;
  /** What the fix does, when the rule offers one. */
  fix?: string;
  check(doc: ParsedDocument, ctx: RuleContext, report: (p: Problem) => void): void;
}

export const PATTERN_KINDS: readonly DocKind[] = ['commons-pattern', 'commons-pattern-legacy'];
export const ALL_KINDS: readonly DocKind[] = ['commons-pattern', 'commons-pattern-legacy', 'obsidian-note', 'unknown'];
