/** Obsidian notes: every link form resolves by Obsidian's rules; code, comments and math hold no links. */
import { describe, expect, it } from 'vitest';
import { CorpusIndex } from '../../src/core/corpus.js';
import { parseNoteDate } from '../../src/core/dates.js';
import { parseDocument } from '../../src/core/document.js';
import { linkableLines, noteAnchors, noteBodyLinks } from '../../src/core/obsidian.js';
import { byRule, checkFiles, fixFile, rulesOf } from '../helpers/check.js';
import { lineOf } from '../helpers/pattern.js';

function note(body: string, front = 'tags: [garden]'): string {
  return `---\n${front}\n---\n\n${body}\n`;
}

/** A small vault: two notes with headings and blocks, one with an alias, an attachment-like note. */
function vault(focusBody: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Garden/Compost Tea.md': note('# Compost Tea\n\n## Brewing\n\nA day with air bubbling through. ^brew-time\n\n## Straining Out\n\nThrough a cloth.'),
    'Garden/Seed Saving.md': note('# Seed Saving\n\nDry them well.', 'aliases: [Seed Keeping]\ntags: [garden]'),
    'Archive/Seed Saving.md': note('An older copy.'),
    'Focus.md': note(focusBody),
    ...extra,
  };
}

const unknown = (body: string, extra: Record<string, string> = {}) => byRule(checkFiles(vault(body, extra)), 'links/unknown-target');
const headings = (body: string, extra: Record<string, string> = {}) => byRule(checkFiles(vault(body, extra)), 'links/unknown-heading');

