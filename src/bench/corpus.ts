/** Locating ../shared and extracting its corpora once per machine, for the benchmark and the fuzzer. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DIR = process.env.GARDENER_SHARED ?? join(REPO, '..', 'shared');

/** Extracts a corpus tarball of ../shared/corpus (once); returns the folder, or undefined without ../shared. */
export function extractCorpus(name: 'commons-os-patterns' | 'commons-engineering-patterns'): string | undefined {
  const tgz = join(SHARED_DIR, 'corpus', `${name}.tar.gz`);
  if (!existsSync(tgz)) return undefined;
  const dest = join(tmpdir(), 'gardener-bench');
  const dir = join(dest, name);
  if (!existsSync(dir)) {
    mkdirSync(dest, { recursive: true });
    execFileSync('tar', ['xzf', tgz, '-C', dest]);
  }
  return dir;
}
