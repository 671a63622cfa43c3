/**
 * The real corpora for integration tests: `corpus/*.tar.gz` in the shared folder (`../shared` beside the
 * repository, or beside the main checkout when this is a git worktree), each extracted once into a temp
 * directory (reused across test files and runs). When a tarball is absent, `realCorpus()` returns null and
 * the caller skips, saying so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(new URL('../..', import.meta.url).pathname);

/** The main checkout's `../shared` when REPO_ROOT is a linked worktree (its `.git` is a file naming the common dir). */
function sharedBesideMainCheckout(): string | undefined {
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return resolve(dirname(common), '..', 'shared');
  } catch {
    return undefined;
  }
}

/** GARDENER_SHARED_DIR, else `../shared`, else the shared folder beside the main checkout. */
export const SHARED_DIR: string = (() => {
  if (process.env.GARDENER_SHARED_DIR) return resolve(process.env.GARDENER_SHARED_DIR);
  const beside = resolve(REPO_ROOT, '../shared');
  if (existsSync(beside)) return beside;
  const main = sharedBesideMainCheckout();
  return main && existsSync(main) ? main : beside;
})();

/** GARDENER_TEST_CORPUS overrides the location (e.g. a missing path, to see the skip). */
export const CORPUS_TARBALL = process.env.GARDENER_TEST_CORPUS
  ? resolve(REPO_ROOT, process.env.GARDENER_TEST_CORPUS)
  : join(SHARED_DIR, 'corpus', 'commons-os-patterns.tar.gz');
export const ENGINEERING_TARBALL = join(SHARED_DIR, 'corpus', 'commons-engineering-patterns.tar.gz');
export const LINK_TRUTH = join(SHARED_DIR, 'corpus', 'link-eval-dev.json');

/**
 * The directory `top` of `tarball`, extracted once per tarball version into the temp folder, or null when
 * the tarball is not there.
 */
export function extractedTarball(tarball: string, top: string): string | null {
  if (!existsSync(tarball)) return null;
  const stamp = `${statSync(tarball).size}-${Math.floor(statSync(tarball).mtimeMs)}`;
  const base = join(tmpdir(), `gardener-test-${top}-${stamp}`);
  const dir = join(base, top);
  const done = join(base, '.complete');
  if (existsSync(done)) return dir;
  // Extract into a private directory and rename, so concurrent test workers never see half a corpus.
  const work = `${base}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(work, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', work]);
  writeFileSync(join(work, '.complete'), stamp);
  try {
    renameSync(work, base);
  } catch {
    // Another worker won the race; use its copy.
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

/** Directory holding the extracted `*.md` files of the commons corpus, or null when the tarball is not there. */
export function realCorpus(): string | null {
  return extractedTarball(CORPUS_TARBALL, 'commons-os-patterns');
}

export function skipMessage(what: string, tarball = CORPUS_TARBALL): string {
  return `SKIPPED ${what}: real corpus not found at ${tarball}`;
}

export function corpusFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort();
}
