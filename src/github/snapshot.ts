/**
 * The pattern corpus at one commit: ONE tarball request, parsed with `readTarballStream`, turned into a
 * `CorpusIndex`. Snapshots are cached by repository + commit SHA (+ the config that shapes them) in a
 * bounded module-level LRU; a cache miss reuses the index entries of cached snapshots for files whose
 * bytes did not change, so only changed files are re-parsed. Cache only: GitHub stays the database.
 */
import { BASELINE_PATH, MAX_BASELINE_BYTES } from '../core/baseline.js';
import type { FileSelector, GardenerConfig } from '../core/config.js';
import { CorpusIndex, entryFromDocument, type CorpusEntry } from '../core/corpus.js';
import { isPatternKind, parseDocument, type ParsedDocument } from '../core/document.js';
import { recordFromDocument, recordHead, withBody, type LinkRecord, type LinkRecordHead } from '../links/record.js';
import { readTarballStream, tarballBytes } from './tarball.js';
import { clearSharedDownloads, sharedDownload } from './shared-download.js';
import { statusOf, type GitHubApi, type RepoRef } from './octokit.js';
import { compareFromAncestor, deriveSnapshot } from './derived-snapshot.js';

export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  /**
   * @param maxSize entries kept at most
   * @param maxWeight total weight kept at most (the newest entry is always kept)
   * @param weigh weight of one entry (bytes, for snapshots)
   */
  constructor(
    public maxSize: number,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
    private readonly weigh: (v: V) => number = () => 0,
  ) {}
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > Math.max(0, this.maxSize)) {
      const oldest = this.map.keys().next().value as K;
      this.map.delete(oldest);
    }
    let weight = 0;
    for (const v of this.map.values()) weight += this.weigh(v);
    while (this.map.size > 1 && weight > this.maxWeight) {
      const oldest = this.map.keys().next().value as K;
      weight -= this.weigh(this.map.get(oldest) as V);
      this.map.delete(oldest);
    }
  }
  /** Most recently used first. */
  values(): V[] {
    return [...this.map.values()].reverse();
  }
  get size(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
}

/**
 * What the link index needs from a commons pattern besides its body, kept from the index parse so that
 * the link index reads only body bytes (no second YAML parse): a few hundred bytes per pattern.
 */
export interface LinkStub {
  head: LinkRecordHead;
  /** Byte offset of the first body line (past the closing fence line), `files.get(path).byteLength` when none. */
  bodyStart: number;
}

export class Snapshot {
  private readonly docs = new Map<string, ParsedDocument>();
  constructor(
    readonly key: string,
    readonly sha: string,
    readonly files: ReadonlyMap<string, Uint8Array>,
    readonly index: CorpusIndex,
    private readonly selector: FileSelector,
    private readonly config: GardenerConfig,
    /** Why the archive was not read completely, if it was not. */
    readonly error?: string,
    /**
     * Link stubs of commons patterns by path; null: the file has no frontmatter data (no link record).
     * A path without an entry is read in full when its record is needed.
     */
    readonly linkStubs: ReadonlyMap<string, LinkStub | null> = new Map(),
    /** The repository's baseline file at this commit (BASELINE_PATH), when it has one. */
    readonly baselineText?: string,
  ) {}

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** The parsed document at this commit (memoised), or undefined when the file is not in the corpus. */
  doc(path: string): ParsedDocument | undefined {
    let d = this.docs.get(path);
    if (d) return d;
    const bytes = this.files.get(path);
    if (!bytes) return undefined;
    d = parseDocument(path, bytes, { limits: this.config.limits, kind: this.selector.kindOf(path) });
    this.docs.set(path, d);
    return d;
  }

  /** Parses a file without memoising it (whole-corpus passes such as the link index keep no documents). */
  parse(path: string): ParsedDocument | undefined {
    const memo = this.docs.get(path);
    if (memo) return memo;
    const bytes = this.files.get(path);
    return bytes ? parseDocument(path, bytes, { limits: this.config.limits, kind: this.selector.kindOf(path) }) : undefined;
  }

