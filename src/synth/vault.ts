/**
 * Deterministic synthetic Obsidian vault (seeded PRNG): notes written the way Obsidian and its popular
 * plugins write them, each convention applied consistently across a part of the vault, plus a known
 * number of seeded defects. Checking it measures false positives: every finding that is not a seeded
 * defect is one. All text is generated here.
 *
 * Conventions: template frontmatter with empty `tags:`/`aliases:` items, `created`/`updated` dates as
 * Obsidian's date and date & time properties, Templater and the Linter plugin write them, notes without
 * title or frontmatter, nested and emoji tags, tags as one string, links in properties (`"[[Note]]"`),
 * checkbox, number and list properties, an attachments folder (images, PDFs, audio) with embeds
 * (`![[x.png|300]]`, `![[x.pdf#page=3]]`), heading and block links, aliases, path links for names two
 * folders share, Markdown links (`[x](Some%20Note.md)`), code blocks and inline code showing link
 * syntax, callouts, math, HTML and `%%` comments, Dataview inline fields and queries, tasks, footnotes,
 * folder notes, daily notes (`Daily/2024/2024-01-31.md`), templates with placeholders (`{{date}}`,
 * `<% tp.file.title %>`), Excalidraw drawings and canvases, Unicode names.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { prng } from './generate.js';

export interface VaultOptions {
  /** Markdown notes in the vault (attachments and canvases come on top). */
  count: number;
  seed?: number;
  /** Seed the real defects (default true). */
  defects?: boolean;
}

/** A defect put into the vault on purpose: the finding `gardener check` should report for it. */
export interface SeededDefect {
  rule: string;
  file: string;
  /** What was seeded, for a reader. */
  what: string;
}

export interface SynthVault {
  files: { path: string; content: string | Uint8Array }[];
  defects: SeededDefect[];
  /** How many notes apply each convention (a convention is applied by all of them, in the same way). */
  conventions: Record<string, number>;
}

const TOPICS: { name: string; folder: string; words: string[] }[] = [
  { name: 'cooking', folder: 'Cooking', words: 'dough ferment broth knead braise pantry sourdough roast simmer spice crumb glaze'.split(' ') },
  { name: 'garden', folder: 'Garden', words: 'compost seedling mulch prune harvest soil trellis bloom cutting graft bed frost'.split(' ') },
  { name: 'reading', folder: 'Reading', words: 'chapter author argument margin quote thesis essay novel review notebook index canon'.split(' ') },
  { name: 'software', folder: 'Software', words: 'deploy cache schema query refactor branch compiler latency logging module release queue'.split(' ') },
  { name: 'health', folder: 'Health', words: 'sleep stretch protein cardio recovery posture hydration routine mobility rest habit pulse'.split(' ') },
  { name: 'travel', folder: 'Travel', words: 'itinerary ferry hostel museum border passport train market trail coast visa luggage'.split(' ') },
  { name: 'music', folder: 'Music', words: 'chord tempo scale rhythm melody practice etude bridge voicing metronome groove harmony'.split(' ') },
  { name: 'finance', folder: 'Finance', words: 'budget invoice savings ledger pension tax dividend expense receipt fund interest rent'.split(' ') },
];
const FILLER = 'the a of and to in that with for on by from this each when which can more into about after before'.split(' ');
const ADJ = 'quick slow basic simple weekly seasonal small better honest quiet open shared deep first'.split(' ');
// Names as people write them: accents, other scripts, emoji, punctuation Obsidian allows in file names.
const UNICODE_NAMES = [
  'Café Culture',
  'Zürich Trip',
  'Łódź Notes',
  'Crème Brûlée',
  'Dvořák Symphonies',
  '東京メモ',
  '🌱 Seedlings',
  'Ærø Ferry',
  'São Paulo',
  'Straße & Weg',
  "Grandma's Recipes",
  'Q&A (2024)',
];
const PEOPLE = ['Ada Łukasiewicz', 'Bruno Müller', 'Chloé Martin', 'Dai Tanaka', 'Eva Nováková', 'Femi Adeyemi', 'Greta Sørensen', 'Hugo Álvarez'];
const HEADINGS = [
  'Summary',
  'Step 1: Prepare',
  'Details',
  '🌿 Notes',
  "What's next?",
  'References',
  'Open questions',
  'Log (2024)',
  '**Key** points',
  'Using `git rebase`',
  'About [[Cooking]]',
];
/**
 * How Obsidian writes a link to a heading: the characters a link cannot hold (`:`, `[[`, `]]`) are left
 * out, and the editor's autocompletion drops the emphasis and code marks.
 */
