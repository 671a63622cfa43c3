/** Body rules: the eight author-written sections of v7.1, the Problem statement and word ranges. */
import type { ParsedDocument, Section } from '../core/document.js';
import type { Fix } from '../core/finding.js';
import { scalarValueFix } from '../core/fixes.js';
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
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
}

/** A heading's name as the spec's name, or the spec's name followed by a subtitle ("Vitality — The Quality …"). */
function namesSection(name: string, specName: string): boolean {
  const n = normaliseName(name);
  const want = specName.toLowerCase();
  return n === want || n.startsWith(`${want} `);
}

/** A body section as the spec numbers it, whichever heading form the author used. */
export interface BodySection {
  section: Section;
  number: number;
  /** `### Section N: Name` (the spec's form) or `### N. Name`. */
  form: 'spec' | 'numbered';
}

/** `### 6. Known Uses`, `## 7) Cognitive Era Considerations`: a number, then the name of that section. */
const NUMBERED_HEADING = /^(\d)[ \t]*[.):][ \t]+(.+)$/;

/**
 * The numbered body sections: `### Section N: Name` headings, and `### N. Name` headings whose name is
 * the spec's name for N (levels 1–3 only, so a numbered step inside Implementation never counts).
 */
export function bodySections(doc: ParsedDocument): BodySection[] {
  const out: BodySection[] = [];
  for (const s of doc.sections()) {
    if (s.number !== undefined) {
      out.push({ section: s, number: s.number, form: 'spec' });
      continue;
    }
    if (s.level > 3) continue;
    const m = NUMBERED_HEADING.exec(s.heading);
    const n = m ? Number(m[1]) : 0;
    if (m && n >= 1 && n <= SECTION_NAMES.length && namesSection(m[2] as string, SECTION_NAMES[n - 1] as string))
      out.push({ section: s, number: n, form: 'numbered' });
  }
  return out;
}

/** "1, 2 and 5" */
function listWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Sections 5, 6, 7, 8 → "Sections 5–8"; a single one → "Section 5". */
function sectionRange(numbers: readonly number[]): string {
  if (numbers.length === 1) return `Section ${numbers[0]}`;
  const consecutive = numbers.every((n, i) => i === 0 || n === (numbers[i - 1] as number) + 1);
  return consecutive ? `Sections ${numbers[0]}–${numbers[numbers.length - 1]}` : `Sections ${listWords(numbers.map(String))}`;
}

/** Words that connect or introduce the two sides of a tension, not part of what it names. */
const TENSION_FILLER = new Set([
  'the',
  'a',
  'an',
  'and',
  'or',
  'vs',
  'versus',
  'v',
  'against',
  'between',
  'of',
  'to',
  'in',
  'on',
  'for',
  'with',
  'from',
  'over',
  'its',
  'their',
  'our',
  'your',
  'his',
  'her',
]);

/** The words a tension names: lower case, split at anything but letters and digits, connectives and articles dropped. */
function tensionWords(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '' && !TENSION_FILLER.has(w));
}

/** "Belonging vs. In", "The vs. Paradox": a side of the tension that names nothing. */
function hasEmptySide(tension: string): boolean {
  const sides = tension.split(/\s+(?:vs\.?|versus|v\.?|against|↔|<->)\s+/i);
  if (sides.length < 2) return false;
  const weak = new Set([...TENSION_FILLER, 'is', 'at', 'by', 'as', 'it']);
  return sides.some((side) =>
    side
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .every((w) => w === '' || weak.has(w)),
  );
}

/** Plural and singular forms name the same thing ("Boundaries" and "Boundary"). */
function stem(w: string): string {
  return w.length > 4 ? w.replace(/(ies|es|s)$/, '') : w;
}

/** Whether the statement names every word of the tension, in any order and with any connectives. */
function namesTension(stated: string, tension: string): boolean {
  const have = new Set(tensionWords(stated).map(stem));
  const want = tensionWords(tension).map(stem);
  return want.length > 0 && want.every((w) => have.has(w));
}

/** `> **The core conflict is A vs. B.**` (the spec's wording; "tension" for "conflict" is accepted). */
const CONFLICT_RE = /^(\s*>\s*|\s*)\*\*The core (?:conflict|tension) is (.*?)\.?\*\*\s*$/i;

