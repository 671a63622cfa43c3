/**
 * Gardening pull requests on GitHub: the next batch (src/garden/tend.ts) committed through the Git Data API
 * on the app's own branch `pattern-gardener/tend-<kind>`, one tree and one commit per rule, then the branch
 * moved and the pull request opened or updated. Stateless: the branch, the pull requests of that branch and
 * the markers in their bodies are the whole memory.
 *
 * Requests (at most TEND_REQUEST_BUDGET, whatever the repository's size): one GraphQL query for the default
 * branch and every gardening pull request with its body, 👎 count and comments; the tarball (unless the
 * sweep already read it); per rule one tree and one commit; the ref; the pull request. A batch carries as
 * many rules as the budget leaves room for; the others come in the next batch.
 */
import { createHash } from 'node:crypto';
import type { GardenerConfig } from '../core/config.js';
import { CorpusIndex } from '../core/corpus.js';
import { addDays, formatDate, type CalendarDate } from '../core/dates.js';
import type { DocKind } from '../core/document.js';
import { Engine } from '../core/engine.js';
import type { Finding } from '../core/finding.js';
import { BODY_LIMIT, fitMarkdown, truncate } from '../github/limits.js';
import { decodeMarkerValue, encodeMarkerValue, parseLinkRejectedMarkers } from '../github/markers.js';
import { CONFIG_PATH, type ConfigSource } from '../github/config.js';
import { parseFiles } from './compute.js';
import { loadTarballTree, type OctokitLike } from './octokit.js';
import { sweepConfig } from './remote.js';
import { planTendBatch, tendKinds, TEND_STAGES, type TendBatch, type TendRejections } from './tend.js';
import { explanationTables, numbersTable, stageCommitMessage, stageTitle } from './tend-render.js';

export const TEND_BRANCH_PREFIX = 'pattern-gardener/tend-';
/** Requests one tend run may make, whatever the repository's size. */
export const TEND_REQUEST_BUDGET = 15;
/** Requests a run keeps for after the commits: the ref (twice when it must be created after all) and the pull request. */
const AFTER_COMMITS = 3;
/** Carried-over rejections kept in a body at most. */
const MAX_REJECTIONS = 400;

const KINDS: DocKind[] = ['commons-pattern', 'commons-pattern-legacy'];

export function tendBranch(kind: DocKind): string {
  return `${TEND_BRANCH_PREFIX}${kind}`;
}

// ---- markers ---------------------------------------------------------------------------------------

const enc = encodeMarkerValue;
const dec = decodeMarkerValue;

export interface TendMarker {
  kind: string;
  digest: string;
  files: string[];
  /** Links the batch adds, `slug->target`: what a 👎 on the pull request rejects. */
  added: string[];
  /** Rejections carried from earlier batches, `slug` or `slug->target`. */
  rejected: string[];
}

const list = (xs: readonly string[]): string => xs.map(enc).join(',');
const unlist = (s: string | undefined): string[] => (s ? s.split(',').filter(Boolean).map(dec) : []);

export function tendMarker(m: TendMarker): string {
  return [
    `<!-- pattern-gardener:tend kind=${m.kind} digest=${m.digest} -->`,
    `<!-- pattern-gardener:tend-files ${list(m.files)} -->`,
    `<!-- pattern-gardener:tend-added ${list(m.added)} -->`,
    `<!-- pattern-gardener:tend-rejected ${list(m.rejected)} -->`,
  ].join('\n');
}

export function parseTendMarker(body: string | null | undefined): TendMarker | undefined {
  if (!body) return undefined;
  const head = /<!-- pattern-gardener:tend kind=(\S+) digest=([0-9a-f]+) -->/.exec(body);
  if (!head) return undefined;
  const part = (name: string): string[] => unlist(new RegExp(`<!-- pattern-gardener:${name} (\\S*) -->`).exec(body)?.[1]);
  return { kind: head[1]!, digest: head[2]!, files: part('tend-files'), added: part('tend-added'), rejected: part('tend-rejected') };
}