describe('Obsidian link forms', () => {
  it('[[Note]] resolves by file name, case-insensitively', () => {
    expect(checkFiles(vault('[[Compost Tea]] and [[compost tea]] and [[COMPOST TEA]].'))).toEqual([]);
    expect(unknown('[[Compost Coffee]]').map((f) => f.target)).toEqual(['wikilink:wikilink:Compost Coffee']);
  });

  it('[[Note|shown text]] resolves the part before the bar; in a table the bar is escaped', () => {
    expect(checkFiles(vault('[[Compost Tea|the tea]] and | [[Compost Tea\\|the tea]] |'))).toEqual([]);
    expect(unknown('[[Compost Teas|Compost Tea]]')).toHaveLength(1);
  });

  it('[[Note#Heading]] resolves the note and then the heading', () => {
    expect(checkFiles(vault('[[Compost Tea#Brewing]], [[Compost Tea#brewing]], [[Compost Tea#Compost Tea#Straining Out]]'))).toEqual([]);
    const f = headings('See [[Compost Tea#Brewning]].');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.message).toContain('Did you mean `Brewing`?');
    const files = vault('See [[Compost Tea#Brewning]].');
    const fixed = fixFile(files, checkFiles(files), 'Focus.md');
    expect(fixed.text).toContain('See [[Compost Tea#Brewing]].');
    expect(checkFiles(fixed.files)).toEqual([]);
  });

  it('[[Note#Heading]] writes a space for each character a link drops, as the editor does: `D&D` is `D D`', () => {
    const extra = { 'Dice/Table Styles.md': note('# Table Styles\n\n###### D&D\n\nOne.\n\n###### D&D Classic\n\nTwo.\n\n## Rock & Roll\n\nThree.') };
    expect(checkFiles(vault('[[Table Styles#D D]], [[Table Styles#D D Classic\\|classic]], [[Table Styles#Rock Roll]]', extra))).toEqual([]);
    // The wrong heading is still found, with the real one as the fix.
    const f = headings('[[Table Styles#D D Clasic]]', extra);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('Did you mean `D&D Classic`?');
  });

  it('[[Note#^block-id]] resolves to a block id of the note', () => {
    expect(checkFiles(vault('[[Compost Tea#^brew-time]]'))).toEqual([]);
    const f = headings('[[Compost Tea#^brew-tim]]');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('no such block id. Did you mean `^brew-time`?');
  });

  it('[[#Heading]] is a heading of the same note', () => {
    expect(checkFiles(vault('## Later\n\nBack to [[#Later]].'))).toEqual([]);
    const f = headings('## Later\n\nBack to [[#Sooner]].');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('in this note');
  });

  it('![[embeds]] resolve like links: notes, sections and attachments of any extension', () => {
    const idx = new CorpusIndex([], ['Attachments/diagram.png', 'files/notes.pdf', 'board.canvas']);
    expect(idx.resolveNote('diagram.png')).toBe('Attachments/diagram.png');
    expect(idx.resolveNote('notes.pdf')).toBe('files/notes.pdf');
    expect(idx.resolveNote('board.canvas')).toBe('board.canvas');
    expect(idx.resolveNote('diagram')).toBeUndefined();
    expect(idx.resolveNote('diagram.jpg')).toBeUndefined();
    const docs = Object.entries(vault('![[Compost Tea]] ![[Compost Tea#Brewing]] ![[missing.png]]')).map(([f, t]) => parseDocument(f, t));
    const links = CorpusIndex.fromDocuments(docs).entries.get('Focus.md')!.links;
    expect(links.map((l) => [l.target, l.subpath, l.embed])).toEqual([
      ['Compost Tea', undefined, true],
      ['Compost Tea', 'Brewing', true],
      ['missing.png', undefined, true],
    ]);
    const f = unknown('![[missing.png]]');
    expect(f[0]!.message).toContain('the embed points at `missing.png`');
  });

  it('[[folder/Note]] and shortest-unique-path matching', () => {
    expect(checkFiles(vault('[[Garden/Compost Tea]] [[Archive/Seed Saving]] [[garden/seed saving]] [[Garden/Compost Tea.md]]'))).toEqual([]);
    // A path must end where it says: the note is not in Archive.
    expect(unknown('[[Archive/Compost Tea]]')).toHaveLength(1);
    const docs = Object.entries(vault('x')).map(([f, t]) => parseDocument(f, t));
    const idx = CorpusIndex.fromDocuments(docs);
    // Two notes share the name: the name alone names the one with the shortest path (then by path).
    expect(idx.resolveNote('Seed Saving')).toBe('Archive/Seed Saving.md');
    expect(idx.resolveNote('Garden/Seed Saving')).toBe('Garden/Seed Saving.md');
    expect(idx.resolveNote('../Garden/Compost Tea.md', 'Archive/Seed Saving.md')).toBe('Garden/Compost Tea.md');
    expect(idx.resolveNote('../../Compost Tea.md', 'Archive/Seed Saving.md')).toBeUndefined();
  });

  it('aliases name their note', () => {
    expect(checkFiles(vault('[[Seed Keeping]] and [[seed keeping|kept]]'))).toEqual([]);
    expect(unknown('[[Seed Keepers]]')).toHaveLength(1);
  });

  it('Markdown links to .md files resolve, with URL-encoded spaces and headings', () => {
    expect(
      checkFiles(
        vault(
          '[tea](Garden/Compost%20Tea.md), [brew](Garden/Compost%20Tea.md#Brewing), [angle](<Garden/Compost Tea.md>), [site](https://example.org/x.md), [page](docs/), [here](#Later)\n\n## Later',
        ),
      ),
    ).toEqual([]);
    const f = unknown('[gone](Garden/Worm%20Farm.md)');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('the Markdown link points at `Garden/Worm Farm.md`');
    expect(headings('[brew](Garden/Compost%20Tea.md#Brewed)')).toHaveLength(1);
  });

  it('related entries resolve as links, plain or as [[wikilinks]] with a heading', () => {
    const files = vault('Body.', {});
    files['Focus.md'] = note('Body.', 'related:\n  - Compost Tea\n  - "[[Compost Tea#Brewing]]"\n  - "[[Compost Tea#Boiling]]"\n  - Worm Farm');
    const f = checkFiles(files);
    expect(rulesOf(f).sort()).toEqual(['links/unknown-heading', 'links/unknown-target']);
    expect(byRule(f, 'links/unknown-target')[0]!.line).toBe(lineOf(files['Focus.md']!, '- Worm Farm'));
  });

  it('a heading link into a file that is not a read note (an attachment) is not checked', () => {
    const idx = new CorpusIndex([], ['a.pdf']);
    expect(idx.entries.get('a.pdf')?.anchors).toBeUndefined();
  });
});