  text(path: string): string | undefined {
    return this.doc(path)?.text;
  }

  /**
   * The link record of a file (undefined when it has no frontmatter data): its stub plus its decoded body
   * bytes when the snapshot has a stub, else from a full parse. Equals `recordFromDocument(parse(path))`.
   */
  linkRecord(path: string): LinkRecord | undefined {
    const bytes = this.files.get(path);
    if (!bytes) return undefined;
    const stub = this.linkStubs.get(path);
    if (stub === null) return undefined;
    if (stub) return withBody(stub.head, bodyText(bytes, stub.bodyStart));
    const doc = this.parse(path);
    return doc?.frontmatter?.data ? recordFromDocument(doc) : undefined;
  }
}

export interface SnapshotStats {
  cacheHit: boolean;
  parsed: number;
  reused: number;
  /** HTTP requests made besides the API calls the caller counts (a tarball's codeload request). */
  requests: number;
  /** The ancestor commit the snapshot was derived from (compare instead of the archive), when it was. */
  derivedFrom?: string;
  /** Why a cached ancestor could not be used, when one was tried. */
  notDerived?: string;
}

/** Bytes of pattern files a cached snapshot holds (the rest of it is small beside them). */
function snapshotBytes(s: Snapshot): number {
  let n = 0;
  for (const b of s.files.values()) n += b.byteLength;
  return n;
}

/** Memory bound of the cache, besides its entry count: GARDENER_CACHE_MB (default 512). */
const CACHE_BYTES = Math.max(1, Number(process.env.GARDENER_CACHE_MB ?? 512)) * 1024 * 1024;

let cache = new LruCache<string, Snapshot>(8, CACHE_BYTES, snapshotBytes);

/** Size of the module-level snapshot cache (number of commit SHAs kept). */
export function configureSnapshotCache(size: number): void {
  if (size !== cache.maxSize) cache = new LruCache<string, Snapshot>(size, CACHE_BYTES, snapshotBytes);
}

export function clearSnapshotCache(): void {
  cache.clear();
  clearSharedDownloads();
}

export function snapshotCacheSize(): number {
  return cache.size;
}

/** Cached snapshots of the same repository and config as `snap` (most recently used first), `snap` excluded. */
export function cachedSiblings(snap: Snapshot): Snapshot[] {
  const at = snap.key.indexOf('@');
  const hash = snap.key.indexOf('#');
  const prefix = snap.key.slice(0, at + 1);
  const suffix = snap.key.slice(hash);
  return cache.values().filter((s) => s !== snap && s.key.startsWith(prefix) && s.key.endsWith(suffix));
}

/** What shapes a snapshot besides the commit: file selection, kinds and limits. */
export function configKey(config: GardenerConfig): string {
  return JSON.stringify([config.include, config.exclude, config.kinds, config.limits]);
}

export class CommitGoneError extends Error {}

/**
 * The snapshot of `sha`, from the cache, else from a cached snapshot of one of `ancestors` (commits `sha`
 * may descend from: a pull request's previous head and its base) plus one compare request
 * (derived-snapshot.ts), else from one tarball request. A 404/422 for the SHA (force-push, deleted
 * branch) throws `CommitGoneError`.
 */
export async function getSnapshot(
  api: GitHubApi,
  repo: RepoRef,
  sha: string,
  config: GardenerConfig,
  selector: FileSelector,
  stats?: SnapshotStats,
  ancestors: readonly string[] = [],
): Promise<Snapshot> {
  const cfgKey = configKey(config);
  const repoKey = `${repo.owner}/${repo.repo}`.toLowerCase();
  const key = `${repoKey}@${sha}#${cfgKey}`;
  const hit = cache.get(key);
  if (hit) {
    if (stats) stats.cacheHit = true;
    return hit;
  }
  // Two events wanting the same commit at once (a push warm-up and a review) share one parse; the download
  // underneath is shared also with callers that build no snapshot (shared-download.ts).
  const pending = inflight.get(key);
  if (pending) {
    const snap = await pending;
    if (stats) stats.cacheHit = true;
    return snap;
  }
  const loading = fromAncestor(api, repo, sha, config, selector, key, repoKey, cfgKey, ancestors, stats).then(
    (derived) => derived ?? loadSnapshot(api, repo, sha, config, selector, key, repoKey, cfgKey, stats),
  );
  inflight.set(key, loading);
  try {
    return await loading;
  } finally {
    inflight.delete(key);
  }
}

