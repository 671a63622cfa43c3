/**
 * Inline suppressions: a comment in a pattern file that names rules and a reason, and silences those
 * rules' findings on one line or in the whole file.
 *
 *   body (HTML comment):      <!-- gardener-ignore links/unknown-target: the page is added next week -->
 *                             <!-- gardener-ignore-file body/word-count: a deliberately short stub -->
 *   frontmatter (YAML):       # gardener-ignore assessment/overall-score: scored by the review board
 *
 * A comment alone on its line applies to the next line that is not blank (and, in the frontmatter, not
 * another comment); a comment after content applies to its own line. Pure: reads the document's text.
 */
import type { ParsedDocument } from './document.js';
import type { Finding } from './finding.js';

export const SUPPRESSION_MARKER = 'gardener-ignore';

export interface Suppression {
  /** Rule ids named, in the order written. */
  rules: string[];
  /** Why; '' when none was given (such a suppression is reported and not applied). */
  reason: string;
  scope: 'line' | 'file';
  /** File line of the comment. */
  line: number;
  /** File line a `line` suppression applies to (undefined when nothing follows it). */
  appliesTo?: number;
  /** The comment as written, for messages. */
  text: string;
}

const HTML = /<!--\s*gardener-ignore(-file)?\b([\s\S]*?)-->/g;
const YAML = /(^|\s)#\s*gardener-ignore(-file)?\b(.*)$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** `rule-a, rule-b: reason` → rules and reason. */
function parseBody(body: string): { rules: string[]; reason: string } {
  const colon = body.indexOf(':');
  const names = colon < 0 ? body : body.slice(0, colon);
  const reason = colon < 0 ? '' : body.slice(colon + 1).trim();
  return { rules: names.split(/[\s,]+/).filter((r) => r !== ''), reason };
}

/** Every suppression comment of the document: frontmatter YAML comments and body HTML comments outside code. */
export function readSuppressions(doc: ParsedDocument): Suppression[] {
  if (!doc.mentions(SUPPRESSION_MARKER)) return [];
  const out: Suppression[] = [];
  const fm = doc.frontmatter;
  if (fm && fm.yaml.includes(SUPPRESSION_MARKER)) {
    const first = fm.openLine + 1;
    const last = fm.closeLine - 1;
    for (let n = first; n <= last; n++) {
      const text = doc.line(n);
      const m = YAML.exec(text);
      if (!m) continue;
      const own = text.slice(0, m.index + m[1]!.length).trim() === '';
      const { rules, reason } = parseBody(m[3]!);
      let appliesTo: number | undefined = n;
      if (own) {
        appliesTo = undefined;
        for (let k = n + 1; k <= last; k++) {
          const t = doc.line(k).trim();
          if (t !== '' && !t.startsWith('#')) {
            appliesTo = k;
            break;
          }
        }
      }
      out.push({ rules, reason, scope: m[2] ? 'file' : 'line', line: n, appliesTo, text: m[0].trim() });
    }
  }
  if (!doc.headOnly) {
    const count = doc.lineCount();
    let fence: string | undefined;
    for (let n = doc.bodyLine; n <= count; n++) {
      const text = doc.line(n);
      const f = FENCE.exec(text);
      if (f) {
        if (fence === undefined) fence = f[1]![0]!.repeat(f[1]!.length);
        else if (f[1]!.startsWith(fence) && text.trim() === f[1]) fence = undefined;
        continue;
      }
      if (fence !== undefined || !text.includes(SUPPRESSION_MARKER)) continue;
      for (const m of text.matchAll(HTML)) {
        const { rules, reason } = parseBody(m[2]!);
        const own = text.replace(HTML, '').trim() === '';
        let appliesTo: number | undefined = n;
        if (own) {
          appliesTo = undefined;
          for (let k = n + 1; k <= count; k++) {
            if (doc.line(k).trim() !== '') {
              appliesTo = k;
              break;
            }
          }
        }
        out.push({ rules, reason, scope: m[1] ? 'file' : 'line', line: n, appliesTo, text: m[0] });
      }
    }
  }
  return out;
}

/** True when `s` silences `f` (the rule is named, and the finding covers the line or `s` is file-wide). */
export function silences(s: Suppression, f: Pick<Finding, 'rule' | 'line' | 'endLine'>): boolean {
  if (!s.rules.includes(f.rule)) return false;
  if (s.scope === 'file') return true;
  return s.appliesTo !== undefined && f.line <= s.appliesTo && s.appliesTo <= Math.max(f.line, f.endLine);
}

/** The summary line for findings silenced by suppressions: the CLI's and the check run's. */
export function suppressedSummary(count: number): string {
  return `${count} finding${count === 1 ? '' : 's'} suppressed inline (\`gardener-ignore\` comments in the files).`;
}
