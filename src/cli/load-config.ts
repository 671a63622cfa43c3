/** Reads a config file for the CLI and the schemas it points at. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { DEFAULT_CONFIG, resolveConfig, type GardenerConfig } from '../core/config.js';
import type { DocKind } from '../core/document.js';

export class UsageError extends Error {}

export interface LoadedConfig {
  config: GardenerConfig;
  schemaOverrides: Partial<Record<DocKind, object>>;
  source?: string;
}

/**
 * The nearest `.github/pattern-gardener.yml` at or above `dir`, stopping at the repository root
 * (the folder with `.git`): `gardener check _patterns` from anywhere in a repository finds it.
 */
export function findConfigUpwards(dir: string): string | undefined {
  let cur = resolve(dir);
  for (;;) {
    const candidate = join(cur, '.github', 'pattern-gardener.yml');
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(cur, '.git'))) return undefined;
    const parent = dirname(cur);
    if (parent === cur) return undefined;
    cur = parent;
  }
}

/** `--config F`, else the nearest `.github/pattern-gardener.yml` (see findConfigUpwards), else the defaults. */
export function loadConfigFile(explicit: string | undefined, root: string): LoadedConfig {
  const path = explicit ? resolve(explicit) : (findConfigUpwards(root) ?? join(root, '.github', 'pattern-gardener.yml'));
  if (!existsSync(path)) {
    if (explicit) throw new UsageError(`config file not found: ${explicit}`);
    return { config: structuredClone(DEFAULT_CONFIG), schemaOverrides: {} };
  }
  let raw: unknown;
  try {
    // The frontmatter's schema: no merge keys (`<<` with `__proto__` pollutes with the default schema), no tags.
    raw = load(readFileSync(path, 'utf8'), { schema: CORE_SCHEMA });
  } catch (e) {
    throw new UsageError(`config file ${path} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && '_extends' in raw) {
    throw new UsageError(extendsRefusal(path, (raw as { _extends: unknown })._extends));
  }
  const res = resolveConfig(raw);
  if (!res.ok) throw new UsageError(`config file ${path} is invalid:\n${res.errors.map((e) => `  - ${e.path || '(top)'}: ${e.message}`).join('\n')}`);
  const schemaOverrides: Partial<Record<DocKind, object>> = {};
  // Schema paths are repository paths: relative to the folder that holds `.github/`.
  const base = explicit ? dirname(path) : dirname(dirname(path));
  for (const [kind, file] of Object.entries(res.config.schemas)) {
    if (!file) continue;
    const p = resolve(base, file);
    try {
      schemaOverrides[kind as DocKind] = JSON.parse(readFileSync(p, 'utf8')) as object;
    } catch (e) {
      throw new UsageError(`schema for ${kind} (${file}) could not be read: ${(e as Error).message}`);
    }
  }
  return { config: res.config, schemaOverrides, source: path };
}

/** Probot's form of `_extends`: `repo`, `owner/repo` or `owner/repo:path/file.yml` (octokit-plugin-config). */
const EXTENDS_FORM = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

/**
 * Why the CLI stops at `_extends`: the app merges the named repository's file under this one (read from
 * GitHub), which the CLI cannot read, and checking without it would silently apply other settings than
 * the app does on the same repository.
 */
export function extendsRefusal(path: string, value: unknown): string {
  const m = typeof value === 'string' ? EXTENDS_FORM.exec(value) : null;
  const what = m
    ? `the file ${m[3] ?? '.github/pattern-gardener.yml'} of the repository ${m[1] ? `${m[1]}/` : '(this owner)/'}${m[2]}`
    : 'nothing the app can read either (it takes `repo`, `owner/repo` or `owner/repo:path/file.yml`)';
  return (
    `config file ${path}: \`_extends: ${JSON.stringify(value)}\` names ${what}. The GitHub App merges that file under this one; ` +
    'the CLI cannot read another repository, and checking without it would apply other settings than the app. ' +
    'Write the merged settings (that file, then this one over it) to a file without `_extends` and pass it with --config FILE.'
  );
}
