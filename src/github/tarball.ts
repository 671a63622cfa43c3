/**
 * Hostile-input-safe reader (and a small writer) for the gzip tarball GitHub
 * returns from `GET /repos/{owner}/{repo}/tarball/{ref}`.
 *
 * GitHub's archive (made by `git archive`) is a gzip'd POSIX tar: a pax global
 * header (`comment=<commit sha>`), then a single top folder
 * `owner-repo-<short sha>/` holding the tree. Long paths use pax `x` headers;
 * GNU `L` long names are accepted too.
 *
 * Defences (all limits configurable, defaults in DEFAULT_TAR_LIMITS):
 * - decompression is capped with zlib `maxOutputLength` (gzip bombs);
 * - every header checksum is verified; a bad header stops the read (error);
 * - a truncated gzip stream or tar body stops the read (error, truncated);
 * - at most `maxEntries` entries are looked at (truncated beyond);
 * - regular files larger than `maxFileBytes` are skipped, never copied;
 * - entries whose path is longer than `maxPathLength`, has `..` segments, is
 *   absolute (`/x`, `C:x`), contains NUL / control characters / backslashes or
 *   is not valid UTF-8 are skipped with a reason;
 * - symlinks, hard links, character/block devices, fifos and unknown entry
 *   types are skipped with a reason — nothing is ever written to disk;
 * - entries outside the single top folder are skipped;
 * - the function never throws on bad input: problems are reported in `error`.
 *
 * Only regular files that pass `include` are kept in memory (as subarray copies).
 */
import { createGunzip, gunzipSync, gzipSync, constants as zc } from 'node:zlib';

export interface TarLimits {
  /** Maximum number of entries (files, directories, links...) looked at. */
  maxEntries: number;
  /** Maximum size of the decompressed tar stream, in bytes. */
  maxTotalBytes: number;
  /** Regular files larger than this are skipped. */
  maxFileBytes: number;
  /** Entries whose full path (top folder included) is longer than this are skipped. */
  maxPathLength: number;
}

export const DEFAULT_TAR_LIMITS: Readonly<TarLimits> = Object.freeze({
  maxEntries: 20_000,
  maxTotalBytes: 200 * 1024 * 1024,
  maxFileBytes: 2 * 1024 * 1024,
  maxPathLength: 1024,
});

export interface ReadTarballOptions extends Partial<TarLimits> {
  /** Called with the path relative to the top folder; only files it accepts are kept. */
  include?: (path: string) => boolean;
  /** A file's own size limit, where it differs from maxFileBytes (undefined: maxFileBytes). */
  maxBytesOf?: (path: string) => number | undefined;
}

export interface SkippedEntry {
  path: string;
  reason: string;
}

export interface TarballResult {
  /** Regular files, keyed by "/"-separated path relative to the top folder. */
  files: Map<string, Uint8Array>;
  /** Entries that were refused, with the reason (entries excluded by `include` are not listed). */
  skipped: SkippedEntry[];
  /** Paths of the regular files `include` left out (their bytes are never kept): names only, for links to them. */
  excluded?: string[];
  /** True when reading stopped before the end of the archive (limit, corruption, truncation). */
  truncated: boolean;
  /** Set when the archive was not read completely and faithfully (corrupt, truncated, over a limit). */
  error?: string;
  /** Name of the single top folder, e.g. `owner-repo-abc1234` (undefined for an empty archive). */
  topDir?: string;
  /** pax global header `comment` (git archive stores the commit sha there). */
  comment?: string;
}

const BLOCK = 512;
/** Upper bound for a pax extended header or GNU long name body we are willing to parse. */
const MAX_META_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** NUL-terminated string field (bytes after the first NUL are ignored, as tar does). */
function fieldBytes(buf: Uint8Array, off: number, len: number): Uint8Array {
  const f = buf.subarray(off, off + len);
  const nul = f.indexOf(0);
  return nul === -1 ? f : f.subarray(0, nul);
}