/** What the batch writes, independent of the base commit: the same plan twice has the same digest. */
export function batchDigest(batch: TendBatch): string {
  const h = createHash('sha256');
  for (const s of batch.stages) {
    h.update(`${s.rule}\0`);
    for (const f of [...s.texts.keys()].sort()) h.update(`${f}\0${createHash('sha256').update(s.texts.get(f)!).digest('hex')}\0`);
  }
  return h.digest('hex').slice(0, 16);
}

// ---- state -------------------------------------------------------------------------------------------

export interface TendPull {
  number: number;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  closedAt: string | null;
  body: string;
  thumbsDown: number;
  comments: { body: string; authorAssociation: string; author: { login: string } | null }[];
}

export interface TendState {
  defaultBranch: string;
  sha: string;
  treeSha: string;
  pulls: Map<DocKind, TendPull[]>;
}

const WRITERS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);
const REJECT_RE = /^\s*\/gardener\s+reject\s+([^\s`]{1,200})(?:\s+([^\s`]{1,200}))?\s*$/gim;

function stateQuery(): string {
  const pulls = KINDS.map(
    (k, i) =>
      `k${i}: pullRequests(headRefName: $b${i}, first: 20, orderBy: {field: CREATED_AT, direction: DESC}) { nodes { number state closedAt body reactions(content: THUMBS_DOWN) { totalCount } comments(last: 100) { nodes { body authorAssociation author { login } } } } }`,
  ).join(' ');
  return `query($owner: String!, $name: String!, ${KINDS.map((_, i) => `$b${i}: String!`).join(', ')}) { repository(owner: $owner, name: $name) { defaultBranchRef { name target { oid ... on Commit { tree { oid } } } } ${pulls} } }`;
}

interface StateAnswer {
  repository: {
    defaultBranchRef: { name: string; target: { oid: string; tree?: { oid: string } } } | null;
    [k: string]: unknown;
  } | null;
}

/** Everything a run needs to know about GitHub, in one GraphQL request. */
export async function readTendState(octokit: OctokitLike, owner: string, repo: string): Promise<TendState> {
  const vars: Record<string, unknown> = { owner, name: repo };
  KINDS.forEach((k, i) => (vars[`b${i}`] = tendBranch(k)));
  const res = await octokit.request('POST /graphql', { query: stateQuery(), variables: vars });
  const answer = res.data as { data?: StateAnswer; errors?: { message: string }[] };
  if (answer.errors?.length) throw new Error(`gardening ${owner}/${repo}: ${answer.errors.map((e) => e.message).join('; ')}`);
  const data = (answer.data ?? (res.data as StateAnswer)) as StateAnswer;
  const r = data.repository;
  const ref = r?.defaultBranchRef;
  if (!r || !ref?.target.tree) throw new Error(`gardening: ${owner}/${repo} has no default branch to tend`);
  const pulls = new Map<DocKind, TendPull[]>();
  KINDS.forEach((k, i) => {
    const nodes = ((r[`k${i}`] as { nodes?: Record<string, unknown>[] } | undefined)?.nodes ?? []) as Record<string, unknown>[];
    pulls.set(
      k,
      nodes.map((n) => ({
        number: n.number as number,
        state: n.state as TendPull['state'],
        closedAt: (n.closedAt as string | null) ?? null,
        body: (n.body as string) ?? '',
        thumbsDown: (n.reactions as { totalCount?: number } | undefined)?.totalCount ?? 0,
        comments: ((n.comments as { nodes?: TendPull['comments'] } | undefined)?.nodes ?? []).filter(Boolean),
      })),
    );
  });
  return { defaultBranch: ref.name, sha: ref.target.oid, treeSha: ref.target.tree.oid, pulls };
}

