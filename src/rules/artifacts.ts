/**
 * Paste and fence artifacts: frontmatter that exists but no tool reads (below other lines, after an
 * empty block, without fences), a second YAML block in the body, and fence lines Markdown does not
 * know. Each says what is wrong and, where the intent is clear, fixes it.
 */
import type { ParsedDocument } from '../core/document.js';
import type { Fix } from '../core/finding.js';
import { findMisplacedFrontmatter, findUnfencedYaml, isWrapperLine, pastComments, yamlRunAt } from '../core/stray.js';
import { ALL_KINDS, type Problem, type Rule } from './rule.js';

function isEmpty(data: object): boolean {
  for (const _ in data) return false;
  return true;
}

const lineReader = (doc: ParsedDocument) => (n: number) => doc.line(n);

const span = (a: number, b: number) => (a === b ? `line ${a}` : `lines ${a}–${b}`);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function keyList(data: Record<string, unknown>, max = 4): string {
  const keys = Object.keys(data);
  return (
    keys
      .slice(0, max)
      .map((k) => `\`${k}\``)
      .join(', ') + (keys.length > max ? ', …' : '')
  );
}

/**
 * `frontmatter/missing` for a file that has none: when its top lines are frontmatter keys without
 * fences, says so and adds the fences; otherwise the plain message.
 */
export function missingFrontmatter(doc: ParsedDocument): Problem {
  const run = findUnfencedYaml(lineReader(doc), doc.lineCount());
  if (!run)
    return {
      target: 'frontmatter',
      line: 1,
      column: 1,
      message: 'This file has no frontmatter: a pattern starts with a `---` line, its YAML keys, and a closing `---` line.',
    };
  const closed = run.close !== undefined;
  const edits: Fix['edits'] = [{ line: 1, endLine: run.from, text: `---\n${doc.line(run.from)}\n` }];
  if (!closed) edits.push({ line: run.to + 1, endLine: run.to, text: '---\n' });
  return {
    target: 'frontmatter',
    line: run.from,
    column: 1,
    endLine: run.to,
    message: closed
      ? `${capital(span(run.from, run.to))} are frontmatter keys (${keyList(run.data)}) without the opening \`---\` line${run.from > 1 ? ' at the top of the file' : ''}, so no tool reads them as frontmatter.`
      : `${capital(span(run.from, run.to))} are frontmatter keys (${keyList(run.data)}) without \`---\` fences, so no tool reads them as frontmatter.`,
    fix: { description: closed ? 'Add the opening `---` line at the top' : 'Put the keys between `---` lines at the top', edits },
  };
}

/** Frontmatter in the wrong place: run with the file rules. */
export const frontmatterArtifactRules: Rule[] = [
  {
    id: 'frontmatter/not-at-top',
    defaultSeverity: 'error',
    kinds: ALL_KINDS,
    description: 'The frontmatter block is there but lines come before its opening `---`, so no tool reads it (it must start on line 1).',
    fix: 'Deletes blank and code-fence lines above it (and the matching fence below), and moves other lines below the closing `---`.',
    check(doc, _ctx, report) {
      if (doc.frontmatter || doc.problems.some((p) => p.code === 'frontmatter/unclosed' || p.code === 'file/binary' || p.code === 'file/too-large')) return;
      const found = findMisplacedFrontmatter(lineReader(doc), doc.lineCount());
      if (!found) return;
      const before: string[] = [];
      let wrapped = false;
      for (let n = 1; n < found.open; n++) {
        const s = doc.line(n);
        if (isWrapperLine(s)) wrapped = true;
        else if (s.trim() !== '') before.push(s);
      }
      // A code fence around the pasted block closes right after it: that line goes too.
      const after = found.close + 1;
      const endLine = wrapped && after <= doc.lineCount() && isWrapperLine(doc.line(after)) ? after : found.close;
      const block: string[] = [];
      for (let n = found.open; n <= found.close; n++) block.push(doc.line(n));
      const kept = before.length > 0 ? `${before.join('\n')}\n` : '';
      report({
        target: 'frontmatter',
        line: 1,
        column: 1,
        endLine: found.open,
        message: `The frontmatter (${keyList(found.run.data)}) starts at line ${found.open}, not line 1: ${span(1, found.open - 1)} ${found.open === 2 ? 'comes' : 'come'} before its \`---\`, so no tool reads it as frontmatter${wrapped ? ' (it is wrapped in a code fence)' : ''}.`,
        fix: {
          description:
            before.length > 0
              ? `Move the frontmatter to line 1 and ${span(1, found.open - 1)} below it`
              : `Delete ${span(1, found.open - 1)} above the frontmatter`,
          edits: [{ line: 1, endLine, text: `${block.join('\n')}\n${kept}` }],
        },
      });
    },
  },
  {
    id: 'frontmatter/empty-block',
    defaultSeverity: 'error',
    kinds: ALL_KINDS,
    description: 'The frontmatter is an empty `---`/`---` block and the YAML keys follow it in the body, where no tool reads them.',
    fix: 'Deletes the empty block’s closing `---`, so the opening one starts the real frontmatter.',
    check(doc, _ctx, report) {
      const fm = doc.frontmatter;
      // Empty or comment-only YAML parses to an empty mapping.
      if (!fm?.data || !isEmpty(fm.data)) return;
      let from = fm.closeLine + 1;
      while (from <= doc.lineCount() && doc.line(from).trim() === '') from++;
      const run = yamlRunAt(lineReader(doc), doc.lineCount(), pastComments(lineReader(doc), doc.lineCount(), from), { needClose: false });
      if (!run) return;
      const fix: Fix | undefined =
        run.close !== undefined
          ? {
              description: `Delete ${span(fm.openLine + 1, from - 1)} (the empty block’s end)`,
              edits: [{ line: fm.openLine + 1, endLine: from - 1, text: '' }],
            }
          : undefined;
      report({
        target: 'frontmatter',
        line: fm.openLine,
        column: 1,
        endLine: fm.closeLine,
        message: `The frontmatter at ${span(fm.openLine, fm.closeLine)} is empty and the YAML keys (${keyList(run.data)}) follow it at ${span(from, run.to)}, in the body, where no tool reads them.${fix ? '' : ' Move them between the `---` lines.'}`,
        fix,
      });
    },
  },
];

