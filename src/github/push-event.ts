/**
 * What a push says about the pattern repository, for every handler that reacts to pushes (the garden
 * sweep and the review cache warm-up): one definition of "a default-branch push that touches patterns".
 */
import { CONFIG_PATH } from './config.js';

export interface PushPayloadLike {
  ref?: string;
  after?: string;
  deleted?: boolean;
  repository?: { default_branch?: string };
  commits?: { added?: string[]; modified?: string[]; removed?: string[] }[] | null;
}

/** Files a push to the default branch changed, as GitHub lists them (at most 20 commits); undefined for other branches and deletions. */
export function defaultBranchChanges(p: PushPayloadLike): Set<string> | undefined {
  if (p.deleted || !p.repository?.default_branch || p.ref !== `refs/heads/${p.repository.default_branch}`) return undefined;
  const changed = new Set<string>();
  for (const c of p.commits ?? []) for (const f of [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]) changed.add(f);
  return changed;
}

/** A change that can matter to patterns: Markdown or the app's config. */
export function touchesPatterns(changed: Iterable<string>): boolean {
  for (const f of changed) if (f.endsWith('.md') || f === CONFIG_PATH) return true;
  return false;
}