export const bodyRules: Rule[] = [
  {
    id: 'body/sections',
    defaultSeverity: 'error',
    kinds: ['commons-pattern'],
    description:
      'The eight body sections are not all there as `### Section N: Name` headings, once each and in order: one finding per file naming every section missing, repeated, misnamed, out of order or headed `### N. Name`.',
    fix: 'Renames `### N. Name` headings to `### Section N: Name`, keeping the rest of the heading (a subtitle after `:` follows an em dash).',
    check(doc, _ctx, report) {
      const found = bodySections(doc);
      const byNumber = new Map<number, BodySection[]>();
      for (const b of found) {
        const list = byNumber.get(b.number) ?? [];
        list.push(b);
        byNumber.set(b.number, list);
      }
      const missing: number[] = [];
      const repeated: BodySection[] = [];
      const renames: { b: BodySection; text: string; why: 'form' | 'name' }[] = [];
      let firstMissingLine = 0;
      let previousEnd = doc.bodyLine;
      for (let n = 1; n <= SECTION_NAMES.length; n++) {
        const name = SECTION_NAMES[n - 1] as string;
        const list = byNumber.get(n) ?? [];
        const first = list[0];
        if (!first) {
          if (missing.length === 0) firstMissingLine = Math.min(previousEnd + 1, doc.lineCount());
          missing.push(n);
          continue;
        }
        previousEnd = first.section.endLine;
        repeated.push(...list.slice(1));
        const rename = renamedHeading(doc.line(first.section.line), first, name);
        if (rename) renames.push({ b: first, ...rename });
      }
      const outOfOrder: BodySection[] = [];
      let maxSoFar = 0;
      for (const b of found) {
        if (b.number < maxSoFar && !repeated.includes(b)) outOfOrder.push(b);
        maxSoFar = Math.max(maxSoFar, b.number);
      }
      if (missing.length === 0 && repeated.length === 0 && outOfOrder.length === 0 && renames.length === 0) return;

      const sentences: string[] = [];
      const codes: string[] = [];
      if (missing.length > 0) {
        const names = missing.map((n) => SECTION_NAMES[n - 1] as string);
        sentences.push(
          `The body has no ${missing.length === 1 ? `\`### Section ${missing[0]}: ${names[0]}\`` : `${sectionRange(missing)} (${listWords(names)})`}; the spec asks for eight sections, Context to Vitality.`,
        );
        codes.push(`missing:${missing.join(',')}`);
      }
      if (repeated.length > 0) {
        const numbers = [...new Set(repeated.map((b) => b.number))].sort((a, b) => a - b);
        sentences.push(
          `${sectionRange(numbers)} ${numbers.length === 1 ? 'appears' : 'appear'} again from line ${Math.min(...repeated.map((b) => b.section.line))}; each section is written once.`,
        );
        codes.push(`repeated:${numbers.join(',')}`);
      }
      if (outOfOrder.length > 0) {
        const b = outOfOrder[0] as BodySection;
        sentences.push(`Section ${b.number} (line ${b.section.line}) comes after a later section; keep the sections in order 1 to 8.`);
        codes.push(`order:${outOfOrder.map((x) => x.number).join(',')}`);
      }
      const reform = renames.filter((r) => r.why === 'form');
      const renamed = renames.filter((r) => r.why === 'name');
      if (reform.length > 0) {
        const example = reform[0] as (typeof reform)[number];
        sentences.push(
          `${reform.length === 1 ? 'A heading is' : `${reform.length} headings are`} written \`${doc.line(example.b.section.line).trim().slice(0, 60)}\`; the spec writes \`${example.text.trim().slice(0, 60)}\`.`,
        );
        codes.push('form');
      }
      for (const r of renamed) {
        sentences.push(`Section ${r.b.number} is called "${r.b.section.name.slice(0, 60)}"; the spec calls it "${SECTION_NAMES[r.b.number - 1]}".`);
        codes.push(`name:${r.b.number}`);
      }
      const lines = [
        ...(missing.length > 0 ? [firstMissingLine] : []),
        ...repeated.map((b) => b.section.line),
        ...outOfOrder.map((b) => b.section.line),
        ...renames.map((r) => r.b.section.line),
      ];
      // Only the heading form is fixed: a heading that names something else keeps the author's words
      // until the author renames it.
      const fix: Fix | undefined =
        reform.length > 0
          ? {
              description:
                reform.length === 1
                  ? `Rename the heading to \`${(reform[0] as (typeof reform)[number]).text.trim()}\``
                  : `Rename ${reform.length} headings to \`### Section N: Name\``,
              edits: reform.map((r) => ({ line: r.b.section.line, endLine: r.b.section.line, text: `${r.text}\n` })),
            }
          : undefined;
      report({ target: `sections:${codes.join(';')}`, line: Math.min(...lines), column: 1, message: sentences.join(' '), fix });
    },
  },
  {
    id: 'body/problem-tension',
    defaultSeverity: 'warning',
    kinds: ['commons-pattern'],
    description:
      "The Problem section's bold statement (`> **The core conflict is …**`) does not name `ontology.search_hints.primary_tension` (any order, articles or connectives), or the tension itself has a side that names nothing (`The vs. Paradox`).",
    fix: 'Fills a primary tension with an empty side from the Problem statement, when that names both sides (`A vs. B`).',
    check(doc, _ctx, report) {
      const tension = getPath(doc.frontmatter?.data, ['ontology', 'search_hints', 'primary_tension']);
      if (typeof tension !== 'string' || tension.trim() === '') return;
      const problem = bodySections(doc).find((b) => b.number === 2)?.section;
      if (!problem) return;
      let statementLine = -1;
      for (let i = problem.line + 1; i <= problem.endLine; i++) {
        if (CONFLICT_RE.test(doc.line(i))) {
          statementLine = i;
          break;
        }
      }
      const stated = statementLine > 0 ? ((CONFLICT_RE.exec(doc.line(statementLine)) as RegExpExecArray)[2] as string).trim() : undefined;
      const tensionPath = ['ontology', 'search_hints', 'primary_tension'];
      if (hasEmptySide(tension)) {
        // The frontmatter is what is broken: a statement that names two real sides is the better source.
        const usable = stated !== undefined && !hasEmptySide(stated) && /\s(?:vs\.?|versus)\s/i.test(stated) ? stated : undefined;
        report({
          target: 'primary-tension',
          path: tensionPath,
          message: `The primary tension \`${tension.slice(0, 80)}\` has a side that names nothing${usable ? `; the Problem statement names "${usable.slice(0, 80)}"` : ''}. Name both sides of the tension.`,
          fix: usable ? scalarValueFix(doc, tensionPath, usable, `Set primary_tension to "${usable.slice(0, 60)}"`) : undefined,
        });
        return;
      }
      const want = `The core conflict is ${tension.trim().replace(/\.$/, '')}.`;
      if (stated === undefined) {
        report({
          target: 'problem-statement',
          line: problem.line,
          column: 1,
          message: `The Problem section has no bold statement \`> **${want}**\` naming the primary tension from the frontmatter.`,
        });
        return;
      }
      if (namesTension(stated, tension)) return;
      // Which of the two is right is the author's call: no fix.
      report({
        target: 'problem-statement',
        line: statementLine,
        column: 1,
        message: `The Problem statement names "${stated.slice(0, 80)}", but the primary tension in the frontmatter is "${tension.slice(0, 80)}". Make them name the same tension.`,
      });
    },
  },
  {
    id: 'body/word-count',
    defaultSeverity: 'notice',
    kinds: ['commons-pattern'],
    description: "Sections whose word counts are outside the spec's ranges by more than `wordCountTolerance` (default 10%): one notice per file.",
    check(doc, ctx, report) {
      const tolerance = ctx.config.wordCountTolerance;
      const off: { b: BodySection; min: number; max: number }[] = [];
      const seen = new Set<number>();
      for (const b of bodySections(doc)) {
        const range = SECTION_WORDS[b.number - 1];
        if (!range || seen.has(b.number)) continue;
        seen.add(b.number);
        const [min, max] = range;
        const words = b.section.words;
        if (words >= Math.floor(min * (1 - tolerance)) && words <= Math.ceil(max * (1 + tolerance))) continue;
        off.push({ b, min, max });
      }
      const first = off[0];
      if (!first) return;
      const parts = off.map(({ b, min, max }) => `Section ${b.number} (${SECTION_NAMES[b.number - 1]}) has ${b.section.words} words (${min}–${max})`);
      const margin = `${Math.round(tolerance * 100)}%`;
      report({
        target: 'words',
        line: first.b.section.line,
        column: 1,
        endLine: first.b.section.endLine,
        message: `${listWords(parts)}: more than ${margin} outside the spec's range${off.length > 1 ? 's' : ''} in brackets.`,
      });
    },
  },
];

/**
 * The heading a section should have, when its own differs: `### 6. Known Uses` → `### Section 6: Known Uses`
 * (the rest of the heading kept as written), `### Section 6: Examples` → `### Section 6: Known Uses`.
 */
function renamedHeading(line: string, b: BodySection, specName: string): { text: string; why: 'form' | 'name' } | undefined {
  const hashes = /^\s*#+/.exec(line)?.[0] ?? '###';
  if (b.form === 'numbered') {
    let rest = (NUMBERED_HEADING.exec(b.section.heading)?.[2] ?? specName).trim();
    // `8. Vitality: The Quality …` → `Section 8: Vitality — The Quality …`: one colon per heading.
    const subtitle = new RegExp(`^(${specName})\\s*:\\s+(.+)$`, 'i').exec(rest);
    if (subtitle) rest = `${subtitle[1]} — ${subtitle[2]}`;
    return { text: `${hashes} Section ${b.number}: ${rest}`, why: 'form' };
  }
  if (namesSection(b.section.name, specName)) return undefined;
  return { text: `${hashes} Section ${b.number}: ${specName}`, why: 'name' };
}
