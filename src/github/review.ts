/**
 * Findings → ONE review (event COMMENT) with inline comments on commentable RIGHT-side lines.
 * Pure planning (`planReview`) and thin HTTP (`fetchPullState`, `postReview`, `resolveThreads`).
 *
 * Idempotency: each comment carries `<!-- pattern-gardener:fp=… -->`; findings already commented are
 * skipped; the review body carries `<!-- pattern-gardener:review sha=… -->` and at most one review is
 * posted per head SHA.
 *
 * Races: runs for one pull request are serialized within a process (app.ts), so a replayed or racing
 * event reads the first run's markers and posts nothing twice. Two replicas can still both post in the
 * window between their state reads and posts; the next run resolves the younger duplicate thread of each
 * fingerprint (keeping the oldest), so threads converge. The duplicate review body itself stays (submitted
 * reviews cannot be deleted).
 *
 * The pull-state query also carries the link gardener's memory (link-proposals.ts), with bounded pages:
 * who resolved each thread and the 👎 count of its first comment (100 threads a page, 20 comments each),
 * and the last 100 PR comments (the app's `links-rejected` markers). Older markers fall out of that
 * window; permanent rejections belong in `links.rejected`.
 *
 * Stale-thread policy: a thread started by the app (Bot author + marker) whose finding is gone is
 * RESOLVED with `resolveReviewThread`, never deleted — resolving keeps any human replies readable and
 * is reversible. Already-resolved threads are left alone.
 */
import { inert } from '../core/markdown.js';
import type { ReviewConfig } from '../core/config.js';
import { fingerprint, type Finding } from '../core/finding.js';
import type { ChangedFile } from './pull-files.js';
import { findingMarker, parseFindingMarker, parseLinkProposalMarker, parseLinkRejectedMarkers, parseReviewMarker, reviewMarker } from './markers.js';
import { suggestionFor } from './suggestion.js';
import type { GitHubApi, RepoRef } from './octokit.js';
import { BODY_LIMIT, cutMarkdown, fitMarkdown, fits, truncate, type MarkdownBlock } from './limits.js';

export interface ExistingThread {
  id: string;
  isResolved: boolean;
  /** Fingerprint from the marker of the thread's first comment, when the app wrote it. */
  fp?: string;
  /** True when someone other than a bot replied in the thread. */
  humanReplies: boolean;
  /** True when the thread was resolved by a person (not by the app). */
  resolvedByHuman?: boolean;
  /** Link proposal carried by the first comment (app-written), when it is one. */
  linkProposal?: { slug: string; add: string[] };
  /** 👎 reactions on the first comment. */
  thumbsDown?: number;
}

export interface PullState {
  headSha: string;
  threads: ExistingThread[];
  /** Head SHAs the app already posted a review for (from review-body markers). */
  reviewedShas: Set<string>;
  /** Link rejections recorded by the app in PR comments (`links-rejected` markers, the last 100 comments). */
  linkRejections: { slug: string; target?: string }[];
}

export interface ReviewComment {
  path: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
  body: string;
}

export interface ReviewPlan {
  /** The review to post, or undefined (nothing new, clean PR, or already reviewed at this SHA). */
  review?: { commit_id: string; event: 'COMMENT'; body: string; comments: ReviewComment[] };
  /** Threads to resolve (their finding is gone). */
  resolve: string[];
  /** Fingerprints delivered (now or before) as suggestions or inline comments. */
  suggested: Set<string>;
  inline: Set<string>;
  /** In-diff findings not commented inline because of the cap. */
  overflow: Finding[];
  /** The findings of `review.comments`, in the same order (for the fallback when GitHub refuses them). */
  commented: Finding[];
}

export interface PlanReviewInput {
  findings: readonly Finding[];
  files: ReadonlyMap<string, ChangedFile>;
  /** Head file lines (for suggestions). */
  linesOf(file: string): readonly string[] | undefined;
  review: ReviewConfig;
  headSha: string;
  state: Pick<PullState, 'threads' | 'reviewedShas'>;
  /** Extra hidden marker for a finding's comment (link proposals carry their slug and targets). */
  markerFor?(f: Finding): string | undefined;
  /** Problems the review body counts, when `findings` says some of them once for several files. */
  total?: number;
}

const ICON = { error: '🛑', warning: '⚠️', notice: 'ℹ️' } as const;

/**
 * An inline comment's body, within GitHub's body limit: the message, candidates and fix description are
 * cut to a few KB each; a suggestion too long to fit is left out (the caller sends the patch to the check
 * run instead, see planReview); the hidden markers always end the body whole.
 */
