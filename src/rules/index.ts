/** The rule registry: every rule the engine runs, in reporting order. */
import { bodyArtifactRules, frontmatterArtifactRules } from './artifacts.js';
import { assessmentRules } from './assessment.js';
import { bodyRules } from './body.js';
import { conventionRules } from './conventions.js';
import { dateRules } from './dates.js';
import { fileRules } from './file.js';
import { gardenRules } from './garden.js';
import { identityRules } from './identity.js';
import { legacyRules } from './legacy.js';
import { linkRules } from './links.js';
import { portabilityRules } from './portability.js';
import type { Rule } from './rule.js';
import { schemaRules } from './schema.js';
import { siteRules } from './site.js';
import { suppressionRules } from './suppression.js';
import { textRules } from './text.js';
import { noteRules } from './notes.js';

export const RULES: readonly Rule[] = [
  ...fileRules,
  ...textRules,
  ...frontmatterArtifactRules,
  ...portabilityRules,
  ...schemaRules,
  ...identityRules,
  ...linkRules,
  ...noteRules,
  ...assessmentRules,
  ...bodyRules,
  ...bodyArtifactRules,
  ...conventionRules,
  ...siteRules,
  ...dateRules,
  ...gardenRules,
  ...legacyRules,
  ...suppressionRules,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

/** A rule id that is not an engine rule (it needs more than one document), documented with the rules. */
export interface ExtraRuleDoc {
  id: string;
  defaultSeverity: 'error' | 'warning' | 'notice';
  description: string;
  fix?: string;
}

/** Findings made outside the engine; the README's rules table lists them after the registry. */
export const EXTRA_RULE_DOCS: readonly ExtraRuleDoc[] = [
  {
    id: 'links/note-proposal',
    defaultSeverity: 'notice',
    description:
      "GitHub App, pull requests only (with `links.propose`): the link engine finds notes a changed Obsidian note could link to (at most `links.maxNoteProposals`, confidence ≥ `links.minConfidence`), reading titles, aliases, tags, bodies and the notes' own links. Not proposed again for a `links.rejected` entry (`Folder/Note.md` or `Folder/Note.md->Other/Note.md`).",
    fix: 'Appends the `[[wikilinks]]` to the frontmatter `related` list (created when absent), or under the body section `links.noteSection` names (added at the end when missing).',
  },
  {
    id: 'links/possible-duplicate',
    defaultSeverity: 'warning',
    description:
      'GitHub App, pull requests only (with `links.propose`): a changed commons pattern is far more similar to one other pattern than to anything else, and that pattern to it (lexical similarity ≥ 0.6, at least 1.35x the runner-up).',
  },
  {
    id: 'links/inferred-proposal',
    defaultSeverity: 'notice',
    description:
      "GitHub App, pull requests only: the link engine proposes changes to a changed commons pattern's `graph_garden.inferred_links` (additions with confidence and reason, removals with why). Off with `links.propose: false`. Not proposed again once rejected: `links.rejected` entries (`slug` or `slug->target`, permanent), `/gardener reject <slug> [<target>]` by a writer, a 👎 on the proposal comment, or its thread resolved without applying it.",
    fix: 'Replaces the whole `inferred_links` block (kept entries first, then additions) and sets `last_pruned` to today: a suggestion when the block is in the diff, a patch in the check run otherwise, and `/gardener apply links` commits it when `links.applyCommand` is on.',
  },
];
