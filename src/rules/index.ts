/** The rule registry: every rule the engine runs, in reporting order. */
import { assessmentRules } from './assessment.js';
import { bodyRules } from './body.js';
import { dateRules } from './dates.js';
import { fileRules } from './file.js';
import { gardenRules } from './garden.js';
import { identityRules } from './identity.js';
import { legacyRules } from './legacy.js';
import { linkRules } from './links.js';
import type { Rule } from './rule.js';
import { schemaRules } from './schema.js';

export const RULES: readonly Rule[] = [
  ...fileRules,
  ...schemaRules,
  ...identityRules,
  ...linkRules,
  ...assessmentRules,
  ...bodyRules,
  ...dateRules,
  ...gardenRules,
  ...legacyRules,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