const inflight = new Map<string, Promise<Snapshot>>();

/**
 * The snapshot derived from the first of `ancestors` whose complete snapshot is cached, or undefined (the
 * archive is read then). At most one comparison per call: when it cannot be used, the archive costs one
 * request more than it would have.
 */
async function fromAncestor(
  api: GitHubApi,
  repo: RepoRef,
  sha: string,
  config: GardenerConfig,
  selector: FileSelector,
  key: string,
  repoKey: string,
  cfgKey: string,
  ancestors: readonly string[],
  stats?: SnapshotStats,
): Promise<Snapshot | undefined> {
  const from = ancestors
    .filter((a) => a !== sha)
    .map((a) => cache.get(`${repoKey}@${a}#${cfgKey}`))
    .find((s) => s !== undefined && !s.error);
  if (!from) return undefined;
  let reason: string;
  try {
    const changes = await compareFromAncestor(api, repo, from.sha, sha);
    if (Array.isArray(changes)) {
      const d = deriveSnapshot(from, changes, key, sha, config, selector);
      if (d.ok) {
        if (stats) {
          stats.parsed += d.parsed;
          stats.reused += d.reused;
          stats.derivedFrom = from.sha;
        }
        cache.set(key, d.snapshot);
        return d.snapshot;
      }
      reason = d.reason;
    } else reason = changes.reason;
  } catch (e) {
    reason = `compare failed (${statusOf(e) ?? (e as Error)?.message ?? e})`;
  }
  if (stats) stats.notDerived = reason;
  return undefined;
}

async function loadSnapshot(
  api: GitHubApi,
  repo: RepoRef,
  sha: string,
  config: GardenerConfig,
  selector: FileSelector,
  key: string,
  repoKey: string,
  cfgKey: string,
  stats?: SnapshotStats,
): Promise<Snapshot> {
  let gz: Uint8Array;
  try {
    const got = await sharedDownload(repo.owner, repo.repo, sha, async () =>
      tarballBytes((await api.request('GET /repos/{owner}/{repo}/tarball/{ref}', { ...repo, ref: sha })).data),
    );
    if (stats && got.fetched) stats.requests++;
    gz = got.bytes;
  } catch (e) {
    const s = statusOf(e);
    if (s === 404 || s === 422) throw new CommitGoneError(`commit ${sha} is not available (${s})`);
    throw e;
  }
  // The baseline file travels in the same archive (no request of its own); it may be larger than a pattern.
  // Streamed: the decompressed archive is never held whole, and only kept files are copied.
  const tar = await readTarballStream(gz, {
    include: (p) => selector.selects(p) || p === BASELINE_PATH,
    maxFileBytes: config.limits.maxFileBytes,
    maxBytesOf: (p) => (p === BASELINE_PATH ? MAX_BASELINE_BYTES : undefined),
  });
  const baselineBytes = tar.files.get(BASELINE_PATH);
  if (baselineBytes && !selector.selects(BASELINE_PATH)) tar.files.delete(BASELINE_PATH);
  const baselineText = baselineBytes ? new TextDecoder().decode(baselineBytes) : undefined;
  // Entries of cached snapshots of the same repository and config, for unchanged bytes.
  const donors = cache.values().filter((s) => s.key.startsWith(`${repoKey}@`) && s.key.endsWith(`#${cfgKey}`));
  const entries: CorpusEntry[] = [];
  const stubs = new Map<string, LinkStub | null>();
  let parsed = 0;
  let reused = 0;
  for (const [path, bytes] of tar.files) {
    let entry: CorpusEntry | undefined;
    let stub: LinkStub | null | undefined;
    for (const d of donors) {
      const old = d.files.get(path);
      if (old && sameBytes(old, bytes)) {
        entry = d.index.entries.get(path);
        stub = d.linkStubs.get(path);
        if (entry) break;
      }
    }
    if (entry) reused++;
    else {
      ({ entry, stub } = indexEntry(path, bytes, config, selector));
      parsed++;
    }
    entries.push(entry);
    if (stub !== undefined) stubs.set(path, stub);
  }
  if (stats) {
    stats.parsed += parsed;
    stats.reused += reused;
  }
  // Files outside the selection (attachments, excluded notes) are note link targets: their names are kept.
  const otherFiles = [...(tar.excluded ?? []), ...[...tar.files.keys()].filter((p) => !selector.selects(p))];
  const snap = new Snapshot(key, sha, tar.files, new CorpusIndex(entries, otherFiles), selector, config, tar.error, stubs, baselineText);
  cache.set(key, snap);
  return snap;
}

