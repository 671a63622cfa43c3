/**
 * `gardener init [DIR]`: reads the Markdown files of a repository, detects which kinds of document
 * live in which folders, and writes `.github/pattern-gardener.yml` with `include` and `kinds` globs
 * for them, plus commented hints for the repository's own conventions (docs/conventions.md).
 */
import { CONFIG_SCHEMA_URL } from '../../core/project.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DEFAULT_CONFIG, FileSelector } from '../../core/config.js';
import { isPatternKind, parseDocument, type DocKind } from '../../core/document.js';
import { headingName } from '../../rules/site.js';
import { parseCommandArgs } from '../args.js';
import { listFiles } from '../fs-corpus.js';
import type { Io } from '../io.js';

const USAGE = `usage: gardener init [DIR] [--force]

Reads the Markdown files under DIR (default: the current directory, which should be the repository
root), detects the kinds of pattern in each folder and writes DIR/.github/pattern-gardener.yml: the
folders to check, a kinds: glob for each folder that holds one kind, and commented hints for your
own conventions (schemas, sections and rule severities per kind, site generator keys).

options:
  --force      overwrite an existing config file
  -h, --help   this help`;

/** What init needs to know of one file. */
export interface InitFile {
  /** Path relative to the repository root, "/"-separated. */
  file: string;
  kind: DocKind;
  /** Heading names of the body, in order (see `headingName`). */
  headings: string[];
}

const PATTERNISH: readonly DocKind[] = ['commons-pattern', 'commons-pattern-legacy', 'obsidian-note'];
/** Folders with more files than this excluded by name get a comment instead. */
const MAX_EXCLUDES = 20;

const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '');
const globIn = (folder: string, deep: boolean) => `${folder ? `${folder}/` : ''}${deep ? '**/' : ''}*.md`;
const q = (s: string) => JSON.stringify(s);
const flow = (items: readonly string[]) => `[${items.map(q).join(', ')}]`;

/**
 * The config text for a repository's files: pure, so that tests give it files directly. A folder whose
 * subtree holds one kind gets one `**` glob; a folder that mixes kinds is left to content detection.
 */
export function planConfig(files: readonly InitFile[], opts: { jekyll?: boolean } = {}): string {
  const kindsUnder = new Map<string, Map<DocKind, number>>();
  const direct = new Map<string, InitFile[]>();
  for (const f of files) {
    const folder = folderOf(f.file);
    direct.set(folder, [...(direct.get(folder) ?? []), f]);
    if (!PATTERNISH.includes(f.kind)) continue;
    // Every ancestor folder (the root is '') counts the file's kind.
    for (let at = folder; ; at = folderOf(at)) {
      const m = kindsUnder.get(at) ?? new Map<DocKind, number>();
      m.set(f.kind, (m.get(f.kind) ?? 0) + 1);
      kindsUnder.set(at, m);
      if (at === '') break;
    }
  }
  const kindGlobs = new Map<DocKind, string[]>();
  const include: string[] = [];
  const mixed: string[] = [];
  const excludes: string[] = [];
  const walk = (folder: string) => {
    const kinds = kindsUnder.get(folder);
    if (!kinds) return;
    const children = [...kindsUnder.keys()].filter((k) => k !== folder && folderOf(k) === folder);
    if (kinds.size === 1) {
      const [kind] = [...kinds.keys()] as [DocKind];
      const glob = globIn(folder, true);
      include.push(glob);
      kindGlobs.set(kind, [...(kindGlobs.get(kind) ?? []), glob]);
      // Files of no kind under a kind glob would be checked as that kind: list them as excluded.
      for (const f of files) if (f.file.startsWith(folder ? `${folder}/` : '') && !PATTERNISH.includes(f.kind)) excludes.push(f.file);
      return;
    }
    const own = (direct.get(folder) ?? []).filter((f) => PATTERNISH.includes(f.kind));
    if (own.length > 0) {
      include.push(globIn(folder, false));
      const counts = new Map<DocKind, number>();
      for (const f of own) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
      mixed.push(`${folder || '.'}/: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`);
    }
    for (const c of children) walk(c);
  };
  walk('');

  const total = new Map<DocKind, number>();
  for (const f of files) if (PATTERNISH.includes(f.kind)) total.set(f.kind, (total.get(f.kind) ?? 0) + 1);
  const out: string[] = [];
  // Editors with the YAML language server (VS Code's YAML extension, JetBrains, Neovim) validate against it.
  out.push(`# yaml-language-server: $schema=${CONFIG_SCHEMA_URL}`);
  out.push('# Pattern Gardener configuration, written by `gardener init`. Every key is optional; see the README and');
  out.push('# docs/conventions.md ("Your repository\'s own conventions").');
  out.push(
    `# Found: ${[...total].map(([k, n]) => `${n} ${k}`).join(', ') || 'no patterns'}; ${files.filter((f) => !PATTERNISH.includes(f.kind)).length} other Markdown file(s).`,
  );
  out.push('');
  out.push('# The files to check.');
  out.push(`include: ${flow(include.length > 0 ? include : DEFAULT_CONFIG.include)}`);
  const shownExcludes = excludes.slice(0, MAX_EXCLUDES);
  out.push(`exclude: ${flow([...DEFAULT_CONFIG.exclude, ...shownExcludes])}`);
  if (excludes.length > shownExcludes.length)
    out.push(
      `# ${excludes.length - shownExcludes.length} more file(s) without a kind sit under the kinds: globs; exclude them too or they are checked as patterns.`,
    );
  out.push('');
  out.push('# Folders of one kind: their files are checked as that kind whatever their frontmatter says, and a');
  out.push('# file without frontmatter there is reported (frontmatter/missing) rather than skipped.');
  if (kindGlobs.size === 0) out.push('kinds: {}');
  else {
    out.push('kinds:');
    for (const [kind, globs] of kindGlobs) out.push(`  ${kind}: ${flow(globs)}`);
  }
  for (const m of mixed) out.push(`# ${m} side by side: recognised by their frontmatter.`);
  out.push('');
  out.push('# Your own conventions per kind (uncomment and adapt):');
  out.push('# schemas:                      # JSON Schemas that replace the bundled ones (required keys, allowed values, score ranges)');
  for (const kind of total.keys()) out.push(`#   ${kind}: schemas/${kind}.schema.json`);
  const sections = [...total.keys()].map((kind) => [kind, commonSections(files.filter((f) => f.kind === kind))] as const).filter(([, s]) => s.length > 0);
  out.push('# sectionsByKind:               # body sections each file of the kind has, in order (body/section-list)');
  for (const [kind, s] of sections) out.push(`#   ${kind}: ${flow(s)}`);
  out.push('# rulesByKind:                  # severities per kind, over rules:');
  out.push('#   commons-pattern-legacy:');
  out.push('#     identity/id-format: "off"');
  out.push('# site:                         # the site generator that renders the patterns');
  out.push(
    `#   reservedKeys: ${opts.jekyll ? '[tags, categories]   # Jekyll (_config.yml found) turns these into lists of words' : '[]   # frontmatter keys it gives a meaning of its own, e.g. Jekyll: tags, categories'}`,
  );
  out.push('#   layoutHeadings: []         # body headings the layout already renders, e.g. Navigation');
  return `${out.join('\n')}\n`;
}

