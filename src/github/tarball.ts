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
import { gunzipSync, gzipSync, constants as zc } from 'node:zlib';

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
function pathProblem(path: string, maxPathLength: number): string | undefined {
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

function parseTar(
  tar: Uint8Array,
  limits: TarLimits,
  include: ((path: string) => boolean) | undefined,
  result: TarballResult,
  maxBytesOf?: (path: string) => number | undefined,
): void {
  const fail = (msg: string): void => {
    result.truncated = true;
    if (result.error === undefined) result.error = msg;
  };

  let off = 0;
  let entries = 0;
  let keptBytes = 0;
  // Pending metadata for the next real entry.
  let paxPath: string | undefined;
  let paxSize: number | undefined;
  let gnuName: string | undefined;
  let metaProblem: string | undefined;
  let sawEnd = false;

  while (off + BLOCK <= tar.length) {
    if (isZeroBlock(tar, off)) {
      sawEnd = true;
      break;
    }
    if (!checksumOk(tar, off)) {
      fail(`bad tar header checksum at offset ${off}`);
      return;
    }
    const typeByte = tar[off + 156]!;
    const type = typeByte === 0 ? '0' : String.fromCharCode(typeByte);
    let size = parseNumeric(tar, off + 124, 12);
    if (size === undefined) {
      fail(`malformed size field at offset ${off}`);
      return;
    }
    const isMeta = type === 'x' || type === 'g' || type === 'L' || type === 'K';
    if (!isMeta && paxSize !== undefined) size = paxSize;
    const dataStart = off + BLOCK;
    const dataEnd = dataStart + size;
    const next = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (isMeta) {
      if (dataEnd > tar.length) {
        fail('archive is truncated (extended header runs past the end)');
        return;
      }
      if (size > MAX_META_BYTES) {
        metaProblem = 'extended header too large';
      } else {
        const data = tar.subarray(dataStart, dataEnd);
        if (type === 'x' || type === 'g') {
          const pax = parsePax(data);
          if (!pax) {
            if (type === 'x') metaProblem = 'malformed pax header';
          } else if (type === 'g') {
            // Global path/size overrides are deliberately ignored; keep the commit comment.
            const c = pax.get('comment');
            if (c !== undefined) result.comment = c;
          } else {
            const p = pax.get('path');
            if (p !== undefined) paxPath = p;
            const s = pax.get('size');
            if (s !== undefined) {
              if (!/^\d{1,16}$/.test(s) || Number(s) > Number.MAX_SAFE_INTEGER) metaProblem = 'malformed pax size';
              else paxSize = Number(s);
            }
          }
        } else if (type === 'L') {
          let end = data.length;
          while (end > 0 && data[end - 1] === 0) end--; // trailing NULs
          const n = decodeName(data.subarray(0, end));
          if (n === undefined) metaProblem = 'path is not valid UTF-8';
          else gnuName = n;
        }
        // 'K' (GNU long link name) is read past: links are refused anyway.
      }
      off = next;
      continue;
    }

    // A real entry.
    entries++;
    if (entries > limits.maxEntries) {
      fail(`archive has more than maxEntries (${limits.maxEntries}) entries`);
      return;
    }

    let rawPath: string | undefined;
    let nameProblem: string | undefined = metaProblem;
    if (paxPath !== undefined) rawPath = paxPath;
    else if (gnuName !== undefined) rawPath = gnuName;
    else {
      const name = fieldBytes(tar, off, 100);
      const magic = latin1.decode(tar.subarray(off + 257, off + 263));
      const prefix = magic === 'ustar\u0000' ? fieldBytes(tar, off + 345, 155) : new Uint8Array(0);
      const n = decodeName(name);
      const p = decodeName(prefix);
      if (n === undefined || p === undefined) nameProblem ??= 'path is not valid UTF-8';
      else rawPath = p.length > 0 ? `${p}/${n}` : n;
    }
    paxPath = undefined;
    paxSize = undefined;
    gnuName = undefined;
    metaProblem = undefined;

    const shown = rawPath === undefined ? `<entry at offset ${off}>` : printable(rawPath);
    const skip = (reason: string): void => {
      result.skipped.push({ path: shown, reason });
    };

    if (dataEnd > tar.length) {
      fail(`archive is truncated (entry ${shown} runs past the end)`);
      return;
    }
    off = next;

    if (nameProblem !== undefined || rawPath === undefined) {
      skip(nameProblem ?? 'unreadable path');
      continue;
    }
    const problem = pathProblem(rawPath, limits.maxPathLength);
    if (problem !== undefined) {
      skip(problem);
      continue;
    }
    const segs = segmentsOf(rawPath);
    if (segs.length === 0) {
      skip('empty path');
      continue;
    }
    const top = segs[0]!;
    if (result.topDir === undefined) result.topDir = top;
    else if (top !== result.topDir) {
      skip('outside the top folder');
      continue;
    }
    const rel = segs.slice(1).join('/');

    if (type === '5') continue; // directory: nothing to keep
    const typeName = TYPE_NAMES[type];
    if (typeName !== undefined) {
      skip(typeName);
      continue;
    }
    if (type !== '0' && type !== '7') {
      skip(`unsupported entry type '${printable(type)}'`);
      continue;
    }
    if (rel === '') {
      skip('regular file in place of the top folder');
      continue;
    }
    if (include && !include(rel)) {
      (result.excluded ??= []).push(rel);
      continue;
    }
    const maxBytes = maxBytesOf?.(rel) ?? limits.maxFileBytes;
    if (size > maxBytes) {
      skip(`file larger than maxFileBytes (${size} > ${maxBytes})`);
      continue;
    }
    const prev = result.files.get(rel);
    if (prev) keptBytes -= prev.length;
    keptBytes += size;
    if (keptBytes > limits.maxTotalBytes) {
      fail(`kept files exceed maxTotalBytes (${limits.maxTotalBytes} bytes)`);
      return;
    }
    // Copy, so the (large) decompressed buffer can be released.
    result.files.set(rel, tar.slice(dataStart, dataEnd));
  }

  if (paxPath !== undefined || gnuName !== undefined || paxSize !== undefined) {
    fail('archive is truncated (extended header without an entry)');
    return;
  }
  if (!sawEnd && off !== tar.length) fail('archive is truncated (partial header block)');
  // A missing end-of-archive marker at a block boundary is tolerated (GNU tar does too).
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