describe('notes a directory vault generates from templates', () => {
  // Person, tool and index notes as a directory's scripts write them: each convention repeats in
  // thousands of notes, so none may cost a finding; only the one link to a missing note is reported.
  it('person notes, tool notes and full-path index notes report only what is missing', () => {
    const files: Record<string, string> = {
      'Community/People/fernwright.md': note(
        [
          '# Fern Wright',
          '',
          '- Code: [fernwright](https://example.org/fernwright/) ^code',
          '<!-- - Chat: `@` ^chat-->',
          '<!-- - [[Field Sites|Field site]]: <https://> ^site-->',
          '',
          '%% Begin Hub: Released contributions %%',
          '### Tools',
          '- [[mulch-timer|Mulch Timer]]',
          '- [[seed.log|Seed Log]]',
          '%% End Hub: Released contributions %%',
          '',
          '<!--',
          '## Support this gardener',
          '',
          '- [[Tip Jar]]: ^tip-jar',
          '-->',
        ].join('\n'),
        'aliases:\n- Fern Wright\ntags:\n- \npublish: true',
      ),
      'Expansions/All/Tools/mulch-timer.md': note(
        [
          '%% ----- Badges ----- %%',
          '![downloads](https://img.example.org/badge/mulch-timer?style=flat)',
          '',
          '# Mulch Timer',
          '',
          'Tool ID: `mulch-timer`',
          'Links: [Repository](https://example.org/mulch-timer) or [<button id=HH>Open</button>](garden://open?id=mulch-timer)',
          'Made by: [[fernwright]]',
          'Works outdoors: [[Outdoor tools|Yes]]',
          '',
          '%% Uncomment when the maker takes tips: ![[fernwright#Support this gardener]] %%',
          '%% ![[fernwright#Support this gardener]] %%',
        ].join('\n'),
        'tool-id: mulch-timer\naliases:\n- Mulch Timer\ntags: \n- \npublish: true',
      ),
      'Expansions/All/Tools/seed.log.md': note('# Seed Log\n\nMade by: [[Community/People/fernwright|fernwright]]'),
      'Expansions/By Category/Outdoor tools.md': note('# Outdoor tools\n\nSee the backlinks.'),
      'Expansions/By Category/Rain & Frost‽ Tools.md': note('# Rain & Frost‽ Tools\n\n## Frost & Snow'),
      'Community/Roundup/2024.04.17.md': note('# Roundup\n\nNew: [[mulch-timer]], [[seed.log]], [[Worm Hotel]].'),
      'Expansions/🗂️ Expansions.md': note(
        [
          '# 🗂️ Expansions',
          '',
          '%% Hub MOCs: Don’t edit below  %%',
          '-  [[Expansions/All/Tools/mulch-timer|mulch-timer]]',
          '-  [[Expansions/By Category/Rain & Frost‽ Tools|Rain & Frost‽ Tools]]',
          '-  [[Rain & Frost‽ Tools#Frost  Snow]]',
          '-  [[Community/Roundup/2024.04.17|2024.04.17]]',
          '-  [[2024.04.17]]',
          '%% Hub MOCs: Don’t edit above  %%',
        ].join('\n'),
      ),
    };
    expect(checkFiles(files).map((f) => [f.file, f.rule, f.target])).toEqual([
      ['Community/Roundup/2024.04.17.md', 'links/unknown-target', 'wikilink:wikilink:Worm Hotel'],
    ]);
  });
});

