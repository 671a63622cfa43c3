/**
 * A loopback HTTP server standing in for the GitHub REST API (plus a minimal
 * GraphQL endpoint), for the demo and end-to-end tests. No dependencies.
 *
 * Writes are attributed to the app's bot user (`pattern-gardener[bot]`, type
 * Bot) unless the request carries an `x-standin-user: <login>` header, which
 * lets tests act as a human (reply to a thread, react with -1, open an issue).
 *
 * Everything the app writes is recorded in `state`; every request is logged in
 * `state.requests` with the route it matched (`route: null` = unknown route or
 * unsupported GraphQL operation, answered 404 / GraphQL error) so tests can spot
 * calls the stand-in does not know.
 *
 * Validation that mirrors GitHub (answered 422) so bugs surface here and not in
 * production: review comments must target a file of the PR and a line inside a
 * diff hunk on the chosen side (multi-line comments inside one hunk); check run
 * `output` needs title and summary, summary/text ≤ 65535 characters, ≤ 50
 * annotations per request with valid fields, `completed` needs a conclusion;
 * issue/comment bodies ≤ 65536 characters.
 *
 * GraphQL (POST /graphql) reads the document (graphql-select.ts) and answers exactly the fields it
 * selects, under their aliases, as GitHub does:
 *  - mutations made of one or more `[alias:] resolveReviewThread(input: { threadId })` /
 *    `unresolveReviewThread(...)` (answering `{ thread }`) and `pinIssue(input: { issueId })`
 *    (answering `{ issue { id number isPinned } }`); unknown ids → null plus a NOT_FOUND error;
 *  - queries of `repository(owner, name) { pullRequest(number) { ... } }` where the pull request knows
 *    id, number, headRefOid, baseRefOid, `reviews(first|last)` { totalCount, nodes { id databaseId body
 *    state author { __typename login } commit { oid } } }, `reviewThreads(first, after)` { totalCount,
 *    pageInfo, nodes: [<thread>] } and `comments(first|last)` (the pull request's issue comments:
 *    { totalCount, nodes { id databaseId body createdAt author } }); a thread is { id, isResolved,
 *    isOutdated, isCollapsed, path, line, originalLine, startLine, diffSide, resolvedBy { login },
 *    viewerCanResolve, viewerCanUnresolve, comments { totalCount, pageInfo, nodes { id databaseId body
 *    path line url createdAt author pullRequestReview { databaseId } reactions(content) { totalCount } } } }.
 * A selected field the stand-in does not know is left out of the answer (the conformance tests compare
 * answers with the query); any other operation gets a GraphQL error and is logged with `route: null`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { writeTarball } from '../github/tarball.js';
import { commentableLines } from './diff.js';
import {
  buildRepoModel,
  compareTrees,
  makeCommit,
  flattenTree,
  resolveRef,
  type Commit,
  type PullModel,
  type RepoModel,
  type StandinPullSpec,
  type StandinRepoSpec,
} from './model.js';
import { standinObservers, type StandinExchange } from './observers.js';
import { parseOperations, selectAnswer, type FieldSelection, type GraphqlOperation } from './graphql-select.js';
import { pullJson, repoJson, userJson, type UserJson } from './shapes.js';
import { pullRequestPayload, type PullRequestAction } from './webhook.js';

export { observeStandins, type StandinExchange } from './observers.js';

export interface StartStandinOptions {
  repo: StandinRepoSpec;
  pulls?: StandinPullSpec[];
  /** Default 0 (a free port). The server always binds 127.0.0.1. */
  port?: number;
  /** Login of the app's bot user (default 'pattern-gardener[bot]'). */
  botLogin?: string;
  app?: { id?: number; slug?: string; name?: string };
  /** Installation id used in payloads (default 1; any id gets a token). */
  installationId?: number;
  /** Answer tarball requests with a 302 to a codeload-like URL on this server, as GitHub does (default true). */
  tarballRedirect?: boolean;
  /** Reject review comments on lines outside the diff, as GitHub does (default true). */
  strictReviewComments?: boolean;
  /**
   * Answers of `GET /repos/:o/:r/collaborators/:user/permission` per login
   * (default: the repository owner and 'maintainer' are admin, everyone else read).
   */
  permissions?: Record<string, 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none'>;
  /** Called after every answered request with the request and the answer (conformance checks, tracing). */
  onExchange?: (e: StandinExchange) => void;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  /** Route pattern matched, or null for unknown routes / unsupported GraphQL. */
  route: string | null;
}

export interface Label {
  id: number;
  node_id: string;
  url: string;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRun {
  id: number;
  node_id: string;
  name: string;
  head_sha: string;
  external_id: string | null;
  details_url: string | null;
  status: 'queued' | 'in_progress' | 'completed' | string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations_count: number; annotations_url: string };
  /** All annotations sent so far (GitHub appends them on every update). */
  annotations: CheckAnnotation[];
  actions: unknown[];
  /** Number of PATCH requests received. */
  updates: number;
  url: string;
  html_url: string;
  app: { id: number; slug: string; name: string };
  check_suite: { id: number };
  pull_requests: { number: number; head: { sha: string; ref: string }; base: { sha: string; ref: string } }[];
}

export interface ReviewComment {
  id: number;
  node_id: string;
  pull_number: number;
  pull_request_review_id: number | null;
  path: string;
  line: number | null;
  side: 'LEFT' | 'RIGHT';
  start_line: number | null;
  start_side: 'LEFT' | 'RIGHT' | null;
  original_line: number | null;
  position: number | null;
  original_position: number | null;
  subject_type: 'line' | 'file';
  body: string;
  commit_id: string;
  original_commit_id: string;
  in_reply_to_id?: number;
  diff_hunk: string;
  user: UserJson;
  created_at: string;
  updated_at: string;
  url: string;
  html_url: string;
  pull_request_url: string;
}

export interface Review {
  id: number;
  node_id: string;
  pull_number: number;
  user: UserJson;
  body: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING' | 'DISMISSED';
  commit_id: string;
  submitted_at: string | null;
  html_url: string;
  pull_request_url: string;
  /** Ids of the review comments created with this review. */
  comment_ids: number[];
}

export interface IssueComment {
  id: number;
  node_id: string;
  issue_number: number;
  body: string;
  user: UserJson;
  created_at: string;
  updated_at: string;
  url: string;
  html_url: string;
  issue_url: string;
}

export interface Issue {
  id: number;
  node_id: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: Label[];
  assignees: UserJson[];
  user: UserJson;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  url: string;
  html_url: string;
}

export interface Reaction {
  id: number;
  node_id: string;
  content: '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes';
  user: UserJson;
  created_at: string;
  /** `issue`: a reaction on an issue or pull request itself (id = its number). */
  subject: { type: 'issue_comment' | 'review_comment' | 'issue'; id: number };
}

export interface ReviewThread {
  id: string;
  pull_number: number;
  isResolved: boolean;
  resolvedBy: string | null;
  /** Review comment ids, first one opening the thread. */
  commentIds: number[];
}

/** Mutable per-PR data (the rest comes from the model). */
export interface PullRecord {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  labels: Label[];
  updated_at?: string;
  closed_at?: string;
  merged_at?: string;
  merge_commit_sha?: string;
}

export interface StandinState {
  requests: LoggedRequest[];
  tokens: { installationId: number; token: string }[];
  checkRuns: CheckRun[];
  reviews: Review[];
  reviewComments: ReviewComment[];
  reviewThreads: ReviewThread[];
  issueComments: IssueComment[];
  issues: Issue[];
  labels: Label[];
  pulls: PullRecord[];
  reactions: Reaction[];
  graphql: { query: string; variables: Record<string, unknown> }[];
  /** Issue numbers pinned through the GraphQL `pinIssue` mutation. */
  pinnedIssues: number[];
  deleted: { kind: 'review_comment' | 'issue_comment' | 'label'; id: number | string }[];
}

export interface Standin {
  /** e.g. http://127.0.0.1:PORT — use as Octokit/Probot `baseUrl`. */
  url: string;
  state: StandinState;
  model: RepoModel;
  /** `pull_request` webhook payload for one of the PRs, with URLs pointing at this server. */
  pullRequestPayload(number: number, action?: PullRequestAction): Record<string, unknown>;
  /**
   * Records a comment by `user` (a human by default) on issue or PR `number` and
   * returns the matching `issue_comment.created` payload.
   */
  issueCommentPayload(number: number, body: string, user?: string): Record<string, unknown>;
  close(): Promise<void>;
}

type Query = URLSearchParams;
interface Ctx {
  req: IncomingMessage;
  params: string[];
  query: Query;
  body: unknown;
  path: string;
}
interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw body (already encoded). */
  raw?: Uint8Array | string;
}
type Handler = (ctx: Ctx) => Reply;

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const MAX_BODY = 25 * 1024 * 1024;
const DOCS = 'https://docs.github.com/rest';

const notFound = (): Reply => ({ status: 404, body: { message: 'Not Found', documentation_url: DOCS } });
const invalid = (...errors: string[]): Reply => ({
  status: 422,
  body: { message: errors.length === 1 ? errors[0] : 'Validation Failed', errors, documentation_url: DOCS },
});

function base64Lines(s: string): string {
  const b = Buffer.from(s, 'utf8').toString('base64');
  return (b.match(/.{1,60}/g) ?? ['']).join('\n') + '\n';
}

