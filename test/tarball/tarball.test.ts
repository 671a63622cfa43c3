import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TAR_LIMITS, encodeTar, readTarball, writeTarball, type RawTarEntry } from '../../src/github/tarball.js';

const dec = new TextDecoder();
const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : dec.decode(b));
const TOP = 'octo-garden-abc1234';
const gz = (entries: RawTarEntry[]): Uint8Array => new Uint8Array(gzipSync(encodeTar(entries)));
const good = (name = 'good.md'): RawTarEntry => ({ path: `${TOP}/${name}`, content: 'fine\n' });
const reasons = (r: ReturnType<typeof readTarball>): string[] => r.skipped.map((s) => s.reason);

describe('readTarball: round trip', () => {
  it('reads back what writeTarball wrote, relative to the top folder', () => {
    const longDir = 'deep/' + 'x'.repeat(150);
    const files = [
      { path: 'patterns/tool-library.md', content: '---\nslug: tool-library\n---\nBody\n' },
      { path: '.github/pattern-gardener.yml', content: 'staleAfterDays: 90\n' },
      { path: 'README.md', content: 'Grüße — ünïcödé ✓\n' },
      { path: `${longDir}/long-name.md`, content: 'long path via pax\n' },
      { path: 'bin.dat', content: new Uint8Array([0, 1, 2, 255, 254]) },
      { path: 'empty.md', content: '' },
    ];
    const r = readTarball(writeTarball(files, TOP, { comment: 'a'.repeat(40) }));
    expect(r.error).toBeUndefined();
    expect(r.truncated).toBe(false);
    expect(r.skipped).toEqual([]);
    expect(r.topDir).toBe(TOP);
    expect(r.comment).toBe('a'.repeat(40));
    expect([...r.files.keys()].sort()).toEqual(files.map((f) => f.path).sort());
    for (const f of files) {
      const got = r.files.get(f.path)!;
      const want = typeof f.content === 'string' ? new TextEncoder().encode(f.content) : f.content;
      expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true);
    }
  });

  it('keeps only files accepted by include', () => {
    const r = readTarball(
      writeTarball(
        [
          { path: 'patterns/a.md', content: 'a' },
          { path: 'src/b.ts', content: 'b' },
        ],
        TOP,
      ),
      { include: (p) => p.startsWith('patterns/') },
    );
    expect([...r.files.keys()]).toEqual(['patterns/a.md']);
    expect(r.skipped).toEqual([]);
  });

  it('exports the documented default limits', () => {
    expect(DEFAULT_TAR_LIMITS).toEqual({
      maxEntries: 20000,
      maxTotalBytes: 200 * 1024 * 1024,
      maxFileBytes: 2 * 1024 * 1024,
      maxPathLength: 1024,
    });
  });
});

describe('readTarball: long paths', () => {
  it('uses the pax path record (not the truncated 100-byte name field)', () => {
    const p = `${TOP}/patterns/${'long-slug-'.repeat(15)}.md`;
    const r = readTarball(gz([{ path: p, content: 'pax', longPath: 'pax' }]));
    expect(r.error).toBeUndefined();
    expect(text(r.files.get(p.slice(TOP.length + 1)))).toBe('pax');
    expect(r.files.size).toBe(1);
  });

  it('uses GNU ././@LongLink names', () => {
    const p = `${TOP}/patterns/${'gnu-name-'.repeat(15)}.md`;
    const r = readTarball(gz([{ path: p, content: 'gnu', longPath: 'gnu' }]));
    expect(text(r.files.get(p.slice(TOP.length + 1)))).toBe('gnu');
  });

  it('joins the ustar prefix field', () => {
    const p = `${TOP}/${'dir-'.repeat(30)}/file.md`;
    const r = readTarball(gz([{ path: p, content: 'prefix', longPath: 'prefix' }]));
    expect(text(r.files.get(p.slice(TOP.length + 1)))).toBe('prefix');
  });

  it('skips paths longer than maxPathLength', () => {
    const p = `${TOP}/${'a/'.repeat(60)}f.md`;
    const r = readTarball(gz([good(), { path: p, content: 'x' }]), { maxPathLength: 100 });
    expect([...r.files.keys()]).toEqual(['good.md']);
    expect(reasons(r)).toEqual(['path longer than 100 characters']);
  });
});

