/** The base side of a pull request rebuilt from head texts and GitHub `patch` fields; repeated notices folded. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { foldRepeatedNotices } from '../../src/github/analyze.js';
import { baseBytesOf, revertPatch } from '../../src/github/base-snapshot.js';
import { toChangedFile } from '../../src/github/pull-files.js';
import { githubPatch } from '../doubles/fake-github.js';
import { unifiedPatch } from '../../src/standin/diff.js';
import { prng } from '../../src/synth/generate.js';

const WORDS = ['slug: a', '- slug: b', '', '  weight: 0.8', '### Section 1: Context', 'text line', '---', '  - x', 'é ünïcode', '\t tab'];

function randomText(r: () => number, eol: string): string {
  const n = Math.floor(r() * 30);
  const lines = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!);
  const text = lines.join(eol);
  return n > 0 && r() < 0.8 ? text + eol : text;
}

/** An edit of `text`: lines replaced, inserted and deleted, sometimes the final newline dropped or added. */
function mutate(text: string, r: () => number, eol: string): string {
  const lines = text.split(eol);
  const edits = 1 + Math.floor(r() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (lines.length + 1));
    const k = r();
    if (k < 0.4) lines.splice(at, 0, WORDS[Math.floor(r() * WORDS.length)]!);
    else if (k < 0.7) lines.splice(at, 1);
    else lines[Math.min(at, lines.length - 1)] = `changed ${i}`;
  }
  let out = lines.join(eol);
  if (r() < 0.15) out = out.endsWith(eol) ? out.slice(0, -eol.length) : out + eol;
  return out;
}

describe('revertPatch', () => {
  for (const [name, patchOf] of [
    ['git-style patches (the stand-in)', unifiedPatch],
    ['jsdiff patches (FakeGitHub)', githubPatch],
  ] as const) {
    it(`gives back the old text of 2,000 random edits: ${name}`, () => {
      const r = prng(name.length);
      let reverted = 0;
      for (let i = 0; i < 2000; i++) {
        const eol = i % 5 === 0 ? '\r\n' : '\n';
        const before = randomText(r, eol);
        const after = mutate(before, r, eol);
        const patch = patchOf(before, after);
        expect(revertPatch(after, patch)).toBe(before);
        if (before !== after) reverted++;
      }
      expect(reverted).toBeGreaterThan(1500);
    });
  }

  it('a whole removed file comes back from its patch alone', () => {
    const before = 'a\nb\nc\n';
    expect(revertPatch('', unifiedPatch(before, ''))).toBe(before);
    expect(revertPatch('', githubPatch(before, ''))).toBe(before);
  });

  it('refuses a patch that does not apply to the head text exactly', () => {
    const before = 'one\ntwo\nthree\nfour\n';
    const after = 'one\ntwo\n3\nfour\n';
    const patch = unifiedPatch(before, after);
    expect(revertPatch(after, patch)).toBe(before);
    expect(revertPatch('one\ntwo\n3\nFOUR\n', patch)).toBeUndefined(); // a context line differs
    expect(revertPatch(after.replace(/\n/g, '\r\n'), patch)).toBeUndefined(); // line endings differ
    expect(revertPatch(after, patch.split('\n').slice(0, -1).join('\n'))).toBeUndefined(); // cut short
    expect(revertPatch(after, 'not a patch')).toBeUndefined();
  });
});

describe('baseBytesOf', () => {
  const enc = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
  it('a pure rename keeps the bytes; a missing patch or non-UTF-8 bytes cannot be reverted', () => {
    const head = enc('---\nslug: a\n---\n');
    expect(baseBytesOf(toChangedFile({ filename: 'b.md', previous_filename: 'a.md', status: 'renamed', changes: 0 }), head)).toBe(head);
    expect(baseBytesOf(toChangedFile({ filename: 'b.md', status: 'modified', changes: 4 }), head)).toBeUndefined();
    const latin1 = new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0x0a]);
    expect(baseBytesOf(toChangedFile({ filename: 'b.md', status: 'modified', patch: '@@ -1 +1 @@\n-x\n+y', changes: 2 }), latin1)).toBeUndefined();
  });

  it('keeps a byte-order mark', () => {
    const before = '\uFEFF---\nslug: a\n---\n';
    const after = '\uFEFF---\nslug: b\n---\n';
    const got = baseBytesOf(toChangedFile({ filename: 'a.md', status: 'modified', patch: unifiedPatch(before, after), changes: 2 }), enc(after));
    expect(Buffer.from(got!).toString('utf8')).toBe(before);
  });
});

describe('foldRepeatedNotices', () => {
  const f = (file: string, rule: string, severity: Finding['severity'], message: string, fix = false): Finding => ({
    rule,
    severity,
    file,
    line: 1,
    column: 1,
    endLine: 1,
    message,
    target: '',
    ...(fix ? { fix: { description: 'd', edits: [] } } : {}),
  });

  it('says a notice repeated across files once, naming the other files; errors, warnings and fixes stay per file', () => {
    const findings = [
      ...['a.md', 'b.md', 'c.md'].map((p) => f(p, 'legacy/predates-v7', 'notice', 'predates v7.1')),
      f('a.md', 'links/unknown-target', 'error', 'dangling'),
      f('b.md', 'links/unknown-target', 'error', 'dangling'),
      f('a.md', 'file/bom', 'notice', 'bom', true),
      f('b.md', 'file/bom', 'notice', 'bom', true),
      f('d.md', 'body/word-count', 'notice', 'only here'),
    ];
    const { said, folded } = foldRepeatedNotices(findings);
    expect(folded).toBe(2);
    expect(said).toHaveLength(findings.length - 2);
    const legacy = said.filter((x) => x.rule === 'legacy/predates-v7');
    expect(legacy).toHaveLength(1);
    expect(legacy[0]!.file).toBe('a.md');
    expect(legacy[0]!.message).toContain('applies to 2 other file(s) of this pull request: `b.md`, `c.md`.');
    expect(said.filter((x) => x.severity === 'error')).toHaveLength(2);
    expect(said.filter((x) => x.rule === 'file/bom')).toHaveLength(2);
  });

  it('names at most ten other files', () => {
    const many = Array.from({ length: 25 }, (_, i) => f(`p${i}.md`, 'legacy/predates-v7', 'notice', 'predates v7.1'));
    const { said } = foldRepeatedNotices(many);
    expect(said).toHaveLength(1);
    expect(said[0]!.message).toContain('applies to 24 other file(s)');
    expect(said[0]!.message).toContain(', and 14 more.');
    expect(said[0]!.message.match(/`p\d+\.md`/g)).toHaveLength(10);
  });
});
