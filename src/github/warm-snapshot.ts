/**
 * Warming on a push to the default branch: the pushed commit's snapshot (one tarball request) and, when
 * link proposals are on, its link index go into the process cache. Most pull requests are based on the
 * default branch, so their first review then re-reads only the files that differ from it and updates
 * the link index instead of building it (npm run bench: the "warm-incremental" row against "cold").
 *
 * A cache, nothing more: a replica that missed the push reviews cold, with the same result. Bounded:
 * at most one warm-up per repository at a time (later pushes wait and then warm their own commit), only
 * pushes that touch Markdown or the config, and the snapshot LRU bounds the memory.
 */
import { FileSelector } from '../core/config.js';
import { readRepoConfig, type ConfigSource } from './config.js';
import { linkIndexFor, type LinkIndexStats } from './link-proposals.js';
import type { GitHubApi, RepoRef } from './octokit.js';
import { defaultBranchChanges, touchesPatterns, type PushPayloadLike } from './push-event.js';
import { CommitGoneError, getSnapshot, type SnapshotStats } from './snapshot.js';

export type WarmOutcome =
  | { status: 'warmed'; sha: string; snapshot: SnapshotStats; linkIndex?: LinkIndexStats; ms: number }
  | { status: 'skipped'; reason: string };

/** Why a push is not worth warming, or undefined when it is. */
export function warmSkipReason(p: PushPayloadLike): string | undefined {
  if (p.deleted || !p.after || /^0+$/.test(p.after)) return 'branch deleted';
  const changed = defaultBranchChanges(p);
  if (!changed) return 'not the default branch';
  // GitHub lists at most 20 commits (and 3,000 files) per push: an empty list after a big push still warms.
  return (p.commits ?? []).length === 0 || touchesPatterns(changed) ? undefined : 'no Markdown or config change';
}

export async function warmSnapshot(deps: { api: GitHubApi; configSource: ConfigSource }, repo: RepoRef, sha: string): Promise<WarmOutcome> {
  const t0 = performance.now();
  // Schema files do not shape a snapshot: only the config file is read.
  const loaded = await readRepoConfig(deps.configSource);
  if (!loaded.ok) return { status: 'skipped', reason: 'configuration error' };
  const config = loaded.config;
  const stats: SnapshotStats = { cacheHit: false, parsed: 0, reused: 0, requests: 0 };
  try {
    const snapshot = await getSnapshot(deps.api, repo, sha, config, new FileSelector(config), stats);
    const out: WarmOutcome = { status: 'warmed', sha, snapshot: stats, ms: 0 };
    if (config.links.propose) {
      const li: LinkIndexStats = { built: false, ms: 0, patterns: 0 };
      linkIndexFor(snapshot, li);
      out.linkIndex = li;
    }
    out.ms = Math.round(performance.now() - t0);
    return out;
  } catch (e) {
    if (e instanceof CommitGoneError) return { status: 'skipped', reason: e.message };
    throw e;
  }
}
