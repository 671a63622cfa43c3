/**
 * A commit's snapshot from the cached snapshot of an ancestor (the pull request's previous head, or its
 * base) plus the comparison of the two: ONE compare request instead of the archive (two HTTP requests:
 * the API's redirect, then codeload), and only the files the comparison lists are patched and parsed.
 *
 * The comparison is three-dot (`ancestor...head`): its files are the changes from the merge base, so it
 * is used only when the merge base IS the ancestor (head descends from it). Anything the patches cannot
 * rebuild exactly leaves the archive to do the work: a listed file without a patch (binary, very large),
 * a patch that does not apply to the ancestor's bytes, a file the ancestor's snapshot does not hold,
 * 300 files or more (GitHub lists no more), a path the archive reader would refuse, or a one-line file
 * without a line ending (it may be a symbolic link, which the archive leaves out and the comparison does
 * not tell apart). The result equals the head archive's snapshot: same files in the archive's order
 * (paths sorted), same index entries, link stubs, other files and baseline.
 */
import { BASELINE_PATH, MAX_BASELINE_BYTES } from '../core/baseline.js';
import type { FileSelector, GardenerConfig } from '../core/config.js';
import type { CorpusEntry } from '../core/corpus.js';
import { CorpusIndex } from '../core/corpus.js';
import { applyPatch } from './base-snapshot.js';
import type { GitHubApi, RepoRef } from './octokit.js';
import type { FileStatus } from './pull-files.js';
import { indexEntry, type LinkStub, Snapshot } from './snapshot.js';
import { DEFAULT_TAR_LIMITS, pathProblem } from './tarball.js';

export interface ComparedFile {
  filename: string;
  status: FileStatus;
  previous_filename?: string;
  patch?: string;
  changes?: number;
}

/** GitHub lists at most this many files of a comparison. */
const MAX_COMPARED_FILES = 300;

/**
 * The files changed from `fromSha` to `sha`, when `sha` descends from `fromSha` and GitHub listed them all;
 * else why not.
 */
export async function compareFromAncestor(api: GitHubApi, repo: RepoRef, fromSha: string, sha: string): Promise<ComparedFile[] | { reason: string }> {
  // per_page bounds the commits listed; the files come on the first page whatever it is.
  const res = await api.request('GET /repos/{owner}/{repo}/compare/{basehead}', { ...repo, basehead: `${fromSha}...${sha}`, per_page: 1 });
  const d = res.data as { merge_base_commit?: { sha?: string }; files?: unknown };
  if (d.merge_base_commit?.sha !== fromSha) return { reason: 'the head does not descend from the cached commit' };
  if (!Array.isArray(d.files)) return { reason: 'the comparison lists no files' };
  if (d.files.length >= MAX_COMPARED_FILES) return { reason: `the comparison lists ${d.files.length} files (GitHub lists at most ${MAX_COMPARED_FILES})` };
  return d.files as ComparedFile[];
}

export type Derived = { ok: true; snapshot: Snapshot; parsed: number; reused: number } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Archive order: git archive writes the tree sorted by path. */
const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The snapshot of `sha` (cache key `key`) from `from`, the snapshot of an ancestor, and the files changed
 * since (`compareFromAncestor`). Pure: no request.
 */
export function deriveSnapshot(
  from: Snapshot,
  changes: readonly ComparedFile[],
  key: string,
  sha: string,
  config: GardenerConfig,
  selector: FileSelector,
): Derived {
  const fail = (reason: string): Derived => ({ ok: false, reason });
  if (from.error) return fail('the cached snapshot is incomplete');
  // The archive's paths carry its top folder, `owner-repo-<7 hex>`: as long as `owner/repo` plus 8.
  const top = 'x'.repeat(key.indexOf('@') + 8);
  const files = new Map(from.files);
  const others = new Set(from.index.otherFiles);
  let baseline = from.baselineText;
  const written = new Map<string, Uint8Array>();
  const oldText = (path: string): string | undefined => {
    if (path === BASELINE_PATH && !selector.selects(path)) return baseline;
    const bytes = from.files.get(path);
    if (!bytes) return undefined;
    try {
      return utf8.decode(bytes);
    } catch {
      return undefined;
    }
  };
  // Paths that go away first (a file may be renamed away and another added under its old name).
  for (const f of changes) {
    if (pathProblem(`${top}/${f.filename}`, DEFAULT_TAR_LIMITS.maxPathLength) !== undefined) return fail(`path ${f.filename} would be refused`);
    if (f.status !== 'removed' && f.status !== 'renamed') continue;
    const gone = f.status === 'renamed' ? f.previous_filename : f.filename;
    if (!gone) return fail(`${f.filename} is renamed from nowhere`);
    files.delete(gone);
    others.delete(gone);
    if (gone === BASELINE_PATH) baseline = undefined;
  }
  const newTexts = new Map<string, string | undefined>();
  for (const f of changes) {
    if (f.status === 'removed' || f.status === 'unchanged') continue;
    const path = f.filename;
    const kept = selector.selects(path) || path === BASELINE_PATH;
    if (!kept) {
      others.add(path);
      continue;
    }
    const source = f.status === 'renamed' || f.status === 'copied' ? f.previous_filename : f.status === 'added' ? undefined : path;
    const before = source === undefined ? '' : oldText(source);
    if (before === undefined) return fail(`${source} is not in the cached snapshot`);
    const pureMove = (f.patch ?? '') === '' && (f.changes ?? 0) === 0 && source !== undefined;
    const after = pureMove ? before : f.patch ? applyPatch(before, f.patch) : undefined;
    if (after === undefined) return fail(`${path}: ${f.patch ? 'the patch does not apply' : 'no patch'}`);
    if (after !== '' && !after.includes('\n')) return fail(`${path} may be a symbolic link`);
    newTexts.set(path, after);
  }
  for (const [path, text] of newTexts) {
    const bytes = new Uint8Array(Buffer.from(text as string, 'utf8'));
    const max = path === BASELINE_PATH ? MAX_BASELINE_BYTES : config.limits.maxFileBytes;
    others.delete(path);
    if (bytes.byteLength > max) {
      // The archive reader skips it: neither a file nor another file's name.
      files.delete(path);
      if (path === BASELINE_PATH) baseline = undefined;
      continue;
    }
    if (path === BASELINE_PATH) baseline = new TextDecoder().decode(bytes); // as read from the archive
    if (!selector.selects(path)) continue;
    files.set(path, bytes);
    written.set(path, bytes);
  }
  const ordered = new Map<string, Uint8Array>();
  for (const path of [...files.keys()].sort(byPath)) ordered.set(path, files.get(path)!);
  const entries: CorpusEntry[] = [];
  const stubs = new Map<string, LinkStub | null>();
  let parsed = 0;
  let reused = 0;
  for (const [path, bytes] of ordered) {
    let entry: CorpusEntry | undefined;
    let stub: LinkStub | null | undefined;
    if (written.has(path)) {
      ({ entry, stub } = indexEntry(path, bytes, config, selector));
      parsed++;
    } else {
      entry = from.index.entries.get(path);
      stub = from.linkStubs.get(path);
      if (!entry) return fail(`${path} has no index entry in the cached snapshot`);
      reused++;
    }
    entries.push(entry);
    if (stub !== undefined) stubs.set(path, stub);
  }
  const index = new CorpusIndex(entries, [...others].sort(byPath));
  return { ok: true, snapshot: new Snapshot(key, sha, ordered, index, selector, config, undefined, stubs, baseline), parsed, reused };
}
