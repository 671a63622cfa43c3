/**
 * Repository config: `.github/pattern-gardener.yml` through Probot's `context.config` (which also
 * follows `_extends`), validated with the core's `resolveConfig`. A broken file is a result, never a throw.
 * Schema overrides named under `schemas:` are read from the repository at the head SHA (bounded).
 */
import { resolveConfig, type ConfigError, type GardenerConfig } from '../core/config.js';
import type { DocKind } from '../core/document.js';
import { statusOf, type GitHubApi, type RepoRef } from './octokit.js';
import { CHECK_SUMMARY_LIMIT, fitMarkdown, truncate } from './limits.js';

export const CONFIG_FILE = 'pattern-gardener.yml';
/** The config file's path in the repository (tarballs, push payloads). */
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;
/** At most this many schema files are fetched per event (one per document kind). */
export const MAX_SCHEMA_FILES = 4;

export type LoadedConfig =
  | { ok: true; config: GardenerConfig; schemaOverrides: Partial<Record<DocKind, object>> }
  | { ok: false; errors: ConfigError[] };

export interface ConfigSource {
  /** Probot's `context.config(fileName)`: parsed YAML (with `_extends` merged) or null. */
  config(fileName: string): Promise<unknown>;
}

/** The validated config file alone, without the schema files it names (what shapes a snapshot). */
export async function readRepoConfig(source: ConfigSource): Promise<{ ok: true; config: GardenerConfig } | { ok: false; errors: ConfigError[] }> {
  let raw: unknown;
  try {
    raw = await source.config(CONFIG_FILE);
  } catch (e) {
    const status = statusOf(e);
    if (status !== undefined && status >= 500) throw e;
    return { ok: false, errors: [{ path: '', message: `.github/${CONFIG_FILE} could not be read: ${(e as Error).message}` }] };
  }
  return resolveConfig(raw);
}

/** The config and the schema files it names (read at `headSha`), as a review needs them. */
export async function loadRepoConfig(source: ConfigSource, api: GitHubApi, repo: RepoRef, headSha: string): Promise<LoadedConfig> {
  const resolved = await readRepoConfig(source);
  if (!resolved.ok) return resolved;
  const schemaOverrides: Partial<Record<DocKind, object>> = {};
  const errors: ConfigError[] = [];
  const entries = Object.entries(resolved.config.schemas).filter(([, p]) => typeof p === 'string' && p !== '');
  if (entries.length > MAX_SCHEMA_FILES) errors.push({ path: 'schemas', message: `At most ${MAX_SCHEMA_FILES} schema files are read; ${entries.length} are named.` });
  for (const [kind, path] of entries.slice(0, MAX_SCHEMA_FILES)) {
    const got = await fetchJsonFile(api, repo, path as string, headSha);
    if ('error' in got) errors.push({ path: `schemas.${kind}`, message: got.error });
    else schemaOverrides[kind as DocKind] = got.value;
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: resolved.config, schemaOverrides };
}

async function fetchJsonFile(api: GitHubApi, repo: RepoRef, path: string, ref: string): Promise<{ value: object } | { error: string }> {
  let text: string;
  try {
    const res = await api.request('GET /repos/{owner}/{repo}/contents/{path}', { ...repo, path: path.replace(/^\/+/, ''), ref });
    const data = res.data as { type?: string; encoding?: string; content?: string } | null;
    if (!data || data.type !== 'file' || typeof data.content !== 'string') return { error: `\`${path}\` is not a file at ${ref.slice(0, 7)}.` };
    text = Buffer.from(data.content, (data.encoding as BufferEncoding) === 'base64' ? 'base64' : 'utf8').toString('utf8');
  } catch (e) {
    if (statusOf(e) === 404) return { error: `\`${path}\` does not exist at ${ref.slice(0, 7)}.` };
    throw e;
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: `\`${path}\` is not a JSON Schema object.` };
    return { value };
  } catch (e) {
    return { error: `\`${path}\` is not valid JSON: ${(e as Error).message}` };
  }
}

/** Markdown explaining each config error (path + message), for a failing check run. */
export function configErrorSummary(errors: readonly ConfigError[]): string {
  const lines = [`The configuration in \`.github/${CONFIG_FILE}\` is invalid, so no patterns were checked. Fix these and push again:`, ''];
  const items = errors.slice(0, 200).map((e) => truncate(`- \`${e.path || '(whole file)'}\`: ${e.message.replace(/\r?\n/g, ' ')}`, 1_000));
  return fitMarkdown([lines.join('\n'), { items, more: (n) => `- … and ${n + Math.max(0, errors.length - 200)} more` }], CHECK_SUMMARY_LIMIT);
}
