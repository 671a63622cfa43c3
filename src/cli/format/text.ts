/**
 * Human-readable output. A repository that drifted from the spec can have thousands of findings; a
 * maintainer needs the few decisions they add up to. So: repeated deviations first (one item each,
 * with examples and a ready change), then the other findings by rule (a few each), then a table per
 * rule and one summary line. The json and sarif formats still list every finding.
 */
import { groupDrift, DRIFT_MIN_FILES } from '../../core/drift.js';
import { countBy, SEVERITIES, type Finding, type Severity } from '../../core/finding.js';

export interface TextOptions {
  color?: boolean;
  /** Findings listed per rule outside drift groups; 0 lists all. Default 10. */
  maxPerRule?: number;
  /** Files a repeated deviation must span to be folded into one item; 0 never folds. */
  driftMinFiles?: number;
  /** Lines printed after the summary (baseline and fix reports). */
  notes?: string[];
}

export const DEFAULT_MAX_PER_RULE = 10;

const RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : /(s|x|sh|ch)$/.test(word) ? 'es' : 's'}`;

export function formatText(files: number, findings: readonly Finding[], opts: TextOptions = {}): string {
  const c = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor = { error: '31', warning: '33', notice: '36' } as const;
  const sev = (s: Severity) => c(sevColor[s], s);
  const maxPerRule = opts.maxPerRule ?? DEFAULT_MAX_PER_RULE;
  const out: string[] = [];
  const where = (f: Finding) => `${f.file}:${f.line}:${f.column}`;

  const minFiles = opts.driftMinFiles ?? DRIFT_MIN_FILES;
  const { groups, rest } = minFiles > 0 ? groupDrift(findings, { minFiles }) : { groups: [], rest: [...findings] };
  groups.sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.files - a.files);
  if (groups.length > 0) {
    out.push(
      c(
        '1',
        `Repeated across files: ${plural(groups.length, 'deviation')}, ${plural(
          groups.reduce((n, g) => n + g.findings.length, 0),
          'finding',
        )} (decide each once)`,
      ),
    );
    groups.forEach((g, i) => {
      out.push(
        `${String(i + 1).padStart(3)}. ${sev(g.severity)} ${c('2', g.rule)} in ${plural(g.files, 'file')}${g.findings.length > g.files ? ` (${g.findings.length} times)` : ''}: ${g.examples[0]?.message ?? ''}`,
      );
      out.push(`       e.g. ${g.examples.map(where).join(', ')}`);
      g.advice.forEach((a, j) => out.push(`       ${c('32', j === 0 ? 'do:' : 'or:')} ${a}`));
    });
    out.push('');
  }

  const byRule = new Map<string, Finding[]>();
  for (const f of rest) {
    const list = byRule.get(f.rule);
    if (list) list.push(f);
    else byRule.set(f.rule, [f]);
  }
  let hidden = 0;
  const capped = maxPerRule > 0 && [...byRule.values()].some((l) => l.length > maxPerRule);
  if (groups.length === 0 && !capped) {
    // Few findings: every one, file by file, as in an editor's problem list.
    let current = '';
    for (const f of rest) {
      if (f.file !== current) {
        if (current) out.push('');
        out.push(c('1', f.file));
        current = f.file;
      }
      out.push(`  ${f.line}:${f.column}  ${sev(f.severity)}  ${f.message}  ${c('2', f.rule)}`);
      if (f.fix) out.push(`      ${c('32', 'fix:')} ${f.fix.description}`);
    }
    if (rest.length > 0) out.push('');
  } else {
    const rules = [...byRule.entries()].sort(([ra, a], [rb, b]) => RANK[worst(a)] - RANK[worst(b)] || b.length - a.length || (ra < rb ? -1 : 1));
    if (rules.length > 0 && groups.length > 0) out.push(c('1', 'Other findings, by rule:'));
    for (const [rule, list] of rules) {
      const fixable = list.filter((f) => f.fix).length;
      out.push(`${sev(worst(list))}  ${c('1', rule)}  ${plural(list.length, 'finding')}${fixable > 0 ? `, ${fixable} fixable` : ''}`);
      const shown = maxPerRule > 0 ? list.slice(0, maxPerRule) : list;
      for (const f of shown) {
        out.push(`  ${where(f)}  ${f.severity === worst(list) ? '' : `${sev(f.severity)}  `}${f.message}`);
        if (f.fix) out.push(`      ${c('32', 'fix:')} ${f.fix.description}`);
      }
      if (list.length > shown.length) {
        hidden += list.length - shown.length;
        out.push(c('2', `  … ${list.length - shown.length} more`));
      }
    }
    if (rules.length > 0) out.push('');
  }

  if (findings.length > 0) out.push(...ruleTable(findings), '');
  const by = countBy(findings, (f) => f.severity);
  const fixable = findings.filter((f) => f.fix).length;
  out.push(`${plural(files, 'file')} checked: ${by.error ?? 0} error(s), ${by.warning ?? 0} warning(s), ${by.notice ?? 0} notice(s); ${fixable} fixable.`);
  const next: string[] = [];
  if (fixable > 0) next.push(`gardener check --fix applies the ${plural(fixable, 'fix')}`);
  if (hidden > 0) next.push(`--max-per-rule 0 lists the ${hidden} not shown (or --format json)`);
  if (groups.length > 0 || capped) next.push('gardener baseline records the rest, so that check reports only new findings');
  if (next.length > 0) out.push(`Next: ${next.join('; ')}.`);
  out.push(...(opts.notes ?? []));
  return `${out.join('\n')}\n`;
}

function worst(list: readonly Finding[]): Severity {
  let w: Severity = 'notice';
  for (const f of list) if (RANK[f.severity] < RANK[w]) w = f.severity;
  return w;
}

/** One row per rule (most severe, then most frequent first) and a total. */
export function ruleTable(findings: readonly Finding[]): string[] {
  const rows = new Map<string, Record<Severity | 'fixable', number>>();
  for (const f of findings) {
    const r = rows.get(f.rule) ?? { error: 0, warning: 0, notice: 0, fixable: 0 };
    r[f.severity]++;
    if (f.fix) r.fixable++;
    rows.set(f.rule, r);
  }
  const total = { error: 0, warning: 0, notice: 0, fixable: 0 };
  const sorted = [...rows.entries()].sort(([ra, a], [rb, b]) => b.error - a.error || b.warning - a.warning || b.notice - a.notice || (ra < rb ? -1 : 1));
  for (const [, r] of sorted) for (const k of [...SEVERITIES, 'fixable'] as const) total[k] += r[k];
  const width = Math.max(5, ...sorted.map(([rule]) => rule.length));
  const line = (name: string, r: Record<Severity | 'fixable', number>) =>
    `${name.padEnd(width)}  ${[r.error, r.warning, r.notice, r.fixable].map((n) => String(n).padStart(7)).join(' ')}`;
  return [
    `${'rule'.padEnd(width)}  ${['error', 'warning', 'notice', 'fixable'].map((h) => h.padStart(7)).join(' ')}`,
    ...sorted.map(([rule, r]) => line(rule, r)),
    line('total', total),
  ];
}
