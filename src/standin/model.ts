/**
 * The repository model behind the stand-in: deterministic git-style object ids
 * (blob and tree ids are real git hashes, commits are hashed in git's commit
 * format from tree, parent, fixed author and date), commits, refs and PR file
 * lists with patches.
 */
import { createHash } from 'node:crypto';
import { unifiedPatch } from './diff.js';

export type FileTree = Map<string, string>;

export interface StandinRepoSpec {
  owner: string;
  name: string;
  /** Default 'main'. */
  defaultBranch?: string;
  /** Files of the default branch (also the default base of every PR). */
  files: FileTree;
  /** Numeric repository id (default 4242). */
  id?: number;
  private?: boolean;
  /** Committer date of the default-branch commit (ISO, default 2026-01-15T09:00:00Z). */
  commitDate?: string;
}

export interface StandinPullSpec {
  number: number;
  title: string;
  body?: string;
  base?: { ref?: string; files?: FileTree };
  head: { ref: string; sha?: string; files: FileTree; date?: string };
  /** Author login (default 'contributor'). */
  user?: string | { login: string };
  draft?: boolean;
  /** Head branch lives in a fork owned by the author. */
  fork?: boolean;
  state?: 'open' | 'closed';
  labels?: string[];
  createdAt?: string;
}

export interface Commit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  date: string;
  author: { name: string; email: string; login: string };
  files: FileTree;
}

export interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree';
  sha: string;
  size?: number;
}

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed';

export interface PullFile {
  sha: string;
  filename: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
  previous_filename?: string;
}

export interface PullModel {
  spec: StandinPullSpec;
  number: number;
  user: string;
  baseRef: string;
  base: Commit;
  headRef: string;
  head: Commit;
  files: PullFile[];
  createdAt: string;
}

export interface RepoModel {
  owner: string;
  name: string;
  fullName: string;
  id: number;
  defaultBranch: string;
  private: boolean;
  main: Commit;
  pulls: Map<number, PullModel>;
  commits: Map<string, Commit>;
  /** Branch names (and pull/N/head) → commit. */
  branches: Map<string, Commit>;
  /** Tree sha → entries (one level) of that tree. */
  trees: Map<string, TreeEntry[]>;
  /** Blob sha → content. */
  blobs: Map<string, string>;
}

const sha1 = (data: string | Buffer): string => createHash('sha1').update(data).digest('hex');

export function gitBlobSha(content: string): string {
  const body = Buffer.from(content, 'utf8');
  return sha1(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body]));
}

interface DirNode {
  files: Map<string, string>;
  dirs: Map<string, DirNode>;
}

/** Register the trees of `files`; returns the root tree sha. */
function addTrees(files: FileTree, trees: Map<string, TreeEntry[]>, blobs: Map<string, string>): string {
  const root: DirNode = { files: new Map(), dirs: new Map() };
  for (const [path, content] of files) {
    const segs = path.split('/');
    let node = root;
    for (const s of segs.slice(0, -1)) {
      let child = node.dirs.get(s);
      if (!child) {
        child = { files: new Map(), dirs: new Map() };
        node.dirs.set(s, child);
      }
      node = child;
    }
    node.files.set(segs[segs.length - 1]!, content);
  }
  const visit = (node: DirNode): string => {
    const entries: { name: string; mode: string; type: 'blob' | 'tree'; sha: string; size?: number }[] = [];
    for (const [name, content] of node.files) {
      const sha = gitBlobSha(content);
      blobs.set(sha, content);
      entries.push({ name, mode: '100644', type: 'blob', sha, size: Buffer.byteLength(content) });
    }
    for (const [name, child] of node.dirs) entries.push({ name, mode: '40000', type: 'tree', sha: visit(child) });
    // git orders tree entries by name, directories compared as "name/".
    const sortKey = (e: { name: string; type: string }): string => (e.type === 'tree' ? `${e.name}/` : e.name);
    entries.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
    const body = Buffer.concat(entries.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')]));
    const sha = sha1(Buffer.concat([Buffer.from(`tree ${body.length}\0`), body]));
    trees.set(
      sha,
      entries.map((e) => ({
        path: e.name,
        mode: e.type === 'tree' ? '040000' : e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.size !== undefined ? { size: e.size } : {}),
      })),
    );
    return sha;
  };
  return visit(root);
}

export function makeCommit(
  files: FileTree,
  parents: string[],
  message: string,
  date: string,
  author: { name: string; email: string; login: string },
  model: Pick<RepoModel, 'trees' | 'blobs' | 'commits'>,
  forcedSha?: string,
): Commit {
  const tree = addTrees(files, model.trees, model.blobs);
  const ts = Math.floor(Date.parse(date) / 1000);
  const body =
    `tree ${tree}\n` +
    parents.map((p) => `parent ${p}\n`).join('') +
    `author ${author.name} <${author.email}> ${ts} +0000\n` +
    `committer ${author.name} <${author.email}> ${ts} +0000\n\n${message}\n`;
  const sha = forcedSha ?? sha1(`commit ${Buffer.byteLength(body)}\0${body}`);
  const c: Commit = { sha, tree, parents, message, date, author, files };
  model.commits.set(sha, c);
  return c;
}

function countLines(patch: string): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const l of patch.split('\n')) {
    if (l.startsWith('+')) additions++;
    else if (l.startsWith('-')) deletions++;
  }
  return { additions, deletions };
}

