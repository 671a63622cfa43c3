/**
 * Loads fixtures/sample-repo into the `repo` and `pulls` arguments of startStandin.
 * Base branch = `patterns/` + `.github/`; each `pr-N/` folder describes a pull
 * request: `pr-N/pull.json` (metadata) and files overlaid on the base tree at
 * the same relative paths (`pr-N/patterns/x.md` → `patterns/x.md`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileTree, StandinPullSpec, StandinRepoSpec } from './model.js';

/** fixtures/sample-repo, found from src/standin (tests) or dist/standin (built). */
export const SAMPLE_REPO_DIR = fileURLToPath(new URL('../../fixtures/sample-repo/', import.meta.url));

export interface SampleRepo {
  repo: StandinRepoSpec & { defaultBranch: string };
  pulls: StandinPullSpec[];
}

export interface LoadSampleRepoOptions {
  owner?: string;
  name?: string;
}

interface PullMeta {
  number?: number;
  title?: string;
  body?: string;
  user?: string;
  draft?: boolean;
  fork?: boolean;
  base?: { ref?: string };
  head?: { ref?: string; sha?: string; date?: string };
  removed?: string[];
  createdAt?: string;
}

function walk(root: string, rel: string, out: FileTree, skip: (rel: string) => boolean): void {
  const dir = join(root, rel);
  for (const name of readdirSync(dir).sort()) {
    const r = rel === '' ? name : `${rel}/${name}`;
    if (skip(r)) continue;
    const st = statSync(join(root, r));
    if (st.isDirectory()) walk(root, r, out, skip);
    else if (st.isFile()) out.set(r, readFileSync(join(root, r), 'utf8'));
  }
}

export function loadSampleRepo(dir: string = SAMPLE_REPO_DIR, opts: LoadSampleRepoOptions = {}): SampleRepo {
  const files: FileTree = new Map();
  for (const top of ['patterns', '.github']) {
    if (existsSync(join(dir, top))) walk(dir, top, files, () => false);
  }
  const pulls: StandinPullSpec[] = [];
  const prDirs = readdirSync(dir)
    .filter((n) => /^pr-\d+$/.test(n) && statSync(join(dir, n)).isDirectory())
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  for (const pr of prDirs) {
    const root = join(dir, pr);
    const metaPath = join(root, 'pull.json');
    const meta: PullMeta = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, 'utf8')) as PullMeta) : {};
    const overlay: FileTree = new Map();
    walk(root, '', overlay, (r) => r === 'pull.json');
    const head: FileTree = new Map(files);
    for (const [p, c] of overlay) head.set(p, c);
    for (const p of meta.removed ?? []) head.delete(p);
    const number = meta.number ?? Number(pr.slice(3));
    pulls.push({
      number,
      title: meta.title ?? `Sample pull request ${number}`,
      body: meta.body,
      user: meta.user ?? 'contributor',
      draft: meta.draft,
      fork: meta.fork,
      base: { ref: meta.base?.ref ?? 'main' },
      head: { ref: meta.head?.ref ?? `sample-pr-${number}`, sha: meta.head?.sha, files: head, date: meta.head?.date },
      createdAt: meta.createdAt,
    });
  }
  return {
    repo: {
      owner: opts.owner ?? 'garden-commons',
      name: opts.name ?? 'sample-patterns',
      defaultBranch: 'main',
      files,
      commitDate: '2026-11-12T09:00:00Z',
    },
    pulls,
  };
}
