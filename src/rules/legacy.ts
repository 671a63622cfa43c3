/** The one notice a classification-era file gets instead of hundreds of false errors. */
import type { Rule } from './rule.js';

export const legacyRules: Rule[] = [
  {
    id: 'legacy/predates-v7',
    defaultSeverity: 'notice',
    kinds: ['commons-pattern-legacy'],
    description: 'The file uses the classification-era format (before v7.1); only YAML, identity, dates and links are checked.',
    check(doc, _ctx, report) {
      report({
        target: 'format',
        line: 1,
        column: 1,
        message:
          'This pattern uses the classification-era format that predates v7.1 (top-level `classification` and relationships). Only YAML, identity, dates and links are checked; migrate it to the seven v7.1 groups for the full checks.',
      });
    },
  },
];
