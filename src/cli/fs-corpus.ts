/** Disk adapter for the CLI: finds and reads the files to check. The core never touches the disk. */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep, dirname, isAbsolute } from 'node:path';
import type { DocKind } from '../core/document.js';
import { entryFromBytes, type CorpusEntry } from '../core/corpus.js';
import { parseDocument, type Limits, type ParseOptions, type ParsedDocument } from '../core/document.js';
import { UsageError } from './load-config.js';

/** What decides which files are checked and as what kind (a FileSelector, or one seen from a subfolder). */
export interface PathSelector {
  selects(path: string): boolean;
  kindOf(path: string): DocKind | undefined;
}

/**
 * Config globs are repository paths. A tree read from a subfolder lists its files relative to that
 * folder: this asks the selector about `prefix + file` instead.
 */
export function underPrefix(selector: PathSelector, prefix: string): PathSelector {
  if (prefix === '') return selector;
  return { selects: (p) => selector.selects(prefix + p), kindOf: (p) => selector.kindOf(prefix + p) };
}

/**
 * The repository a folder belongs to: the nearest folder at or above it holding `.github/` or `.git`,
 * or undefined outside any (then the checked folder itself stands for the repository).
 */
export function findRepoRoot(dir: string): string | undefined {
  let cur = resolve(dir);
  for (;;) {
    if (existsSync(join(cur, '.github')) || existsSync(join(cur, '.git'))) return cur;
    const parent = dirname(cur);
    if (parent === cur) return undefined;
    cur = parent;
  }
}

export interface LoadedTree {
  root: string;
  docs: ParsedDocument[];
  /** The tree's files that were not selected (attachments, excluded files): note links may name them. */
  otherFiles: string[];
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** Lists files under `root` (no symlinks followed, dot-folders skipped), relative and "/"-separated. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') && e.isDirectory() && e.name !== '.github') continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === 'node_modules') continue;
        walk(full);
      } else if (e.isFile()) out.push(toPosix(relative(root, full)));
    }
  };
  walk(root);
  return out.sort();
}

/**
 * The bytes of one selected file and how to parse them: oversized files are refused without reading
 * them, unreadable ones parse as empty (the parser reports either).
 */
function readSelected(root: string, file: string, selector: PathSelector, limits: Limits): { bytes: Uint8Array; opts: ParseOptions } {
  const full = join(root, file);
  const kind = selector.kindOf(file);
  let fd: number | undefined;
  try {
    // The size comes from the open descriptor: one path lookup per file, and no read past the limit.
    fd = openSync(full, 'r');
    const size = fstatSync(fd).size;
    if (size > limits.maxFileBytes) return { bytes: new Uint8Array(0), opts: { limits, kind, sizeOnDisk: size } };
    return { bytes: readFileSync(fd), opts: { limits, kind } };
  } catch {
    return { bytes: new Uint8Array(0), opts: { limits, kind } };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads and parses one selected file. */
export function loadFile(root: string, file: string, selector: PathSelector, limits: Limits): ParsedDocument {
  const { bytes, opts } = readSelected(root, file, selector, limits);
  return parseDocument(file, bytes, opts);
}

/** Reads one selected file for the corpus index only (see entryFromBytes: a pattern's body is not decoded). */
export function loadEntry(root: string, file: string, selector: PathSelector, limits: Limits): CorpusEntry {
  const { bytes, opts } = readSelected(root, file, selector, limits);
  return entryFromBytes(file, bytes, opts);
}

/** Reads and parses every selected file under a directory. */
export function loadTree(root: string, selector: PathSelector, limits: Limits, onProgress?: (done: number, total: number) => void): LoadedTree {
  const all = listFiles(root);
  const files: string[] = [];
  const otherFiles: string[] = [];
  for (const f of all) (selector.selects(f) ? files : otherFiles).push(f);
  const docs: ParsedDocument[] = [];
  files.forEach((f, i) => {
    docs.push(loadFile(root, f, selector, limits));
    if (onProgress && i % 250 === 0) onProgress(i, files.length);
  });
  return { root, docs, otherFiles };
}

export interface Target {
  /** Directory the corpus is read from. */
  root: string;
  /** Only these files (relative to root) get findings; undefined = all. */
  only?: Set<string>;
  /** The repository folder (see findRepoRoot); `root` itself outside a repository. */
  repoRoot: string;
  /** `root` as a repository path ending in "/", or "" at the repository root: the prefix config globs see. */
  prefix: string;
}

/** The repository path of a file under a target. */
export function repoPath(target: Pick<Target, 'prefix'>, file: string): string {
  return target.prefix + file;
}

/**
 * Turns CLI arguments into targets: a directory checks everything in it; a file checks itself against its
 * folder. With `restrict` (absolute paths), only the files in it get findings; the rest of each
 * directory is still read, so links between files resolve.
 */
export function resolveTargets(args: string[], restrict?: ReadonlySet<string>): Target[] {
  const byRoot = new Map<string, Target>();
  const located = (root: string) => {
    const repoRoot = findRepoRoot(root) ?? root;
    const rel = toPosix(relative(repoRoot, root));
    return { repoRoot, prefix: rel === '' ? '' : `${rel}/` };
  };
  for (const a of args) {
    const abs = resolve(a);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' || code === 'ENOTDIR' ? `no such file or directory: ${a}` : `cannot read ${a}: ${(e as Error).message}`);
    }
    if (st.isDirectory()) {
      byRoot.set(abs, { root: abs, ...located(abs) });
    } else {
      const root = dirname(abs);
      const t = byRoot.get(root) ?? { root, only: new Set<string>(), ...located(root) };
      t.only?.add(toPosix(relative(root, abs)));
      byRoot.set(root, t);
    }
  }
  const targets = [...byRoot.values()];
  if (restrict) {
    for (const t of targets) {
      // git reports real paths; the root may be named through a symlink (macOS's /tmp).
      const real = realpathSync(t.root);
      const under = [...restrict]
        .map((p) => relative(real, p))
        .filter((r) => r !== '' && !r.startsWith('..') && !isAbsolute(r))
        .map(toPosix);
      t.only = new Set(t.only ? under.filter((f) => t.only?.has(f)) : under);
    }
  }
  return targets;
}