/**
 * The index entry of one file. Patterns need only their frontmatter (most of their bytes are body),
 * so the body is not decoded; notes (wikilinks live in the body) and anything unrecognised are read whole.
 * Commons patterns also get their link stub from the same parse.
 */
export function indexEntry(path: string, bytes: Uint8Array, config: GardenerConfig, selector: FileSelector): { entry: CorpusEntry; stub?: LinkStub | null } {
  const kind = selector.kindOf(path);
  const head = parseDocument(path, bytes, { limits: config.limits, kind, headOnly: true });
  if (!head.headOnly || isPatternKind(head.kind)) {
    const entry = entryFromDocument(head);
    return isPatternKind(entry.kind) ? { entry, stub: linkStubOf(head, bytes) } : { entry };
  }
  return { entry: entryFromDocument(parseDocument(path, bytes, { limits: config.limits, kind })) };
}

/**
 * The link stub of a document parsed from `bytes` (head only or whole), or null when it has no frontmatter
 * data, or undefined when the head cannot tell (the whole file must be read).
 *
 * A head-only parse reads a prefix of the bytes that ends with a whole line, so its text is a prefix of the
 * whole text and its closing fence, YAML and data are those of a whole parse. The body then starts right
 * after the `closeLine`-th line ending of the bytes, counted as the whole parse counts them (\n, \r\n, \r).
 */
export function linkStubOf(doc: ParsedDocument, bytes: Uint8Array): LinkStub | null | undefined {
  const fm = doc.frontmatter;
  // A head that does not end with a whole line might close its frontmatter where the whole file does not.
  if (doc.headOnly && !doc.text.endsWith('\n')) return undefined;
  // Head only without a closing fence: the prefix may stop short of the fence a whole parse would find.
  if (!fm) return doc.headOnly ? undefined : null;
  if (!fm.data) return null;
  return { head: recordHead(fm.data, doc.file, doc.slug), bodyStart: lineStartByte(bytes, fm.closeLine + 1) };
}

/** Byte offset where 1-based line `line` starts, line endings being \n, \r\n or a lone \r; byteLength past the end. */
export function lineStartByte(bytes: Uint8Array, line: number): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  for (let n = 1; n < line; n++) {
    const lf = buf.indexOf(10, at);
    if (lf < 0) {
      at = buf.byteLength;
      break;
    }
    at = lf + 1;
  }
  // Without a CR before it, counting LFs was exact (nearly every file); else count CR line ends too.
  if (buf.subarray(0, at).indexOf(13) < 0) return at;
  let n = 1;
  for (let i = 0; i < buf.byteLength; i++) {
    const c = buf[i];
    if (c === 13 && buf[i + 1] === 10) i++;
    if ((c === 10 || c === 13) && ++n === line) return i + 1;
  }
  return buf.byteLength;
}

/** The body as `ParsedDocument.body()` gives it: bytes from `start` decoded, line endings made \n. */
export function bodyText(bytes: Uint8Array, start: number): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start).toString('utf8');
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
