/**
 * Paste and fence artifacts: each case says what is wrong, and its fix gives a file that checks clean
 * of that rule (and of frontmatter/missing), with the frontmatter the author meant.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/document.js';
import { fingerprint } from '../../src/core/finding.js';
import { byRule, checkFiles, fixFile, rulesOf } from '../helpers/check.js';
import { lineOf, mutate, patternCorpus } from '../helpers/pattern.js';

const FILE = 'community-seed-library.md';
const base = () => patternCorpus();
const valid = () => base()[FILE] as string;
const only = (text: string, config?: Record<string, unknown>) => checkFiles({ ...base(), [FILE]: text }, { only: [FILE], config });
/** The frontmatter block of the valid fixture, fences included, and its body. */
const split = () => {
  const t = valid();
  const close = t.indexOf('\n---\n', 4) + 5;
  return { head: t.slice(0, close), body: t.slice(close) };
};
const fixedText = (text: string, rule: string) => {
  const files = { ...base(), [FILE]: text };
  return fixFile(files, only(text), FILE, rule).text;
};

describe('frontmatter/not-at-top', () => {
  it('a title line before the fence: says where the frontmatter starts, and the fix moves the title below it', () => {
    const { head, body } = split();
    const text = `# Community Seed Library\n\n${head}${body}`;
    const f = only(text);
    expect(rulesOf(f)).toEqual(['frontmatter/not-at-top']);
    expect(f[0]!.message).toMatch(/starts at line 3, not line 1: lines 1–2 come before/);
    const fixed = fixedText(text, 'frontmatter/not-at-top');
    expect(fixed.startsWith('---\n')).toBe(true);
    expect(fixed).toContain('---\n# Community Seed Library\n');
    expect(rulesOf(only(fixed))).toEqual([]);
  });

  it('one blank line before the fence: one line comes before it', () => {
    const { head, body } = split();
    const f = byRule(only(`\n${head}${body}`), 'frontmatter/not-at-top');
    expect(f[0]!.message).toMatch(/not line 1: line 1 comes before/);
  });

  it('a ```yaml wrapper around the frontmatter: both fence lines go', () => {
    const { head, body } = split();
    const text = `\`\`\`yaml\n${head}\`\`\`\n${body}`;
    const f = byRule(only(text), 'frontmatter/not-at-top');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/wrapped in a code fence/);
    const fixed = fixedText(text, 'frontmatter/not-at-top');
    expect(fixed).toBe(valid());
  });

  it('a horizontal rule near the top of an ordinary document is not frontmatter', () => {
    const text = 'Intro line.\n\n---\n\nNote: this is prose, not keys.\n\n---\n';
    expect(rulesOf(only(text))).not.toContain('frontmatter/not-at-top');
  });
});

describe('frontmatter/empty-block', () => {
  it('an empty ---/--- block with the real YAML below: the fix deletes the empty block end', () => {
    const { head, body } = split();
    const text = `---\n---\n${head.slice(4)}${body}`;
    const f = only(text);
    expect(rulesOf(f)).toEqual(['frontmatter/empty-block']);
    expect(f[0]!.message).toMatch(/is empty and the YAML keys .* follow it at lines 3–/);
    expect(fixedText(text, 'frontmatter/empty-block')).toBe(valid());
  });

  it('an empty block followed by prose is left alone', () => {
    expect(rulesOf(only('---\n---\n# Title\n\nJust prose here.\n'))).not.toContain('frontmatter/empty-block');
  });
});

describe('frontmatter/second-block', () => {
  it('a stale copy of the frontmatter in the body: every key known, so the fix deletes it', () => {
    const { head, body } = split();
    const stale = `\n---\nid: pat_0000000000000000000000000a\nslug: 7-community-seed-library\ntitle: Community Seed Library\n---\n`;
    const text = `${head}# Community Seed Library\n${stale}${body}`;
    const f = byRule(only(text), 'frontmatter/second-block');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(lineOf(text, 'id: pat_0000') - 1);
    expect(f[0]!.message).toMatch(/Every key in it is also in the frontmatter/);
    expect(fixedText(text, 'frontmatter/second-block')).toBe(`${head}# Community Seed Library\n\n${body}`);
  });

  it('keys the frontmatter lacks are named and nothing is deleted', () => {
    const { head, body } = split();
    const text = `${head}${body}\n---\nid: pat_x\nslug: y\ntags:\n  domain: governance\n---\n`;
    const f = byRule(only(text), 'frontmatter/second-block');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/`tags` are not in the frontmatter/);
    expect(f[0]!.fix).toBeUndefined();
  });

  it('a rule followed by "term: text" prose, and YAML inside a code block, are not a second block', () => {
    const { head, body } = split();
    const prose = `${head}${body}\n---\n\nnote: the library opens on sundays.\nhours: ten to four\n\n---\n`;
    expect(rulesOf(only(prose))).not.toContain('frontmatter/second-block');
    const code = `${head}${body}\n\`\`\`yaml\n---\nid: pat_x\nslug: y\n---\n\`\`\`\n`;
    expect(rulesOf(only(code))).not.toContain('frontmatter/second-block');
  });
});

