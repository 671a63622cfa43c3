/**
 * Findings about inline suppressions (src/core/suppressions.ts). The engine makes them after the other
 * rules have run, since whether a suppression silenced anything is only known then; these entries give
 * them an id, a severity setting and a line in the rules reference.
 */
import { ALL_KINDS, type Rule } from './rule.js';

export const SUPPRESSION_INVALID = 'suppression/invalid';
export const SUPPRESSION_UNUSED = 'suppression/unused';

export const suppressionRules: Rule[] = [
  {
    id: SUPPRESSION_INVALID,
    defaultSeverity: 'warning',
    kinds: ALL_KINDS,
    description:
      'A `gardener-ignore` comment gives no reason after the rule ids (`rule: reason`), names no rule, or names a rule that does not exist; it silences nothing until it is mended.',
    check: () => {},
  },
  {
    id: SUPPRESSION_UNUSED,
    defaultSeverity: 'notice',
    kinds: ALL_KINDS,
    description:
      'A `gardener-ignore` comment names a rule that ran on the file and found nothing where the comment applies: the problem is gone, so the comment can go too.',
    fix: 'Deletes the comment line, when the comment is alone on its line and names only unused rules.',
    check: () => {},
  },
];
