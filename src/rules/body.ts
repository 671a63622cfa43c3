/** Body rules: the eight author-written sections of v7.1, the Problem statement and word ranges. */
import type { Section } from '../core/document.js';
import { getPath } from '../core/path.js';
import type { Rule } from './rule.js';

export const SECTION_NAMES = ['Context', 'Problem', 'Solution', 'Implementation', 'Consequences', 'Known Uses', 'Cognitive Era', 'Vitality'] as const;
/** Word ranges per section, from the spec. */
export const SECTION_WORDS: readonly [number, number][] = [
  [100, 200],
  [100, 200],
  [200, 400],
  [300, 500],
  [200, 300],
  [200, 300],
  [150, 250],
  [200, 300],
];

/** "Known Uses (200-300 words)" → "known uses": authors sometimes leave the range hint in the heading. */
function normaliseName(n: string): string {
  return n
    .replace(/\(.*?\)/g, '')
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
}

export function numberedSections(sections: readonly Section[]): Section[] {
  return sections.filter((s) => s.number !== undefined);
}

function normaliseTension(s: string): string {
  return s
    .toLowerCase()
    .replace(/\bversus\b|\bvs\b\.?/g, 'vs')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const CONFLICT_RE = /^(\s*>\s*)\*\*The core conflict is (.*?)\.?\*\*\s*$/i;

export const bodyRules: Rule[] = [
  {
    id: 'body/sections',
    defaultSeverity: 'error',
    kinds: ['commons-pattern'],
    description: 'One of the eight `### Section N: Name` body sections is missing, repeated, misnamed or out of order.',
    fix: 'Corrects a misnamed heading.',
    check(doc, _ctx, report) {
      const found = numberedSections(doc.sections());
      const byNumber = new Map<number, Section[]>();
      for (const s of found) {
        const list = byNumber.get(s.number as number) ?? [];
        list.push(s);
        byNumber.set(s.number as number, list);
      }
      let previousEnd = doc.bodyLine;
      for (let n = 1; n <= SECTION_NAMES.length; n++) {
        const name = SECTION_NAMES[n - 1] as string;
        const list = byNumber.get(n) ?? [];
        if (list.length === 0) {
          report({
            target: `section:${n}`,
            line: Math.min(previousEnd + 1, doc.lineCount()),
            column: 1,
            message: `The body has no \`### Section ${n}: ${name}\`. Every pattern has the eight sections Context, Problem, Solution, Implementation, Consequences, Known Uses, Cognitive Era and Vitality.`,
          });
          continue;
        }
        const first = list[0] as Section;
        previousEnd = first.endLine;
        for (const dup of list.slice(1)) {
          report({ target: `section:${n}:duplicate`, line: dup.line, column: 1, message: `\`Section ${n}\` appears again here (first at line ${first.line}).` });
        }
        if (normaliseName(first.name) !== normaliseName(name)) {
          const text = doc.line(first.line);
          const hashes = /^#+/.exec(text)?.[0] ?? '###';
          report({
            target: `section:${n}:name`,
            line: first.line,
            column: 1,
            message: `Section ${n} is called "${first.name.slice(0, 60)}"; the spec calls it "${name}".`,
            fix: { description: `Rename to "Section ${n}: ${name}"`, edits: [{ line: first.line, endLine: first.line, text: `${hashes} Section ${n}: ${name}\n` }] },
          });
        }
      }
      let maxSoFar = 0;
      for (const s of found) {
        const n = s.number as number;
        if (n < maxSoFar) report({ target: `section:${n}:order`, line: s.line, column: 1, message: `Section ${n} comes after Section ${maxSoFar}; keep the sections in order 1 to 8.` });
        maxSoFar = Math.max(maxSoFar, n);
      }
    },
  },
  {
    id: 'body/problem-tension',
    defaultSeverity: 'warning',
    kinds: ['commons-pattern'],
    description: "The Problem section's bold statement does not name `ontology.search_hints.primary_tension`.",
    fix: 'Rewrites the statement `> **The core conflict is …**` with the primary tension.',
    check(doc, _ctx, report) {
      const tension = getPath(doc.frontmatter?.data, ['ontology', 'search_hints', 'primary_tension']);
      if (typeof tension !== 'string' || tension.trim() === '') return;
      const problem = numberedSections(doc.sections()).find((s) => s.number === 2);
      if (!problem) return;
      let statementLine = -1;
      let boldLine = -1;
      for (let i = problem.line; i < problem.endLine; i++) {
        const l = doc.line(i + 1);
        if (CONFLICT_RE.test(l)) {
          statementLine = i + 1;
          break;
        }
        if (boldLine < 0 && /\*\*[^*]+\*\*/.test(l)) boldLine = i + 1;
      }
      const want = `The core conflict is ${tension.trim().replace(/\.$/, '')}.`;
      if (statementLine < 0) {
        report({
          target: 'problem-statement',
          line: boldLine > 0 ? boldLine : problem.line,
          column: 1,
          message: `The Problem section should open with the bold statement \`> **${want}**\`, naming the primary tension from the frontmatter.`,
        });
        return;
      }
      const statement = CONFLICT_RE.exec(doc.line(statementLine)) as RegExpExecArray;
      const stated = statement[2] as string;
      if (normaliseTension(stated).includes(normaliseTension(tension))) return;
      const prefix = statement[1] as string;
      report({
        target: 'problem-statement',
        line: statementLine,
        column: 1,
        message: `The Problem statement names "${stated.slice(0, 80)}", but the primary tension in the frontmatter is "${tension.slice(0, 80)}".`,
        fix: { description: 'Name the primary tension', edits: [{ line: statementLine, endLine: statementLine, text: `${prefix}**${want}**\n` }] },
      });
    },
  },
  {
    id: 'body/word-count',
    defaultSeverity: 'notice',
    kinds: ['commons-pattern'],
    description: "A section's word count is outside the spec's range for it.",
    check(doc, _ctx, report) {
      for (const s of numberedSections(doc.sections())) {
        const n = s.number as number;
        const range = SECTION_WORDS[n - 1];
        if (!range) continue;
        const [min, max] = range;
        if (s.words >= min && s.words <= max) continue;
        report({
          target: `section:${n}:words`,
          line: s.line,
          column: 1,
          endLine: s.endLine,
          message: `Section ${n} (${SECTION_NAMES[n - 1]}) has ${s.words} words; the spec asks for ${min}–${max}.`,
        });
      }
    },
  },
];