describe('text that holds no links', () => {
  const none = (body: string) => noteBodyLinks(body.split('\n'), 1).map((l) => l.file);

  it('inline code of any backtick count', () => {
    expect(none('`[[A]]` and ``[[B]] with ` inside`` but [[C]]')).toEqual(['C']);
    expect(none('an unclosed ` tick then [[D]]')).toEqual(['D']);
  });

  it('fenced code, ``` and ~~~, also inside a blockquote', () => {
    expect(none('```\n[[A]]\n```\n~~~md\n[[B]]\n~~~\n> ```\n> [[C]]\n> ```\n[[D]]')).toEqual(['D']);
  });

  it('HTML comments and Obsidian %% comments, on one line or many', () => {
    expect(none('<!-- [[A]] --> [[B]] %% [[C]] %%\n<!--\n[[D]]\n-->\n%%\n[[E]]\n%%\n[[F]]')).toEqual(['B', 'F']);
  });

  it('math: $$ blocks and inline $…$, but not money', () => {
    expect(none('$$\n[[A]]\n$$\n$x = [[B]]$ costs $5 and [[C]] $10')).toEqual(['C']);
  });

  it('indented code after a blank line, but not a list item or its indented paragraph', () => {
    expect(none('Text\n\n    [[A]]\n\t[[B]]\n\n    [[C]]\nback [[D]]\n\n- item [[E]]\n\n    more of it [[F]]\n\t- nested [[G]]')).toEqual(['D', 'E', 'F', 'G']);
    // Without a blank line before, an indented line continues the paragraph.
    expect(none('Text\n    [[H]]')).toEqual(['H']);
  });

  it("templates' placeholders are not links: {{date}}, <% tp.file.title %>", () => {
    expect(none('[[{{yesterday}}]] [[<% tp.date.tomorrow("YYYY-MM-DD") %>]] [[{{title}}#Log]] [[Real]]')).toEqual(['Real']);
    const files = vault('Text.', {
      'Templates/Daily.md': note('← [[{{date:YYYY-MM-DD}}]]', 'created: {{date:YYYY-MM-DD}}\nrelated:\n  - "[[<% tp.file.folder() %>]]"'),
    });
    expect(checkFiles(files)).toEqual([]);
  });

  it('a template whose YAML breaks only inside Templater code is left alone; other YAML errors of a template are still found', () => {
    const tpl = (front: string) => ({ 'Templates/Log.md': note('Made on <% tp.file.creation_date() %>.', front) });
    // The quotes around "YYYY" belong to Templater's code: the note made from the template holds valid YAML.
    expect(checkFiles(tpl('day: <% tp.date.now("YYYY-MM-DD") %>\nweek: "[[<% tp.date.now("YYYY") %>-W<% tp.date.now("ww") %>]]"\ntags: log'))).toEqual([]);
    expect(checkFiles(tpl('title: "{{title}}"\nsummary: "<% tp.system.prompt("Summary") %>"'))).toEqual([]);
    // An error outside the placeholders is the template's own.
    expect(rulesOf(checkFiles(tpl('week: "<% tp.date.now("ww") %>"\nbroken: [unclosed')))).toEqual(['yaml/syntax']);
    // A note without placeholders keeps every YAML error.
    expect(rulesOf(checkFiles({ 'Daily/Log.md': note('Text [[Log]].', 'week: "[[2026-"W10"]]"') }))).toEqual(['yaml/syntax']);
  });

  it("a template's links name notes of whoever applies it: unresolved ones are not reported; a note that only shows a template in code is checked", () => {
    const files = vault('Text.', {
      // Placeholders in the text: a template whose links point into the vault of whoever uses it.
      'Shared/Templates/Evening Log.md': note('# Log for <% tp.file.title %>\n\n[[Sleep Quality]], [[Compost Tea]]', 'tags: log'),
      'Meta/01 Templates/T - Recipe.md': note('# {{title}}\n\nSee [[Pantry Staples]].'),
      // Outside a template folder, a placeholder makes nothing a template.
      'Drafts/Idea.md': note('Made {{date}}, see [[Idea Garden]].'),
      // A showcase of a template: the placeholder is only in code, so its own links are checked.
      'Shared/Templates/About the Log.md': note('Uses [[Evening Planner]].\n\n```markdown\n# <% tp.file.title %>\n```'),
    });
    expect(byRule(checkFiles(files), 'links/unknown-target').map((f) => [f.file, f.target])).toEqual([
      ['Drafts/Idea.md', 'wikilink:wikilink:Idea Garden'],
      ['Shared/Templates/About the Log.md', 'wikilink:wikilink:Evening Planner'],
    ]);
  });

  it('masking keeps columns', () => {
    const masked = linkableLines(['`x` [[A]]'], 1);
    expect(masked[0]!.indexOf('[[A]]')).toBe(4);
  });

  it('headings and blocks inside code are not anchors', () => {
    const a = noteAnchors('# Real\n```\n# Fake\nline ^fake\n```\ntext ^real\nSetext\n======'.split('\n'), 1);
    expect(a.headings).toEqual(['Real', 'Setext']);
    expect(a.blocks).toEqual(['real']);
  });
});

