/** `GET /pulls/{n}/files`, paginated (100 a page), bounded (GitHub lists at most 3000 files). */
import type { GitHubApi, RepoRef } from './octokit.js';
import { parsePatch, type CommentableLines } from './diff-lines.js';

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface PullFile {
  filename: string;
  status: FileStatus;
  previous_filename?: string;
  /** Absent for binary files and very large diffs. */
  patch?: string;
  /** Lines added plus deleted (0 for a pure rename). */
  changes?: number;
}

export interface ChangedFile extends PullFile {
  commentable: CommentableLines;
}

export const MAX_PULL_FILES = 3000;

export async function listPullFiles(
  api: GitHubApi,
  repo: RepoRef,
  pullNumber: number,
  opts: { maxFiles?: number; perPage?: number } = {},
): Promise<{ files: ChangedFile[]; truncated: boolean }> {
  const max = Math.min(opts.maxFiles ?? MAX_PULL_FILES, MAX_PULL_FILES);
  const perPage = opts.perPage ?? 100;
  const files: ChangedFile[] = [];
  for (let page = 1; files.length < max; page++) {
    const res = await api.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { ...repo, pull_number: pullNumber, per_page: perPage, page });
    const batch = Array.isArray(res.data) ? (res.data as PullFile[]) : [];
    for (const f of batch) {
      if (files.length >= max) break;
      files.push(toChangedFile(f));
    }
    if (batch.length < perPage) return { files, truncated: false };
  }
  return { files, truncated: true };
}

export function toChangedFile(f: PullFile): ChangedFile {
  const out: ChangedFile = { filename: f.filename, status: f.status, commentable: parsePatch(f.patch) };
  if (f.previous_filename) out.previous_filename = f.previous_filename;
  if (typeof f.patch === 'string') out.patch = f.patch;
  if (typeof f.changes === 'number') out.changes = f.changes;
  return out;
}

/** Paths that no longer exist at head: removed files and the old names of renamed ones. */
export function goneFiles(files: readonly PullFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (f.status === 'removed') out.push(f.filename);
    else if (f.status === 'renamed' && f.previous_filename) out.push(f.previous_filename);
  }
  return out;
}

/** Paths present at head that the PR touched. */
export function presentFiles(files: readonly PullFile[]): string[] {
  return files.filter((f) => f.status !== 'removed' && f.status !== 'unchanged').map((f) => f.filename);
}
