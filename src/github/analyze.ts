/**
 * Which findings one pull request produces, from snapshots (pure: no HTTP).
 * - every changed pattern file present at head is checked;
 * - a deleted or renamed pattern whose slug no longer exists at head → the `links/unknown-target`
 *   findings of every pattern that still links to it (base index inbound links vs head index);
 * - a new reciprocal-type link → the counterpart's `links/reciprocal` finding.
 * Files outside the diff only contribute findings caused by the PR.
 *
 * `judgeAgainstBase` then splits those findings into what the PR introduces and what was already there,
 * by fingerprint against the same checks run on the base snapshot (a renamed file under its previous
 * name), and `foldRepeatedNotices` says a notice repeated across files once.
 */
import type { FileSelector } from '../core/config.js';
import type { Engine, FindingFilter } from '../core/engine.js';
import { compareFindings, fingerprint, type Finding } from '../core/finding.js';
import { INVERSE_TYPE, RECIPROCAL_TYPES } from '../core/links.js';
import type { ChangedFile } from './pull-files.js';
import type { Snapshot } from './snapshot.js';

export interface Analysis {
  /** Every finding, in the stable order. */
  findings: Finding[];
  /** Changed pattern files (present at head) that were checked. */
  checked: string[];
  /** Files outside the diff that were checked for cross-file effects. */
  crossFiles: string[];
  /** Changed paths that the selector picks but the tarball did not deliver (too large, unsafe). */
  missing: string[];
  /** Findings silenced by `gardener-ignore` comments in the checked files. */
  suppressed: number;
}

export interface AnalyzeInput {
  engine: Engine;
  selector: FileSelector;
  head: Snapshot;
  /** Needed only when the PR removes or renames pattern files. */
  base?: Snapshot;
  files: readonly ChangedFile[];
}

/** True when the PR deletes or renames a selected file (then the base snapshot is needed). */
export function needsBase(files: readonly ChangedFile[], selector: FileSelector): boolean {
  return files.some(
    (f) =>
      (f.status === 'removed' && selector.selects(f.filename)) || (f.status === 'renamed' && !!f.previous_filename && selector.selects(f.previous_filename)),
  );
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1).replace(/\.(md|markdown)$/i, '');
}

export function analyzePullRequest(input: AnalyzeInput): Analysis {
  const { engine, selector, head, base, files } = input;
  const index = head.index;
  const findings: Finding[] = [];
  const checked: string[] = [];
  const missing: string[] = [];
  const changed = new Set<string>();
  let suppressed = 0;
  for (const f of files) {
    if (f.status === 'removed' || !selector.selects(f.filename)) continue;
    changed.add(f.filename);
    const doc = head.doc(f.filename);
    if (!doc) {
      missing.push(f.filename);
      continue;
    }
    checked.push(f.filename);
    const r = engine.inspectDocument(doc, index);
    findings.push(...r.findings);
    suppressed += r.suppressed.length;
  }

  // Cross-file effects: file → the findings caused by this PR (rule, and a test of the finding's target).
  // The engine runs only those rules there and lets them skip the other targets (a hub pattern with
  // hundreds of missing reciprocals is asked about one).
  const cross = new Map<string, { rule: string; target: (t: string) => boolean }[]>();
  const want = (file: string, rule: string, target: (t: string) => boolean) => {
    if (changed.has(file) || !head.has(file)) return;
    const l = cross.get(file);
    if (l) l.push({ rule, target });
    else cross.set(file, [{ rule, target }]);
  };

  // Deleted / renamed patterns still linked from elsewhere.
  for (const f of files) {
    const gone = f.status === 'removed' ? f.filename : f.status === 'renamed' ? f.previous_filename : undefined;
    if (!gone || !selector.selects(gone) || head.has(gone)) continue;
    const old = base?.index.entries.get(gone);
    const names = new Set<string>([old?.slug ?? basename(gone)]);
    if (old?.id) names.add(old.id);
    for (const name of names) {
      if (index.resolvePattern(name)) continue; // another pattern (or the renamed file) still answers to it
      const linking = new Set<string>();
      for (const l of index.inbound(name)) linking.add(l.file);
      if (base) for (const l of base.index.inbound(name)) if (index.entries.has(l.file)) linking.add(l.file);
      for (const file of linking) want(file, 'links/unknown-target', (t) => t.endsWith(`:${name}`));
    }
  }

  // Reciprocal counterparts of the changed patterns' relationship links.
  for (const file of checked) {
    const entry = index.entries.get(file);
    if (!entry) continue;
    for (const link of entry.links) {
      if (link.source !== 'relationships' || !RECIPROCAL_TYPES.has(link.type) || !link.target) continue;
      const slug = index.resolvePattern(link.target);
      const counterpart = slug ? index.entryBySlug(slug) : undefined;
      if (!counterpart || counterpart.file === file) continue;
      const inverse = INVERSE_TYPE[link.type];
      want(counterpart.file, 'links/reciprocal', (t) => t === `${inverse}:${entry.slug}`);
    }
  }

  const crossFiles: string[] = [];
  for (const [file, wants] of cross) {
    const doc = head.doc(file);
    if (!doc) continue;
    crossFiles.push(file);
    const filter: FindingFilter = { rules: new Set(wants.map((w) => w.rule)), target: (rule, t) => wants.some((w) => w.rule === rule && w.target(t)) };
    const r = engine.inspectDocument(doc, index, filter);
    for (const x of r.findings) findings.push(x);
    suppressed += r.suppressed.length;
  }
  findings.sort(compareFindings);
  return { findings: dedupe(findings), checked, crossFiles: crossFiles.sort(), missing, suppressed };
}