function decodeName(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Numeric field: octal (space/NUL terminated), or GNU base-256 when the high bit
 * of the first byte is set. Returns undefined when malformed or unsafe.
 */
function parseNumeric(buf: Uint8Array, off: number, len: number): number | undefined {
  const first = buf[off] ?? 0;
  if (first & 0x80) {
    if (first === 0xff) return undefined; // negative
    let v = first & 0x7f;
    for (let i = 1; i < len; i++) {
      v = v * 256 + (buf[off + i] ?? 0);
      if (v > Number.MAX_SAFE_INTEGER) return undefined;
    }
    return v;
  }
  let i = off;
  const end = off + len;
  while (i < end && (buf[i] === 0x20 || buf[i] === 0)) i++; // leading padding
  if (i === end) return 0;
  let v = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) return undefined;
    v = v * 8 + (c - 0x30);
    digits++;
  }
  for (; i < end; i++) if (buf[i] !== 0x20 && buf[i] !== 0) return undefined; // junk after terminator
  return digits === 0 ? 0 : v;
}

function checksumOk(buf: Uint8Array, off: number): boolean {
  const stored = parseNumeric(buf, off + 148, 8);
  if (stored === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : buf[off + i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

function isZeroBlock(buf: Uint8Array, off: number): boolean {
  for (let i = 0; i < BLOCK; i++) if (buf[off + i] !== 0) return false;
  return true;
}

/** Parse pax records `"%d %s=%s\n"`. Returns undefined when malformed. */
function parsePax(data: Uint8Array): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    if (data[i] === 0) break; // trailing NUL padding
    let j = i;
    let len = 0;
    while (j < data.length && data[j]! >= 0x30 && data[j]! <= 0x39 && j - i < 12) {
      len = len * 10 + (data[j]! - 0x30);
      j++;
    }
    if (j === i || data[j] !== 0x20 || len <= j - i + 1 || i + len > data.length) return undefined;
    const rec = data.subarray(j + 1, i + len);
    if (rec[rec.length - 1] !== 0x0a) return undefined;
    const eq = rec.indexOf(0x3d); // '='
    if (eq <= 0) return undefined;
    const key = decodeName(rec.subarray(0, eq));
    const value = decodeName(rec.subarray(eq + 1, rec.length - 1));
    if (key === undefined || value === undefined) return undefined;
    out.set(key, value);
    i += len;
  }
  return out;
}

/** Why a raw (full) entry path is refused, or undefined when it is acceptable. */
export function pathProblem(path: string, maxPathLength: number): string | undefined {
  if (path.length === 0) return 'empty path';
  if (path.length > maxPathLength) return `path longer than ${maxPathLength} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'path contains NUL or control characters';
  if (path.includes('\\')) return 'path contains a backslash';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute path';
  if (path.split('/').some((s) => s === '..')) return "path contains '..' segment";
  return undefined;
}

/** Collapse `.` and empty segments; returns the segments. */
function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s !== '' && s !== '.');
}

/** Printable form of a possibly hostile path for the `skipped` list. */
function printable(path: string): string {
  // eslint-disable-next-line no-control-regex
  const p = path.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return p.length > 300 ? `${p.slice(0, 300)}…` : p;
}

const TYPE_NAMES: Record<string, string> = {
  '1': 'hard link',
  '2': 'symbolic link',
  '3': 'character device',
  '4': 'block device',
  '6': 'fifo',
};

/** The body of a tarball response as bytes, whatever shape the HTTP client gave it. */
export function tarballBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (typeof data === 'string') return new Uint8Array(Buffer.from(data, 'latin1'));
  throw new TypeError('tarball response is not binary');
}

/**
 * Read a gzip'd tarball. Never throws on malformed input; see the module comment
 * for the defences applied.
 */
export function readTarball(gz: Uint8Array, opts: ReadTarballOptions = {}): TarballResult {
  const limits: TarLimits = {
    maxEntries: opts.maxEntries ?? DEFAULT_TAR_LIMITS.maxEntries,
    maxTotalBytes: opts.maxTotalBytes ?? DEFAULT_TAR_LIMITS.maxTotalBytes,
    maxFileBytes: opts.maxFileBytes ?? DEFAULT_TAR_LIMITS.maxFileBytes,
    maxPathLength: opts.maxPathLength ?? DEFAULT_TAR_LIMITS.maxPathLength,
  };
  const result: TarballResult = { files: new Map(), skipped: [], truncated: false };

  if (!(gz instanceof Uint8Array) || gz.length < 18 || gz[0] !== 0x1f || gz[1] !== 0x8b) {
    result.error = 'not a gzip stream';
    return result;
  }

  let tar: Uint8Array;
  try {
    tar = gunzipSync(gz, { maxOutputLength: limits.maxTotalBytes });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      result.truncated = true;
      result.error = `decompressed archive exceeds maxTotalBytes (${limits.maxTotalBytes} bytes)`;
      return result;
    }
    if (err.code === 'Z_BUF_ERROR') {
      // Truncated gzip stream: read what decompresses, but report it.
      try {
        tar = gunzipSync(gz, { maxOutputLength: limits.maxTotalBytes, finishFlush: zc.Z_SYNC_FLUSH });
      } catch {
        result.error = 'gzip stream is corrupt';
        return result;
      }
      result.truncated = true;
      result.error = 'gzip stream is truncated';
      parseTar(tar, limits, opts.include, result, opts.maxBytesOf);
      return result;
    }
    result.error = `gzip stream is corrupt (${err.code ?? err.message})`;
    return result;
  }
  parseTar(tar, limits, opts.include, result, opts.maxBytesOf);
  return result;
}

/**
 * `readTarball` with the decompression streamed: the archive is inflated in chunks (off the main thread)
 * and each chunk goes through the tar reader at once, so the whole decompressed tar is never held and
 * entries left out are never copied. Same result as `readTarball` (a broken gzip stream is read again
 * by it, to report exactly what it reports).
 */
export async function readTarballStream(gz: Uint8Array, opts: ReadTarballOptions = {}): Promise<TarballResult> {
  const limits: TarLimits = {
    maxEntries: opts.maxEntries ?? DEFAULT_TAR_LIMITS.maxEntries,
    maxTotalBytes: opts.maxTotalBytes ?? DEFAULT_TAR_LIMITS.maxTotalBytes,
    maxFileBytes: opts.maxFileBytes ?? DEFAULT_TAR_LIMITS.maxFileBytes,
    maxPathLength: opts.maxPathLength ?? DEFAULT_TAR_LIMITS.maxPathLength,
  };
  if (!(gz instanceof Uint8Array) || gz.length < 18 || gz[0] !== 0x1f || gz[1] !== 0x8b) return readTarball(gz, opts);
  const result: TarballResult = { files: new Map(), skipped: [], truncated: false };
  const parser = new TarParser(limits, opts.include, result, opts.maxBytesOf);
  const outcome = await new Promise<'ok' | 'too-large' | 'broken'>((resolve) => {
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    let total = 0;
    gunzip.on('data', (chunk: Buffer) => {
      total += chunk.length;
      // As gunzipSync's maxOutputLength: the whole stream counts, also past the end-of-archive marker.
      if (total > limits.maxTotalBytes) {
        gunzip.destroy();
        resolve('too-large');
        return;
      }
      if (parser.reading) parser.write(chunk);
    });
    gunzip.on('end', () => resolve('ok'));
    gunzip.on('error', () => resolve('broken'));
    gunzip.end(gz);
  });
  // A broken or oversize stream is rare: the one-buffer reader says what it says about it.
  if (outcome !== 'ok') return readTarball(gz, opts);
  parser.end();
  return result;
}

function parseTar(
  tar: Uint8Array,
  limits: TarLimits,
  include: ((path: string) => boolean) | undefined,
  result: TarballResult,
  maxBytesOf?: (path: string) => number | undefined,
): void {
  const parser = new TarParser(limits, include, result, maxBytesOf);
  parser.write(tar);
  parser.end();
}

/** What to do with an entry's data once all of it has arrived. */
type EntryAction =
  | { kind: 'meta'; type: string; data?: Uint8Array }
  | { kind: 'keep'; rel: string; data: Uint8Array }
  | { kind: 'skip'; shown: string; reason: string }
  | { kind: 'exclude'; rel: string }
  | { kind: 'none' };

/**
 * The tar reader, fed the decompressed stream in chunks of any size (`write`, then `end`): only the bytes
 * of kept files are copied; entries left out (excluded, oversize, refused) are read past without being
 * buffered. Fed the whole stream at once, it reads it as one pass over a buffer would, with the same
 * files, skipped entries and errors, whatever the chunk boundaries.
 */
export class TarParser {
  private readonly header = new Uint8Array(BLOCK);
  private headerFill = 0;
  /** Stream offset of the current header block. */
  private headerAt = 0;
  private state: 'header' | 'data' | 'pad' | 'end' | 'failed' = 'header';
  private action: EntryAction = { kind: 'none' };
  /** Bytes of the current entry's data still to come, then of its padding. */
  private left = 0;
  private dataFill = 0;
  private shown = '';
  private entries = 0;
  private keptBytes = 0;
  // Pending metadata for the next real entry.
  private paxPath: string | undefined;
  private paxSize: number | undefined;
  private gnuName: string | undefined;
  private metaProblem: string | undefined;
  private offset = 0;
  private pendingTop: string | undefined;

  constructor(
    private readonly limits: TarLimits,
    private readonly include: ((path: string) => boolean) | undefined,
    private readonly result: TarballResult,
    private readonly maxBytesOf?: (path: string) => number | undefined,
  ) {}

  /** False once reading has stopped (end-of-archive marker or a failure): later bytes are not looked at. */
  get reading(): boolean {
    return this.state !== 'end' && this.state !== 'failed';
  }

  private fail(msg: string): void {
    this.result.truncated = true;
    if (this.result.error === undefined) this.result.error = msg;
    this.state = 'failed';
  }

  write(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && this.reading) {
      if (this.state === 'header') {
        if (this.headerFill === 0) this.headerAt = this.offset;
        const n = Math.min(BLOCK - this.headerFill, chunk.length - at);
        this.header.set(chunk.subarray(at, at + n), this.headerFill);
        this.headerFill += n;
        at += n;
        this.offset += n;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.onHeader();
        }
      } else if (this.state === 'data') {
        const n = Math.min(this.left, chunk.length - at);
        const a = this.action;
        const data = a.kind === 'keep' || a.kind === 'meta' ? a.data : undefined;
        if (data) data.set(chunk.subarray(at, at + n), this.dataFill);
        this.dataFill += n;
        this.left -= n;
        at += n;
        this.offset += n;
        if (this.left === 0) this.onData();
      } else {
        const n = Math.min(this.left, chunk.length - at);
        this.left -= n;
        at += n;
        this.offset += n;
        if (this.left === 0) this.state = 'header';
      }
    }
  }

  /** The stream ended: reports what it cut short. */
  end(): void {
    if (this.state === 'failed') return;
    if (this.state === 'data') {
      this.fail(
        this.action.kind === 'meta'
          ? 'archive is truncated (extended header runs past the end)'
          : `archive is truncated (entry ${this.shown} runs past the end)`,
      );
      return;
    }
    if (this.paxPath !== undefined || this.gnuName !== undefined || this.paxSize !== undefined) {
      this.fail('archive is truncated (extended header without an entry)');
      return;
    }
    if (this.state === 'pad' || (this.state === 'header' && this.headerFill > 0)) this.fail('archive is truncated (partial header block)');
    // A missing end-of-archive marker at a block boundary is tolerated (GNU tar does too).
  }

  /** Data of `size` bytes follows the header, then padding to the next block. */
  private expect(size: number, action: EntryAction): void {
    this.action = action;
    this.dataFill = 0;
    this.left = size;
    if (size > 0) this.state = 'data';
    else this.onData();
  }

  private onData(): void {
    const a = this.action;
    const size = this.dataFill;
    this.action = { kind: 'none' };
    // The first complete entry names the top folder (a truncated one does not).
    if (this.pendingTop !== undefined) this.result.topDir ??= this.pendingTop;
    this.pendingTop = undefined;
    if (a.kind === 'meta') this.onMeta(a.type, a.data);
    else if (a.kind === 'skip') this.result.skipped.push({ path: a.shown, reason: a.reason });
    else if (a.kind === 'exclude') (this.result.excluded ??= []).push(a.rel);
    else if (a.kind === 'keep') {
      const prev = this.result.files.get(a.rel);
      if (prev) this.keptBytes -= prev.length;
      this.keptBytes += a.data.length;
      if (this.keptBytes > this.limits.maxTotalBytes) {
        this.fail(`kept files exceed maxTotalBytes (${this.limits.maxTotalBytes} bytes)`);
        return;
      }
      this.result.files.set(a.rel, a.data);
    }
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    this.left = pad;
    this.state = pad > 0 ? 'pad' : 'header';
  }

  private onMeta(type: string, data: Uint8Array | undefined): void {
    if (!data) {
      this.metaProblem = 'extended header too large';
      return;
    }
    if (type === 'x' || type === 'g') {
      const pax = parsePax(data);
      if (!pax) {
        if (type === 'x') this.metaProblem = 'malformed pax header';
      } else if (type === 'g') {
        // Global path/size overrides are deliberately ignored; keep the commit comment.
        const c = pax.get('comment');
        if (c !== undefined) this.result.comment = c;
      } else {
        const p = pax.get('path');
        if (p !== undefined) this.paxPath = p;
        const s = pax.get('size');
        if (s !== undefined) {
          if (!/^\d{1,16}$/.test(s) || Number(s) > Number.MAX_SAFE_INTEGER) this.metaProblem = 'malformed pax size';
          else this.paxSize = Number(s);
        }
      }
    } else if (type === 'L') {
      let end = data.length;
      while (end > 0 && data[end - 1] === 0) end--; // trailing NULs
      const n = decodeName(data.subarray(0, end));
      if (n === undefined) this.metaProblem = 'path is not valid UTF-8';
      else this.gnuName = n;
    }
    // 'K' (GNU long link name) is read past: links are refused anyway.
  }

  private onHeader(): void {
    const h = this.header;
    const off = this.headerAt;
    const result = this.result;
    const limits = this.limits;
    if (isZeroBlock(h, 0)) {
      this.state = 'end';
      return;
    }
    if (!checksumOk(h, 0)) {
      this.fail(`bad tar header checksum at offset ${off}`);
      return;
    }
    const typeByte = h[156]!;
    const type = typeByte === 0 ? '0' : String.fromCharCode(typeByte);
    let size = parseNumeric(h, 124, 12);
    if (size === undefined) {
      this.fail(`malformed size field at offset ${off}`);
      return;
    }
    const isMeta = type === 'x' || type === 'g' || type === 'L' || type === 'K';
    if (isMeta) {
      this.expect(size, { kind: 'meta', type, data: size > MAX_META_BYTES ? undefined : new Uint8Array(size) });
      return;
    }
    if (this.paxSize !== undefined) size = this.paxSize;

    // A real entry.
    this.entries++;
    if (this.entries > limits.maxEntries) {
      this.fail(`archive has more than maxEntries (${limits.maxEntries}) entries`);
      return;
    }

    let rawPath: string | undefined;
    let nameProblem: string | undefined = this.metaProblem;
    if (this.paxPath !== undefined) rawPath = this.paxPath;
    else if (this.gnuName !== undefined) rawPath = this.gnuName;
    else {
      const name = fieldBytes(h, 0, 100);
      const magic = latin1.decode(h.subarray(257, 263));
      const prefix = magic === 'ustar\u0000' ? fieldBytes(h, 345, 155) : new Uint8Array(0);
      const n = decodeName(name);
      const p = decodeName(prefix);
      if (n === undefined || p === undefined) nameProblem ??= 'path is not valid UTF-8';
      else rawPath = p.length > 0 ? `${p}/${n}` : n;
    }
    this.paxPath = undefined;
    this.paxSize = undefined;
    this.gnuName = undefined;
    this.metaProblem = undefined;

    const shown = rawPath === undefined ? `<entry at offset ${off}>` : printable(rawPath);
    this.shown = shown;
    this.expect(size, this.entryAction(type, size, shown, rawPath, nameProblem, result));
  }

  private entryAction(
    type: string,
    size: number,
    shown: string,
    rawPath: string | undefined,
    nameProblem: string | undefined,
    result: TarballResult,
  ): EntryAction {
    const skip = (reason: string): EntryAction => ({ kind: 'skip', shown, reason });
    if (nameProblem !== undefined || rawPath === undefined) return skip(nameProblem ?? 'unreadable path');
    const problem = pathProblem(rawPath, this.limits.maxPathLength);
    if (problem !== undefined) return skip(problem);
    const segs = segmentsOf(rawPath);
    if (segs.length === 0) return skip('empty path');
    const top = segs[0]!;
    if (result.topDir === undefined) this.pendingTop = top;
    else if (top !== result.topDir) return skip('outside the top folder');
    const rel = segs.slice(1).join('/');

    if (type === '5') return { kind: 'none' }; // directory: nothing to keep
    const typeName = TYPE_NAMES[type];
    if (typeName !== undefined) return skip(typeName);
    if (type !== '0' && type !== '7') return skip(`unsupported entry type '${printable(type)}'`);
    if (rel === '') return skip('regular file in place of the top folder');
    if (this.include && !this.include(rel)) return { kind: 'exclude', rel };
    const maxBytes = this.maxBytesOf?.(rel) ?? this.limits.maxFileBytes;
    if (size > maxBytes) return skip(`file larger than maxFileBytes (${size} > ${maxBytes})`);
    return { kind: 'keep', rel, data: new Uint8Array(size) };
  }
}

// ─────────────────────────────────────────────────────────────────────────────
// Writer (tests and the stand-in server)
// ─────────────────────────────────────────────────────────────────────────────

export interface RawTarEntry {
  /** Full path as stored in the archive (top folder included). */
  path: string;
  /** Tar typeflag: '0' file (default), '1' hard link, '2' symlink, '3'/'4' devices, '5' dir, '6' fifo... */
  type?: string;
  content?: string | Uint8Array;
  linkname?: string;
  mode?: number;
  mtime?: number;
  /** How a path that does not fit the 100-byte name field is stored (default 'pax'). */
  longPath?: 'pax' | 'gnu' | 'prefix';
  /** Extra pax records written in an `x` header before the entry. */
  pax?: Record<string, string>;
  /** Override the declared size (to build hostile archives). */
  declaredSize?: number;
}

const enc = new TextEncoder();

function writeString(buf: Uint8Array, off: number, len: number, s: string | Uint8Array): void {
  const b = typeof s === 'string' ? enc.encode(s) : s;
  buf.set(b.subarray(0, len), off);
}

function writeOctal(buf: Uint8Array, off: number, len: number, n: number): void {
  writeString(buf, off, len, `${n.toString(8).padStart(len - 1, '0')}\u0000`);
}

function header(e: { name: Uint8Array; prefix?: Uint8Array; type: string; size: number; mode: number; mtime: number; linkname?: string }): Uint8Array {
  const h = new Uint8Array(BLOCK);
  writeString(h, 0, 100, e.name);
  writeOctal(h, 100, 8, e.mode);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, e.size);
  writeOctal(h, 136, 12, e.mtime);
  writeString(h, 148, 8, '        ');
  h[156] = e.type.charCodeAt(0);
  if (e.linkname) writeString(h, 157, 100, e.linkname);
  writeString(h, 257, 6, 'ustar\u0000');
  writeString(h, 263, 2, '00');
  writeString(h, 265, 32, 'root');
  writeString(h, 297, 32, 'root');
  if (e.prefix) writeString(h, 345, 155, e.prefix);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  writeString(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\u0000 `);
  return h;
}

