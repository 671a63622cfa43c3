/** Date rules: every date field must be a real calendar date. */
import { parseDate, parseNoteDate } from '../core/dates.js';
import { formatPath, getPath, type KeyPath } from '../core/path.js';
import type { DocKind } from '../core/document.js';
import type { Rule } from './rule.js';

const DATE_FIELDS: Partial<Record<DocKind, KeyPath[]>> = {
  'commons-pattern': [['graph_garden', 'last_pruned'], ['created'], ['modified'], ['lifecycle', 'last_updated']],
  'commons-pattern-legacy': [['created'], ['modified'], ['last_updated']],
  'obsidian-note': [['created'], ['modified']],
};

export const dateRules: Rule[] = [
  {
    id: 'dates/invalid',
    defaultSeverity: 'error',
    kinds: ['commons-pattern', 'commons-pattern-legacy', 'obsidian-note'],
    description:
      'A date field is not a real calendar date written as YYYY-MM-DD (e.g. 2026-02-30). A note may add a time (`2026-03-04T15:05`, `2026-03-04 15:05:00`) or name the month as the Linter plugin writes it (`Wednesday, March 4th 2026, 3:05:09 pm`).',
    check(doc, ctx, report) {
      const data = doc.frontmatter?.data;
      if (!data) return;
      for (const path of DATE_FIELDS[doc.kind] ?? []) {
        const v = getPath(data, path);
        if (v === undefined || v === null || v === '') continue;
        const note = doc.kind === 'obsidian-note';
        // A template's placeholder (Templater's `<% tp.date.now() %>`, core Templates' `{{date}}`) is filled in later.
        if (note && typeof v === 'string' && /<%|\{\{/.test(v)) continue;
        if (note ? parseNoteDate(v) : parseDate(v)) continue;
        // A value of the wrong type that the schema already reports (as "should be a date") is one problem.
        if (
          typeof v !== 'string' &&
          ctx
            .schemaFor(doc.kind)?.(data)
            .some((e) => e.keyword === 'type' && formatPath(e.keyPath) === formatPath(path))
        )
          continue;
        const shown = typeof v === 'string' ? `\`${v.slice(0, 40)}\`` : `a ${typeof v}`;
        report({
          target: path.join('.'),
          path,
          message: `\`${path.join('.')}\` is ${shown}, which is not a calendar date. Write it as YYYY-MM-DD${note ? ' (a time may follow: `2026-03-04T15:05`)' : ''}.`,
        });
      }
    },
  },
];
