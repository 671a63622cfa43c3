/** The json format: a contract other tools rely on (see README). Do not rename fields. */
import { countBy, type Finding } from '../../core/finding.js';

export interface JsonReport {
  files: number;
  findings: {
    file: string;
    rule: string;
    severity: string;
    line: number;
    column: number;
    endLine: number;
    message: string;
    fix?: { description: string; edits: { line: number; endLine: number; text: string }[] };
  }[];
  summary: Record<string, number>;
}

export function toJsonReport(files: number, findings: readonly Finding[]): JsonReport {
  return {
    files,
    findings: findings.map((f) => ({
      file: f.file,
      rule: f.rule,
      severity: f.severity,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      message: f.message,
      ...(f.fix ? { fix: { description: f.fix.description, edits: f.fix.edits.map((e) => ({ line: e.line, endLine: e.endLine, text: e.text })) } } : {}),
    })),
    summary: countBy(findings, (f) => f.rule),
  };
}

export function formatJson(files: number, findings: readonly Finding[]): string {
  return `${JSON.stringify(toJsonReport(files, findings), null, 2)}\n`;
}