function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
  out.set(data);
  return out;
}

function paxRecords(records: Record<string, string>): Uint8Array {
  let s = '';
  for (const [k, v] of Object.entries(records)) {
    const body = ` ${k}=${v}\n`;
    const bodyLen = enc.encode(body).length;
    let digits = 1;
    while (String(bodyLen + digits).length !== digits) digits++;
    s += `${bodyLen + digits}${body}`;
  }
  return enc.encode(s);
}

/** Build an uncompressed tar stream (ends with two zero blocks). */
export function encodeTar(entries: readonly RawTarEntry[], globalComment?: string): Uint8Array {
  const parts: Uint8Array[] = [];
  const mtimeDefault = 1_700_000_000;
  if (globalComment !== undefined) {
    const data = paxRecords({ comment: globalComment });
    parts.push(header({ name: enc.encode('pax_global_header'), type: 'g', size: data.length, mode: 0o666, mtime: 0 }));
    parts.push(padded(data));
  }
  for (const e of entries) {
    const type = e.type ?? '0';
    const content = e.content === undefined ? new Uint8Array(0) : typeof e.content === 'string' ? enc.encode(e.content) : e.content;
    const pathBytes = enc.encode(e.path);
    const pax: Record<string, string> = { ...(e.pax ?? {}) };
    let name = pathBytes;
    let prefix: Uint8Array | undefined;
    if (pathBytes.length > 100) {
      const how = e.longPath ?? 'pax';
      if (how === 'pax') {
        pax.path = e.path;
        name = pathBytes.subarray(0, 100);
      } else if (how === 'gnu') {
        const data = new Uint8Array(pathBytes.length + 1);
        data.set(pathBytes);
        parts.push(header({ name: enc.encode('././@LongLink'), type: 'L', size: data.length, mode: 0o644, mtime: 0 }));
        parts.push(padded(data));
        name = pathBytes.subarray(0, 100);
      } else {
        const cut = e.path.lastIndexOf('/', 155);
        prefix = enc.encode(e.path.slice(0, cut));
        name = enc.encode(e.path.slice(cut + 1));
      }
    }
    if (Object.keys(pax).length > 0) {
      const data = paxRecords(pax);
      parts.push(header({ name: enc.encode('PaxHeader'), type: 'x', size: data.length, mode: 0o644, mtime: 0 }));
      parts.push(padded(data));
    }
    const size = e.declaredSize ?? content.length;
    parts.push(
      header({
        name,
        prefix,
        type,
        size,
        mode: e.mode ?? (type === '5' ? 0o755 : 0o644),
        mtime: e.mtime ?? mtimeDefault,
        linkname: e.linkname,
      }),
    );
    if (content.length > 0) parts.push(padded(content));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Build a gzip'd tarball shaped like GitHub's: an optional pax global header
 * with the commit sha, the top folder, its sub-folders, then the files (sorted).
 */
export function writeTarball(
  entries: readonly { path: string; content: string | Uint8Array }[],
  topDir: string,
  opts: { comment?: string; mtime?: number } = {},
): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const raw: RawTarEntry[] = [{ path: `${topDir}/`, type: '5', mtime: opts.mtime }];
  const dirs = new Set<string>();
  for (const e of sorted) {
    const segs = e.path.split('/');
    for (let i = 1; i < segs.length; i++) {
      const d = segs.slice(0, i).join('/');
      if (!dirs.has(d)) {
        dirs.add(d);
        raw.push({ path: `${topDir}/${d}/`, type: '5', mtime: opts.mtime });
      }
    }
    raw.push({ path: `${topDir}/${e.path}`, content: e.content, mtime: opts.mtime });
  }
  return new Uint8Array(gzipSync(encodeTar(raw, opts.comment)));
}