/** Rejections: the config, reject commands and markers on gardening pull requests, 👎 on them, earlier batches' memory. */
export function tendRejections(config: GardenerConfig, state: TendState): { rejections: TendRejections; carried: string[] } {
  const patterns = new Set<string>();
  const pairs = new Set<string>();
  const addEntry = (e: string): void => {
    const i = e.indexOf('->');
    if (i < 0) {
      if (e.trim()) patterns.add(e.trim());
    } else pairs.add(`${e.slice(0, i).trim()}->${e.slice(i + 2).trim()}`);
  };
  for (const e of config.links.rejected) addEntry(e);
  const carried = new Set<string>();
  for (const pulls of state.pulls.values()) {
    for (const p of pulls) {
      const m = parseTendMarker(p.body);
      if (!m) continue;
      for (const e of m.rejected) carried.add(e);
      if (p.thumbsDown > 0) for (const e of m.added) carried.add(e);
      for (const c of p.comments) {
        for (const r of parseLinkRejectedMarkers(c.body)) carried.add(r.target ? `${r.slug}->${r.target}` : r.slug);
        if (!WRITERS.has(c.authorAssociation)) continue;
        for (const x of c.body.matchAll(REJECT_RE)) carried.add(x[2] ? `${x[1]}->${x[2]}` : x[1]!);
      }
    }
  }
  for (const e of carried) addEntry(e);
  return {
    rejections: {
      rejectsPattern: (slug) => patterns.has(slug),
      rejectsPair: (slug, target) => patterns.has(slug) || pairs.has(`${slug}->${target}`),
    },
    carried: [...carried].sort().slice(0, MAX_REJECTIONS),
  };
}

/** Files of batches closed without merging within the last `days` days. */
export function recentlyClosedFiles(pulls: readonly TendPull[], today: CalendarDate, days: number): Set<string> {
  const since = formatDate(addDays(today, -days));
  const out = new Set<string>();
  for (const p of pulls) {
    if (p.state !== 'CLOSED' || !p.closedAt || p.closedAt.slice(0, 10) < since) continue;
    for (const f of parseTendMarker(p.body)?.files ?? []) out.add(f);
  }
  return out;
}

// ---- the pull request body -----------------------------------------------------------------------------

export function tendTitle(batch: TendBatch): string {
  return `Gardening: ${batch.files.length} pattern${batch.files.length === 1 ? '' : 's'} tended (${batch.kind})`;
}

export function tendBody(batch: TendBatch, marker: TendMarker, deferred: readonly string[]): string {
  const intro = [
    `Pattern Gardener tended ${batch.files.length} ${batch.kind} file${batch.files.length === 1 ? '' : 's'}: the most-linked patterns and the stalest gardens first. Every change is one the engine makes only where it is mechanical and unambiguous, or a link the link engine scores above \`links.minConfidence\`; every edited file was checked again (it parses, keeps its body text, passes what was fixed, gains no finding).`,
    '',
    `One commit per rule, so you can drop one:`,
    ...batch.stages.map((s) => `- \`${s.rule}\`: ${stageTitle(s.rule)} (${s.texts.size} file${s.texts.size === 1 ? '' : 's'})`),
    ...(deferred.length ? ['', `Waiting for the next batch (one run commits only so many rules): ${deferred.map((r) => `\`${r}\``).join(', ')}.`] : []),
    '',
    numbersTable(batch),
    '',
    '**To reject a change:** comment `/gardener reject <slug> <target>` (or `/gardener reject <slug>` for every link proposal of a pattern), react 👎 to this pull request to reject every link it adds, or edit the branch; add `slug->target` to `links.rejected` in `.github/pattern-gardener.yml` to reject it for good. Closing this pull request without merging leaves its files alone for `gardening.skipClosedForDays` days. The next run updates this pull request; a merged batch lets the next one open.',
    '',
  ].join('\n');
  const files = explanationTables(batch).split(/\n(?=\*\*`)/);
  return fitMarkdown(
    [
      intro,
      {
        items: files.filter((f) => f.trim() && !f.startsWith('The tables of')),
        more: (n) => `_The tables of ${n} more file(s) do not fit here; the commits carry every change._`,
        separator: '\n',
      },
      '',
      tendMarker(marker),
    ],
    BODY_LIMIT,
  );
}

