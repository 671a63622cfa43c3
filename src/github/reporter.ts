/**
 * The shape every GitHub output shares: findings of one commit in, side effects out.
 * The check run and the review implement it; issue sync (later) will too.
 */
import type { Finding } from '../core/finding.js';
import type { GitHubApi, RepoRef } from './octokit.js';

export interface ReportContext {
  api: GitHubApi;
  repo: RepoRef;
  headSha: string;
  /** Findings in the stable order (compareFindings). */
  findings: readonly Finding[];
  /** Head text of a file (for patches and suggestions), when known. */
  textOf(file: string): string | undefined;
}

export interface Reporter<R = unknown> {
  readonly name: string;
  report(ctx: ReportContext): Promise<R>;
}