/** The path a changed file had at the base, or undefined when it did not exist there. */
export function basePathOf(f: ChangedFile): string | undefined {
  if (f.status === 'added' || f.status === 'copied') return undefined;
  return f.status === 'renamed' && f.previous_filename ? f.previous_filename : f.filename;
}

/**
 * True when some finding may have been there before the PR: it sits in a file that existed at the base
 * (only then is the base worth reading; findings in added files are all new).
 */
export function mayPreExist(findings: readonly Finding[], files: readonly ChangedFile[]): boolean {
  const inDiff = new Map(files.map((f) => [f.filename, f]));
  return findings.some((x) => {
    const f = inDiff.get(x.file);
    return !f || basePathOf(f) !== undefined;
  });
}

export interface Judged {
  /** Findings present at head and absent at the base. */
  introduced: Finding[];
  /** Findings present at both (same fingerprint; a renamed file matched under its previous name). */
  preExisting: Finding[];
}

/**
 * Splits the PR's findings by the base: each file with findings is checked again at the base (a renamed
 * file under its previous name, its findings then carrying the new name; a file outside the diff under its
 * own), against the base index, asked only about the rules and targets of its head findings.
 */
export function judgeAgainstBase(input: { engine: Engine; base: Snapshot; files: readonly ChangedFile[]; findings: readonly Finding[] }): Judged {
  const { engine, base, files, findings } = input;
  const asked = new Map<string, { rules: Set<string>; keys: Set<string> }>();
  for (const f of findings) {
    const a = asked.get(f.file) ?? { rules: new Set<string>(), keys: new Set<string>() };
    a.rules.add(f.rule);
    a.keys.add(`${f.rule}\0${f.target}`);
    asked.set(f.file, a);
  }
  const inDiff = new Map(files.map((f) => [f.filename, f]));
  const before = new Set<string>();
  for (const [file, a] of asked) {
    const changed = inDiff.get(file);
    const path = changed ? basePathOf(changed) : file;
    const doc = path === undefined ? undefined : base.doc(path);
    if (!doc) continue;
    const filter: FindingFilter = { rules: a.rules, target: (rule, t) => a.keys.has(`${rule}\0${t}`) };
    for (const x of engine.checkDocument(doc, base.index, filter)) before.add(fingerprint({ rule: x.rule, file, target: x.target }));
  }
  const introduced: Finding[] = [];
  const preExisting: Finding[] = [];
  for (const f of findings) (before.has(fingerprint(f)) ? preExisting : introduced).push(f);
  return { introduced, preExisting };
}

/** Files named in a folded notice at most (the check summary's by-file table has them all). */
const FOLDED_NAMES = 10;

/**
 * A notice with the same message in several files ("predates v7.1") is said once per pull request: the
 * first one stands for the group and names the other files, so a bulk PR gets one comment and one
 * annotation for it instead of one per file. Errors and warnings, and anything with a fix, stay per file.
 */
export function foldRepeatedNotices(findings: readonly Finding[]): { said: Finding[]; folded: number } {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.severity !== 'notice' || f.fix) continue;
    const k = `${f.rule}\0${f.message}`;
    const g = groups.get(k);
    if (g) g.push(f);
    else groups.set(k, [f]);
  }
  const stand = new Map<Finding, Finding>();
  const drop = new Set<Finding>();
  for (const g of groups.values()) {
    const others = [...new Set(g.map((f) => f.file))].slice(1);
    if (others.length === 0) continue;
    const first = g[0]!;
    const names = others
      .slice(0, FOLDED_NAMES)
      .map((p) => `\`${p}\``)
      .join(', ');
    const more = others.length > FOLDED_NAMES ? `, and ${others.length - FOLDED_NAMES} more` : '';
    stand.set(first, {
      ...first,
      message: `${first.message}\n\nThe same notice applies to ${others.length} other file(s) of this pull request: ${names}${more}.`,
    });
    for (const f of g.slice(1)) drop.add(f);
  }
  if (drop.size === 0) return { said: [...findings], folded: 0 };
  return { said: findings.filter((f) => !drop.has(f)).map((f) => stand.get(f) ?? f), folded: drop.size };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.rule}\0${f.file}\0${f.target}\0${f.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
