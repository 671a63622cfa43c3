/** Garden rules: the machine-written graph must be tended (pruned) regularly. */
import { daysBetween, parseDate } from '../core/dates.js';
import { getPath } from '../core/path.js';
import type { Rule } from './rule.js';

export const gardenRules: Rule[] = [
  {
    id: 'garden/last-pruned-stale',
    defaultSeverity: 'warning',
    kinds: ['commons-pattern'],
    description: '`graph_garden.last_pruned` is older than `staleAfterDays` (default 90).',
    check(doc, ctx, report) {
      const v = getPath(doc.frontmatter?.data, ['graph_garden', 'last_pruned']);
      const d = parseDate(v);
      if (!d) return;
      const age = daysBetween(d, ctx.today);
      if (age <= ctx.config.staleAfterDays) return;
      report({
        target: 'graph_garden.last_pruned',
        path: ['graph_garden', 'last_pruned'],
        message: `The graph garden was last pruned ${age} days ago (${String(v)}), more than the ${ctx.config.staleAfterDays} days allowed. Review the inferred links and update \`last_pruned\`.`,
      });
    },
  },
];