const linkHeading = (h: string): string => h.replace(/:|\[\[|\]\]|\*\*|`/g, '');

const MONTHS = 'January February March April May June July August September October November December'.split(' ');
const DAYS = 'Sunday Monday Tuesday Wednesday Thursday Friday Saturday'.split(' ');
const pad = (n: number): string => String(n).padStart(2, '0');
const ordinal = (d: number): string => `${d}${d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th'}`;

interface Moment {
  y: number;
  m: number;
  d: number;
  h: number;
  min: number;
  s: number;
}
function moment(r: () => number): Moment {
  return {
    y: 2021 + Math.floor(r() * 5),
    m: 1 + Math.floor(r() * 12),
    d: 1 + Math.floor(r() * 28),
    h: Math.floor(r() * 24),
    min: Math.floor(r() * 60),
    s: Math.floor(r() * 60),
  };
}
const isoDate = (t: Moment): string => `${t.y}-${pad(t.m)}-${pad(t.d)}`;

/** The date formats of the vault's template families, each one applied by all notes of its family. */
const DATE_FORMATS: Record<string, (t: Moment) => string> = {
  // Obsidian's Date property.
  'date property (2024-01-31)': isoDate,
  // Obsidian's Date & time property.
  'date & time property (2024-01-31T15:05)': (t) => `${isoDate(t)}T${pad(t.h)}:${pad(t.min)}`,
  // Templater: tp.date.now("YYYY-MM-DD HH:mm") and tp.file.creation_date() (seconds).
  'Templater (2024-01-31 15:05)': (t) => `${isoDate(t)} ${pad(t.h)}:${pad(t.min)}`,
  'Templater with seconds (2024-01-31 15:05:09)': (t) => `${isoDate(t)} ${pad(t.h)}:${pad(t.min)}:${pad(t.s)}`,
  // The Linter plugin's default: dddd, MMMM Do YYYY, h:mm:ss a.
  'Linter (Wednesday, January 31st 2024, 3:05:09 pm)': (t) => {
    const wd = DAYS[new Date(Date.UTC(t.y, t.m - 1, t.d)).getUTCDay()] as string;
    const h12 = t.h % 12 === 0 ? 12 : t.h % 12;
    return `${wd}, ${MONTHS[t.m - 1]} ${ordinal(t.d)} ${t.y}, ${h12}:${pad(t.min)}:${pad(t.s)} ${t.h < 12 ? 'am' : 'pm'}`;
  },
  // Templater formats with the order not in doubt: YYYY/MM/DD and the day-first DD.MM.YYYY.
  'Templater (2024/01/31)': (t) => `${t.y}/${pad(t.m)}/${pad(t.d)}`,
  'Templater (31.01.2024 15:05)': (t) => `${pad(t.d)}.${pad(t.m)}.${t.y} ${pad(t.h)}:${pad(t.min)}`,
  // ISO with milliseconds and a zone (scripts, Dataview's `this.file.ctime`).
  'ISO with zone (2024-01-31T15:05:09.123+01:00)': (t) => `${isoDate(t)}T${pad(t.h)}:${pad(t.min)}:${pad(t.s)}.${String(t.s * 7).padStart(3, '0')}+01:00`,
};

interface NoteSpec {
  path: string;
  /** The name links use (file name without `.md`). */
  name: string;
  /** How other notes link to it: the name, or a path when two notes share the name. */
  ref: string;
  topic: number;
  headings: string[];
  blocks: string[];
  aliases: string[];
  kind: 'note' | 'daily' | 'folder' | 'person' | 'moc' | 'drawing' | 'template' | 'cheatsheet';
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function words(r: () => number, topic: string[], n: number): string {
  const ws: string[] = [];
  for (let i = 0; i < n; i++) ws.push(r() < 0.4 ? pick(r, topic) : pick(r, FILLER));
  return cap(ws.join(' '));
}

function blockId(r: () => number): string {
  const a = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 6; i++) s += a[Math.floor(r() * a.length)];
  return s;
}

/** Tiny stand-ins for binary attachments (a PNG signature, a PDF header): their bytes are never read. */
function attachmentBytes(ext: string): Uint8Array {
  if (ext === 'png') return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  if (ext === 'jpg') return Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
  if (ext === 'pdf') return new TextEncoder().encode('%PDF-1.7\n%\u00e2\u00e3\n');
  return Uint8Array.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70]);
}

/**
 * UTF-8 text as it reads after a round trip through Mac Roman or Windows-1252 (the damage `text/mojibake`
 * finds). For Windows-1252 only bytes 0xA0–0xFF are meant (Latin-1 agrees there), so two-byte letters only.
 */
function damageAs(text: string, encoding: 'macintosh' | 'windows-1252'): string {
  const bytes = new TextEncoder().encode(text);
  if (encoding === 'macintosh') return new TextDecoder('macintosh').decode(bytes);
  return [...bytes].map((b) => String.fromCharCode(b)).join('');
}