describe('readTarball: hostile paths', () => {
  it("skips entries with '..' segments (ustar name and pax path)", () => {
    const r = readTarball(
      gz([
        good(),
        { path: `${TOP}/../escape.md`, content: 'evil' },
        { path: `${TOP}/a/../../escape2.md`, content: 'evil' },
        // innocent ustar name, hostile pax override
        { path: `${TOP}/innocent.md`, content: 'evil', pax: { path: `${TOP}/../../etc/cron.d/x` } },
      ]),
    );
    expect([...r.files.keys()]).toEqual(['good.md']);
    expect(reasons(r)).toEqual(["path contains '..' segment", "path contains '..' segment", "path contains '..' segment"]);
  });

  it('skips absolute paths, even as the first entry', () => {
    const r = readTarball(gz([{ path: `/${TOP}/abs.md`, content: 'evil' }, good(), { path: `C:${TOP}/win.md`, content: 'evil' }]));
    expect([...r.files.keys()]).toEqual(['good.md']);
    expect(r.topDir).toBe(TOP);
    expect(reasons(r)).toEqual(['absolute path', 'absolute path']);
  });

  it('skips paths with NUL or control characters', () => {
    const r = readTarball(
      gz([
        good(),
        { path: `${TOP}/x.md`, content: 'evil', pax: { path: `${TOP}/nul\u0000.md` } },
        { path: `${TOP}/y.md`, content: 'evil', pax: { path: `${TOP}/line\nbreak.md` } },
        { path: `${TOP}/esc\u001b[31m.md`, content: 'evil' },
      ]),
    );
    expect([...r.files.keys()]).toEqual(['good.md']);
    expect(reasons(r)).toEqual(Array(3).fill('path contains NUL or control characters'));
    expect(r.skipped.every((s) => !/[\u0000-\u001f]/.test(s.path))).toBe(true);
  });

  it('skips entries outside the single top folder', () => {
    const r = readTarball(gz([good(), { path: 'other-top/z.md', content: 'z' }]));
    expect([...r.files.keys()]).toEqual(['good.md']);
    expect(reasons(r)).toEqual(['outside the top folder']);
  });
});

describe('readTarball: hostile entry types', () => {
  it('skips symbolic links', () => {
    const r = readTarball(gz([good(), { path: `${TOP}/link.md`, type: '2', linkname: '/etc/passwd' }]));
    expect([...r.files.keys()]).toEqual(['good.md']);
    expect(r.skipped).toEqual([{ path: `${TOP}/link.md`, reason: 'symbolic link' }]);
  });

  it('skips hard links (whose declared size is zero, so content would be empty)', () => {
    const r = readTarball(gz([good(), { path: `${TOP}/hard.md`, type: '1', linkname: `${TOP}/good.md` }]));
    expect([...r.files.keys()]).toEqual(['good.md']);
    expect(r.skipped).toEqual([{ path: `${TOP}/hard.md`, reason: 'hard link' }]);
  });

  it('skips character devices, block devices and fifos', () => {
    const r = readTarball(gz([good(), { path: `${TOP}/tty`, type: '3' }, { path: `${TOP}/sda`, type: '4' }, { path: `${TOP}/pipe`, type: '6' }]));
    expect([...r.files.keys()]).toEqual(['good.md']);
    expect(reasons(r)).toEqual(['character device', 'block device', 'fifo']);
  });
});