/** Markers in the body: run after the body rules, whose sections pass finds the marker lines too. */
export const bodyArtifactRules: Rule[] = [
  {
    id: 'frontmatter/second-block',
    defaultSeverity: 'warning',
    kinds: ALL_KINDS,
    description:
      'The body holds a second `---` block of frontmatter keys (a pasted or stale copy): only the first block is data, the site shows this one as text.',
    fix: 'Deletes the second block when every key in it is also in the frontmatter.',
    check(doc, _ctx, report) {
      const fm = doc.frontmatter;
      if (!fm?.data || isEmpty(fm.data)) return;
      const line = lineReader(doc);
      const count = doc.lineCount();
      for (const open of doc.bodyMarkers().yamlBlocks) {
        let from = open + 1;
        while (from <= count && line(from).trim() === '') from++;
        const run = yamlRunAt(line, count, from, { needClose: true });
        if (run?.close === undefined) continue;
        const keys = Object.keys(run.data);
        const shared = keys.filter((k) => k in (fm.data as object));
        // A horizontal rule followed by a `term: text` paragraph is not frontmatter: the keys must be the frontmatter's.
        if (shared.length < 2 && !keys.some((k) => k === 'id' || k === 'slug')) continue;
        const extra = keys.filter((k) => !(k in (fm.data as object)));
        report({
          target: `block@${keys.slice(0, 3).join(',')}`,
          line: open,
          column: 1,
          endLine: run.close,
          message: `${capital(span(open, run.close))} are a second YAML block (${keyList(run.data)}) in the body: only the frontmatter at ${span(fm.openLine, fm.closeLine)} is read as data, and the page shows this block as text. ${
            extra.length === 0
              ? 'Every key in it is also in the frontmatter: delete it.'
              : `Move what is still needed (${extra
                  .slice(0, 4)
                  .map((k) => `\`${k}\``)
                  .join(', ')}${extra.length > 4 ? ', …' : ''} are not in the frontmatter) into the frontmatter and delete it.`
          }`,
          fix:
            extra.length === 0
              ? { description: `Delete the second YAML block (${span(open, run.close)})`, edits: [{ line: open, endLine: run.close, text: '' }] }
              : undefined,
        });
        return;
      }
    },
  },
  {
    id: 'body/stray-fence',
    defaultSeverity: 'warning',
    kinds: ALL_KINDS,
    description:
      'A body line of `\'\'\'` or `"""` (Markdown has no such fence: a paste leftover shown as text), or a code fence that is never closed (the rest of the file renders as code).',
    fix: 'Deletes the quote line; deletes an unclosed code fence that is the last line.',
    check(doc, _ctx, report) {
      const markers = doc.bodyMarkers();
      // The target counts same-text quote lines (`'''#2`): an edit above them keeps the fingerprint.
      const seen = new Map<string, number>();
      for (const n of markers.quotes) {
        const s = doc.line(n).trim();
        const ordinal = (seen.get(s) ?? 0) + 1;
        seen.set(s, ordinal);
        report({
          target: `quotes:${s.slice(0, 12)}#${ordinal}`,
          line: n,
          column: 1,
          message: `Line ${n} is a stray \`${s.slice(0, 12)}\`: Markdown has no \`${s.slice(0, 3)}\` fence, so the page shows it as text. Delete it (use \`\`\` for a code block).`,
          fix: { description: `Delete line ${n}`, edits: [{ line: n, endLine: n, text: '' }] },
        });
      }
      const open = markers.unclosedFence;
      if (open === undefined) return;
      let last = doc.lineCount();
      while (last > open && doc.line(last).trim() === '') last--;
      report({
        target: 'unclosed-fence',
        line: open,
        column: 1,
        message:
          last === open
            ? `The code fence \`${doc.line(open).trim().slice(0, 12)}\` on the last line is never closed: a stray fence. Delete it.`
            : `The code fence opened at line ${open} is never closed, so ${span(open + 1, last)} render as code. Close it where the code ends.`,
        fix: last === open ? { description: `Delete line ${open}`, edits: [{ line: open, endLine: open, text: '' }] } : undefined,
      });
    },
  },
];
