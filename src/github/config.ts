/**
 * Repository config: `.github/pattern-gardener.yml` through Probot's `context.config` (which also
 * follows `_extends`), validated with the core's `resolveConfig`. A broken file is a result, never a throw.
 * Schema overrides named under `schemas:` are read from the repository at the head SHA (bounded).
 */
import deepmerge from 'deepmerge';
import { resolveConfig, type ConfigError, type GardenerConfig } from '../core/config.js';
import type { DocKind } from '../core/document.js';
import { isUnavailable, statusOf, type GitHubApi, type RepoRef } from './octokit.js';
import { CHECK_SUMMARY_LIMIT, fitMarkdown, truncate } from './limits.js';

export const CONFIG_FILE = 'pattern-gardener.yml';
/** The config file's path in the repository (tarballs, push payloads). */
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;
/** At most this many schema files are fetched per event (one per document kind). */
export const MAX_SCHEMA_FILES = 4;

export type LoadedConfig = { ok: true; config: GardenerConfig; schemaOverrides: Partial<Record<DocKind, object>> } | { ok: false; errors: ConfigError[] };

export interface ConfigSource {
  /** Probot's `context.config(fileName)`: parsed YAML (with `_extends` merged) or null. */
  config(fileName: string): Promise<unknown>;
}

/** The part of Probot's Octokit that `context.config` reads through (@probot/octokit-plugin-config). */
interface ConfigPluginOctokit {
  config: {
    get(options: {
      owner: string;
      repo: string;
      path: string;
      defaults: (configs: object[]) => object;
    }): Promise<{ config: object; files: { config: unknown }[] }>;
  };
}

/**
 * `context.config` for a repository outside a webhook's context (scheduled sweeps, retries): the same plugin
 * call on the default branch with the same deep merge, so `_extends` and the owner's `.github` repository are
 * followed exactly as for a review. Undefined when the client has no config plugin (not Probot's Octokit).
 */
export function octokitConfigSource(octokit: unknown, owner: string, repo: string): ConfigSource | undefined {
  const plugin = (octokit as Partial<ConfigPluginOctokit> | null)?.config;
  if (typeof plugin?.get !== 'function') return undefined;
  return {
    config: async (fileName) => {
      const { config, files } = await plugin.get({ owner, repo, path: `.github/${fileName}`, defaults: (configs) => deepmerge.all([{}, ...configs]) });
      // As `context.config` without defaults: null when no file was found.
      return files.some((f) => f.config !== null) ? config : null;
    },
  };
}

/**
 * The validated config file alone, without the schema files it names (what shapes a snapshot).
 * Only the file's own problems are config errors: YAML that does not parse, an `_extends` that names
 * nothing (404), values the schema refuses. A read GitHub failed or refused (5xx, rate limit, timeout,
 * 401/403) throws, after the request policy's retries: the caller says GitHub did not answer.
 */
export async function readRepoConfig(source: ConfigSource): Promise<{ ok: true; config: GardenerConfig } | { ok: false; errors: ConfigError[] }> {
  let raw: unknown;
  try {
    raw = await source.config(CONFIG_FILE);
  } catch (e) {
    const status = statusOf(e);
    if (isUnavailable(e) || (status !== undefined && status !== 404)) throw e;
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
  if (entries.length > MAX_SCHEMA_FILES)
    errors.push({ path: 'schemas', message: `At most ${MAX_SCHEMA_FILES} schema files are read; ${entries.length} are named.` });
  for (const [kind, path] of entries.slice(0, MAX_SCHEMA_FILES)) {
    const got = await fetchJsonFile(api, repo, path as string, headSha);
    if ('error' in got) errors.push({ path: `schemas.${kind}`, message: got.error });
    else schemaOverrides[kind as DocKind] = got.value;
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: resolved.config, schemaOverrides };
}

/** Largest schema file read (the raw media type serves files up to 100 MB; a schema is far smaller). */
export const MAX_SCHEMA_BYTES = 2 * 1024 * 1024;

/**
 * A JSON file at `ref`, read with the raw media type (the JSON one answers files over 1 MB with no
 * content). Missing, too large, not JSON: a config error naming the file. GitHub failing or refusing the
 * read throws (the caller's check run says so).
 */
async function fetchJsonFile(api: GitHubApi, repo: RepoRef, path: string, ref: string): Promise<{ value: object } | { error: string }> {
  let text: string;
  try {
    const res = await api.request('GET /repos/{owner}/{repo}/contents/{path}', { ...repo, path: path.replace(/^\/+/, ''), ref, mediaType: { format: 'raw' } });
    const data = res.data as unknown;
    if (typeof data === 'string') text = data;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) text = Buffer.from(data as ArrayBuffer).toString('utf8');
    else {
      // A directory listing, or a server that ignores the raw media type.
      const d = data as { type?: string; encoding?: string; content?: string; size?: number } | null;
      if (!d || d.type !== 'file' || typeof d.content !== 'string') return { error: `\`${path}\` is not a file at ${ref.slice(0, 7)}.` };
      if (d.encoding === 'none' || (d.content === '' && (d.size ?? 0) > 0))
        return { error: `\`${path}\` is too large to read (${d.size ?? '?'} bytes; at most ${MAX_SCHEMA_BYTES}).` };
      text = Buffer.from(d.content, d.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
    }
  } catch (e) {
    const s = statusOf(e);
    if (s === 404) return { error: `\`${path}\` does not exist at ${ref.slice(0, 7)}.` };
    if (s === 403 && /too.?large/i.test(JSON.stringify((e as { response?: { data?: unknown } }).response?.data ?? (e as Error).message))) {
      return { error: `\`${path}\` is too large to read (at most ${MAX_SCHEMA_BYTES} bytes).` };
    }
    throw e;
  }
  if (Buffer.byteLength(text) > MAX_SCHEMA_BYTES)
    return { error: `\`${path}\` is too large to read (${Buffer.byteLength(text)} bytes; at most ${MAX_SCHEMA_BYTES}).` };
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
