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

type JsonFinding = JsonReport['findings'][number];

function jsonFinding(f: Finding): JsonFinding {
  return {
    file: f.file,
    rule: f.rule,
    severity: f.severity,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    message: f.message,
    ...(f.fix ? { fix: { description: f.fix.description, edits: f.fix.edits.map((e) => ({ line: e.line, endLine: e.endLine, text: e.text })) } } : {}),
  };
}

export function toJsonReport(files: number, findings: readonly Finding[]): JsonReport {
  return { files, findings: findings.map(jsonFinding), summary: countBy(findings, (f) => f.rule) };
}

export function formatJson(files: number, findings: readonly Finding[]): string {
  return [...formatJsonChunks(files, findings)].join('');
}

/** Findings per chunk of formatJsonChunks. */
const CHUNK = 1000;

/**
 * The json format in pieces, so that a large report is written without ever being one string (the
 * report of 240,000 findings is 138 MB): the exact text of `JSON.stringify(toJsonReport(…), null, 2)`
 * and a newline (JSON strings hold no raw newline, so re-indenting a finding's lines is safe). The
 * findings are read once, in order, and not kept (a generator may make them as it goes).
 */
export function* formatJsonChunks(files: number, findings: Iterable<Finding>): Generator<string> {
  const indent = (value: unknown, by: string) => JSON.stringify(value, null, 2).replaceAll('\n', `\n${by}`);
  const summary: Record<string, number> = {};
  let out = `{\n  "files": ${JSON.stringify(files)},\n  "findings": [`;
  let n = 0;
  for (const f of findings) {
    out += `${n === 0 ? '\n' : ',\n'}    ${indent(jsonFinding(f), '    ')}`;
    summary[f.rule] = (summary[f.rule] ?? 0) + 1;
    if (++n % CHUNK === 0) {
      yield out;
      out = '';
    }
  }
  out += n === 0 ? ']' : '\n  ]';
  yield `${out},\n  "summary": ${indent(summary, '  ')}\n}\n`;
}