// ---- the run ---------------------------------------------------------------------------------------------

export interface RemoteTendOptions {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  today: CalendarDate;
  /** The default branch's files as the sweep read them (path -> bytes) at `sha`: saves the tarball request. */
  tree?: { files: ReadonlyMap<string, Uint8Array>; sha: string };
  /** The config the sweep resolved for `tree` (its `_extends` followed), used while the branch is still at `tree.sha`. */
  config?: GardenerConfig;
  /** Where a config with `_extends` is read in full when the tarball is read here (see sweepConfig). */
  configSource?: ConfigSource;
  /** Plan and report, write nothing. */
  dryRun?: boolean;
  log?: (msg: string) => void;
}

export interface RemoteTendResult {
  requests: number;
  /** What happened per kind: `opened #n`, `updated #n`, `unchanged #n`, `nothing to tend`, `waiting`. */
  outcomes: { kind: DocKind; outcome: string; pull?: number; files?: number; commits?: number }[];
  enabled: boolean;
}

function counting(octokit: OctokitLike): { octokit: OctokitLike; count: () => number } {
  let n = 0;
  return {
    octokit: {
      request: (route: string, params?: Record<string, unknown>) => {
        n++;
        return octokit.request(route, params);
      },
    } as OctokitLike,
    count: () => n,
  };
}