describe('body/stray-fence', () => {
  it("a line of ''' is reported and deleted; ``` code blocks and ''' inside them are not", () => {
    const text = `${valid()}'''\n`;
    const f = byRule(only(text), 'body/stray-fence');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(text.split('\n').length - 1);
    expect(fixedText(text, 'body/stray-fence')).toBe(valid());
    const inCode = `${valid()}\n\`\`\`python\n'''docstring'''\n'''\n\`\`\`\n`;
    expect(rulesOf(only(inCode))).not.toContain('body/stray-fence');
  });

  it('the fingerprint names no line: an edit above the stray lines keeps it, and two stray lines keep two', () => {
    const text = `${valid()}'''\n\n'''\n`;
    const before = byRule(only(text), 'body/stray-fence');
    // Two lines added in the Context section, above both stray lines.
    const edited = mutate(text, '### Section 1: Context', '### Section 1: Context\n\nA line added above.');
    const after = byRule(only(edited), 'body/stray-fence');
    expect(before).toHaveLength(2);
    expect(after.map((f) => f.line)).toEqual(before.map((f) => f.line + 2));
    expect(after.map(fingerprint)).toEqual(before.map(fingerprint));
    expect(new Set(before.map(fingerprint)).size).toBe(2);
  });

  it('a code fence never closed: the last line is deleted; earlier, it says which lines render as code', () => {
    expect(fixedText(`${valid()}\`\`\`\n`, 'body/stray-fence')).toBe(valid());
    const open = mutate(valid(), '### Section 8: Vitality', '```\n### Section 8: Vitality');
    const f = byRule(only(open), 'body/stray-fence');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/never closed, so lines \d+–\d+ render as code/);
    expect(f[0]!.fix).toBeUndefined();
  });
});

describe('frontmatter/missing for keys without fences', () => {
  it('keys at the top with only the closing fence: the fix adds the opening one', () => {
    const text = valid().slice(4);
    const f = only(text);
    expect(rulesOf(f)).toEqual(['frontmatter/missing']);
    expect(f[0]!.message).toMatch(/without the opening `---` line/);
    expect(fixedText(text, 'frontmatter/missing')).toBe(valid());
  });

  it('keys with no fence at all: the fix puts them between fences', () => {
    const text =
      'id: pat_01h8x4e1gq7r9d1z2x3c4v5b6n\nslug: community-seed-library\ntitle: "Community Seed Library"\n\n# Community Seed Library\n\nBody text.\n';
    const f = byRule(only(text, { kinds: { 'commons-pattern': ['*.md'] } }), 'frontmatter/missing');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/without `---` fences/);
    const fixed = fixFile({ [FILE]: text }, f, FILE).text;
    expect(parseDocument(FILE, fixed).frontmatter?.data).toMatchObject({ slug: 'community-seed-library', title: 'Community Seed Library' });
  });
});

describe('files that are not patterns', () => {
  const check = (files: Record<string, string>, config?: Record<string, unknown>) => checkFiles({ ...base(), ...files }, { only: Object.keys(files), config });

  it('a README-like file without frontmatter is not checked; under a kinds: glob it is', () => {
    const guide = '# How we garden\n\nSome prose about the library.\n\n## Steps\n\n1. Read.\n';
    expect(parseDocument('docs/guide.md', guide).notPattern).toBe(true);
    expect(check({ 'docs/guide.md': guide })).toEqual([]);
    expect(rulesOf(check({ 'docs/guide.md': guide }, { kinds: { 'commons-pattern': ['docs/*.md'] } }))).toContain('frontmatter/missing');
  });

  it('files that look like broken patterns are still checked', () => {
    const { head, body } = split();
    const looks: Record<string, string> = {
      'fence-after-lines.md': `Title\n${head}${body}`,
      'keys-without-fences.md': head.slice(4) + body,
      'unclosed.md': '---\nid: pat_x\ntitle: Unclosed\n\nNo closing fence.\n',
      'template-sections.md': '# A pattern\n\n### Section 1: Context\n\nNo frontmatter at all.\n',
    };
    for (const [file, text] of Object.entries(looks)) {
      expect(parseDocument(file, text).notPattern, file).toBe(false);
      expect(check({ [file]: text }).length, file).toBeGreaterThan(0);
    }
  });

  it('files with frontmatter, wikilink notes and unreadable files are never skipped as non-patterns', () => {
    expect(parseDocument('page.md', '---\nlayout: page\n---\n# About\n').notPattern).toBe(false);
    expect(parseDocument('note.md', 'A note linking [[Elsewhere]].\n').notPattern).toBe(false);
    expect(parseDocument('bin.md', new Uint8Array([0x23, 0x00, 0x01])).notPattern).toBe(false);
    expect(parseDocument('empty.md', '').notPattern).toBe(false);
  });
});