export async function startStandin(opts: StartStandinOptions): Promise<Standin> {
  const model = buildRepoModel(opts.repo, opts.pulls ?? []);
  const botLogin = opts.botLogin ?? 'pattern-gardener[bot]';
  const app = { id: opts.app?.id ?? 1, slug: opts.app?.slug ?? 'pattern-gardener', name: opts.app?.name ?? 'Pattern Gardener' };
  const strict = opts.strictReviewComments ?? true;
  const observers = [...standinObservers(), ...(opts.onExchange ? [opts.onExchange] : [])];
  const redirectTarball = opts.tarballRedirect ?? true;
  let nextId = 1000;
  const id = (): number => ++nextId;
  let apiBase = '';

  const state: StandinState = {
    requests: [],
    tokens: [],
    checkRuns: [],
    reviews: [],
    reviewComments: [],
    reviewThreads: [],
    issueComments: [],
    issues: [],
    labels: [],
    pulls: [],
    reactions: [],
    graphql: [],
    pinnedIssues: [],
    deleted: [],
  };
  /** Login acting in the current request: the `x-standin-user` header (a human), else the app's bot. */
  let actor: string | undefined;
  const bot = (): UserJson => (actor ? userJson(actor, apiBase, 'User') : userJson(botLogin, apiBase, 'Bot'));
  const repoUrl = (): string => `${apiBase}/repos/${model.fullName}`;

  const makeLabel = (name: string, color = 'ededed', description: string | null = null): Label => {
    const i = id();
    return {
      id: i,
      node_id: `LA_standin${i}`,
      url: `${repoUrl()}/labels/${encodeURIComponent(name)}`,
      name,
      color,
      description,
      default: false,
    };
  };
  const findLabel = (name: string): Label | undefined => state.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
  const ensureLabel = (name: string): Label => {
    let l = findLabel(name);
    if (!l) {
      l = makeLabel(name);
      state.labels.push(l);
    }
    return l;
  };

  for (const p of model.pulls.values()) {
    state.pulls.push({
      number: p.number,
      title: p.spec.title,
      body: p.spec.body ?? null,
      state: p.spec.state ?? 'open',
      labels: [],
    });
  }

  // ── helpers ────────────────────────────────────────────────────────────────
  const pullRecord = (n: number): PullRecord | undefined => state.pulls.find((p) => p.number === n);
  const pullOf = (ctx: Ctx): { pull: PullModel; rec: PullRecord } | undefined => {
    const n = Number(ctx.params[2]);
    const pull = model.pulls.get(n);
    const rec = pullRecord(n);
    return pull && rec ? { pull, rec } : undefined;
  };
  const pullBody = (pull: PullModel, rec: PullRecord) => {
    const j = pullJson(model, pull, apiBase, rec);
    j.comments = state.issueComments.filter((c) => c.issue_number === pull.number).length;
    j.review_comments = state.reviewComments.filter((c) => c.pull_number === pull.number).length;
    return j;
  };

  const page = (ctx: Ctx, items: unknown[], wrap?: (slice: unknown[]) => unknown): Reply => {
    const perPage = Math.min(100, Math.max(1, Number(ctx.query.get('per_page') ?? 30) || 30));
    const pageNo = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((pageNo - 1) * perPage, pageNo * perPage);
    const link = (p: number): string => {
      const q = new URLSearchParams(ctx.query);
      q.set('per_page', String(perPage));
      q.set('page', String(p));
      return `${apiBase}${ctx.path}?${q.toString()}`;
    };
    const rels: string[] = [];
    if (pageNo > 1) rels.push(`<${link(pageNo - 1)}>; rel="prev"`, `<${link(1)}>; rel="first"`);
    if (pageNo < last) rels.push(`<${link(pageNo + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    return {
      status: 200,
      body: wrap ? wrap(slice) : slice,
      headers: rels.length ? { link: rels.join(', ') } : {},
    };
  };

  const issueView = (n: number): Record<string, unknown> | undefined => {
    const issue = state.issues.find((i) => i.number === n);
    const comments = state.issueComments.filter((c) => c.issue_number === n).length;
    if (issue) {
      return {
        ...issue,
        comments,
        comments_url: `${issue.url}/comments`,
        labels_url: `${issue.url}/labels{/name}`,
        repository_url: repoUrl(),
        locked: false,
        author_association: 'NONE',
        assignee: issue.assignees[0] ?? null,
      };
    }
    const pull = model.pulls.get(n);
    const rec = pullRecord(n);
    if (!pull || !rec) return undefined;
    const pj = pullJson(model, pull, apiBase, rec);
    return {
      id: pj.id + 500_000,
      node_id: `I_standin${n}`,
      number: n,
      title: rec.title,
      body: rec.body,
      state: rec.state,
      state_reason: null,
      labels: rec.labels,
      assignees: [],
      assignee: null,
      user: pj.user,
      created_at: pj.created_at,
      updated_at: pj.updated_at,
      closed_at: null,
      url: pj.issue_url,
      html_url: pj.html_url,
      repository_url: repoUrl(),
      comments_url: pj.comments_url,
      labels_url: `${pj.issue_url}/labels{/name}`,
      comments,
      locked: false,
      draft: pj.draft,
      author_association: pj.author_association,
      pull_request: { url: pj.url, html_url: pj.html_url, diff_url: pj.diff_url, patch_url: pj.patch_url, merged_at: null },
    };
  };
  const labelsOf = (n: number): Label[] | undefined => state.issues.find((i) => i.number === n)?.labels ?? pullRecord(n)?.labels;
  const setLabels = (n: number, labels: Label[]): void => {
    const issue = state.issues.find((i) => i.number === n);
    if (issue) {
      issue.labels = labels;
      issue.updated_at = now();
    } else {
      const rec = pullRecord(n);
      if (rec) {
        rec.labels = labels;
        rec.updated_at = now();
      }
    }
  };
  const labelNames = (body: unknown): string[] | undefined => {
    const raw = Array.isArray(body) ? body : isRecord(body) ? body.labels : undefined;
    if (!Array.isArray(raw)) return undefined;
    const out: string[] = [];
    for (const l of raw) {
      if (typeof l === 'string') out.push(l);
      else if (isRecord(l) && typeof l.name === 'string') out.push(l.name);
      else return undefined;
    }
    return out;
  };

  const bodyTooLong = (b: unknown): boolean => typeof b === 'string' && b.length > 65536;

  /** GraphQL's ReactionContent for the REST names the stand-in stores. */
  const REACTION_ENUM: Record<string, Reaction['content']> = {
    THUMBS_UP: '+1',
    THUMBS_DOWN: '-1',
    LAUGH: 'laugh',
    CONFUSED: 'confused',
    HEART: 'heart',
    HOORAY: 'hooray',
    ROCKET: 'rocket',
    EYES: 'eyes',
  };
  const threadNode = (t: ReviewThread) => {
    const comments = t.commentIds.map((cid) => state.reviewComments.find((c) => c.id === cid)).filter((c): c is ReviewComment => c !== undefined);
    const first = comments[0];
    return {
      id: t.id,
      isResolved: t.isResolved,
      isOutdated: false,
      isCollapsed: t.isResolved,
      path: first?.path ?? null,
      line: first?.line ?? null,
      originalLine: first?.original_line ?? null,
      startLine: first?.start_line ?? null,
      diffSide: first?.side ?? 'RIGHT',
      resolvedBy: t.resolvedBy ? { login: t.resolvedBy } : null,
      viewerCanResolve: true,
      viewerCanUnresolve: true,
      comments: {
        totalCount: comments.length,
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes: comments.map((c) => ({
          id: c.node_id,
          databaseId: c.id,
          body: c.body,
          path: c.path,
          line: c.line,
          url: c.html_url,
          createdAt: c.created_at,
          author: { __typename: c.user.type === 'Bot' ? 'Bot' : 'User', login: c.user.login },
          pullRequestReview: c.pull_request_review_id === null ? null : { databaseId: c.pull_request_review_id },
          reactions: (args: string) => {
            const content = REACTION_ENUM[/\bcontent : (\w+)/.exec(args)?.[1] ?? ''];
            return {
              totalCount: state.reactions.filter((r) => r.subject.type === 'review_comment' && r.subject.id === c.id && (!content || r.content === content))
                .length,
            };
          },
        })),
      },
    };
  };

  /** Validate and create one review comment; returns the comment or an error reply. */
  const createReviewComment = (pull: PullModel, raw: unknown, reviewId: number | null, commitId: string): ReviewComment | Reply => {
    if (!isRecord(raw)) return invalid('comment must be an object');
    const body = raw.body;
    if (typeof body !== 'string' || body === '') return invalid('comment body is missing');
    if (bodyTooLong(body)) return invalid('body is too long (maximum is 65536 characters)');
    const path = raw.path;
    if (typeof path !== 'string') return invalid('path is missing');
    const file = pull.files.find((f) => f.filename === path);
    if (!file && strict) return invalid('Path could not be resolved');
    const subjectType = raw.subject_type === 'file' ? 'file' : 'line';
    let line: number | null = null;
    let side: 'LEFT' | 'RIGHT' = raw.side === 'LEFT' ? 'LEFT' : 'RIGHT';
    let startLine: number | null = null;
    let startSide: 'LEFT' | 'RIGHT' | null = null;
    let position: number | null = null;
    const oldText = (file?.previous_filename ? pull.base.files.get(file.previous_filename) : pull.base.files.get(path)) ?? '';
    const newText = pull.head.files.get(path) ?? '';
    const lines = commentableLines(oldText, newText);
    if (subjectType === 'line') {
      if (typeof raw.line === 'number') {
        line = raw.line;
        const sideMap = side === 'LEFT' ? lines.left : lines.right;
        const hunk = sideMap.get(line);
        if (strict && hunk === undefined) return invalid('Line could not be resolved');
        if (raw.start_line !== undefined && raw.start_line !== null) {
          if (typeof raw.start_line !== 'number' || raw.start_line > line) return invalid('start_line must precede line');
          startLine = raw.start_line;
          startSide = raw.start_side === 'LEFT' ? 'LEFT' : raw.start_side === 'RIGHT' ? 'RIGHT' : side;
          const sh = (startSide === 'LEFT' ? lines.left : lines.right).get(startLine);
          if (strict && (sh === undefined || sh !== hunk)) return invalid('Start line could not be resolved');
        }
        const pi = lines.positions.findIndex((p) => p.side === side && p.line === line);
        position = pi >= 0 ? pi + 1 : null;
      } else if (typeof raw.position === 'number') {
        position = raw.position;
        const p = lines.positions[raw.position - 1];
        if (!p || p.line < 0) {
          if (strict) return invalid('Position could not be resolved');
        } else {
          line = p.line;
          side = p.side;
        }
      } else if (strict) {
        return invalid('line or position is required');
      }
    }
    const cid = id();
    const t = now();
    const c: ReviewComment = {
      id: cid,
      node_id: `PRRC_standin${cid}`,
      pull_number: pull.number,
      pull_request_review_id: reviewId,
      path,
      line,
      side,
      start_line: startLine,
      start_side: startSide,
      original_line: line,
      position,
      original_position: position,
      subject_type: subjectType,
      body,
      commit_id: commitId,
      original_commit_id: commitId,
      diff_hunk: file?.patch?.split('\n').slice(0, 4).join('\n') ?? '',
      user: bot(),
      created_at: t,
      updated_at: t,
      url: `${repoUrl()}/pulls/comments/${cid}`,
      html_url: `https://github.com/${model.fullName}/pull/${pull.number}#discussion_r${cid}`,
      pull_request_url: `${repoUrl()}/pulls/${pull.number}`,
    };
    return c;
  };
  const isReply = (x: ReviewComment | Reply): x is Reply => 'status' in x && !('id' in x);
  const addThread = (c: ReviewComment): void => {
    state.reviewThreads.push({
      id: `PRRT_standin${c.id}`,
      pull_number: c.pull_number,
      isResolved: false,
      resolvedBy: null,
      commentIds: [c.id],
    });
  };

  const validateCheckRun = (b: Record<string, unknown>, creating: boolean): Reply | undefined => {
    if (creating && (typeof b.name !== 'string' || b.name === '')) return invalid('name is missing');
    if (creating && (typeof b.head_sha !== 'string' || b.head_sha === '')) return invalid('head_sha is missing');
    const statuses = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'];
    if (b.status !== undefined && !statuses.includes(b.status as string)) return invalid(`status is not included in the list`);
    const conclusions = ['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out'];
    if (b.conclusion !== undefined && b.conclusion !== null && !conclusions.includes(b.conclusion as string))
      return invalid('conclusion is not included in the list');
    if (b.status === 'completed' && (b.conclusion === undefined || b.conclusion === null)) return invalid('conclusion is required when status is completed');
    if (b.output !== undefined) {
      if (!isRecord(b.output)) return invalid('output must be an object');
      const o = b.output;
      if (typeof o.title !== 'string' || typeof o.summary !== 'string') return invalid('output.title and output.summary are required');
      if (o.summary.length > 65535) return invalid('output.summary is too long (maximum is 65535 characters)');
      if (typeof o.text === 'string' && o.text.length > 65535) return invalid('output.text is too long (maximum is 65535 characters)');
      if (o.annotations !== undefined) {
        if (!Array.isArray(o.annotations)) return invalid('output.annotations must be an array');
        if (o.annotations.length > 50) return invalid('Only 50 annotations are allowed per request');
        for (const a of o.annotations) {
          if (!isRecord(a)) return invalid('annotation must be an object');
          if (typeof a.path !== 'string' || a.path === '') return invalid('annotation path is missing');
          if (!Number.isInteger(a.start_line) || !Number.isInteger(a.end_line) || (a.start_line as number) < 1)
            return invalid('annotation start_line/end_line must be positive integers');
          if ((a.end_line as number) < (a.start_line as number)) return invalid('annotation end_line precedes start_line');
          if (!['notice', 'warning', 'failure'].includes(a.annotation_level as string)) return invalid('annotation_level is not included in the list');
          if (typeof a.message !== 'string' || a.message === '') return invalid('annotation message is missing');
          if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line)
            return invalid('start_column and end_column may only be used when start_line equals end_line');
        }
      }
    }
    return undefined;
  };
  const applyCheckRun = (run: CheckRun, b: Record<string, unknown>): void => {
    if (typeof b.name === 'string') run.name = b.name;
    if (typeof b.details_url === 'string') run.details_url = b.details_url;
    if (typeof b.external_id === 'string') run.external_id = b.external_id;
    if (typeof b.started_at === 'string') run.started_at = b.started_at;
    if (typeof b.status === 'string') run.status = b.status;
    if (typeof b.conclusion === 'string') {
      run.conclusion = b.conclusion;
      run.status = 'completed';
    }
    if (typeof b.completed_at === 'string') run.completed_at = b.completed_at;
    if (run.status === 'completed' && run.completed_at === null) run.completed_at = now();
    if (Array.isArray(b.actions)) run.actions = b.actions;
    if (isRecord(b.output)) {
      const o = b.output;
      run.output.title = o.title as string;
      run.output.summary = o.summary as string;
      if (typeof o.text === 'string') run.output.text = o.text;
      if (Array.isArray(o.annotations)) run.annotations.push(...(o.annotations as CheckAnnotation[]));
      run.output.annotations_count = run.annotations.length;
    }
  };
  const checkRunJson = (run: CheckRun) => {
    const { annotations: _a, updates: _u, ...rest } = run;
    return rest;
  };

  const fileAt = (commit: Commit, path: string): string | undefined => commit.files.get(path);

  const contents = (ctx: Ctx, path: string): Reply => {
    const ref = ctx.query.get('ref') ?? undefined;
    const commit = resolveRef(model, ref);
    if (!commit) return { status: 404, body: { message: `No commit found for the ref ${ref}`, documentation_url: DOCS } };
    const clean = path.replace(/^\/+|\/+$/g, '');
    const accept = String(ctx.req.headers.accept ?? '');
    const raw = /\.raw\b|vnd\.github\.raw/.test(accept);
    const entryJson = (p: string, type: 'file' | 'dir', sha: string, size: number) => {
      const html = `https://github.com/${model.fullName}/${type === 'dir' ? 'tree' : 'blob'}/${commit.sha}/${encodeURI(p)}`;
      return {
        type,
        name: p.split('/').pop() ?? p,
        path: p,
        sha,
        size,
        url: `${repoUrl()}/contents/${p}?ref=${commit.sha}`,
        html_url: html,
        git_url: `${repoUrl()}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`,
        download_url: type === 'file' ? `https://raw.githubusercontent.com/${model.fullName}/${commit.sha}/${p}` : null,
        _links: { self: `${repoUrl()}/contents/${p}?ref=${commit.sha}`, git: `${repoUrl()}/git/blobs/${sha}`, html },
      };
    };
    const content = clean === '' ? undefined : fileAt(commit, clean);
    const all = flattenTree(model, commit.tree);
    if (content !== undefined) {
      if (raw) return { status: 200, raw: content, headers: { 'content-type': 'text/plain; charset=utf-8' } };
      const e = all.find((x) => x.path === clean)!;
      return {
        status: 200,
        body: { ...entryJson(clean, 'file', e.sha, Buffer.byteLength(content)), encoding: 'base64', content: base64Lines(content) },
      };
    }
    const prefix = clean === '' ? '' : `${clean}/`;
    if (clean !== '' && !all.some((e) => e.type === 'tree' && e.path === clean)) return notFound();
    const children = all.filter((e) => e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/'));
    return {
      status: 200,
      body: children.map((e) => entryJson(e.path, e.type === 'tree' ? 'dir' : 'file', e.sha, e.size ?? 0)),
    };
  };

  const tarballOf = (commit: Commit): Reply => {
    const top = `${model.owner}-${model.name}-${commit.sha.slice(0, 7)}`;
    const body = writeTarball(
      [...commit.files].map(([path, content]) => ({ path, content })),
      top,
      { comment: commit.sha, mtime: Math.floor(Date.parse(commit.date) / 1000) },
    );
    return {
      status: 200,
      raw: body,
      headers: {
        'content-type': 'application/x-gzip',
        'content-disposition': `attachment; filename=${top}.tar.gz`,
      },
    };
  };

  const commitJson = (c: Commit) => ({
    sha: c.sha,
    node_id: `C_standin${c.sha.slice(0, 12)}`,
    url: `${repoUrl()}/commits/${c.sha}`,
    html_url: `https://github.com/${model.fullName}/commit/${c.sha}`,
    commit: {
      author: { name: c.author.name, email: c.author.email, date: c.date },
      committer: { name: c.author.name, email: c.author.email, date: c.date },
      message: c.message,
      tree: { sha: c.tree, url: `${repoUrl()}/git/trees/${c.tree}` },
      comment_count: 0,
    },
    author: userJson(c.author.login, apiBase),
    committer: userJson(c.author.login, apiBase),
    parents: c.parents.map((p) => ({ sha: p, url: `${repoUrl()}/commits/${p}` })),
  });
  const history = (c: Commit): Commit[] => {
    const out: Commit[] = [];
    let cur: Commit | undefined = c;
    while (cur) {
      out.push(cur);
      cur = cur.parents[0] ? model.commits.get(cur.parents[0]) : undefined;
    }
    return out;
  };

  const newIssueComment = (n: number, body: string): IssueComment => {
    const cid = id();
    const t = now();
    return {
      id: cid,
      node_id: `IC_standin${cid}`,
      issue_number: n,
      body,
      user: bot(),
      created_at: t,
      updated_at: t,
      url: `${repoUrl()}/issues/comments/${cid}`,
      html_url: `https://github.com/${model.fullName}/issues/${n}#issuecomment-${cid}`,
      issue_url: `${repoUrl()}/issues/${n}`,
    };
  };
  const issueCommentJson = (c: IssueComment) => {
    const { issue_number: _n, ...rest } = c;
    return { ...rest, author_association: 'NONE', reactions: reactionSummary('issue_comment', c.id, c.url) };
  };
  const reactionSummary = (type: Reaction['subject']['type'], sid: number, url: string) => {
    const rs = state.reactions.filter((r) => r.subject.type === type && r.subject.id === sid);
    const count = (c: string): number => rs.filter((r) => r.content === c).length;
    return {
      url: `${url}/reactions`,
      total_count: rs.length,
      '+1': count('+1'),
      '-1': count('-1'),
      laugh: count('laugh'),
      confused: count('confused'),
      heart: count('heart'),
      hooray: count('hooray'),
      rocket: count('rocket'),
      eyes: count('eyes'),
    };
  };
  const reviewCommentJson = (c: ReviewComment) => ({
    ...c,
    author_association: 'NONE',
    reactions: reactionSummary('review_comment', c.id, c.url),
  });
  const reviewJson = (r: Review) => {
    const { comment_ids: _c, pull_number: _p, ...rest } = r;
    return { ...rest, author_association: 'NONE', _links: { html: { href: r.html_url }, pull_request: { href: r.pull_request_url } } };
  };
  const reactionRoutes = (type: Reaction['subject']['type']) => ({
    list: (ctx: Ctx): Reply => {
      const sid = Number(ctx.params[2]);
      const exists = type === 'issue_comment' ? state.issueComments.some((c) => c.id === sid) : state.reviewComments.some((c) => c.id === sid);
      if (!exists) return notFound();
      const content = ctx.query.get('content');
      const rs = state.reactions.filter((r) => r.subject.type === type && r.subject.id === sid && (!content || r.content === content));
      return page(
        ctx,
        rs.map(({ subject: _s, ...r }) => r),
      );
    },
    create: (ctx: Ctx): Reply => {
      const sid = Number(ctx.params[2]);
      const exists = type === 'issue_comment' ? state.issueComments.some((c) => c.id === sid) : state.reviewComments.some((c) => c.id === sid);
      if (!exists) return notFound();
      const content = isRecord(ctx.body) ? ctx.body.content : undefined;
      const allowed = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'];
      if (typeof content !== 'string' || !allowed.includes(content)) return invalid('content is not included in the list');
      const dup = state.reactions.find((r) => r.subject.type === type && r.subject.id === sid && r.content === content && r.user.login === bot().login);
      if (dup) {
        const { subject: _s, ...r } = dup;
        return { status: 200, body: r };
      }
      const rid = id();
      const r: Reaction = {
        id: rid,
        node_id: `REA_standin${rid}`,
        content: content as Reaction['content'],
        user: bot(),
        created_at: now(),
        subject: { type, id: sid },
      };
      state.reactions.push(r);
      const { subject: _s, ...rest } = r;
      return { status: 201, body: rest };
    },
  });

  // ── routes ─────────────────────────────────────────────────────────────────
  const R = '/repos/([^/]+)/([^/]+)';
  const routes: [string, RegExp, string, Handler][] = [];
  const route = (method: string, pattern: string, handler: Handler): void => {
    const name = pattern
      .replace('/repos/([^/]+)/([^/]+)', '/repos/:owner/:repo')
      .replace(/\(\\d\+\)/g, ':number')
      .replace(/\(\[0-9a-f\]\{40\}\)/g, ':sha')
      .replace(/\(\[\^\/\]\+\)/g, ':name')
      .replace(/\(\.\+\)/g, ':path')
      .replace(/\/\?$/, '')
      .replace(/\\\./g, '.');
    routes.push([method, new RegExp(`^${pattern}$`), `${method} ${name}`, handler]);
  };

  // App and installations
  route('POST', '/app/installations/(\\d+)/access_tokens', (ctx) => {
    const inst = Number(ctx.params[0]);
    const token = `ghs_standin_${inst}_${state.tokens.length + 1}`;
    state.tokens.push({ installationId: inst, token });
    return {
      status: 201,
      body: {
        token,
        expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        permissions: { checks: 'write', contents: 'read', issues: 'write', metadata: 'read', pull_requests: 'write' },
        repository_selection: 'all',
      },
    };
  });
  route('GET', '/app', () => ({
    status: 200,
    body: {
      id: app.id,
      slug: app.slug,
      node_id: `A_standin${app.id}`,
      name: app.name,
      owner: userJson(model.owner, apiBase, 'Organization'),
      permissions: { checks: 'write', contents: 'read', issues: 'write', metadata: 'read', pull_requests: 'write' },
      events: ['pull_request', 'issue_comment', 'push'],
    },
  }));
  route('GET', '/app/installations/(\\d+)', (ctx) => ({
    status: 200,
    body: {
      id: Number(ctx.params[0]),
      app_id: app.id,
      app_slug: app.slug,
      account: userJson(model.owner, apiBase, 'Organization'),
      target_type: 'Organization',
    },
  }));

  route('GET', '/app/installations', (ctx) =>
    page(ctx, [
      {
        id: opts.installationId ?? 1,
        app_id: app.id,
        app_slug: app.slug,
        account: userJson(model.owner, apiBase, 'Organization'),
        target_type: 'Organization',
        repository_selection: 'all',
      },
    ]),
  );
  route('GET', '/installation/repositories', (ctx) =>
    page(ctx, [repoJson(model, apiBase)], (slice) => ({ total_count: 1, repository_selection: 'all', repositories: slice })),
  );

  const repoGuard =
    (h: Handler): Handler =>
    (ctx) => {
      const [o, r] = ctx.params;
      if (o?.toLowerCase() !== model.owner.toLowerCase() || r?.toLowerCase() !== model.name.toLowerCase()) return notFound();
      return h(ctx);
    };
  const rroute = (method: string, pattern: string, h: Handler): void => route(method, `${R}${pattern}`, repoGuard(h));

  rroute('GET', '/installation', () => ({
    status: 200,
    body: { id: opts.installationId ?? 1, app_id: app.id, app_slug: app.slug, account: userJson(model.owner, apiBase, 'Organization') },
  }));
  rroute('GET', '', () => ({ status: 200, body: repoJson(model, apiBase) }));
  rroute('GET', '/collaborators/([^/]+)/permission', (ctx) => {
    const login = ctx.params[2]!;
    const perm = opts.permissions?.[login] ?? (login.toLowerCase() === model.owner.toLowerCase() || login === 'maintainer' ? 'admin' : 'read');
    const legacy = perm === 'maintain' ? 'write' : perm === 'triage' ? 'read' : perm;
    return { status: 200, body: { permission: legacy, role_name: perm, user: userJson(login, apiBase) } };
  });

  // Contents, archives, git data, commits
  rroute('GET', '/contents/?', (ctx) => contents(ctx, ''));
  rroute('GET', '/contents/(.+)', (ctx) => contents(ctx, ctx.params[2]!));
  const tarball = (ctx: Ctx): Reply => {
    const ref = ctx.params[2];
    const commit = resolveRef(model, ref);
    if (!commit) return notFound();
    if (!redirectTarball) return tarballOf(commit);
    return {
      status: 302,
      headers: { location: `${apiBase}/_codeload/${model.fullName}/legacy.tar.gz/${commit.sha}` },
      body: '',
    };
  };
  rroute('GET', '/tarball/?', tarball);
  rroute('GET', '/tarball/(.+)', tarball);
  route(
    'GET',
    '/_codeload/([^/]+)/([^/]+)/legacy\\.tar\\.gz/([0-9a-f]{40})',
    repoGuard((ctx) => {
      const commit = model.commits.get(ctx.params[2]!);
      return commit ? tarballOf(commit) : notFound();
    }),
  );
  rroute('GET', '/git/trees/(.+)', (ctx) => {
    const ref = ctx.params[2]!;
    const sha = model.trees.has(ref) ? ref : resolveRef(model, ref)?.tree;
    if (!sha) return notFound();
    const recursive = ctx.query.has('recursive') && !['0', 'false'].includes(ctx.query.get('recursive')!);
    const entries = recursive ? flattenTree(model, sha) : (model.trees.get(sha) ?? []);
    return {
      status: 200,
      body: {
        sha,
        url: `${repoUrl()}/git/trees/${sha}`,
        tree: entries.map((e) => ({ ...e, url: `${repoUrl()}/git/${e.type}s/${e.sha}` })),
        truncated: false,
      },
    };
  });
  rroute('GET', '/git/blobs/([0-9a-f]{40})', (ctx) => {
    const sha = ctx.params[2]!;
    const content = model.blobs.get(sha);
    if (content === undefined) return notFound();
    if (/\.raw\b|vnd\.github\.raw/.test(String(ctx.req.headers.accept ?? '')))
      return { status: 200, raw: content, headers: { 'content-type': 'application/octet-stream' } };
    return {
      status: 200,
      body: {
        sha,
        node_id: `B_standin${sha.slice(0, 12)}`,
        size: Buffer.byteLength(content),
        url: `${repoUrl()}/git/blobs/${sha}`,
        content: base64Lines(content),
        encoding: 'base64',
      },
    };
  });
  rroute('GET', '/branches/(.+)', (ctx) => {
    const c = model.branches.get(ctx.params[2]!);
    if (!c) return { status: 404, body: { message: 'Branch not found', documentation_url: DOCS } };
    return { status: 200, body: { name: ctx.params[2], commit: commitJson(c), protected: false } };
  });
  rroute('GET', '/commits', (ctx) => {
    const start = resolveRef(model, ctx.query.get('sha') ?? undefined);
    if (!start) return notFound();
    const path = ctx.query.get('path');
    let list = history(start);
    if (path) {
      // A commit touches `path` when the file differs from its parent's (or it adds it).
      list = list.filter((c) => {
        const parent = c.parents[0] ? model.commits.get(c.parents[0]) : undefined;
        const mine = c.files.get(path);
        const theirs = parent?.files.get(path);
        if (mine === undefined && theirs === undefined) {
          // also match a directory prefix
          const pre = `${path.replace(/\/$/, '')}/`;
          const a = [...c.files].filter(([p]) => p.startsWith(pre));
          const b = parent ? [...parent.files].filter(([p]) => p.startsWith(pre)) : [];
          return JSON.stringify(a) !== JSON.stringify(b);
        }
        return mine !== theirs;
      });
    }
    const since = ctx.query.get('since');
    const until = ctx.query.get('until');
    if (since) list = list.filter((c) => c.date >= since);
    if (until) list = list.filter((c) => c.date <= until);
    return page(ctx, list.map(commitJson));
  });
  rroute('GET', '/commits/(.+)/check-runs', (ctx) => {
    const c = resolveRef(model, ctx.params[2]);
    const sha = c?.sha ?? ctx.params[2];
    let runs = state.checkRuns.filter((r) => r.head_sha === sha);
    const name = ctx.query.get('check_name');
    if (name) runs = runs.filter((r) => r.name === name);
    const status = ctx.query.get('status');
    if (status) runs = runs.filter((r) => r.status === status);
    return page(ctx, [...runs].reverse().map(checkRunJson), (slice) => ({ total_count: runs.length, check_runs: slice }));
  });
  rroute('GET', '/commits/(.+)', (ctx) => {
    const c = resolveRef(model, ctx.params[2]);
    if (!c) return { status: 422, body: { message: `No commit found for SHA: ${ctx.params[2]}`, documentation_url: DOCS } };
    const parent = c.parents[0] ? model.commits.get(c.parents[0]) : undefined;
    const files = compareTrees(parent?.files ?? new Map(), c.files);
    return { status: 200, body: { ...commitJson(c), files, stats: { total: 0, additions: 0, deletions: 0 } } };
  });
  rroute('GET', '/compare/(.+)', (ctx) => {
    const m = /^(.+?)\.\.\.(.+)$/.exec(ctx.params[2]!);
    if (!m) return notFound();
    const b = resolveRef(model, m[1]);
    const h = resolveRef(model, m[2]);
    if (!b || !h) return notFound();
    const files = compareTrees(b.files, h.files);
    const commits = history(h)
      .filter((c) => !history(b).some((x) => x.sha === c.sha))
      .reverse();
    return {
      status: 200,
      body: {
        url: `${repoUrl()}/compare/${ctx.params[2]}`,
        status: b.sha === h.sha ? 'identical' : 'ahead',
        ahead_by: commits.length,
        behind_by: 0,
        total_commits: commits.length,
        base_commit: commitJson(b),
        merge_base_commit: commitJson(b),
        commits: commits.map(commitJson),
        files,
      },
    };
  });

  // Pull requests
  rroute('GET', '/pulls', (ctx) => {
    const st = ctx.query.get('state') ?? 'open';
    const head = ctx.query.get('head');
    const list = [...model.pulls.values()]
      .map((p) => ({ p, rec: pullRecord(p.number)! }))
      .filter(({ rec }) => st === 'all' || rec.state === st)
      .filter(({ p }) => !head || head === `${p.spec.fork ? p.user : model.owner}:${p.headRef}`)
      .sort((a, b) => b.p.number - a.p.number)
      .map(({ p, rec }) => pullBody(p, rec));
    return page(ctx, list);
  });
  // Git Data API: trees with inline content over a base tree, commits, refs; pull requests from branches.
  const filesOfTree = (sha: string): Map<string, string> | undefined => {
    for (const c of model.commits.values()) if (c.tree === sha) return c.files;
    return createdTrees.get(sha);
  };
  const createdTrees = new Map<string, Map<string, string>>();
  rroute('POST', '/git/trees', (ctx) => {
    const b = isRecord(ctx.body) ? ctx.body : {};
    const base = typeof b.base_tree === 'string' ? filesOfTree(b.base_tree) : new Map<string, string>();
    if (!base) return invalid('base_tree is not a tree of this repository');
    if (!Array.isArray(b.tree)) return invalid('tree is required');
    const files = new Map(base);
    for (const e of b.tree as Record<string, unknown>[]) {
      if (typeof e.path !== 'string' || e.type !== 'blob') return invalid('each tree entry needs a path and type blob');
      if (e.sha === null) files.delete(e.path);
      else if (typeof e.content === 'string') files.set(e.path, e.content);
      else if (typeof e.sha === 'string' && model.blobs.has(e.sha)) files.set(e.path, model.blobs.get(e.sha)!);
      else return invalid(`tree entry ${e.path} needs content or a known blob sha`);
    }
    // A throwaway commit registers the tree and its blobs; only the tree is answered.
    const probe = makeCommit(
      files,
      [],
      'tree',
      '2026-01-01T00:00:00Z',
      { name: 'x', email: 'x@example.invalid', login: 'x' },
      { trees: model.trees, blobs: model.blobs, commits: new Map() },
    );
    createdTrees.set(probe.tree, files);
    return {
      status: 201,
      body: {
        sha: probe.tree,
        url: `${repoUrl()}/git/trees/${probe.tree}`,
        tree: (model.trees.get(probe.tree) ?? []).map((e) => ({ ...e, url: `${repoUrl()}/git/${e.type}s/${e.sha}` })),
        truncated: false,
      },
    };
  });
  const gitCommitJson = (c: Commit) => ({
    sha: c.sha,
    node_id: `C_standin${c.sha.slice(0, 12)}`,
    url: `${repoUrl()}/git/commits/${c.sha}`,
    html_url: `https://github.com/${model.fullName}/commit/${c.sha}`,
    author: { name: c.author.name, email: c.author.email, date: c.date },
    committer: { name: c.author.name, email: c.author.email, date: c.date },
    message: c.message,
    tree: { sha: c.tree, url: `${repoUrl()}/git/trees/${c.tree}` },
    parents: c.parents.map((p) => ({ sha: p, url: `${repoUrl()}/git/commits/${p}`, html_url: `https://github.com/${model.fullName}/commit/${p}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  });
  rroute('POST', '/git/commits', (ctx) => {
    const b = isRecord(ctx.body) ? ctx.body : {};
    const files = typeof b.tree === 'string' ? filesOfTree(b.tree) : undefined;
    if (!files) return invalid('tree is not a tree of this repository');
    const parents = Array.isArray(b.parents) ? (b.parents as string[]) : [];
    if (parents.some((p) => !model.commits.has(p))) return invalid('a parent is not a commit of this repository');
    const who = { name: `${botLogin}`, email: 'bot@example.invalid', login: botLogin };
    const c = makeCommit(files, parents, String(b.message ?? ''), now(), who, model);
    return { status: 201, body: gitCommitJson(c) };
  });
  rroute('GET', '/git/commits/([0-9a-f]{40})', (ctx) => {
    const c = model.commits.get(ctx.params[2]!);
    return c ? { status: 200, body: gitCommitJson(c) } : notFound();
  });
  const refJson = (name: string, c: Commit) => ({
    ref: `refs/heads/${name}`,
    node_id: `REF_standin${name}`,
    url: `${repoUrl()}/git/refs/heads/${name}`,
    object: { type: 'commit', sha: c.sha, url: `${repoUrl()}/git/commits/${c.sha}` },
  });
  /** Moves a branch; open pull requests from it follow (their files are recomputed against their base). */
  const moveBranch = (name: string, c: Commit): void => {
    model.branches.set(name, c);
    for (const p of model.pulls.values()) {
      if (p.headRef !== name || p.spec.fork || pullRecord(p.number)?.state !== 'open') continue;
      p.head = c;
      p.base = model.branches.get(p.baseRef) ?? p.base;
      p.files = compareTrees(p.base.files, c.files);
    }
  };
  rroute('GET', '/git/ref/(.+)', (ctx) => {
    const name = decodeURIComponent(ctx.params[2]!).replace(/^heads\//, '');
    const c = model.branches.get(name);
    return c ? { status: 200, body: refJson(name, c) } : notFound();
  });
  rroute('POST', '/git/refs', (ctx) => {
    const b = isRecord(ctx.body) ? ctx.body : {};
    const ref = typeof b.ref === 'string' ? b.ref : '';
    if (!ref.startsWith('refs/heads/')) return invalid('ref must start with refs/heads/');
    const name = ref.slice('refs/heads/'.length);
    if (model.branches.has(name)) return invalid('Reference already exists');
    const c = typeof b.sha === 'string' ? model.commits.get(b.sha) : undefined;
    if (!c) return invalid('Object does not exist');
    moveBranch(name, c);
    return { status: 201, body: refJson(name, c) };
  });
  rroute('PATCH', '/git/refs/(.+)', (ctx) => {
    const name = decodeURIComponent(ctx.params[2]!).replace(/^heads\//, '');
    const b = isRecord(ctx.body) ? ctx.body : {};
    const cur = model.branches.get(name);
    if (!cur) return invalid('Reference does not exist');
    const c = typeof b.sha === 'string' ? model.commits.get(b.sha) : undefined;
    if (!c) return invalid('Object does not exist');
    const isAncestor = (x: Commit, of: Commit): boolean => history(of).some((h) => h.sha === x.sha);
    if (b.force !== true && !isAncestor(cur, c)) return invalid('Update is not a fast forward');
    moveBranch(name, c);
    return { status: 200, body: refJson(name, c) };
  });
  rroute('POST', '/pulls', (ctx) => {
    const b = isRecord(ctx.body) ? ctx.body : {};
    const headRef = typeof b.head === 'string' ? b.head.replace(new RegExp(`^${model.owner}:`), '') : '';
    const baseRef = typeof b.base === 'string' ? b.base : '';
    const head = model.branches.get(headRef);
    const base = model.branches.get(baseRef);
    if (!head || !base) return invalid('head and base must be branches of this repository');
    if (typeof b.title !== 'string' || !b.title) return invalid('title is required');
    if (bodyTooLong(b.body)) return invalid('body is too long (maximum is 65536 characters)');
    if ([...model.pulls.values()].some((p) => p.headRef === headRef && p.baseRef === baseRef && pullRecord(p.number)?.state === 'open'))
      return invalid(`A pull request already exists for ${model.owner}:${headRef}.`);
    const number = Math.max(0, ...model.pulls.keys(), ...state.issues.map((i) => i.number)) + 1;
    const createdAt = now();
    const pull: PullModel = {
      spec: { number, title: b.title, head: { ref: headRef, files: head.files } },
      number,
      user: botLogin,
      baseRef,
      base,
      headRef,
      head,
      files: compareTrees(base.files, head.files),
      createdAt,
    };
    model.pulls.set(number, pull);
    const rec: PullRecord = { number, title: b.title, body: typeof b.body === 'string' ? b.body : null, state: 'open', labels: [], updated_at: createdAt };
    state.pulls.push(rec);
    return { status: 201, body: pullBody(pull, rec) };
  });
  rroute('PUT', '/pulls/(\\d+)/merge', (ctx) => {
    const p = pullOf(ctx);
    if (!p) return notFound();
    if (p.rec.state !== 'open') return { status: 405, body: { message: 'Pull Request is not mergeable', documentation_url: DOCS } };
    const base = model.branches.get(p.pull.baseRef)!;
    const b = isRecord(ctx.body) ? ctx.body : {};
    // Files the head changed since its base are taken over; files changed on the base meanwhile stay.
    const files = new Map(base.files);
    for (const f of compareTrees(p.pull.base.files, p.pull.head.files)) {
      const content = p.pull.head.files.get(f.filename);
      if (content === undefined) files.delete(f.filename);
      else files.set(f.filename, content);
    }
    const c = makeCommit(
      files,
      [base.sha, p.pull.head.sha],
      String(b.commit_title ?? `Merge pull request #${p.pull.number}`),
      now(),
      { name: 'Garden Maintainer', email: 'maintainer@example.invalid', login: 'maintainer' },
      model,
    );
    model.branches.set(p.pull.baseRef, c);
    if (p.pull.baseRef === model.defaultBranch) model.main = c;
    p.rec.state = 'closed';
    p.rec.merged_at = p.rec.closed_at = now();
    p.rec.merge_commit_sha = c.sha;
    return { status: 200, body: { sha: c.sha, merged: true, message: 'Pull Request successfully merged' } };
  });
  rroute('GET', '/pulls/(\\d+)', (ctx) => {
    const p = pullOf(ctx);
    return p ? { status: 200, body: pullBody(p.pull, p.rec) } : notFound();
  });
  rroute('PATCH', '/pulls/(\\d+)', (ctx) => {
    const p = pullOf(ctx);
    if (!p) return notFound();
    const b = isRecord(ctx.body) ? ctx.body : {};
    if (bodyTooLong(b.body)) return invalid('body is too long (maximum is 65536 characters)');
    if (typeof b.title === 'string') p.rec.title = b.title;
    if (typeof b.body === 'string' || b.body === null) p.rec.body = b.body as string | null;
    if ((b.state === 'open' || b.state === 'closed') && !p.rec.merged_at) {
      if (b.state === 'closed' && p.rec.state === 'open') p.rec.closed_at = now();
      if (b.state === 'open') delete p.rec.closed_at;
      p.rec.state = b.state;
    }
    p.rec.updated_at = now();
    return { status: 200, body: pullBody(p.pull, p.rec) };
  });
  rroute('GET', '/pulls/(\\d+)/files', (ctx) => {
    const p = pullOf(ctx);
    if (!p) return notFound();
    return page(
      ctx,
      p.pull.files.map((f) => ({
        ...f,
        blob_url: `https://github.com/${model.fullName}/blob/${p.pull.head.sha}/${f.filename}`,
        raw_url: `https://github.com/${model.fullName}/raw/${p.pull.head.sha}/${f.filename}`,
        contents_url: `${repoUrl()}/contents/${f.filename}?ref=${p.pull.head.sha}`,
      })),
    );
  });
  rroute('GET', '/pulls/(\\d+)/commits', (ctx) => {
    const p = pullOf(ctx);
    return p ? page(ctx, [commitJson(p.pull.head)]) : notFound();
  });
  rroute('GET', '/pulls/(\\d+)/reviews', (ctx) => {
    const p = pullOf(ctx);
    if (!p) return notFound();
    return page(ctx, state.reviews.filter((r) => r.pull_number === p.pull.number).map(reviewJson));
  });
  rroute('GET', '/pulls/(\\d+)/reviews/(\\d+)', (ctx) => {
    const r = state.reviews.find((x) => x.id === Number(ctx.params[3]) && x.pull_number === Number(ctx.params[2]));
    return r ? { status: 200, body: reviewJson(r) } : notFound();
  });
  rroute('GET', '/pulls/(\\d+)/reviews/(\\d+)/comments', (ctx) => {
    const r = state.reviews.find((x) => x.id === Number(ctx.params[3]) && x.pull_number === Number(ctx.params[2]));
    if (!r) return notFound();
    return page(ctx, state.reviewComments.filter((c) => c.pull_request_review_id === r.id).map(reviewCommentJson));
  });
  rroute('POST', '/pulls/(\\d+)/reviews', (ctx) => {
    const p = pullOf(ctx);
    if (!p) return notFound();
    const b = isRecord(ctx.body) ? ctx.body : {};
    const event = b.event;
    if (event !== undefined && !['APPROVE', 'REQUEST_CHANGES', 'COMMENT'].includes(event as string)) return invalid('event is not included in the list');
    if (b.body !== undefined && typeof b.body !== 'string') return invalid('body must be a string');
    if (bodyTooLong(b.body)) return invalid('body is too long (maximum is 65536 characters)');
    if (event === 'REQUEST_CHANGES' && !b.body) return invalid('Review body is required for REQUEST_CHANGES');
    const commitId = typeof b.commit_id === 'string' ? b.commit_id : p.pull.head.sha;
    if (!model.commits.has(commitId)) return invalid('commit_id is not part of the pull request');
    const rawComments = b.comments === undefined ? [] : b.comments;
    if (!Array.isArray(rawComments)) return invalid('comments must be an array');
    if (event === 'COMMENT' && !b.body && rawComments.length === 0) return invalid('Review body is required for COMMENT');
    const reviewId = id();
    const made: ReviewComment[] = [];
    for (const rc of rawComments) {
      const c = createReviewComment(p.pull, rc, reviewId, commitId);
      if (isReply(c)) return c;
      made.push(c);
    }
    const t = now();
    const review: Review = {
      id: reviewId,
      node_id: `PRR_standin${reviewId}`,
      pull_number: p.pull.number,
      user: bot(),
      body: typeof b.body === 'string' ? b.body : '',
      state: event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : event === 'COMMENT' ? 'COMMENTED' : 'PENDING',
      commit_id: commitId,
      submitted_at: event === undefined ? null : t,
      html_url: `https://github.com/${model.fullName}/pull/${p.pull.number}#pullrequestreview-${reviewId}`,
      pull_request_url: `${repoUrl()}/pulls/${p.pull.number}`,
      comment_ids: made.map((c) => c.id),
    };
    state.reviews.push(review);
    for (const c of made) {
      state.reviewComments.push(c);
      addThread(c);
    }
    return { status: 200, body: reviewJson(review) };
  });
  rroute('GET', '/pulls/(\\d+)/comments', (ctx) => {
    const p = pullOf(ctx);
    if (!p) return notFound();
    return page(ctx, state.reviewComments.filter((c) => c.pull_number === p.pull.number).map(reviewCommentJson));
  });
  const reply = (p: { pull: PullModel }, parentId: number, body: unknown): Reply => {
    const parent = state.reviewComments.find((c) => c.id === parentId && c.pull_number === p.pull.number);
    if (!parent) return notFound();
    if (typeof body !== 'string' || body === '') return invalid('body is missing');
    if (bodyTooLong(body)) return invalid('body is too long (maximum is 65536 characters)');
    const rootId = parent.in_reply_to_id ?? parent.id;
    const cid = id();
    const t = now();
    const c: ReviewComment = {
      ...parent,
      id: cid,
      node_id: `PRRC_standin${cid}`,
      pull_request_review_id: null,
      body,
      in_reply_to_id: rootId,
      user: bot(),
      created_at: t,
      updated_at: t,
      url: `${repoUrl()}/pulls/comments/${cid}`,
      html_url: `https://github.com/${model.fullName}/pull/${p.pull.number}#discussion_r${cid}`,
    };
    state.reviewComments.push(c);
    state.reviewThreads.find((th) => th.commentIds[0] === rootId)?.commentIds.push(cid);
    return { status: 201, body: reviewCommentJson(c) };
  };
  rroute('POST', '/pulls/(\\d+)/comments', (ctx) => {
    const p = pullOf(ctx);
    if (!p) return notFound();
    const b = isRecord(ctx.body) ? ctx.body : {};
    if (typeof b.in_reply_to === 'number') return reply(p, b.in_reply_to, b.body);
    const commitId = typeof b.commit_id === 'string' ? b.commit_id : p.pull.head.sha;
    if (!model.commits.has(commitId)) return invalid('commit_id is not part of the pull request');
    const c = createReviewComment(p.pull, b, null, commitId);
    if (isReply(c)) return c;
    state.reviewComments.push(c);
    addThread(c);
    return { status: 201, body: reviewCommentJson(c) };
  });
  rroute('POST', '/pulls/(\\d+)/comments/(\\d+)/replies', (ctx) => {
    const p = pullOf(ctx);
    if (!p) return notFound();
    return reply(p, Number(ctx.params[3]), isRecord(ctx.body) ? ctx.body.body : undefined);
  });
  const reviewCommentById = (ctx: Ctx): ReviewComment | undefined => state.reviewComments.find((c) => c.id === Number(ctx.params[2]));
  rroute('GET', '/pulls/comments/(\\d+)', (ctx) => {
    const c = reviewCommentById(ctx);
    return c ? { status: 200, body: reviewCommentJson(c) } : notFound();
  });
  rroute('PATCH', '/pulls/comments/(\\d+)', (ctx) => {
    const c = reviewCommentById(ctx);
    if (!c) return notFound();
    const body = isRecord(ctx.body) ? ctx.body.body : undefined;
    if (typeof body !== 'string' || body === '') return invalid('body is missing');
    if (bodyTooLong(body)) return invalid('body is too long (maximum is 65536 characters)');
    c.body = body;
    c.updated_at = now();
    return { status: 200, body: reviewCommentJson(c) };
  });
  rroute('DELETE', '/pulls/comments/(\\d+)', (ctx) => {
    const c = reviewCommentById(ctx);
    if (!c) return notFound();
    state.reviewComments.splice(state.reviewComments.indexOf(c), 1);
    for (const t of state.reviewThreads) t.commentIds = t.commentIds.filter((x) => x !== c.id);
    state.reviewThreads = state.reviewThreads.filter((t) => t.commentIds.length > 0);
    state.deleted.push({ kind: 'review_comment', id: c.id });
    return { status: 204 };
  });
  const reviewReactions = reactionRoutes('review_comment');
  rroute('GET', '/pulls/comments/(\\d+)/reactions', reviewReactions.list);
  rroute('POST', '/pulls/comments/(\\d+)/reactions', reviewReactions.create);

  // Check runs
  rroute('POST', '/check-runs', (ctx) => {
    if (!isRecord(ctx.body)) return invalid('Invalid request body');
    const b = ctx.body;
    const bad = validateCheckRun(b, true);
    if (bad) return bad;
    const rid = id();
    const headSha = b.head_sha as string;
    const prs = [...model.pulls.values()].filter((p) => p.head.sha === headSha);
    const run: CheckRun = {
      id: rid,
      node_id: `CR_standin${rid}`,
      name: b.name as string,
      head_sha: headSha,
      external_id: null,
      details_url: null,
      status: 'queued',
      conclusion: null,
      started_at: now(),
      completed_at: null,
      output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${repoUrl()}/check-runs/${rid}/annotations` },
      annotations: [],
      actions: [],
      updates: 0,
      url: `${repoUrl()}/check-runs/${rid}`,
      html_url: `https://github.com/${model.fullName}/runs/${rid}`,
      app: { id: app.id, slug: app.slug, name: app.name },
      check_suite: { id: 7000 + rid },
      pull_requests: prs.map((p) => ({
        number: p.number,
        head: { sha: p.head.sha, ref: p.headRef },
        base: { sha: p.base.sha, ref: p.baseRef },
      })),
    };
    applyCheckRun(run, b);
    state.checkRuns.push(run);
    return { status: 201, body: checkRunJson(run) };
  });
  const runById = (ctx: Ctx): CheckRun | undefined => state.checkRuns.find((r) => r.id === Number(ctx.params[2]));
  rroute('GET', '/check-runs/(\\d+)', (ctx) => {
    const run = runById(ctx);
    return run ? { status: 200, body: checkRunJson(run) } : notFound();
  });
  rroute('PATCH', '/check-runs/(\\d+)', (ctx) => {
    const run = runById(ctx);
    if (!run) return notFound();
    if (!isRecord(ctx.body)) return invalid('Invalid request body');
    const bad = validateCheckRun(ctx.body, false);
    if (bad) return bad;
    applyCheckRun(run, ctx.body);
    run.updates++;
    return { status: 200, body: checkRunJson(run) };
  });
  rroute('GET', '/check-runs/(\\d+)/annotations', (ctx) => {
    const run = runById(ctx);
    if (!run) return notFound();
    return page(
      ctx,
      run.annotations.map((a) => ({ ...a, blob_href: `https://github.com/${model.fullName}/blob/${run.head_sha}/${a.path}` })),
    );
  });

  // Issues
  rroute('GET', '/issues', (ctx) => {
    const st = ctx.query.get('state') ?? 'open';
    const want = (ctx.query.get('labels') ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const creator = ctx.query.get('creator');
    const numbers = [...state.issues.map((i) => i.number), ...state.pulls.map((p) => p.number)].sort((a, b) => b - a);
    const list = numbers
      .map((n) => issueView(n)!)
      .filter((i) => st === 'all' || i.state === st)
      .filter((i) => want.every((w) => (i.labels as Label[]).some((l) => l.name.toLowerCase() === w)))
      .filter((i) => !creator || (i.user as UserJson).login === creator);
    return page(ctx, list);
  });
  rroute('POST', '/issues', (ctx) => {
    const b = isRecord(ctx.body) ? ctx.body : {};
    if (typeof b.title !== 'string' || b.title === '') return invalid('title is missing');
    if (b.body !== undefined && b.body !== null && typeof b.body !== 'string') return invalid('body must be a string');
    if (bodyTooLong(b.body)) return invalid('body is too long (maximum is 65536 characters)');
    const names = b.labels === undefined ? [] : labelNames(b);
    if (!names) return invalid('labels must be an array of strings');
    const n = Math.max(0, ...state.issues.map((i) => i.number), ...[...model.pulls.keys()]) + 1;
    const iid = id();
    const t = now();
    const issue: Issue = {
      id: iid,
      node_id: `I_standin${iid}`,
      number: n,
      title: b.title,
      body: (b.body as string | undefined) ?? null,
      state: 'open',
      state_reason: null,
      labels: names.map(ensureLabel),
      assignees: Array.isArray(b.assignees) ? b.assignees.filter((a): a is string => typeof a === 'string').map((a) => userJson(a, apiBase)) : [],
      user: bot(),
      created_at: t,
      updated_at: t,
      closed_at: null,
      url: `${repoUrl()}/issues/${n}`,
      html_url: `https://github.com/${model.fullName}/issues/${n}`,
    };
    state.issues.push(issue);
    return { status: 201, body: issueView(n) };
  });
  rroute('GET', '/issues/(\\d+)', (ctx) => {
    const v = issueView(Number(ctx.params[2]));
    return v ? { status: 200, body: v } : notFound();
  });
  rroute('PATCH', '/issues/(\\d+)', (ctx) => {
    const n = Number(ctx.params[2]);
    const b = isRecord(ctx.body) ? ctx.body : {};
    if (bodyTooLong(b.body)) return invalid('body is too long (maximum is 65536 characters)');
    if (b.state !== undefined && b.state !== 'open' && b.state !== 'closed') return invalid('state is not included in the list');
    let names: string[] | undefined;
    if (b.labels !== undefined) {
      names = labelNames(b);
      if (!names) return invalid('labels must be an array of strings');
    }
    const issue = state.issues.find((i) => i.number === n);
    const rec = pullRecord(n);
    const target = issue ?? rec;
    if (!target) return notFound();
    if (typeof b.title === 'string') target.title = b.title;
    if (typeof b.body === 'string' || b.body === null) target.body = b.body as string | null;
    if (b.state === 'open' || b.state === 'closed') {
      target.state = b.state;
      if (issue) {
        issue.closed_at = b.state === 'closed' ? now() : null;
        issue.state_reason = b.state === 'closed' ? ((b.state_reason as string | undefined) ?? 'completed') : null;
      }
    }
    if (names) target.labels = names.map(ensureLabel);
    target.updated_at = now();
    return { status: 200, body: issueView(n) };
  });
  rroute('GET', '/issues/(\\d+)/comments', (ctx) => {
    const n = Number(ctx.params[2]);
    if (!issueView(n)) return notFound();
    const since = ctx.query.get('since');
    return page(ctx, state.issueComments.filter((c) => c.issue_number === n && (!since || c.updated_at >= since)).map(issueCommentJson));
  });
  rroute('POST', '/issues/(\\d+)/comments', (ctx) => {
    const n = Number(ctx.params[2]);
    if (!issueView(n)) return notFound();
    const body = isRecord(ctx.body) ? ctx.body.body : undefined;
    if (typeof body !== 'string' || body === '') return invalid('body is missing');
    if (bodyTooLong(body)) return invalid('Body is too long (maximum is 65536 characters)');
    const c = newIssueComment(n, body);
    state.issueComments.push(c);
    return { status: 201, body: issueCommentJson(c) };
  });
  const issueCommentById = (ctx: Ctx): IssueComment | undefined => state.issueComments.find((c) => c.id === Number(ctx.params[2]));
  rroute('GET', '/issues/comments/(\\d+)', (ctx) => {
    const c = issueCommentById(ctx);
    return c ? { status: 200, body: issueCommentJson(c) } : notFound();
  });
  rroute('PATCH', '/issues/comments/(\\d+)', (ctx) => {
    const c = issueCommentById(ctx);
    if (!c) return notFound();
    const body = isRecord(ctx.body) ? ctx.body.body : undefined;
    if (typeof body !== 'string' || body === '') return invalid('body is missing');
    if (bodyTooLong(body)) return invalid('Body is too long (maximum is 65536 characters)');
    c.body = body;
    c.updated_at = now();
    return { status: 200, body: issueCommentJson(c) };
  });
  rroute('DELETE', '/issues/comments/(\\d+)', (ctx) => {
    const c = issueCommentById(ctx);
    if (!c) return notFound();
    state.issueComments.splice(state.issueComments.indexOf(c), 1);
    state.deleted.push({ kind: 'issue_comment', id: c.id });
    return { status: 204 };
  });
  const issueReactions = reactionRoutes('issue_comment');
  rroute('GET', '/issues/comments/(\\d+)/reactions', issueReactions.list);
  rroute('POST', '/issues/comments/(\\d+)/reactions', issueReactions.create);

  // Labels
  rroute('GET', '/labels', (ctx) => page(ctx, state.labels));
  rroute('POST', '/labels', (ctx) => {
    const b = isRecord(ctx.body) ? ctx.body : {};
    if (typeof b.name !== 'string' || b.name === '') return invalid('name is missing');
    if (findLabel(b.name))
      return {
        status: 422,
        body: { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }], documentation_url: DOCS },
      };
    const color = typeof b.color === 'string' ? b.color.replace(/^#/, '') : 'ededed';
    if (!/^[0-9a-fA-F]{6}$/.test(color)) return invalid('color is invalid');
    const l = makeLabel(b.name, color, typeof b.description === 'string' ? b.description : null);
    state.labels.push(l);
    return { status: 201, body: l };
  });
  rroute('GET', '/labels/(.+)', (ctx) => {
    const l = findLabel(ctx.params[2]!);
    return l ? { status: 200, body: l } : notFound();
  });
  rroute('GET', '/issues/(\\d+)/labels', (ctx) => {
    const ls = labelsOf(Number(ctx.params[2]));
    return ls ? page(ctx, ls) : notFound();
  });
  const addLabels =
    (replace: boolean) =>
    (ctx: Ctx): Reply => {
      const n = Number(ctx.params[2]);
      const cur = labelsOf(n);
      if (!cur) return notFound();
      const names = labelNames(ctx.body);
      if (!names) return invalid('labels must be an array of strings');
      const next = replace ? [] : [...cur];
      for (const name of names) {
        const l = ensureLabel(name);
        if (!next.some((x) => x.id === l.id)) next.push(l);
      }
      setLabels(n, next);
      return { status: 200, body: next };
    };
  rroute('POST', '/issues/(\\d+)/labels', addLabels(false));
  rroute('PUT', '/issues/(\\d+)/labels', addLabels(true));
  rroute('DELETE', '/issues/(\\d+)/labels/(.+)', (ctx) => {
    const n = Number(ctx.params[2]);
    const cur = labelsOf(n);
    if (!cur) return notFound();
    const name = ctx.params[3]!.toLowerCase();
    if (!cur.some((l) => l.name.toLowerCase() === name)) return { status: 404, body: { message: 'Label does not exist', documentation_url: DOCS } };
    const next = cur.filter((l) => l.name.toLowerCase() !== name);
    setLabels(n, next);
    state.deleted.push({ kind: 'label', id: `${n}:${ctx.params[3]}` });
    return { status: 200, body: next };
  });

  // Search (minimal): repo:, is:issue|pr|open|closed, state:, label:, author:, in:title|body, free text.
  route('GET', '/search/issues', (ctx) => {
    const q = ctx.query.get('q') ?? '';
    const tokens = q.match(/(?:[^\s"]+:)?"[^"]*"|\S+/g) ?? [];
    const filters: ((i: Record<string, unknown>) => boolean)[] = [];
    const text: string[] = [];
    let inTitle = false;
    let inBody = false;
    let repoMatch = true;
    for (const tok of tokens) {
      const m = /^(-?)([a-z]+):(.*)$/.exec(tok);
      if (!m) {
        text.push(tok.replace(/"/g, '').toLowerCase());
        continue;
      }
      const neg = m[1] === '-';
      const key = m[2]!;
      const val = m[3]!.replace(/^"|"$/g, '');
      const f = (pred: (i: Record<string, unknown>) => boolean): void => {
        filters.push(neg ? (i) => !pred(i) : pred);
      };
      if (key === 'repo') repoMatch = val.toLowerCase() === model.fullName.toLowerCase();
      else if (key === 'is' && val === 'issue') f((i) => !i.pull_request);
      else if (key === 'is' && (val === 'pr' || val === 'pull-request')) f((i) => Boolean(i.pull_request));
      else if ((key === 'is' || key === 'state') && (val === 'open' || val === 'closed')) f((i) => i.state === val);
      else if (key === 'label') f((i) => (i.labels as Label[]).some((l) => l.name.toLowerCase() === val.toLowerCase()));
      else if (key === 'author') f((i) => (i.user as UserJson).login === val);
      else if (key === 'in') {
        inTitle ||= val.includes('title');
        inBody ||= val.includes('body');
      } else if (key === 'type') f((i) => (val === 'pr' ? Boolean(i.pull_request) : !i.pull_request));
      else text.push(tok.toLowerCase());
    }
    if (!inTitle && !inBody) inTitle = inBody = true;
    const numbers = [...state.issues.map((i) => i.number), ...state.pulls.map((p) => p.number)].sort((a, b) => b - a);
    const items = repoMatch
      ? numbers
          .map((n) => issueView(n)!)
          .filter((i) => filters.every((f) => f(i)))
          .filter((i) => {
            const hay = `${inTitle ? String(i.title) : ''}\n${inBody ? String(i.body ?? '') : ''}`.toLowerCase();
            return text.every((t) => hay.includes(t));
          })
          .map((i) => ({ ...i, score: 1 }))
      : [];
    return page(ctx, items, (slice) => ({ total_count: items.length, incomplete_results: false, items: slice }));
  });

  // GraphQL (minimal; see module comment)
  const gqlAuthor = (u: UserJson) => ({ __typename: u.type === 'Bot' ? 'Bot' : 'User', login: u.login });
  route('POST', '/graphql', (ctx) => {
    const b = isRecord(ctx.body) ? ctx.body : {};
    const query = typeof b.query === 'string' ? b.query : '';
    const vars = isRecord(b.variables) ? b.variables : {};
    state.graphql.push({ query, variables: vars });
    const unsupported = (message: string): Reply => ({ status: 200, body: { data: null, errors: [{ message }] }, headers: { 'x-standin-unsupported': '1' } });
    let op: GraphqlOperation | undefined;
    try {
      op = parseOperations(query)[0];
    } catch (e) {
      return { status: 200, body: { errors: [{ message: `Parse error: ${(e as Error).message}` }] } };
    }
    if (!op) return { status: 200, body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] } };
    /** The value of argument `name` in a field's argument text: a `$variable`, a "string", a number or an enum. */
    const arg = (args: string, name: string): unknown => {
      const m = new RegExp(`(?:^|\\s)${name} : (?:\\$ (\\w+)|"((?:[^"\\\\]|\\\\.)*)"|(-?\\d+)|(\\w+))`).exec(args);
      if (!m) return undefined;
      if (m[1] !== undefined) return vars[m[1]];
      if (m[2] !== undefined) return JSON.parse(`"${m[2]}"`) as string;
      if (m[3] !== undefined) return Number(m[3]);
      return m[4] === 'null' ? null : m[4];
    };
    const errors: Record<string, unknown>[] = [];
    const data: Record<string, unknown> = {};
    const fields = op.selections.filter((s): s is FieldSelection => s.kind === 'field');

    if (op.type === 'mutation') {
      for (const f of fields) {
        if (f.name === 'resolveReviewThread' || f.name === 'unresolveReviewThread') {
          const tid = arg(f.args, 'threadId');
          const thread = state.reviewThreads.find((t) => t.id === tid);
          if (!thread) {
            data[f.key] = null;
            errors.push({ type: 'NOT_FOUND', path: [f.key], message: `Could not resolve to a node with the global id of '${String(tid)}'` });
            continue;
          }
          const unresolve = f.name === 'unresolveReviewThread';
          thread.isResolved = !unresolve;
          thread.resolvedBy = unresolve ? null : bot().login;
          data[f.key] = selectAnswer({ thread: threadNode(thread) }, f.selections);
        } else if (f.name === 'pinIssue') {
          const nodeId = arg(f.args, 'issueId');
          const issue = state.issues.find((i) => i.node_id === nodeId);
          if (!issue) {
            data[f.key] = null;
            errors.push({ type: 'NOT_FOUND', path: [f.key], message: `Could not resolve to a node with the global id of '${String(nodeId)}'` });
            continue;
          }
          if (!state.pinnedIssues.includes(issue.number)) state.pinnedIssues.push(issue.number);
          data[f.key] = selectAnswer({ issue: { id: issue.node_id, number: issue.number, isPinned: true } }, f.selections);
        } else {
          return unsupported(`The stand-in GraphQL endpoint does not support the mutation ${f.name}`);
        }
      }
      return { status: 200, body: errors.length ? { data, errors } : { data } };
    }

    for (const f of fields) {
      if (f.name !== 'repository') return unsupported(`The stand-in GraphQL endpoint only supports repository { pullRequest { ... } } queries, not ${f.name}`);
      const owner = arg(f.args, 'owner');
      const name = arg(f.args, 'name');
      if (
        (owner !== undefined && String(owner).toLowerCase() !== model.owner.toLowerCase()) ||
        (name !== undefined && String(name).toLowerCase() !== model.name.toLowerCase())
      ) {
        data[f.key] = null;
        errors.push({ type: 'NOT_FOUND', path: [f.key], message: `Could not resolve to a Repository with the name '${String(owner)}/${String(name)}'.` });
        continue;
      }
      data[f.key] = selectAnswer(
        { pullRequest: (args: string) => pullRequestNode(args, [f.key]), defaultBranchRef: refNode(model.defaultBranch), pullRequests: pullRequestsNode },
        f.selections,
      );
    }
    return { status: 200, body: errors.length ? { data, errors } : { data } };

    /** A branch as a `Ref`: name and target commit with its tree. */
    function refNode(name: string): unknown {
      const c = model.branches.get(name);
      return c ? { name, target: { __typename: 'Commit', oid: c.sha, tree: { oid: c.tree } } } : null;
    }

    /** `pullRequests(headRefName, states, first)`, newest first: state, merge, body, 👎 on it and its comments. */
    function pullRequestsNode(a: string): unknown {
      const head = arg(a, 'headRefName');
      const first = Math.min(100, Number(arg(a, 'first') ?? 100));
      const all = [...model.pulls.values()]
        .filter((p) => head === undefined || p.headRef === head)
        .sort((x, y) => y.number - x.number)
        .map((p) => ({ p, rec: pullRecord(p.number)! }));
      const slice = all.slice(0, first);
      return {
        totalCount: all.length,
        nodes: slice.map(({ p, rec }) => ({
          number: p.number,
          state: rec.merged_at ? 'MERGED' : rec.state === 'open' ? 'OPEN' : 'CLOSED',
          merged: Boolean(rec.merged_at),
          closedAt: rec.closed_at ?? null,
          mergedAt: rec.merged_at ?? null,
          body: rec.body ?? '',
          headRefName: p.headRef,
          headRefOid: p.head.sha,
          baseRefName: p.baseRef,
          reactions: (ra: string) => {
            const content = arg(ra, 'content');
            const map: Record<string, string> = { THUMBS_DOWN: '-1', THUMBS_UP: '+1' };
            const list = state.reactions.filter(
              (r) => r.subject.type === 'issue' && r.subject.id === p.number && (content === undefined || r.content === map[String(content)]),
            );
            return { totalCount: list.length };
          },
          comments: (ca: string) => {
            const comments = state.issueComments.filter((c) => c.issue_number === p.number);
            const last = arg(ca, 'last');
            const firstN = arg(ca, 'first');
            const win =
              typeof last === 'number' ? comments.slice(-Math.min(100, last)) : comments.slice(0, Math.min(100, typeof firstN === 'number' ? firstN : 100));
            return {
              totalCount: comments.length,
              nodes: win.map((c) => ({ body: c.body, author: gqlAuthor(c.user), authorAssociation: c.user.type === 'Bot' ? 'NONE' : 'COLLABORATOR' })),
            };
          },
        })),
      };
    }

    /** `pullRequest(number: N)` with every field the stand-in knows; list fields are functions of their arguments. */
    function pullRequestNode(args: string, path: string[]): unknown {
      const n = Number(arg(args, 'number'));
      const pull = model.pulls.get(n);
      if (!pull) {
        errors.push({ type: 'NOT_FOUND', path: [...path, 'pullRequest'], message: `Could not resolve to a PullRequest with the number of ${n}.` });
        return null;
      }
      const window = <T>(items: T[], a: string): T[] => {
        const first = arg(a, 'first');
        const last = arg(a, 'last');
        return typeof last === 'number' ? items.slice(-Math.min(100, last)) : items.slice(0, Math.min(100, typeof first === 'number' ? first : 100));
      };
      const reviews = state.reviews.filter((r) => r.pull_number === n);
      const comments = state.issueComments.filter((c) => c.issue_number === n);
      return {
        id: `PR_standin${n}`,
        number: n,
        headRefOid: pull.head.sha,
        baseRefOid: pull.base.sha,
        reviews: (a: string) => ({
          totalCount: reviews.length,
          nodes: window(reviews, a).map((r) => ({
            id: r.node_id,
            databaseId: r.id,
            body: r.body,
            state: r.state,
            author: gqlAuthor(r.user),
            commit: { oid: r.commit_id },
          })),
        }),
        reviewThreads: (a: string) => {
          const all = state.reviewThreads.filter((t) => t.pull_number === n);
          const first = Math.min(100, Number(arg(a, 'first') ?? 100));
          const after = arg(a, 'after');
          const offset = typeof after === 'string' && /^cursor:\d+$/.test(after) ? Number(after.slice(7)) : 0;
          const slice = all.slice(offset, offset + first);
          return {
            totalCount: all.length,
            pageInfo: { hasNextPage: offset + first < all.length, endCursor: slice.length ? `cursor:${offset + slice.length}` : null },
            nodes: slice.map(threadNode),
          };
        },
        comments: (a: string) => ({
          totalCount: comments.length,
          nodes: window(comments, a).map((c) => ({ id: c.node_id, databaseId: c.id, body: c.body, createdAt: c.created_at, author: gqlAuthor(c.user) })),
        }),
      };
    }
  });

  // ── server ────────────────────────────────────────────────────────────────
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      state.requests.push({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, query: '', status: 500, route: null });
      if (!res.headersSent) send(res, { status: 500, body: { message: `stand-in error: ${String(e)}` } }, req.method === 'HEAD');
      else res.destroy();
    });
  });
  // Clients keep connections open between calls; a run that thinks for longer than Node's 5 s default
  // between two requests would find its socket closed under it (ECONNRESET on a POST, never retried).
  server.keepAliveTimeout = 120_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  /** Writes the answer; returns the JSON text sent, if any. */
  function send(res: ServerResponse, r: Reply, head: boolean): string | undefined {
    const headers: Record<string, string> = {
      'x-github-request-id': `STANDIN:${state.requests.length}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      'x-github-media-type': 'github.v3; format=json',
      ...(r.headers ?? {}),
    };
    let payload: Uint8Array | string = '';
    if (r.raw !== undefined) payload = r.raw;
    else if (r.status !== 204 && r.status !== 304 && r.body !== undefined && r.body !== '') {
      payload = JSON.stringify(r.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    headers['content-length'] = String(typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length);
    res.writeHead(r.status, headers);
    res.end(head ? undefined : payload);
    return r.raw === undefined && typeof payload === 'string' && payload !== '' ? payload : undefined;
  }

  async function readBody(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; reply: Reply }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return { ok: false, reply: { status: 413, body: { message: 'Request body too large' } } };
      chunks.push(chunk as Buffer);
    }
    if (size === 0) return { ok: true, value: undefined };
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, reply: { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } } };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const lookup = method === 'HEAD' ? 'GET' : method;
    const rawPath = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    let reply: Reply | undefined;
    let matched: string | null = null;
    const parsed = await readBody(req);
    for (const [m, re, name, h] of routes) {
      if (m !== lookup) continue;
      const mm = re.exec(rawPath);
      if (!mm) continue;
      let params: string[];
      try {
        params = mm.slice(1).map((p) => decodeURIComponent(p));
      } catch {
        reply = { status: 400, body: { message: 'Bad path encoding' } };
        break;
      }
      matched = name;
      const who = req.headers['x-standin-user'];
      actor = typeof who === 'string' && who !== '' ? who : undefined;
      try {
        if (!parsed.ok) reply = parsed.reply;
        else reply = h({ req, params, query: url.searchParams, body: parsed.value, path: url.pathname });
      } finally {
        actor = undefined;
      }
      if (reply.headers?.['x-standin-unsupported']) matched = null;
      break;
    }
    reply ??= notFound();
    state.requests.push({ method, path: url.pathname, query: url.search.replace(/^\?/, ''), status: reply.status, route: matched });
    const json = send(res, reply, method === 'HEAD');
    if (observers.length > 0) {
      const e: StandinExchange = {
        method,
        path: url.pathname,
        query: url.search.replace(/^\?/, ''),
        headers: req.headers,
        requestBody: parsed.ok ? parsed.value : undefined,
        status: reply.status,
        route: matched,
        // A copy of what was sent: later writes to the stand-in's state do not change it.
        responseBody: json === undefined ? undefined : (JSON.parse(json) as unknown),
        responseHeaders: reply.headers ?? {},
      };
      for (const fn of observers) {
        try {
          fn(e);
        } catch {
          // An observer's failure is its own business: the stand-in has answered already.
        }
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  apiBase = `http://127.0.0.1:${addr.port}`;

  let closed: Promise<void> | undefined;
  return {
    url: apiBase,
    state,
    model,
    pullRequestPayload: (number, action = 'opened') => {
      const pull = model.pulls.get(number);
      if (!pull) throw new Error(`stand-in has no pull request #${number}`);
      return pullRequestPayload({
        repo: opts.repo,
        pulls: opts.pulls ?? [],
        number,
        action,
        installationId: opts.installationId ?? 1,
        apiBase,
        model,
      });
    },
    issueCommentPayload: (number, body, user = 'maintainer') => {
      const issue = issueView(number);
      if (!issue) throw new Error(`stand-in has no issue or pull request #${number}`);
      actor = user;
      let comment: IssueComment;
      try {
        comment = newIssueComment(number, body);
        // a login ending in [bot] is a Bot, everyone else a User
        comment.user = userJson(user, apiBase);
      } finally {
        actor = undefined;
      }
      state.issueComments.push(comment);
      return {
        action: 'created',
        issue: issueView(number),
        comment: issueCommentJson(comment),
        repository: repoJson(model, apiBase),
        organization: { login: model.owner, id: userJson(model.owner, apiBase).id },
        installation: { id: opts.installationId ?? 1 },
        sender: userJson(user, apiBase),
      };
    },
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
