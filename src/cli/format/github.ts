/** GitHub Actions workflow commands: findings show up as annotations in a workflow run. */
import type { Finding } from '../../core/finding.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(findings: readonly Finding[], pathPrefix = ''): string {
  const out: string[] = [];
  for (const f of findings) {
    const level = f.severity === 'notice' ? 'notice' : f.severity;
    const props = [
      `file=${escapeProperty(pathPrefix + f.file)}`,
      `line=${f.line}`,
      `endLine=${f.endLine}`,
      `col=${f.column}`,
      `title=${escapeProperty(f.rule)}`,
    ];
    out.push(`::${level} ${props.join(',')}::${escapeData(f.message + (f.fix ? ` (fix: ${f.fix.description})` : ''))}`);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
