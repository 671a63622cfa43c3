/** Human-readable output for a terminal. */
import { countBy, type Finding } from '../../core/finding.js';

export function formatText(files: number, findings: readonly Finding[], opts: { color?: boolean } = {}): string {
  const c = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sev = { error: c('31', 'error'), warning: c('33', 'warning'), notice: c('36', 'notice') };
  const out: string[] = [];
  let current = '';
  for (const f of findings) {
    if (f.file !== current) {
      if (current) out.push('');
      out.push(c('1', f.file));
      current = f.file;
    }
    out.push(`  ${f.line}:${f.column}  ${sev[f.severity]}  ${f.message}  ${c('2', f.rule)}`);
    if (f.fix) out.push(`      ${c('32', 'fix:')} ${f.fix.description}`);
  }
  const by = countBy(findings, (f) => f.severity);
  if (out.length > 0) out.push('');
  out.push(`${files} file${files === 1 ? '' : 's'} checked: ${by.error ?? 0} error(s), ${by.warning ?? 0} warning(s), ${by.notice ?? 0} notice(s); ${findings.filter((f) => f.fix).length} fixable.`);
  return `${out.join('\n')}\n`;
}
