/**
 * The streamed reader gives what the one-buffer reader gives: the tar reader fed in chunks of any size
 * (1 byte, around block boundaries, random) reads the same files, skipped entries, names and errors as
 * fed whole, on good, hostile, truncated and damaged archives; `readTarballStream` equals `readTarball`.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { prng } from '../../src/synth/generate.js';
import { DEFAULT_TAR_LIMITS, encodeTar, readTarball, readTarballStream, TarParser, type RawTarEntry, type TarballResult } from '../../src/github/tarball.js';

const TOP = 'octo-garden-abc1234';
const limits = { ...DEFAULT_TAR_LIMITS, maxFileBytes: 3000, maxEntries: 40 };
const include = (p: string) => p.endsWith('.md');

function archive(): Uint8Array {
  const entries: RawTarEntry[] = [{ path: `${TOP}/`, type: '5' }];
  for (let i = 0; i < 12; i++) entries.push({ path: `${TOP}/patterns/p-${i}.md`, content: `---\nslug: p-${i}\n---\n${'word '.repeat(i * 40)}\n` });
  entries.push({ path: `${TOP}/images/a.png`, content: new Uint8Array(700) });
  entries.push({ path: `${TOP}/big.md`, content: 'x'.repeat(5000) });
  entries.push({ path: `${TOP}/link.md`, type: '2', linkname: 'patterns/p-1.md' });
  entries.push({ path: `${TOP}/${'deep/'.repeat(30)}long.md`, content: 'long\n' });
  entries.push({ path: `${TOP}/${'gnu/'.repeat(30)}long.md`, content: 'gnu\n', longPath: 'gnu' });
  entries.push({ path: `other-top/stray.md`, content: 'stray\n' });
  entries.push({ path: `${TOP}/../escape.md`, content: 'no\n' });
  return encodeTar(entries, 'a'.repeat(40));
}

/** The result with file bytes as text (deep equality of many typed arrays is slow). */
function plain(r: TarballResult): unknown {
  return { ...r, files: [...r.files].map(([k, v]) => [k, Buffer.from(v).toString('base64')]) };
}

function whole(tar: Uint8Array): TarballResult {
  const result: TarballResult = { files: new Map(), skipped: [], truncated: false };
  const p = new TarParser(limits, include, result);
  p.write(tar);
  p.end();
  return result;
}

function chunked(tar: Uint8Array, sizes: () => number): TarballResult {
  const result: TarballResult = { files: new Map(), skipped: [], truncated: false };
  const p = new TarParser(limits, include, result);
  for (let at = 0; at < tar.length; ) {
    const n = Math.max(1, sizes());
    p.write(tar.subarray(at, at + n));
    at += n;
  }
  p.end();
  return result;
}

/** Variants of a tar stream: cut at many offsets, bytes changed (headers, sizes, checksums). */
function damaged(tar: Uint8Array, rand: () => number): Uint8Array[] {
  const out: Uint8Array[] = [tar];
  for (const cut of [0, 100, 511, 512, 513, 1024, 1500, 4096, 7000, tar.length - 1024, tar.length - 512, tar.length - 1])
    out.push(tar.slice(0, Math.max(0, cut)));
  for (let i = 0; i < 30; i++) {
    const t = tar.slice(0, Math.floor(rand() * tar.length));
    const m = t.slice();
    for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) {
      const block = Math.floor((rand() * m.length) / 512) * 512;
      const at = block + [124, 130, 148, 156, 0, 345][Math.floor(rand() * 6)]! + Math.floor(rand() * 8);
      if (at < m.length) m[at] = Math.floor(rand() * 256);
    }
    out.push(m, t);
  }
  return out;
}

describe('TarParser fed in chunks', () => {
  it('reads the same as fed whole, on good, truncated and damaged archives', () => {
    const rand = prng(21);
    const tar = archive();
    const cases = damaged(tar, rand);
    let kept = 0;
    cases.forEach((t, i) => {
      const want = whole(t);
      kept += want.files.size;
      // byte by byte on a few cases only (slow), block-straddling and random sizes on all
      if (i < 4) expect(plain(chunked(t, () => 1))).toEqual(plain(want));
      for (const sizes of [() => 511, () => 513, () => 512 * 3, () => 1 + Math.floor(rand() * 2000)]) expect(plain(chunked(t, sizes))).toEqual(plain(want));
    });
    // The cases do exercise reading: files were kept, and some reads stopped on an error.
    expect(kept).toBeGreaterThan(100);
    expect(cases.map(whole).filter((r) => r.error).length).toBeGreaterThan(10);
    // Whole and good, the archive gives its Markdown files and refuses the rest with reasons.
    const good = whole(tar);
    expect(good.error).toBeUndefined();
    expect(good.files.size).toBe(14);
    expect(good.skipped.map((s) => s.reason)).toEqual(
      expect.arrayContaining(['file larger than maxFileBytes (5000 > 3000)', 'symbolic link', 'outside the top folder']),
    );
    expect(good.excluded).toEqual(['images/a.png']);
  });
});

describe('readTarballStream', () => {
  it('equals readTarball on good, truncated, corrupt and oversize gzip streams', async () => {
    const rand = prng(7);
    const tar = archive();
    const gz = new Uint8Array(gzipSync(tar));
    const streams: Uint8Array[] = [gz, gz.slice(0, gz.length - 9), gz.slice(0, gz.length >> 1), gz.slice(0, 40), new Uint8Array([1, 2, 3])];
    for (let i = 0; i < 10; i++) {
      const m = gz.slice();
      const at = 10 + Math.floor(rand() * (m.length - 10));
      m[at] = (m[at] as number) ^ 0xff;
      streams.push(m);
    }
    for (const t of damaged(tar, rand).slice(0, 20)) streams.push(new Uint8Array(gzipSync(t)));
    for (const s of streams) {
      for (const opts of [
        { ...limits, include },
        { ...limits, include, maxTotalBytes: 4096 },
      ])
        expect(plain(await readTarballStream(s, opts))).toEqual(plain(readTarball(s, opts)));
    }
    expect((await readTarballStream(gz, { ...limits, include })).files.size).toBe(14);
  });
});
