/** One sweep against a GitHub repository: tarball in, issue sync out. Used by the app and `gardener sweep --github`. */
import jsyaml from 'js-yaml';
import { DEFAULT_CONFIG, FileSelector, resolveConfig, type GardenerConfig } from '../core/config.js';
import type { CalendarDate } from '../core/dates.js';
import { computeGarden, parseFiles, affectedSlugs, type Garden } from './compute.js';
import { fetchHistory, loadTarballTree, octokitGardenGitHub, type OctokitLike } from './octokit.js';
import type { GardenGitHub, SyncResult } from './sync.js';
import { syncGarden } from './sync.js';
import { CONFIG_PATH, readRepoConfig, type ConfigSource } from '../github/config.js';

/** Commits API requests one sweep may spend on file history. */
export const DEFAULT_HISTORY_CAP = 40;

export interface RemoteSweepOptions {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  /** Branch or sha; the default branch when absent. */
  ref?: string;
  today: CalendarDate;
  dryRun?: boolean;
  /** Push: files changed (and removed) in the push; the sync touches only those patterns and their linkers. */
  changedFiles?: string[];
  historyCap?: number;
  maxOperations?: number;
  /** Replace the GitHub adapter (tests). */
  github?: GardenGitHub;
  /** Where a config with `_extends` is read in full, as for a review (the app: Probot's config plugin). */
  configSource?: ConfigSource;
  log?: (msg: string) => void;
}

export interface RemoteSweepResult {
  garden: Garden;
  sync: SyncResult;
  sha: string;
  config: GardenerConfig;
  historyRequests: number;
  /** The files read (selected Markdown and the config), for a gardening run on the same commit. */
  files: ReadonlyMap<string, Uint8Array>;
}

/** The config file's parsed YAML from the files read, or why it could not be read (undefined: no file). */
function rawConfig(files: ReadonlyMap<string, Uint8Array>): { data: unknown } | { error: string } | undefined {
  const raw = files.get(CONFIG_PATH);
  if (!raw) return undefined;
  try {
    // The frontmatter's schema, as the CLI reads config: no merge keys (`<<` with `__proto__`), no tags.
    return { data: jsyaml.load(Buffer.from(raw).toString('utf8'), { schema: jsyaml.CORE_SCHEMA }) };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0]! };
  }
}

function validated(data: unknown, log: (m: string) => void): GardenerConfig {
  const res = resolveConfig(data);
  if (res.ok) return res.config;
  log(`${CONFIG_PATH} is invalid (${res.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}); using the defaults`);
  return structuredClone(DEFAULT_CONFIG);
}

const hasExtends = (data: unknown): boolean => data !== null && typeof data === 'object' && '_extends' in data;

/** The config in the files read, without following `_extends` (no GitHub at hand: the CLI's sweep of a folder). */
export function configFromFiles(files: ReadonlyMap<string, Uint8Array>, log: (m: string) => void = () => {}): GardenerConfig {
  const raw = rawConfig(files);
  if (!raw) return structuredClone(DEFAULT_CONFIG);
  if ('error' in raw) {
    log(`${CONFIG_PATH} is not valid YAML (${raw.error}); using the defaults`);
    return structuredClone(DEFAULT_CONFIG);
  }
  if (hasExtends(raw.data)) log(`${CONFIG_PATH} has _extends, which the sweep does not follow: it uses this file's own settings`);
  return validated(raw.data, log);
}

/**
 * The config as a review reads it: a file with `_extends` is read through `source` (Probot's config plugin,
 * which merges the named file under it); otherwise the file in the tarball, which is the same file. A read
 * GitHub failed throws (the sweep fails and is retried), as for a review.
 */
export async function sweepConfig(files: ReadonlyMap<string, Uint8Array>, log: (m: string) => void, source?: ConfigSource): Promise<GardenerConfig> {
  const raw = rawConfig(files);
  if (!source || !raw || !('data' in raw) || !hasExtends(raw.data)) return configFromFiles(files, log);
  const read = await readRepoConfig(source);
  if (read.ok) return read.config;
  log(`${CONFIG_PATH} is invalid (${read.errors.map((e) => `${e.path || '(whole file)'}: ${e.message}`).join('; ')}); using the defaults`);
  return structuredClone(DEFAULT_CONFIG);
}

/**
 * Files worth a history request: those for which replant/age decides candidacy, i.e. whose
 * weight without the age signal is exactly one short of the threshold. Oldest first.
 */
export function historyTargets(garden: Garden, threshold: number): string[] {
  return garden.report.health
    .filter((h) => h.weight - h.signals.filter((s) => s.rule === 'replant/age').reduce((a, s) => a + s.weight, 0) === threshold - 1)
    .sort((a, b) => ((a.since ?? '') < (b.since ?? '') ? -1 : 1))
    .map((h) => h.file);
}

export async function runRemoteSweep(opts: RemoteSweepOptions): Promise<RemoteSweepResult> {
  const log = opts.log ?? (() => {});
  const { octokit, owner, repo } = opts;
  let ref = opts.ref;
  if (!ref) {
    const r = await octokit.request('GET /repos/{owner}/{repo}', { owner, repo });
    ref = (r.data as { default_branch?: string }).default_branch ?? 'main';
  }
  let selector = new FileSelector(DEFAULT_CONFIG);
  // The config is read from the same tarball; selection is applied after it is known.
  const tree = await loadTarballTree(octokit, owner, repo, ref, (p) => p === CONFIG_PATH || p.endsWith('.md'));
  // A tree read only in part would look like patterns vanished: never sync from it.
  if (tree.error) throw new Error(`garden sweep of ${owner}/${repo} aborted: the tarball could not be read completely (${tree.error})`);
  const config = await sweepConfig(tree.files, log, opts.configSource);
  selector = new FileSelector(config);
  const selected = new Map([...tree.files].filter(([p]) => selector.selects(p)));
  const docs = parseFiles(selected, config);
  // Every other file of the tree is a note link target: Markdown the config leaves out, and the names of
  // attachments (`![[diagram.png]]`), whose bytes the archive reading never kept.
  const otherFiles = [...tree.files.keys()].filter((p) => !selected.has(p)).concat(tree.otherPaths);
  let garden = computeGarden(docs, { config, today: opts.today, otherFiles });
  const cap = opts.historyCap ?? DEFAULT_HISTORY_CAP;
  const targets = historyTargets(garden, config.garden.replantThreshold);
  let historyRequests = 0;
  if (targets.length > 0 && cap > 0) {
    const lastChange = await fetchHistory(octokit, owner, repo, targets, cap);
    historyRequests = Math.min(cap, targets.length);
    if (targets.length > cap) log(`file history fetched for ${cap} of ${targets.length} near-threshold patterns (cap)`);
    garden = computeGarden(docs, { config, today: opts.today, lastChange, otherFiles });
  }
  const scope = opts.changedFiles ? affectedSlugs(garden.corpus, opts.changedFiles) : undefined;
  const gh = opts.github ?? octokitGardenGitHub(octokit, owner, repo);
  const sync = await syncGarden(gh, {
    report: garden.report,
    docs: new Map(docs.map((d) => [d.file, d])),
    owner,
    repo,
    sha: tree.sha,
    config,
    today: opts.today,
    scope,
    dashboard: !opts.changedFiles,
    dryRun: opts.dryRun,
    maxOperations: opts.maxOperations,
    log,
  });
  return { garden, sync, sha: tree.sha, config, historyRequests, files: tree.files };
}