describe('note frontmatter that fits vaults', () => {
  it('title is optional; tags and aliases may be one string; template placeholders and empty items are empty', () => {
    const files = {
      'A.md': note('Text.', 'tags: garden'),
      'B.md': note('Text.', 'aliases: Bee\ntags:\n  - \nrelated:\n  -'),
      'C.md': note('Text.', 'title:\ntags: [null]\naliases: [null]\ncreated: <% tp.date.now() %>\nmodified: "{{date}}"'),
    };
    expect(checkFiles(files)).toEqual([]);
  });

  it('the seed note fields stay checked where present', () => {
    const f = checkFiles({ 'A.md': note('Text.', 'title: [not, text]\nrelated: 3\ncreated: 2025-02-30') });
    expect(rulesOf(f).sort()).toEqual(['dates/invalid', 'schema/invalid', 'schema/invalid']);
  });

  it('dates as Obsidian, Templater and the Linter plugin write them', () => {
    for (const ok of [
      '2026-03-04',
      '2026-03-04T15:05',
      '2026-03-04 15:05:09',
      '2026-03-04T15:05:09.123Z',
      '2026-03-04T15:05:09+02:00',
      'Wednesday, March 4th 2026, 3:05:09 pm',
      'March 4, 2026',
      '4 March 2026',
      '2026/03/04',
      '2026.03.04 15:05',
      '04.03.2026',
      '4.3.2026',
    ])
      expect(parseNoteDate(ok), ok).toEqual({ year: 2026, month: 3, day: 4 });
    for (const bad of ['2026-02-30', '2026-03-04 soon', 'Smarch 4, 2026', 'March 32, 2026', '04/03/2026', '2026/02/30', '30.02.2026', '2026/03.04'])
      expect(parseNoteDate(bad), bad).toBeNull();
  });

  it('notes/tag-format: spaces, punctuation and digits only; nested tags and unicode are fine; a # is a notice with a fix', () => {
    const files = { 'A.md': note('Text.', 'tags:\n  - garden/herbs\n  - café\n  - "#compost"\n  - two words\n  - a&b\n  - "2026"\n  - y2026') };
    const f = byRule(checkFiles(files), 'notes/tag-format');
    expect(f.map((x) => [x.severity, x.target])).toEqual([
      ['notice', 'tags:#compost'],
      ['warning', 'tags:two words'],
      ['warning', 'tags:a&b'],
      ['warning', 'tags:2026'],
    ]);
    const fixed = fixFile(files, f, 'A.md');
    expect(fixed.text).toContain('  - "compost"\n');
  });
});