export async function runRemoteTend(opts: RemoteTendOptions): Promise<RemoteTendResult> {
  const log = opts.log ?? (() => {});
  const { owner, repo } = opts;
  const counter = counting(opts.octokit);
  const octokit = counter.octokit;
  const result: RemoteTendResult = { requests: 0, outcomes: [], enabled: false };
  const done = (): RemoteTendResult => ((result.requests = counter.count()), result);

  let files = opts.tree?.files;
  let config: GardenerConfig | undefined = files ? (opts.config ?? (await sweepConfig(files, log, opts.configSource))) : undefined;
  if (config && !config.gardening.enabled) return done();
  const state = await readTendState(octokit, owner, repo);
  if (!files || opts.tree?.sha !== state.sha) {
    const tree = await loadTarballTree(octokit, owner, repo, state.sha, (p) => p === CONFIG_PATH || p.endsWith('.md'));
    if (tree.error) throw new Error(`gardening ${owner}/${repo}: the tarball could not be read completely (${tree.error})`);
    files = tree.files;
    config = await sweepConfig(files, log, opts.configSource);
  }
  if (!config!.gardening.enabled) return done();
  result.enabled = true;
  const cfg = config!;
  const docs = parseFiles(files, cfg);
  const engine = new Engine({ config: cfg, today: opts.today });
  const corpus = CorpusIndex.fromDocuments(docs);
  const findings: Finding[] = [];
  for (const d of docs) if (!d.notPattern) findings.push(...engine.checkDocument(d, corpus));
  const { rejections, carried } = tendRejections(cfg, state);
  let open = [...state.pulls.values()].filter((ps) => ps.some((p) => p.state === 'OPEN')).length;

  for (const kind of tendKinds(docs)) {
    const pulls = state.pulls.get(kind) ?? [];
    const current = pulls.find((p) => p.state === 'OPEN');
    if (!current && open >= cfg.gardening.maxOpenPullRequests) {
      result.outcomes.push({ kind, outcome: 'waiting' });
      continue;
    }
    const skipFiles = recentlyClosedFiles(pulls, opts.today, cfg.gardening.skipClosedForDays);
    // Files of other kinds' open batches are never in this one (one kind per batch), so no more to skip.
    const room = Math.floor((TEND_REQUEST_BUDGET - counter.count() - AFTER_COMMITS) / 2);
    if (room < 1) {
      result.outcomes.push({ kind, outcome: 'waiting' });
      continue;
    }
    let batch = planTendBatch({ docs, findings, config: cfg, today: opts.today, kind, rejections, skipFiles });
    let deferred: string[] = [];
    if (batch.stages.length > room) {
      const rules = batch.stages.slice(0, room).map((s) => s.rule);
      deferred = batch.stages.slice(room).map((s) => s.rule);
      batch = planTendBatch({ docs, findings, config: cfg, today: opts.today, kind, rejections, skipFiles, rules });
    }
    if (batch.files.length === 0) {
      result.outcomes.push({ kind, outcome: current ? `unchanged #${current.number}` : 'nothing to tend', pull: current?.number });
      continue;
    }
    const digest = batchDigest(batch);
    if (current && parseTendMarker(current.body)?.digest === digest) {
      result.outcomes.push({ kind, outcome: `unchanged #${current.number}`, pull: current.number, files: batch.files.length });
      continue;
    }
    const added = batch.stages
      .flatMap((s) => s.changes)
      .filter((c) => c.confidence !== undefined)
      .map((c) => `${slugOfFile(docs, c.file)}->${/`([^`]+)`/.exec(c.evidence)?.[1] ?? ''}`);
    const marker: TendMarker = { kind, digest, files: batch.files, added, rejected: carried };
    const body = tendBody(batch, marker, deferred);
    const title = truncate(tendTitle(batch), 256);
    if (opts.dryRun) {
      result.outcomes.push({
        kind,
        outcome: current ? `would update #${current.number}` : 'would open',
        pull: current?.number,
        files: batch.files.length,
        commits: batch.stages.length,
      });
      if (!current) open++;
      continue;
    }
    // One tree and one commit per rule, each on the one before, starting at the default branch.
    let parent = state.sha;
    let tree = state.treeSha;
    for (const stage of batch.stages) {
      const t = await octokit.request('POST /repos/{owner}/{repo}/git/trees', {
        owner,
        repo,
        base_tree: tree,
        tree: [...stage.texts].map(([path, content]) => ({ path, mode: '100644', type: 'blob', content })),
      });
      tree = (t.data as { sha: string }).sha;
      const c = await octokit.request('POST /repos/{owner}/{repo}/git/commits', {
        owner,
        repo,
        message: stageCommitMessage(stage.rule, stage.texts.size),
        tree,
        parents: [parent],
      });
      parent = (c.data as { sha: string }).sha;
    }
    const branch = tendBranch(kind);
    const update = () => octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', { owner, repo, ref: `heads/${branch}`, sha: parent, force: true });
    const create = () => octokit.request('POST /repos/{owner}/{repo}/git/refs', { owner, repo, ref: `refs/heads/${branch}`, sha: parent });
    // The branch exists when an earlier batch used it, unless someone deleted it after the merge.
    const [first, second] = pulls.length > 0 ? [update, create] : [create, update];
    try {
      await first();
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status !== 422 && status !== 404) throw e;
      await second();
    }
    if (current) {
      await octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: current.number, title, body });
      result.outcomes.push({ kind, outcome: `updated #${current.number}`, pull: current.number, files: batch.files.length, commits: batch.stages.length });
    } else {
      const r = await octokit.request('POST /repos/{owner}/{repo}/pulls', {
        owner,
        repo,
        title,
        head: branch,
        base: state.defaultBranch,
        body,
        maintainer_can_modify: true,
      });
      const n = (r.data as { number: number }).number;
      open++;
      result.outcomes.push({ kind, outcome: `opened #${n}`, pull: n, files: batch.files.length, commits: batch.stages.length });
    }
    log(
      `gardening ${owner}/${repo} ${kind}: ${result.outcomes[result.outcomes.length - 1]!.outcome}, ${batch.files.length} files, ${batch.stages.length} commits`,
    );
  }
  return done();
}

function slugOfFile(docs: readonly { file: string; slug: string }[], file: string): string {
  return docs.find((d) => d.file === file)?.slug ?? file;
}

export { TEND_STAGES };
