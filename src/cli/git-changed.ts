/** `gardener check --changed[=REF]`: the files git reports changed against a commit. */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './load-config.js';

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new UsageError('--changed needs git, which is not on the PATH');
    const said = (err.stderr ?? '').trim().split('\n')[0] ?? '';
    throw new UsageError(`--changed: git ${args[0]} failed in ${cwd}${said ? `: ${said}` : ''}`);
  }
}

/**
 * Absolute paths of the files that differ between `ref` and the working tree (staged or not), as
 * `git diff --name-only REF` lists them: added, copied, modified, renamed (under the new name) or changed
 * in type; deleted files and files git does not track are not listed.
 */
export function changedFiles(from: string, ref = 'HEAD'): Set<string> {
  if (ref.startsWith('-')) throw new UsageError(`--changed takes a commit, branch or tag, not ${JSON.stringify(ref)}`);
  const dir = statSync(from, { throwIfNoEntry: false })?.isDirectory() ? from : resolve(from, '..');
  const top = git(dir, ['rev-parse', '--show-toplevel']).trim();
  const out = git(top, ['diff', '--name-only', '-z', '--no-ext-diff', '--diff-filter=ACMRT', ref, '--']);
  return new Set(
    out
      .split('\0')
      .filter((p) => p !== '')
      .map((p) => resolve(top, p)),
  );
}
