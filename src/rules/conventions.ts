/**
 * A repository's own body sections per kind (`sectionsByKind`): the classification-era files and
 * other formats the bundled v7.1 checks do not know have section lists of their own.
 */
import type { DocKind } from '../core/document.js';
import { headingName } from './site.js';
import { ALL_KINDS, type Rule } from './rule.js';

export const conventionRules: Rule[] = [
  {
    id: 'body/section-list',
    defaultSeverity: 'error',
    kinds: ALL_KINDS.filter((k) => k !== 'unknown'),
    description:
      'A body section that `sectionsByKind` lists for the document kind is missing or out of order (headings compared without `#`s, numbering, a trailing `(…)` hint and case); off for kinds the config does not list.',
    check(doc, ctx, report) {
      const wanted = ctx.config.sectionsByKind?.[doc.kind as DocKind];
      if (!wanted || wanted.length === 0) return;
      const seen = new Map<string, number>();
      for (const s of doc.sections()) {
        const name = headingName(s.heading);
        if (!seen.has(name)) seen.set(name, s.line);
      }
      let previous: { name: string; line: number } | undefined;
      for (const name of wanted) {
        const line = seen.get(headingName(name));
        if (line === undefined) {
          report({
            target: `section:${headingName(name)}`,
            line: previous ? previous.line : doc.bodyLine,
            column: 1,
            message: `The \`${name}\` section is missing${previous ? ` (expected after \`${previous.name}\`)` : ''}: \`sectionsByKind\` lists it for ${doc.kind} files.`,
          });
          continue;
        }
        if (previous && line < previous.line) {
          report({
            target: `order:${headingName(name)}`,
            line,
            column: 1,
            message: `The \`${name}\` section comes before \`${previous.name}\`; \`sectionsByKind\` lists it after.`,
          });
        }
        previous = { name, line };
      }
    },
  },
];