/** Headings found in nearly all files of a kind (90%), in their usual order: what the kind's files share. */
export function commonSections(files: readonly InitFile[]): string[] {
  if (files.length === 0) return [];
  const seen = new Map<string, { files: number; positions: number }>();
  for (const f of files) {
    const names = new Set<string>();
    f.headings.forEach((h, i) => {
      if (h === '' || names.has(h)) return;
      names.add(h);
      const s = seen.get(h) ?? { files: 0, positions: 0 };
      s.files++;
      s.positions += i;
      seen.set(h, s);
    });
  }
  return [...seen]
    .filter(([, s]) => s.files >= files.length * 0.9)
    .sort((a, b) => a[1].positions / a[1].files - b[1].positions / b[1].files)
    .map(([name]) => name.replace(/\b\w/g, (c) => c.toUpperCase()));
}

export async function initCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(argv, { force: { type: 'boolean', default: false } }, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    io.stderr(`gardener init: name one directory at most\n${USAGE.split('\n')[0]}\n`);
    return 2;
  }
  const root = resolve(positionals[0] ?? '.');
  if (!existsSync(root)) {
    io.stderr(`gardener init: no such directory: ${root}\n`);
    return 2;
  }
  const target = join(root, '.github', 'pattern-gardener.yml');
  if (existsSync(target) && !values.force) {
    io.stderr(`gardener init: ${relative(process.cwd(), target) || target} exists; --force overwrites it\n`);
    return 2;
  }
  // The default exclusions (READMEs, node_modules, .github) apply before any kind is known.
  const selector = new FileSelector({ ...DEFAULT_CONFIG, include: ['**/*.md'] });
  const files: InitFile[] = [];
  for (const file of listFiles(root)) {
    if (!file.endsWith('.md') || !selector.selects(file)) continue;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(root, file));
    } catch {
      continue;
    }
    const doc = parseDocument(file, bytes);
    const kind = isPatternKind(doc.kind) || doc.kind === 'obsidian-note' ? doc.kind : 'unknown';
    files.push({ file, kind, headings: PATTERNISH.includes(kind) ? doc.sections().map((s) => headingName(s.heading)) : [] });
  }
  const text = planConfig(files, { jekyll: existsSync(join(root, '_config.yml')) });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  const patterns = files.filter((f) => PATTERNISH.includes(f.kind)).length;
  io.stdout(
    `wrote ${relative(process.cwd(), target) || target}: ${patterns} pattern file(s) in ${new Set(files.filter((f) => PATTERNISH.includes(f.kind)).map((f) => folderOf(f.file))).size} folder(s), ${files.length - patterns} other Markdown file(s). Review it, then run gardener check ${positionals[0] ?? '.'}\n`,
  );
  return 0;
}
