/**
 * Configuration: `.github/pattern-gardener.yml` in a repository, `--config FILE` on the CLI.
 * The shape is defined once, in schemas/config.schema.json; this file holds the defaults,
 * the merge and the validation that turns a broken config into readable messages.
 */
import picomatch from 'picomatch';
import { DEFAULT_LIMITS, type DocKind, type Limits } from './document.js';
import type { Severity } from './finding.js';
import { isRecord } from './path.js';
import { compileSchema, formatAjvErrors, loadBundledSchema } from './schemas.js';
import { boundedDistance } from './similar.js';
import { EXTRA_RULE_DOCS, RULES } from '../rules/index.js';

export type RuleSetting = Severity | 'off';

export interface ReviewConfig {
  /** Inline review comments at most; the rest are listed in the review body. */
  maxComments: number;
  /** Post fixes as ```suggestion blocks. */
  suggestions: boolean;
  /** Review draft pull requests too. */
  drafts: boolean;
  /** Lowest severity that makes the check run fail ('never': the check never fails). */
  failOn: Severity | 'never';
  /**
   * What a pull request is judged on: 'introduced' (findings absent at the base; the rest are counted
   * as already there) or 'changed-files' (every finding in the changed files).
   */
  scope: 'introduced' | 'changed-files';
}

export interface LinksConfig {
  /** Propose graph_garden.inferred_links changes on changed patterns. */
  propose: boolean;
  /** Most inferred links a pattern keeps. */
  maxInferred: number;
  /** Proposals below this confidence are not made. */
  minConfidence: number;
  /** Allow `/gardener apply links` to commit to the PR branch (needs contents: write). */
  applyCommand: boolean;
  /** Proposals a maintainer rejected for good: `slug` or `slug->target`. */
  rejected: string[];
  /** Most notes one `links/note-proposal` proposes. */
  maxNoteProposals: number;
  /** Body section a note proposal adds `[[wikilinks]]` to; '' adds them to `related`. */
  noteSection: string;
}

export interface GardenConfig {
  replantAfterMonths: number;
  draftLimboMonths: number;
  /** Share of hard links that dangle before `replant/decaying-links` fires (0..1). */
  decayingLinksShare: number;
  /** Weighted signal sum that makes a replant candidate (strong signals weigh 2, weak 1). */
  replantThreshold: number;
  maxNewIssuesPerSweep: number;
  /** A signal firing on more than this share of the patterns is counted, not weighed (1 = never). */
  conventionShare: number;
  snoozeDays: number;
  /** @-mention contributors in replant issues. */
  mentions: boolean;
  /** Minutes between in-process sweeps; 0 = off (use the repository_dispatch workflow). */
  scheduleMinutes: number;
}

export interface GardeningConfig {
  /** Open gardening pull requests (the app's scheduled sweep); `gardener tend` works without it. */
  enabled: boolean;
  /** Gardening pull requests open at once at most. */
  maxOpenPullRequests: number;
  /** Files per batch at most. */
  batchSize: number;
  /** Days the files of a batch closed without merging are left out of the next batches. */
  skipClosedForDays: number;
}

export interface SiteConfig {
  /** Top-level frontmatter keys the site generator reserves: `key` or `key->replacement`. */
  reservedKeys: string[];
  /** Body headings whose content the layout already renders. */
  layoutHeadings: string[];
}

export interface GardenerConfig {
  /** Files to consider, relative to the repository (or checked directory) root. */
  include: string[];
  exclude: string[];
  /** Globs that force a document kind; content detection decides for the rest. */
  kinds: Partial<Record<DocKind, string[]>>;
  /** Severity per rule id, or 'off'. */
  rules: Record<string, RuleSetting>;
  /** Severity per rule id for one kind, over `rules`. */
  rulesByKind: Partial<Record<DocKind, Record<string, RuleSetting>>>;
  /** Body sections each kind must have, in order (`body/section-list`). */
  sectionsByKind: Partial<Record<DocKind, string[]>>;
  site: SiteConfig;
  staleAfterDays: number;
  /** Share (0..1) by which a section's word count may fall outside the spec's range before body/word-count notes it. */
  wordCountTolerance: number;
  /** Repository-relative paths of JSON Schemas that replace the bundled ones per kind. */
  schemas: Partial<Record<DocKind, string>>;
  limits: Limits;
  review: ReviewConfig;
  links: LinksConfig;
  garden: GardenConfig;
  gardening: GardeningConfig;
}

export const DEFAULT_CONFIG: GardenerConfig = {
  include: ['**/*.md'],
  exclude: ['**/node_modules/**', '.github/**', '**/README.md', '**/CHANGELOG.md', '**/CONTRIBUTING.md', '**/LICENSE.md', '**/CODE_OF_CONDUCT.md'],
  kinds: {},
  rules: {},
  rulesByKind: {},
  sectionsByKind: {},
  site: { reservedKeys: [], layoutHeadings: [] },
  staleAfterDays: 90,
  wordCountTolerance: 0.1,
  schemas: {},
  limits: { ...DEFAULT_LIMITS },
  review: { maxComments: 30, suggestions: true, drafts: true, failOn: 'error', scope: 'introduced' },
  links: { propose: true, maxInferred: 12, minConfidence: 0.35, applyCommand: false, rejected: [], maxNoteProposals: 5, noteSection: '' },
  garden: {
    replantAfterMonths: 18,
    draftLimboMonths: 6,
    decayingLinksShare: 0.3,
    replantThreshold: 2,
    maxNewIssuesPerSweep: 10,
    conventionShare: 0.5,
    snoozeDays: 90,
    mentions: true,
    scheduleMinutes: 0,
  },
  gardening: { enabled: false, maxOpenPullRequests: 1, batchSize: 25, skipClosedForDays: 30 },
};