/** A synthetic vault of `count` notes. */
export function generateVault(opts: VaultOptions): SynthVault {
  const seed = opts.seed ?? 1;
  const count = Math.max(60, opts.count);
  const r = prng(seed * 2_654_435 + 11);
  const files: SynthVault['files'] = [];
  const defects: SeededDefect[] = [];
  const users = new Map<string, Set<string>>();
  let current = '';
  const used = (c: string): void => {
    const set = users.get(c) ?? new Set<string>();
    set.add(current);
    users.set(c, set);
  };

  // Attachments: one for every 8 notes, the names Obsidian gives pasted images among them.
  const attachments: string[] = [];
  const nAttach = Math.max(8, Math.floor(count / 8));
  for (let i = 0; i < nAttach; i++) {
    const ext = pick(r, ['png', 'png', 'png', 'jpg', 'pdf', 'pdf', 'm4a', 'webp']);
    const t = moment(r);
    const name =
      i % 3 === 0
        ? `Pasted image ${t.y}${pad(t.m)}${pad(t.d)}${pad(t.h)}${pad(t.min)}${pad(t.s)}${pad(i % 100)}.${ext}`
        : `${pick(r, TOPICS).name}-${pick(r, ['diagram', 'scan', 'photo', 'chart', 'paper'])}-${i}.${ext}`;
    attachments.push(name);
    files.push({ path: `Attachments/${name}`, content: attachmentBytes(ext) });
  }
  const canvases: string[] = [];
  for (let i = 0; i < Math.max(2, Math.floor(count / 400)); i++) {
    const name = `${cap(pick(r, TOPICS).name)} Board ${i}.canvas`;
    canvases.push(name);
  }

  // The notes, named first so that links can point at them.
  const notes: NoteSpec[] = [];
  const taken = new Set<string>();
  const add = (spec: Omit<NoteSpec, 'ref'>): NoteSpec => {
    const s = { ...spec, ref: spec.name };
    notes.push(s);
    taken.add(spec.path.toLowerCase());
    return s;
  };
  const nDaily = Math.floor(count * 0.15);
  const nPeople = PEOPLE.length;
  const nDrawing = Math.max(2, Math.floor(count / 200));
  const nTemplates = 6;
  const special = nDaily + nPeople + nDrawing + nTemplates + TOPICS.length * 2 + 1;
  // Daily notes, one a day from 2022-01-01.
  for (let i = 0; i < nDaily; i++) {
    const d = new Date(Date.UTC(2022, 0, 1 + i));
    const name = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    add({ path: `Daily/${d.getUTCFullYear()}/${name}.md`, name, topic: i % TOPICS.length, headings: ['Log', 'Tasks'], blocks: [], aliases: [], kind: 'daily' });
  }
  // Folder notes (a note named as its folder) and maps of content.
  TOPICS.forEach((t, i) => {
    add({ path: `Areas/${t.folder}/${t.folder}.md`, name: t.folder, topic: i, headings: ['Overview', 'Index'], blocks: [], aliases: [], kind: 'folder' });
    add({ path: `Maps/${t.folder} MOC.md`, name: `${t.folder} MOC`, topic: i, headings: ['Notes'], blocks: [], aliases: [`${t.name} map`], kind: 'moc' });
  });
  PEOPLE.forEach((p, i) =>
    add({
      path: `People/${p}.md`,
      name: p,
      topic: i % TOPICS.length,
      headings: ['Contact', 'Meetings'],
      blocks: [],
      aliases: [p.split(' ')[0] as string],
      kind: 'person',
    }),
  );
  for (let i = 0; i < nDrawing; i++) {
    const t = moment(r);
    const name = `Drawing ${isoDate(t)} ${pad(t.h)}.${pad(t.min)}.${pad(t.s)}.excalidraw`;
    add({
      path: `Excalidraw/${name}.md`,
      name,
      topic: i % TOPICS.length,
      headings: ['Text Elements'],
      blocks: [blockId(r), blockId(r)],
      aliases: [],
      kind: 'drawing',
    });
  }
  for (const t of ['Daily', 'Note', 'Person', 'Book', 'Meeting', 'Project'])
    add({ path: `Templates/${t} Template.md`, name: `${t} Template`, topic: 0, headings: [], blocks: [], aliases: [], kind: 'template' });
  add({ path: 'Resources/Obsidian Syntax.md', name: 'Obsidian Syntax', topic: 3, headings: ['Links', 'Embeds'], blocks: [], aliases: [], kind: 'cheatsheet' });
  // Two projects with notes of the same names: links to them need a path.
  const shared = ['Overview', 'Retrospective'];
  for (const project of ['Alpha', 'Beta'])
    for (const n of shared) {
      const s = add({ path: `Projects/${project}/${n}.md`, name: n, topic: 3, headings: ['Goals', 'Status'], blocks: [blockId(r)], aliases: [], kind: 'note' });
      s.ref = `${project}/${n}`;
    }
  // The bulk: topic notes in areas and resources, some with Unicode names.
  let i = 0;
  while (notes.length < count) {
    const topic = Math.floor(r() * TOPICS.length);
    const t = TOPICS[topic]!;
    const name =
      i < UNICODE_NAMES.length
        ? (UNICODE_NAMES[i] as string)
        : `${cap(pick(r, ADJ))} ${pick(r, t.words)} ${pick(r, ['guide', 'notes', 'ideas', 'log', 'plan', 'list'])} ${i}`;
    i++;
    const folder = r() < 0.6 ? `Areas/${t.folder}` : `Resources/${t.folder}`;
    const path = `${folder}/${name}.md`;
    if (taken.has(path.toLowerCase())) continue;
    // A note made on macOS keeps its name decomposed (NFD) on disk; links are typed composed (NFC).
    const onDisk = name === 'Crème Brûlée' ? path.normalize('NFD') : path;
    const hs = [...HEADINGS].filter(() => r() < 0.45);
    if (hs.length === 0) hs.push('Summary');
    const blocks = r() < 0.3 ? [blockId(r)] : [];
    // Aliases live in frontmatter: the plain notes (every tenth, see regularNote) have none.
    const aliases = notes.length % 10 !== 9 && r() < 0.15 ? [`${cap(pick(r, t.words))} ${pick(r, ['basics', 'how-to', 'primer'])} ${i}`] : [];
    add({ path: onDisk, name, topic, headings: hs, blocks, aliases, kind: 'note' });
  }
  void special;

  const linkable = notes.filter((n) => n.kind !== 'template' && n.kind !== 'cheatsheet');
  const withHeadings = linkable.filter((n) => n.kind === 'note' && n.headings.length > 0);
  const withBlocks = linkable.filter((n) => n.blocks.length > 0);
  const withAliases = linkable.filter((n) => n.aliases.length > 0);

  // Defects: which notes carry one (never the special notes, whose text the conventions fix).
  const bulk = notes.map((n, k) => ({ n, k })).filter(({ n, k }) => n.kind === 'note' && !n.ref.includes('/') && k % 10 !== 9);
  const seeded = new Map<number, string>();
  if (opts.defects !== false) {
    const per = (every: number) => Math.max(1, Math.round(count / every));
    const plan: [string, number][] = [
      ['broken-link', per(300)],
      ['missing-heading', per(600)],
      ['missing-block', per(1300)],
      ['yaml-at', per(1300)],
      ['mojibake-mac', per(1300)],
      ['mojibake-win', per(1300)],
      ['bad-date', per(2000)],
      ['tag-space', per(2000)],
    ];
    const dr = prng(seed * 7_777 + 3);
    for (const [what, n] of plan)
      for (let k = 0; k < n; k++) {
        for (let tries = 0; tries < 50; tries++) {
          const c = pick(dr, bulk).k;
          // A note whose YAML is broken loses its aliases, as in Obsidian: links to them would break too.
          if (what === 'yaml-at' && (notes[c] as NoteSpec).aliases.length > 0) continue;
          if (!seeded.has(c)) {
            seeded.set(c, what);
            break;
          }
        }
      }
  }

  const link = (to: NoteSpec): string => `[[${to.ref}]]`;
  const date = (rr: () => number, format: string): string => (DATE_FORMATS[format] as (t: Moment) => string)(moment(rr));
  const formats = Object.keys(DATE_FORMATS);

  notes.forEach((note, k) => {
    current = note.path;
    const nr = prng(seed * 1_000_003 + k * 7_919 + 5);
    const t = TOPICS[note.topic]!;
    const defect = seeded.get(k);
    const other = (): NoteSpec => pick(nr, linkable);
    const sameTopic = (): NoteSpec => {
      for (let x = 0; x < 20; x++) {
        const o = pick(nr, linkable);
        if (o.topic === note.topic && o !== note) return o;
      }
      return other();
    };
    let text: string;
    switch (note.kind) {
      case 'daily': {
        used('daily note (Daily/2024/2024-01-31.md, links to the days before and after)');
        const idx = k;
        const prev = notes[idx - 1]?.kind === 'daily' ? notes[idx - 1] : undefined;
        const next = notes[idx + 1]?.kind === 'daily' ? notes[idx + 1] : undefined;
        const nav = [prev ? `← ${link(prev)}` : '', next ? `${link(next)} →` : ''].filter(Boolean).join(' | ');
        text = `---\ntags:\n  - daily\ncreated: ${note.name}\n---\n${nav}\n\n## Log\n\n- ${pad(7 + (k % 10))}:${pad(k % 60)} ${words(nr, t.words, 6)} with ${link(
          pick(
            nr,
            notes.filter((n) => n.kind === 'person'),
          ),
        )} about ${link(sameTopic())}.\n- ${words(nr, t.words, 8)}.\n\n## Tasks\n\n- [ ] ${words(nr, t.words, 4)} ${link(sameTopic())} 📅 ${note.name}\n- [x] ${words(nr, t.words, 5)} ✅ ${note.name}\n`;
        if (k % 7 === 0) {
          text += `\nmood:: 🙂 calm\nsleep:: 7.5\n`;
          used('Dataview inline field (key:: value)');
        }
        break;
      }
      case 'folder': {
        used('folder note (Areas/Cooking/Cooking.md)');
        const members = linkable.filter((n) => n.topic === note.topic && n.kind === 'note').slice(0, 12);
        text = `---\ntags:\n  - area/${t.name}\ncssclasses:\n  - folder-note\n---\n# ${note.name}\n\n## Overview\n\n${words(nr, t.words, 20)}.\n\n## Index\n\n${members.map((m) => `- ${link(m)}`).join('\n')}\n\n\`\`\`dataview\nLIST FROM "Areas/${t.folder}" WHERE file.name != this.file.name SORT file.mtime DESC\n\`\`\`\n`;
        used('Dataview query block');
        break;
      }
      case 'moc': {
        used('map of content with aliases');
        const members = linkable.filter((n) => n.topic === note.topic && n.kind === 'note').slice(0, 30);
        text = `---\naliases:\n  - ${note.aliases[0]}\ntags:\n  - moc\n---\n## Notes\n\n${members.map((m) => `- ${link(m)}${m.aliases.length ? ` (also [[${m.aliases[0]}]])` : ''}`).join('\n')}\n`;
        break;
      }
      case 'person': {
        used('person note with a link property');
        text = `---\naliases:\n  - ${note.aliases[0]}\ntags:\n  - people\nup: "[[People]]"\ncompany: ${cap(pick(nr, t.words))} Ltd\nbirthday: ${isoDate(moment(nr))}\n---\n## Contact\n\n- email:: ${note.aliases[0]!.toLowerCase()}@example.org\n\n## Meetings\n\n- ${link(sameTopic())}\n`;
        break;
      }
      case 'drawing': {
        used('Excalidraw drawing (.excalidraw.md)');
        const pic = pick(nr, attachments);
        text = `---\n\nexcalidraw-plugin: parsed\ntags: [excalidraw]\n\n---\n==⚠  Switch to EXCALIDRAW VIEW in the MORE OPTIONS menu of this document. ⚠== You can decompress Drawing data with the command palette: 'Decompress current Excalidraw file'. For more info check in plugin settings under 'Saving'\n\n\n# Excalidraw Data\n## Text Elements\n${words(nr, t.words, 3)} ^${note.blocks[0]}\n\n${link(sameTopic())} ^${note.blocks[1]}\n\n## Embedded Files\n3c1f0e9a7b2d4c5e8f6a1b2c3d4e5f6a7b8c9d0e: [[${pic}]]\n\n%%\n## Drawing\n\`\`\`compressed-json\nN4KAkARALgngDgUwgLgAQQQDwMYEMA2AlgCYBOuA7hADTgQBuCpAzoQPYB2KqATLZMzYBXUtiRoIACyhQ4zZAHoFAc0JRJQgEYA6bGwC2CgF7N6hbEcK4OCtptbErHALRY8RMpWdx8Q1TdIEfARcZgRmBShcZQUebQBWbQAGGjoghH0EDihmbgBtcDBQMBLoeHF0KCwoFJLIRhZ2LjQANgBGAE5SFtZOADl9Vo6ADgBmAA4AFgB2FPGJgH1uAHYANhKAX3Xc\n\`\`\`\n%%\n`;
        // `## Text Elements` is a heading of the drawing; the spec names it so.
        break;
      }
      case 'template': {
        used('template with placeholders ({{date}}, <% tp.file.title %>)');
        const templater = note.name !== 'Daily Template' && note.name !== 'Meeting Template';
        text = templater
          ? `---\naliases:\n  - \ntags:\n  - \ncreated: <% tp.file.creation_date("YYYY-MM-DD HH:mm") %>\nupdated: <% tp.file.last_modified_date("YYYY-MM-DD HH:mm") %>\n---\n# <% tp.file.title %>\n\nup:: [[<% tp.file.folder() %>]]\n\n<% tp.file.cursor() %>\n`
          : `---\ntags:\n  - daily\ncreated: {{date:YYYY-MM-DD}}\n---\n← [[{{yesterday}}]] | [[{{tomorrow}}]] →\n\n## Log\n\n- \n\n## Tasks\n\n- [ ] \n`;
        break;
      }
      case 'cheatsheet': {
        used('page explaining link syntax in code');
        text = `---\ntags:\n  - reference/obsidian\n---\n## Links\n\nWrite \`[[Note]]\` to link, \`[[Note|shown text]]\` to show other text, \`[[Note#Heading]]\` for a heading and \`[[Note#^block]]\` for a block. Double backticks show a backtick: \`\`[[a]] \` [[b]]\`\`.\n\n\`\`\`markdown\n[[Some Note]]\n![[Some Image.png]]\n[[Some Note#Some Heading|alias]]\n\`\`\`\n\n~~~\n[[Inside a tilde fence]]\n~~~\n\n## Embeds\n\n> \`\`\`md\n> ![[Quoted Fence Embed]]\n> \`\`\`\n\nAn indented code block:\n\n    [[Indented Code Link]]\n    ![[indented.png]]\n\n- a list item\n\n    its paragraph, indented, with a real link to ${link(other())}\n\n<!-- [[Commented Out]] -->\n%% [[Obsidian comment]] %%\n\n<!--\n[[Multi-line comment]]\n-->\n\nMath: $A = [[1, 2], [3, 4]]$ and\n\n$$\nM = [[a, b], [c, d]]\n$$\n`;
        break;
      }
      default: {
        text = regularNote(nr, note, k, defect);
      }
    }
    files.push({ path: note.path, content: text });
  });

  /** A regular note: its template family fixes the frontmatter layout and the date format. */
  function regularNote(nr: () => number, note: NoteSpec, k: number, defect: string | undefined): string {
    const t = TOPICS[note.topic]!;
    const family = k % 10;
    const fmt = formats[k % formats.length] as string;
    const fm: string[] = [];
    // Family 9: no frontmatter at all (plain notes); family 8: properties without tags.
    if (family !== 9) {
      used(`dates as ${fmt}`);
      if (note.aliases.length) fm.push('aliases:', ...note.aliases.map((a) => `  - ${a}`));
      else if (family < 4) {
        fm.push('aliases:', '  - ');
        used('template: empty `aliases:` list item');
      } else if (family < 6) {
        fm.push('aliases: []');
        used('aliases: []');
      }
      if (family < 4) {
        const tags = [`${t.name}/${pick(nr, t.words)}`, pick(nr, ['status/🌱', 'status/🌿', 'to-read', 'book_notes', 'y2024', 'inbox'])];
        if (family === 0) {
          fm.push('tags:', '  - ');
          used('template: empty `tags:` list item');
        } else {
          fm.push('tags:', ...tags.map((x) => `  - ${x}`));
          used('nested and emoji tags as a list');
        }
      } else if (family < 6) {
        fm.push(`tags: ${t.name} ${pick(nr, t.words)}`);
        used('tags as one string (tags: a b)');
      } else if (family < 7) {
        fm.push(`tags: [${t.name}, "${t.name}/${pick(nr, t.words)}"]`);
        used('tags as a flow list');
      } else if (family === 7) {
        fm.push('tags:');
        used('template: `tags:` with no value');
      }
      if (family === 5) {
        fm.push(`date created: ${date(nr, fmt)}`, `date modified: ${date(nr, fmt)}`);
        used("the Linter plugin's keys (date created, date modified)");
      }
      const created = date(nr, fmt);
      fm.push(`created: ${created}`, `updated: ${date(nr, fmt)}`);
      if (family === 2 || family === 7) fm.push(`modified: ${date(nr, fmt)}`);
      if (family % 3 === 0) {
        fm.push(`up: "${link(notes.find((n) => n.kind === 'folder' && n.topic === note.topic) as NoteSpec)}"`, 'related:', `  - "${link(pick(nr, linkable))}"`);
        used('links in properties (up: "[[Note]]", related list)');
      }
      if (family === 1 || family === 6) {
        fm.push(
          'publish: true',
          'completed: false',
          `rating: ${1 + (k % 5)}.5`,
          'cssclasses:',
          '  - wide',
          `status: ${pick(nr, ['draft', 'evergreen', 'seedling'])}`,
        );
        used('checkbox, number and list properties');
      }
      if (family === 4) {
        fm.push(`source: https://example.org/${t.name}/${k}`, `author: "[[${pick(nr, PEOPLE)}]]"`);
        used('source URL and author link');
      }
    }
    if (defect === 'yaml-at') fm.push(`reviewer: @${pick(nr, PEOPLE).split(' ')[0]!.toLowerCase()}`);
    if (defect === 'bad-date') fm.push(`created: ${2023}-02-30`);
    if (defect === 'tag-space') fm.push('tags:', `  - ${t.name} notes`);
    // A template family's keys appear once; a defect may repeat one (replace it instead).
    const fmLines = dedupeKeys(fm);
    const body: string[] = [];
    if (family === 3 || family === 6) body.push(`# ${note.name}`, '');
    let blockUsed = false;
    for (const h of note.headings) {
      body.push(`## ${h}`, '');
      const para: string[] = [words(nr, t.words, 12 + Math.floor(nr() * 20))];
      // Links of every form, to notes that exist.
      const lk = Math.floor(nr() * 4);
      for (let x = 0; x < lk; x++) {
        const form = Math.floor(nr() * 16);
        const o = pick(nr, linkable);
        if (form === 0) para.push(`See ${link(o)}.`);
        else if (form === 1) {
          para.push(`As in [[${o.ref}|${words(nr, t.words, 2).toLowerCase()}]].`);
          used('[[Note|shown text]]');
        } else if (form === 2 && withHeadings.length) {
          const h2 = pick(nr, withHeadings);
          para.push(`Details in [[${h2.ref}#${linkHeading(pick(nr, h2.headings))}]].`);
          used('[[Note#Heading]] (with `:` left out as Obsidian writes it)');
        } else if (form === 3 && withBlocks.length) {
          const b = pick(nr, withBlocks);
          para.push(`Quoted: ![[${b.ref}#^${pick(nr, b.blocks)}]]`);
          used('[[Note#^block]] embeds');
        } else if (form === 4) {
          const a = pick(nr, attachments);
          const suffix = a.endsWith('.pdf')
            ? `#page=${1 + Math.floor(nr() * 9)}`
            : a.endsWith('.png') || a.endsWith('.jpg')
              ? `|${pick(nr, ['300', '600x400', 'caption'])}`
              : '';
          para.push(`![[${a}${suffix}]]`);
          used('attachment embeds (![[x.png|300]], ![[x.pdf#page=3]])');
        } else if (form === 5 && withAliases.length) {
          const a = pick(nr, withAliases);
          para.push(`Also called [[${a.aliases[0]}]].`);
          used('links to an alias');
        } else if (form === 6) {
          const p = notes.find((n) => n.ref.includes('/')) as NoteSpec;
          para.push(`For the project, ${link(p)}.`);
          used('path links for names two folders share ([[Alpha/Overview]])');
        } else if (form === 7) {
          para.push(`[${words(nr, t.words, 2).toLowerCase()}](${encodeURI(o.path.split('/').pop() as string)}) and [site](https://example.org/${t.name})`);
          used('Markdown links to notes ([x](Some%20Note.md)) and to the web');
        } else if (form === 8) {
          para.push(`Write \`[[${words(nr, t.words, 1)} ${k}]]\` to link.`);
          used('inline code showing [[link]] syntax');
        } else if (form === 9) {
          para.push(`See the board [[${pick(nr, canvases)}]] and ![[${notes.find((n) => n.kind === 'drawing')!.name}]].`);
          used('canvas and Excalidraw links');
        } else if (form === 11 && withHeadings.length) {
          const h2 = pick(nr, withHeadings);
          const file = `${h2.name}.md`;
          const dest = /[()<>]/.test(file)
            ? `<${file}#${linkHeading(pick(nr, h2.headings))}>`
            : `${encodeURI(file)}#${encodeURI(linkHeading(pick(nr, h2.headings)))}`;
          para.push(`[${words(nr, t.words, 2).toLowerCase()}](${dest})`);
          used('Markdown links to a heading ([x](Some%20Note.md#Some%20Heading))');
        } else if (form === 12) {
          para.push(`![[Attachments/${pick(nr, attachments)}]]`);
          used('attachment embeds by path (![[Attachments/x.png]])');
        } else if (form === 13) {
          const o2 = pick(
            nr,
            linkable.filter((n) => !n.ref.includes('/')),
          );
          para.push(nr() < 0.5 ? `[[${o2.name}.md]]` : `[[${o2.name.toLowerCase()}]]`);
          used('links with .md or in another case ([[Note.md]], [[note]])');
        } else if (form === 14) {
          const o2 = sameTopicOf(nr, note);
          const rel = relativePath(note.path, o2.path.normalize('NFC'));
          if (!/[()<>]/.test(rel)) {
            para.push(`[${words(nr, t.words, 1).toLowerCase()}](${encodeURI(rel)})`);
            used('relative Markdown links ([x](../Garden/Note.md))');
          }
        } else if (form === 15) {
          const o2 = pick(nr, withHeadings);
          para.push(nr() < 0.5 ? `![[${o2.ref}]]` : `![[${o2.ref}#${linkHeading(pick(nr, o2.headings))}]]`);
          used('note embeds (![[Note]], ![[Note#Heading]])');
        } else para.push(`${link(sameTopicOf(nr, note))}.`);
      }
      if (!blockUsed && note.blocks.length) {
        para.push(`^${note.blocks[0]}`);
        blockUsed = true;
      }
      body.push(para.join(' '), '');
      const extra = Math.floor(nr() * 8);
      if (extra === 0) {
        body.push(`> [!note] ${words(nr, t.words, 3)}`, `> ${words(nr, t.words, 8)} ${link(sameTopicOf(nr, note))}.`, '');
        used('callouts');
      } else if (extra === 1) {
        body.push('```js', `const link = "[[${words(nr, t.words, 1)}]]"; // not a link`, 'const x = `[[y]]`;', '```', '');
        used('fenced code with [[...]] inside');
      } else if (extra === 2) {
        body.push(`The cost is $E = mc^2$ and $$\\sum_{i} [[x_i]]$$ inline, $5 or $10.`, '');
        used('math ($…$, $$…$$) and dollar amounts');
      } else if (extra === 3) {
        body.push(`<!-- TODO link [[${words(nr, t.words, 2)}]] -->`, `%% private: [[${words(nr, t.words, 1)} draft]] %%`, '');
        used('HTML and %% comments holding links');
      } else if (extra === 4) {
        body.push(
          `status:: ${pick(nr, ['🌱 seedling', 'done', 'waiting'])}`,
          `[rating:: ${1 + (k % 5)}] (reviewed:: ${isoDate(moment(nr))})`,
          `up:: ${link(sameTopicOf(nr, note))}`,
          '',
        );
        used('Dataview inline field (key:: value)');
      } else if (extra === 5) {
        body.push(`- [ ] ${words(nr, t.words, 4)} 📅 ${isoDate(moment(nr))} #task`, `- [x] ${words(nr, t.words, 3)} #${t.name}/${pick(nr, t.words)}`, '');
        used('tasks with dates and body tags');
      } else if (extra === 6) {
        body.push(`${words(nr, t.words, 6)}[^1].`, '', `[^1]: ${words(nr, t.words, 5)}.`, '');
        used('footnotes');
      } else {
        body.push(`| ${cap(t.name)} | Link |`, '| --- | --- |', `| ${pick(nr, t.words)} | [[${sameTopicOf(nr, note).ref}\\|${pick(nr, t.words)}]] |`, '');
        used('tables with [[Note\\|shown]]');
      }
    }
    if (defect === 'broken-link') body.push(`See also [[${cap(pick(nr, t.words))} ${pick(nr, ['handbook', 'atlas', 'almanac'])} zz${k}]].`, '');
    if (defect === 'missing-heading') {
      const o = pick(nr, withHeadings);
      body.push(`More in [[${o.ref}#No such part ${k}]].`, '');
    }
    if (defect === 'missing-block') {
      const o = pick(nr, withBlocks);
      body.push(`Quoted: ![[${o.ref}#^gone${k}]]`, '');
    }
    if (defect === 'mojibake-mac') body.push(damageAs(`## ⚖️ Łódź, Dvořák and čeština`, 'macintosh'), '');
    if (defect === 'mojibake-win') body.push(damageAs(`The café serves crème brûlée in ${t.name}.`, 'windows-1252'), '');
    const head = fmLines.length ? `---\n${fmLines.join('\n')}\n---\n` : '';
    return `${head}${body.join('\n')}`;
  }

  function sameTopicOf(nr: () => number, note: NoteSpec): NoteSpec {
    for (let x = 0; x < 20; x++) {
      const o = pick(nr, linkable);
      if (o.topic === note.topic && o !== note) return o;
    }
    return pick(nr, linkable);
  }

  for (const c of canvases) {
    const nodes = [0, 1].map((x) => ({ id: `n${x}`, type: 'file', file: notes[(x * 37) % notes.length]!.path, x: x * 400, y: 0, width: 400, height: 400 }));
    files.push({ path: `Canvas/${c}`, content: `${JSON.stringify({ nodes, edges: [{ id: 'e0', fromNode: 'n0', toNode: 'n1' }] }, null, '\t')}\n` });
  }
  // What Obsidian keeps beside the notes: settings, and a README for the repository.
  files.push({ path: '.obsidian/app.json', content: '{\n  "attachmentFolderPath": "Attachments",\n  "newLinkFormat": "shortest"\n}\n' });
  files.push({ path: 'README.md', content: `# Vault\n\nStart at [[Home]], which is not a note of this vault; README files are not checked.\n` });

  for (const [k, what] of seeded) {
    const n = notes[k] as NoteSpec;
    const rule = {
      'broken-link': 'links/unknown-target',
      'missing-heading': 'links/unknown-heading',
      'missing-block': 'links/unknown-heading',
      'yaml-at': 'yaml/syntax',
      'mojibake-mac': 'text/mojibake',
      'mojibake-win': 'text/mojibake',
      'bad-date': 'dates/invalid',
      'tag-space': 'notes/tag-format',
    }[what] as string;
    defects.push({ rule, file: n.path, what });
  }
  defects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.rule < b.rule ? -1 : 1));
  const conventions = Object.fromEntries([...users].map(([c, set]) => [c, set.size]).sort((a, b) => (b[1] as number) - (a[1] as number)));
  return { files, defects, conventions };
}

/** The path of `to` relative to the folder of `from`, as a Markdown link writes it. */
function relativePath(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let common = 0;
  while (common < a.length && common < b.length - 1 && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}

/** Keeps the last line of each top-level key (a seeded defect replaces the template's value). */
function dedupeKeys(lines: string[]): string[] {
  const blocks: { key: string; lines: string[] }[] = [];
  for (const l of lines) {
    const m = /^([^\s:][^:]*):/.exec(l);
    if (m && !l.startsWith(' ')) blocks.push({ key: m[1] as string, lines: [l] });
    else blocks[blocks.length - 1]?.lines.push(l);
  }
  const last = new Map<string, number>();
  blocks.forEach((b, i) => last.set(b.key, i));
  return blocks.filter((b, i) => last.get(b.key) === i).flatMap((b) => b.lines);
}

/** Writes the vault to `dir` (created); returns what was written. */
export function writeVault(dir: string, opts: VaultOptions): SynthVault {
  const vault = generateVault(opts);
  for (const f of vault.files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.content);
  }
  return vault;
}