/** Files changed between two trees, sorted by filename, exact renames detected. */
export function compareTrees(base: FileTree, head: FileTree): PullFile[] {
  const out: PullFile[] = [];
  const removed = [...base.keys()].filter((p) => !head.has(p));
  const added = [...head.keys()].filter((p) => !base.has(p));
  const renamedFrom = new Map<string, string>();
  for (const a of added) {
    const i = removed.findIndex((r) => base.get(r) === head.get(a));
    if (i >= 0) {
      renamedFrom.set(a, removed[i]!);
      removed.splice(i, 1);
    }
  }
  for (const p of new Set([...base.keys(), ...head.keys()])) {
    const before = base.get(p);
    const after = head.get(p);
    if (before === after) continue;
    if (after === undefined && !removed.includes(p)) continue; // source of a rename
    let status: FileStatus;
    let patch: string;
    let previous: string | undefined;
    if (after === undefined) {
      status = 'removed';
      patch = unifiedPatch(before!, '');
    } else if (before === undefined) {
      previous = renamedFrom.get(p);
      status = previous ? 'renamed' : 'added';
      patch = previous ? '' : unifiedPatch('', after);
    } else {
      status = 'modified';
      patch = unifiedPatch(before, after);
    }
    const { additions, deletions } = countLines(patch);
    const f: PullFile = {
      sha: after !== undefined ? gitBlobSha(after) : gitBlobSha(before!),
      filename: p,
      status,
      additions,
      deletions,
      changes: additions + deletions,
    };
    if (patch !== '') f.patch = patch;
    if (previous) f.previous_filename = previous;
    out.push(f);
  }
  return out.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
}

const MAINTAINER = { name: 'Garden Maintainer', email: 'maintainer@example.invalid', login: 'maintainer' };

export function userLogin(u: StandinPullSpec['user']): string {
  return u === undefined ? 'contributor' : typeof u === 'string' ? u : u.login;
}

/** Build the whole model; pure and deterministic. */
export function buildRepoModel(repo: StandinRepoSpec, pulls: readonly StandinPullSpec[] = []): RepoModel {
  const defaultBranch = repo.defaultBranch ?? 'main';
  const partial = { trees: new Map(), blobs: new Map(), commits: new Map() } as Pick<RepoModel, 'trees' | 'blobs' | 'commits'>;
  const main = makeCommit(repo.files, [], 'Initial garden', repo.commitDate ?? '2026-01-15T09:00:00Z', MAINTAINER, partial);
  const model: RepoModel = {
    owner: repo.owner,
    name: repo.name,
    fullName: `${repo.owner}/${repo.name}`,
    id: repo.id ?? 4242,
    defaultBranch,
    private: repo.private ?? false,
    main,
    pulls: new Map(),
    branches: new Map([[defaultBranch, main]]),
    ...partial,
  };
  for (const p of pulls) {
    const baseRef = p.base?.ref ?? defaultBranch;
    let base = model.branches.get(baseRef) ?? main;
    if (p.base?.files && p.base.files !== base.files) {
      base = makeCommit(p.base.files, [main.sha], `Base of #${p.number}`, main.date, MAINTAINER, model);
      if (!model.branches.has(baseRef)) model.branches.set(baseRef, base);
    }
    const user = userLogin(p.user);
    const headDate = p.head.date ?? new Date(Date.parse(base.date) + 86_400_000).toISOString().replace('.000Z', 'Z');
    const head = makeCommit(p.head.files, [base.sha], p.title, headDate, { name: user, email: `${user}@example.invalid`, login: user }, model, p.head.sha);
    model.branches.set(p.fork ? `${user}:${p.head.ref}` : p.head.ref, head);
    model.branches.set(`pull/${p.number}/head`, head);
    model.pulls.set(p.number, {
      spec: p,
      number: p.number,
      user,
      baseRef,
      base,
      headRef: p.head.ref,
      head,
      files: compareTrees(base.files, head.files),
      createdAt: p.createdAt ?? headDate,
    });
  }
  return model;
}

/** Resolve a ref (branch, refs/heads/x, pull/N/head, full or ≥7-char abbreviated sha) to a commit. */
export function resolveRef(model: RepoModel, ref: string | undefined): Commit | undefined {
  if (ref === undefined || ref === '') return model.main;
  const r = ref.replace(/^refs\//, '').replace(/^heads\//, '');
  const b = model.branches.get(r);
  if (b) return b;
  const c = model.commits.get(ref.toLowerCase());
  if (c) return c;
  if (/^[0-9a-f]{7,39}$/i.test(ref)) {
    const hits = [...model.commits.values()].filter((x) => x.sha.startsWith(ref.toLowerCase()));
    if (hits.length === 1) return hits[0];
  }
  return undefined;
}

/** Flatten a tree recursively (paths relative to it), like `git/trees?recursive=1`. */
export function flattenTree(model: RepoModel, sha: string, prefix = ''): TreeEntry[] {
  const out: TreeEntry[] = [];
  for (const e of model.trees.get(sha) ?? []) {
    const path = prefix + e.path;
    out.push({ ...e, path });
    if (e.type === 'tree') out.push(...flattenTree(model, e.sha, `${path}/`));
  }
  return out;
}

/**
 * Pushes a new commit with `files` onto pull request `number`'s head branch (a `synchronize`): the pull
 * request's head, its branches and its file list move to it. Returns the new head commit.
 */
export function advancePull(model: RepoModel, number: number, files: FileTree, message = 'Update'): Commit {
  const pull = model.pulls.get(number);
  if (!pull) throw new Error(`no pull request #${number}`);
  const date = new Date(Date.parse(pull.head.date) + 3_600_000).toISOString().replace('.000Z', 'Z');
  const head = makeCommit(files, [pull.head.sha], message, date, pull.head.author, model);
  for (const [name, c] of model.branches)
    if (c.sha === pull.head.sha && (name === pull.headRef || name.endsWith(`:${pull.headRef}`) || name === `pull/${number}/head`))
      model.branches.set(name, head);
  pull.head = head;
  pull.files = compareTrees(pull.base.files, head.files);
  return head;
}