export interface ConfigError {
  /** Dotted path of the offending key ('' for the whole file). */
  path: string;
  message: string;
}

export type ConfigResult = { ok: true; config: GardenerConfig } | { ok: false; errors: ConfigError[] };

let configValidator: ReturnType<typeof compileSchema> | undefined;

/** Validates raw config data (already parsed from YAML) and merges it over the defaults. */
export function resolveConfig(raw: unknown): ConfigResult {
  if (raw === undefined || raw === null) return { ok: true, config: structuredClone(DEFAULT_CONFIG) };
  if (!isRecord(raw)) return { ok: false, errors: [{ path: '', message: 'The config file must be a mapping of keys to values.' }] };
  configValidator ??= compileSchema(loadBundledSchema('config'));
  const { _extends: _ignored, ...data } = raw;
  if (!configValidator(data)) {
    return { ok: false, errors: formatAjvErrors(configValidator.errors ?? [], data).map((e) => ({ path: e.path, message: e.message })) };
  }
  const unknownRules = unknownRuleErrors(data.rules);
  if (unknownRules.length > 0) return { ok: false, errors: unknownRules };
  const base = structuredClone(DEFAULT_CONFIG);
  const merged: GardenerConfig = {
    ...base,
    ...(data as Partial<GardenerConfig>),
    limits: { ...base.limits, ...((data.limits as Partial<Limits>) ?? {}) },
    review: { ...base.review, ...((data.review as Partial<ReviewConfig>) ?? {}) },
    links: { ...base.links, ...((data.links as Partial<LinksConfig>) ?? {}) },
    garden: { ...base.garden, ...((data.garden as Partial<GardenConfig>) ?? {}) },
    gardening: { ...base.gardening, ...((data.gardening as Partial<GardeningConfig>) ?? {}) },
    rules: { ...((data.rules as Record<string, RuleSetting>) ?? {}) },
    rulesByKind: { ...((data.rulesByKind as GardenerConfig['rulesByKind']) ?? {}) },
    sectionsByKind: { ...((data.sectionsByKind as GardenerConfig['sectionsByKind']) ?? {}) },
    site: { ...base.site, ...((data.site as Partial<SiteConfig>) ?? {}) },
    kinds: { ...((data.kinds as GardenerConfig['kinds']) ?? {}) },
    schemas: { ...((data.schemas as GardenerConfig['schemas']) ?? {}) },
  };
  return { ok: true, config: merged };
}

/** Every rule id a config may set: the engine's rules and the findings made outside it. */
function knownRuleIds(): string[] {
  return [...RULES.map((r) => r.id), ...EXTRA_RULE_DOCS.map((r) => r.id)];
}

/** The known id closest to a mistyped one, when one is clearly closest (`body/wordcount`, `word-count`). */
export function closestRuleId(id: string, known: readonly string[] = knownRuleIds()): string | undefined {
  const lower = id.trim().toLowerCase();
  const byName = known.filter((k) => k.slice(k.indexOf('/') + 1) === lower);
  if (byName.length === 1) return byName[0];
  const bound = Math.max(2, Math.floor(lower.length / 5));
  let best: string | undefined;
  let bestDistance = bound + 1;
  let tie = false;
  for (const k of known) {
    const d = boundedDistance(lower, k, bound);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) tie = true;
  }
  return best && !tie ? best : undefined;
}

/** A rule id the engine does not know is a mistake to say, not a setting to ignore. */
function unknownRuleErrors(rules: unknown): ConfigError[] {
  if (!isRecord(rules)) return [];
  const known = knownRuleIds();
  const errors: ConfigError[] = [];
  for (const id of Object.keys(rules)) {
    if (known.includes(id)) continue;
    const near = closestRuleId(id, known);
    errors.push({
      path: `rules.${id}`,
      message: `\`rules\` names \`${id}\`, which is not a rule.${near ? ` Did you mean \`${near}\`?` : ' The rules are listed in the README.'}`,
    });
  }
  return errors;
}

/** File selection and kind assignment from the config's globs, compiled once. */
export class FileSelector {
  private readonly include: (p: string) => boolean;
  private readonly exclude: (p: string) => boolean;
  private readonly kindMatchers: [DocKind, (p: string) => boolean][];

  constructor(config: GardenerConfig) {
    const opts = { dot: false };
    this.include = picomatch(config.include, opts);
    this.exclude = config.exclude.length > 0 ? picomatch(config.exclude, opts) : () => false;
    this.kindMatchers = Object.entries(config.kinds)
      .filter(([, globs]) => globs && globs.length > 0)
      .map(([kind, globs]) => [kind as DocKind, picomatch(globs as string[], opts)]);
  }

  selects(path: string): boolean {
    return this.include(path) && !this.exclude(path);
  }

  /** Kind forced by config, or undefined to let content decide. */
  kindOf(path: string): DocKind | undefined {
    for (const [kind, m] of this.kindMatchers) if (m(path)) return kind;
    return undefined;
  }
}