describe('readTarball: limits', () => {
  it('stops a decompression bomb at maxTotalBytes', () => {
    const bomb = gz([{ path: `${TOP}/zeros.bin`, content: new Uint8Array(8 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(64 * 1024); // >100:1 ratio
    const r = readTarball(bomb, { maxTotalBytes: 1024 * 1024, maxFileBytes: 64 * 1024 * 1024 });
    expect(r.error).toMatch(/^decompressed archive exceeds maxTotalBytes/);
    expect(r.truncated).toBe(true);
    expect(r.files.size).toBe(0);
  });

  it('stops after maxEntries entries', () => {
    const entries: RawTarEntry[] = [];
    for (let i = 0; i < 10; i++) entries.push(good(`f${i}.md`));
    const r = readTarball(gz(entries), { maxEntries: 4 });
    expect(r.truncated).toBe(true);
    expect(r.error).toMatch(/maxEntries \(4\)/);
    expect(r.files.size).toBe(4);
  });

  it('skips regular files over maxFileBytes without keeping them', () => {
    const r = readTarball(gz([good(), { path: `${TOP}/big.md`, content: 'b'.repeat(2000) }, good('after.md')]), {
      maxFileBytes: 1000,
    });
    expect([...r.files.keys()]).toEqual(['good.md', 'after.md']);
    expect(r.skipped).toEqual([{ path: `${TOP}/big.md`, reason: 'file larger than maxFileBytes (2000 > 1000)' }]);
    expect(r.error).toBeUndefined();
  });
});

describe('readTarball: corruption', () => {
  it('rejects a header whose checksum does not match', () => {
    const tar = encodeTar([good('first.md'), good('second.md')]);
    // header of second.md is block 2 (first.md header + one data block); change its name.
    const hdr = 2 * 512;
    expect(dec.decode(tar.subarray(hdr, hdr + TOP.length + 8))).toBe(`${TOP}/second.`);
    tar[hdr + TOP.length + 1] = 'X'.charCodeAt(0);
    const r = readTarball(new Uint8Array(gzipSync(tar)));
    expect(r.error).toMatch(/bad tar header checksum at offset 1024/);
    expect(r.truncated).toBe(true);
    expect([...r.files.keys()]).toEqual(['first.md']);
  });

  it('reports a truncated gzip stream without throwing', () => {
    const big = writeTarball(
      Array.from({ length: 50 }, (_, i) => ({ path: `p/${i}.md`, content: `file ${i} `.repeat(400 + i) })),
      TOP,
    );
    const cut = big.subarray(0, Math.floor(big.length / 2));
    const r = readTarball(cut);
    expect(r.truncated).toBe(true);
    expect(r.error).toBe('gzip stream is truncated');
    for (const [p, b] of r.files) expect(text(b)).toBe(`file ${p.slice(2, -3)} `.repeat(400 + Number(p.slice(2, -3))));
  });

  it('reports a tar body that ends inside a file', () => {
    const tar = encodeTar([good(), { path: `${TOP}/cut.md`, content: 'c'.repeat(3000) }]);
    const cut = tar.subarray(0, 512 * 2 + 512 + 1024); // good.md, cut.md header, 2 of 6 data blocks
    const r = readTarball(new Uint8Array(gzipSync(cut)));
    expect(r.truncated).toBe(true);
    expect(r.error).toMatch(/archive is truncated/);
    expect([...r.files.keys()]).toEqual(['good.md']);
  });

  it('never throws on garbage', () => {
    expect(readTarball(new Uint8Array(0)).error).toBe('not a gzip stream');
    expect(readTarball(new TextEncoder().encode('<html>rate limited</html>')).error).toBe('not a gzip stream');
    expect(readTarball(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9])).error).toMatch(/gzip stream/);
    // Deterministic mutation fuzz: flip bytes of a valid tar, gzip, read.
    const base = encodeTar([
      good(),
      { path: `${TOP}/${'n'.repeat(120)}.md`, content: 'pax' },
      { path: `${TOP}/l`, type: '2', linkname: 'x' },
      { path: `${TOP}/d/`, type: '5' },
      { path: `${TOP}/g.md`, content: 'gnu', longPath: 'gnu', declaredSize: 3 },
    ]);
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 400; i++) {
      const t = base.slice();
      for (let k = 0; k < 1 + rnd(8); k++) t[rnd(t.length)] = rnd(256);
      const r = readTarball(new Uint8Array(gzipSync(t.subarray(0, rnd(4) === 0 ? rnd(t.length) : t.length))));
      expect(r.files).toBeInstanceOf(Map);
      for (const p of r.files.keys()) expect(p.split('/')).not.toContain('..');
    }
  });
});