export function commentBody(f: Finding, fp: string, suggestion?: string, extraMarker?: string): string {
  const parts = [`${ICON[f.severity]} **${f.severity}** \`${f.rule}\`: ${truncate(inert(f.message), 4_000)}`];
  if (f.candidates && f.candidates.length > 1 && !suggestion) parts.push(truncate(`Candidates: ${f.candidates.map((c) => `\`${c}\``).join(', ')}`, 2_000));
  if (f.fix)
    parts.push(
      suggestion
        ? `**Fix:** ${truncate(inert(f.fix.description), 2_000)}\n\n${suggestion}`
        : `**Fix:** ${truncate(inert(f.fix.description), 2_000)} (the patch is in the check run summary).`,
    );
  const markers = extraMarker ? `${findingMarker(fp)}\n${extraMarker}` : findingMarker(fp);
  const body = [...parts, markers].join('\n\n');
  if (fits(body, BODY_LIMIT)) return body;
  return `${cutMarkdown(parts.join('\n\n'), BODY_LIMIT - markers.length - 2, '…')}\n\n${markers}`;
}

/** Where a finding can sit inline: its suggestion range, else its first commentable line. */
function placement(
  f: Finding,
  file: ChangedFile,
  lines: readonly string[] | undefined,
  cfg: ReviewConfig,
): { line: number; startLine: number | undefined; suggestion: string | undefined } | undefined {
  if (cfg.suggestions && f.fix && lines) {
    const s = suggestionFor(f, file.commentable, lines);
    if (s) return { line: s.line, startLine: s.startLine, suggestion: s.markdown };
  }
  for (let l = f.line; l <= Math.max(f.line, f.endLine); l++)
    if (file.commentable.lines.has(l)) return { line: l, startLine: undefined, suggestion: undefined };
  return undefined;
}

export function planReview(input: PlanReviewInput): ReviewPlan {
  const { findings, files, review, headSha, state } = input;
  const current = new Set(findings.map((f) => fingerprint(f)));
  const commented = new Set<string>();
  const resolve: string[] = [];
  // Threads come oldest first. A second open thread for one fingerprint is a duplicate (two runs raced
  // in different processes): resolve it, keep the oldest. Runs converge to one open thread per finding.
  const open = new Set<string>();
  for (const t of state.threads) {
    if (!t.fp) continue;
    commented.add(t.fp);
    if (t.isResolved) continue;
    if (!current.has(t.fp) || open.has(t.fp)) resolve.push(t.id);
    open.add(t.fp);
  }
  const comments: ReviewComment[] = [];
  const commentedFindings: Finding[] = [];
  const overflow: Finding[] = [];
  const suggested = new Set<string>();
  const inline = new Set<string>();
  for (const f of findings) {
    const file = files.get(f.file);
    if (!file) continue;
    const fp = fingerprint(f);
    const where = placement(f, file, input.linesOf(f.file), review);
    if (!where) continue;
    if (commented.has(fp)) {
      inline.add(fp);
      if (where.suggestion) suggested.add(fp);
      continue;
    }
    if (comments.length >= review.maxComments) {
      overflow.push(f);
      continue;
    }
    commented.add(fp);
    inline.add(fp);
    const marker = input.markerFor?.(f);
    let body = commentBody(f, fp, where.suggestion, marker);
    if (where.suggestion && !body.includes(where.suggestion)) {
      // Too long for a comment: placed as a plain comment, its patch goes to the check run summary.
      where.suggestion = undefined;
      where.startLine = undefined;
      body = commentBody(f, fp, undefined, marker);
    }
    if (where.suggestion) suggested.add(fp);
    const c: ReviewComment = { path: f.file, line: where.line, side: 'RIGHT', body };
    if (where.startLine !== undefined) {
      c.start_line = where.startLine;
      c.start_side = 'RIGHT';
    }
    comments.push(c);
    commentedFindings.push(f);
  }
  const plan: ReviewPlan = { resolve, suggested, inline, overflow, commented: commentedFindings };
  if ((comments.length > 0 || overflow.length > 0) && !state.reviewedShas.has(headSha)) {
    plan.review = { commit_id: headSha, event: 'COMMENT', body: reviewBody(input.total ?? findings.length, comments.length, overflow, headSha), comments };
  }
  return plan;
}

/** Findings listed in a review body: at most 300, each line cut to 600 bytes, the rest counted. */
const LISTED_FINDINGS = 300;
function findingList(head: string, list: readonly Finding[], why: string) {
  const items = list
    .slice(0, LISTED_FINDINGS)
    .map((f) => truncate(`- \`${f.file}:${f.line}\` **${f.severity}** \`${f.rule}\`: ${inert(f.message.replace(/\r?\n/g, ' '))}`, 600));
  const beyond = list.length - items.length;
  return { head, items, more: (n: number) => `- … and ${n + beyond} more ${why} in the check run` };
}

/**
 * The review body, within GitHub's body limit by construction. `refused`: findings whose inline comments
 * GitHub refused (422, e.g. "line must be part of the diff"); they are listed here instead, and stay in
 * the check run with their fixes as patches. Lists that do not fit end with how many are in the check run.
 */
