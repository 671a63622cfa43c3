/**
 * The real corpus for integration tests: `../shared/corpus/commons-os-patterns.tar.gz` relative
 * to the repository root, extracted once into a temp directory (reused across test files and
 * runs). When the tarball is absent, `realCorpus()` returns null and the caller skips, saying so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(new URL('../..', import.meta.url).pathname);
/** GARDENER_TEST_CORPUS overrides the location (e.g. a missing path, to see the skip). */
export const CORPUS_TARBALL = resolve(REPO_ROOT, process.env.GARDENER_TEST_CORPUS ?? '../shared/corpus/commons-os-patterns.tar.gz');

/** Directory holding the extracted `*.md` files, or null when the tarball is not there. */
export function realCorpus(): string | null {
  if (!existsSync(CORPUS_TARBALL)) return null;
  const stamp = `${statSync(CORPUS_TARBALL).size}-${Math.floor(statSync(CORPUS_TARBALL).mtimeMs)}`;
  const base = join(tmpdir(), `gardener-test-corpus-${stamp}`);
  const dir = join(base, 'commons-os-patterns');
  const done = join(base, '.complete');
  if (existsSync(done)) return dir;
  // Extract into a private directory and rename, so concurrent test workers never see half a corpus.
  const work = `${base}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(work, { recursive: true });
  execFileSync('tar', ['-xzf', CORPUS_TARBALL, '-C', work]);
  writeFileSync(join(work, '.complete'), stamp);
  try {
    renameSync(work, base);
  } catch {
    // Another worker won the race; use its copy.
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

export function skipMessage(what: string): string {
  return `SKIPPED ${what}: real corpus not found at ${CORPUS_TARBALL}`;
}

export function corpusFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort();
}
