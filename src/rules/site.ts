/**
 * The site generator's conventions, from the config's `site` block (both lists are empty by default):
 * frontmatter keys it reserves (Jekyll turns `tags` and `categories` into lists of words, `layout`
 * picks a template) and body sections its layout already renders from the frontmatter.
 */
import type { Fix } from '../core/finding.js';
import { PATTERN_KINDS, type Rule } from './rule.js';

const KINDS = [...PATTERN_KINDS, 'obsidian-note'] as const;

/** A heading's name without numbering (`2.`, `Section 2:`) and case. */
export function headingName(heading: string): string {
  return heading
    .replace(/^(?:section[ \t]+)?\d+(?:\.\d+)*[ \t]*[.:)\-–—]?[ \t]*/i, '')
    .replace(/[ \t]*\(.*\)[ \t]*$/, '')
    .trim()
    .toLowerCase();
}

export const siteRules: Rule[] = [
  {
    id: 'site/reserved-key',
    defaultSeverity: 'error',
    kinds: KINDS,
    description:
      'A top-level frontmatter key is one the site generator reserves for its own use (`site.reservedKeys`, e.g. Jekyll’s `tags`); off while the list is empty.',
    fix: 'Renames the key when the config names its replacement (`tags->keywords`) and the frontmatter does not have that key yet.',
    check(doc, ctx, report) {
      const data = doc.frontmatter?.data;
      const reserved = ctx.config.site?.reservedKeys ?? [];
      if (!data || reserved.length === 0) return;
      for (const entry of reserved) {
        const [key, replacement] = entry.split('->') as [string, string | undefined];
        if (!Object.hasOwn(data, key)) continue;
        const loc = doc.find([key]);
        let fix: Fix | undefined;
        if (replacement && !Object.hasOwn(data, replacement) && loc) {
          const line = doc.line(loc.line);
          if (line.startsWith(`${key}:`))
            fix = {
              description: `Rename \`${key}\` to \`${replacement}\``,
              edits: [{ line: loc.line, endLine: loc.line, text: `${replacement}${line.slice(key.length)}\n` }],
            };
        }
        report({
          target: key,
          path: [key],
          message: `\`${key}\` is reserved by the site generator (config \`site.reservedKeys\`): it gives the key a meaning of its own, so this value does not reach the page as written. ${replacement ? `Use \`${replacement}\`` : 'Rename it'}.`,
          fix,
        });
      }
    },
  },
  {
    id: 'site/layout-heading',
    defaultSeverity: 'warning',
    kinds: KINDS,
    description:
      'A body section repeats what the layout already renders from the frontmatter (`site.layoutHeadings`, e.g. a `## Navigation` block); off while the list is empty.',
    fix: 'Deletes the section, up to a `---` rule or the next heading of its level.',
    check(doc, ctx, report) {
      const names = ctx.config.site?.layoutHeadings ?? [];
      if (names.length === 0) return;
      const wanted = new Set(names.map(headingName));
      for (const s of doc.sections()) {
        if (!wanted.has(headingName(s.heading))) continue;
        // The section ends before a thematic break that closes it (a page footer follows such a rule).
        let end = s.line;
        while (end < s.endLine && !/^---+[ \t]*$/.test(doc.line(end + 1))) end++;
        while (end > s.line && doc.line(end).trim() === '') end--;
        report({
          target: `section:${headingName(s.heading)}`,
          line: s.line,
          column: 1,
          endLine: end,
          message: `The \`${s.heading.slice(0, 60)}\` section repeats what the page layout already renders (config \`site.layoutHeadings\`): readers see it twice, and this copy goes stale. Delete it.`,
          fix: { description: `Delete the section (lines ${s.line}–${end})`, edits: [{ line: s.line, endLine: end, text: '' }] },
        });
      }
    },
  },
];