export function reviewBody(total: number, inlineCount: number, overflow: readonly Finding[], headSha: string, refused: readonly Finding[] = []): string {
  const blocks: MarkdownBlock[] = [
    `**Pattern Gardener** found ${total} problem(s) in this pull request; ${inlineCount} new inline comment(s) below. Every finding is also in the **Pattern Gardener** check run.`,
  ];
  if (refused.length > 0) {
    blocks.push('', {
      ...findingList(
        'GitHub did not accept inline comments on these lines (the diff may have changed); their fixes are in the check run:\n',
        refused,
        'such findings',
      ),
      priority: 0,
    });
  }
  if (overflow.length > 0) {
    blocks.push('', {
      ...findingList('More findings on changed lines (over the inline comment limit):\n', overflow, 'findings on changed lines'),
      priority: 1,
    });
  }
  blocks.push('', reviewMarker(headSha));
  return fitMarkdown(blocks, BODY_LIMIT);
}

// ---- HTTP edges -------------------------------------------------------------------------------

export const PULL_STATE_QUERY = `query($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      headRefOid
      reviews(last: 50) { nodes { body author { __typename login } commit { oid } } }
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id isResolved resolvedBy { login }
          comments(first: 20) { nodes { body author { __typename login } reactions(content: THUMBS_DOWN) { totalCount } } }
        }
      }
      comments(last: 100) { nodes { body author { __typename login } } }
    }
  }
}`;

interface GqlAuthor {
  __typename?: string;
  login?: string;
}
interface PullStateResponse {
  repository: {
    pullRequest: {
      headRefOid: string;
      reviews: { nodes: { body: string; author: GqlAuthor | null; commit: { oid: string } | null }[] };
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: {
          id: string;
          isResolved: boolean;
          resolvedBy?: { login?: string } | null;
          comments: { nodes: { body: string; author: GqlAuthor | null; reactions?: { totalCount?: number } | null }[] };
        }[];
      };
      comments?: { nodes: { body: string; author: GqlAuthor | null }[] } | null;
    } | null;
  } | null;
}

/** Head SHA, the app's review threads and reviewed SHAs in one GraphQL request (≤ maxPages for huge PRs). */
export async function fetchPullState(api: GitHubApi, repo: RepoRef, number: number, maxPages = 3): Promise<PullState | undefined> {
  const state: PullState = { headSha: '', threads: [], reviewedShas: new Set(), linkRejections: [] };
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const res: PullStateResponse = await api.graphql<PullStateResponse>(PULL_STATE_QUERY, { owner: repo.owner, repo: repo.repo, number, cursor });
    const pr = res.repository?.pullRequest;
    if (!pr) return undefined;
    if (page === 0) {
      state.headSha = pr.headRefOid;
      for (const r of pr.reviews.nodes) {
        const sha = parseReviewMarker(r.body);
        if (sha && r.author?.__typename === 'Bot') state.reviewedShas.add(sha);
      }
      for (const c of pr.comments?.nodes ?? []) if (c.author?.__typename === 'Bot') state.linkRejections.push(...parseLinkRejectedMarkers(c.body));
    }
    for (const t of pr.reviewThreads.nodes) {
      const [first, ...rest] = t.comments.nodes;
      const fp = first && first.author?.__typename === 'Bot' ? parseFindingMarker(first.body) : undefined;
      const thread: ExistingThread = { id: t.id, isResolved: t.isResolved, humanReplies: rest.some((c) => c.author?.__typename !== 'Bot') };
      if (fp) thread.fp = fp;
      const proposal = fp ? parseLinkProposalMarker(first!.body) : undefined;
      if (proposal) {
        thread.linkProposal = proposal;
        thread.thumbsDown = first!.reactions?.totalCount ?? 0;
        // resolvedBy is a User: null, or the app's own login, when the app resolved the thread.
        const by = t.resolvedBy?.login ?? '';
        const app = (first!.author?.login ?? '').replace(/\[bot\]$/, '');
        thread.resolvedByHuman = t.isResolved && by !== '' && !by.endsWith('[bot]') && by !== app;
      }
      state.threads.push(thread);
    }
    if (!pr.reviewThreads.pageInfo.hasNextPage) break;
    cursor = pr.reviewThreads.pageInfo.endCursor;
  }
  return state;
}

export async function postReview(api: GitHubApi, repo: RepoRef, number: number, review: NonNullable<ReviewPlan['review']>): Promise<void> {
  await api.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { ...repo, pull_number: number, ...review });
}

/** Resolves threads with one aliased GraphQL mutation per 50 threads. Returns the request count. */
export async function resolveThreads(api: GitHubApi, threadIds: readonly string[]): Promise<number> {
  let requests = 0;
  for (let i = 0; i < threadIds.length; i += 50) {
    const ids = threadIds.slice(i, i + 50);
    const vars: Record<string, string> = {};
    const decl = ids.map((id, j) => {
      vars[`t${j}`] = id;
      return `$t${j}: ID!`;
    });
    const body = ids.map((_, j) => `r${j}: resolveReviewThread(input: { threadId: $t${j} }) { thread { id isResolved } }`).join('\n  ');
    await api.graphql(`mutation(${decl.join(', ')}) {\n  ${body}\n}`, vars);
    requests++;
  }
  return requests;
}
