/** text/mojibake: UTF-8 read as Windows-1252 or Mac Roman and saved again is found and repaired, and nothing else is. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repairMojibake } from '../../src/core/mojibake.js';
import { byRule, checkFiles, fixFile } from '../helpers/check.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { patternCorpus } from '../helpers/pattern.js';
import { prng } from '../../src/synth/generate.js';

/** What a UTF-8 text becomes when its bytes are read in another code page. */
function damage(text: string, encoding: 'windows-1252' | 'macintosh'): string {
  const bytes = new TextEncoder().encode(text);
  if (encoding === 'macintosh') return new TextDecoder('macintosh').decode(bytes);
  // Node's windows-1252 decoder may be Latin-1 for 0x80–0x9F: map those bytes by the code page's table.
  const cp1252: Record<number, string> = {
    128: '€',
    130: '‚',
    131: 'ƒ',
    132: '„',
    133: '…',
    134: '†',
    135: '‡',
    136: 'ˆ',
    137: '‰',
    138: 'Š',
    139: '‹',
    140: 'Œ',
    142: 'Ž',
    145: '‘',
    146: '’',
    147: '“',
    148: '”',
    149: '•',
    150: '–',
    151: '—',
    152: '˜',
    153: '™',
    154: 'š',
    155: '›',
    156: 'œ',
    158: 'ž',
    159: 'Ÿ',
  };
  return [...bytes].map((b) => cp1252[b] ?? String.fromCharCode(b)).join('');
}

describe('repairMojibake', () => {
  const originals = [
    '⚖️ Power Dynamics',
    'café crème',
    'It’s “quoted” — with a dash…',
    'Łódź and Škoda',
    '🧩 Definition',
    '→ next • item ✓',
    'naïve façade, 20 °C ± 2',
  ];
  for (const encoding of ['windows-1252', 'macintosh'] as const) {
    it(`restores text damaged through ${encoding}`, () => {
      for (const text of originals) {
        const damaged = damage(text, encoding);
        if (damaged === text) continue;
        expect(repairMojibake(damaged)?.text, `${encoding}: ${damaged}`).toBe(text);
      }
    });
  }

  it('Latin Extended-A through Mac Roman (`≈Å` for Ł, `ƒç` for č) is repaired inside words; `≈` and `ƒ` in maths are left alone', () => {
    const cases: [string, string | undefined][] = [
      ['≈Åukasz', 'Łukasz'],
      ['ƒçe≈°tina', 'čeština'],
      ['Wa≈Çƒôsa', 'Wałęsa'],
      ['≈†koda', 'Škoda'],
      // `≈∫` (ź) looks like maths alone; the `√≥` (ó) beside it is damage that needs no context.
      ['≈Å√≥d≈∫', 'Łódź'],
      ['Gda≈Ñsk', 'Gdańsk'],
      ['x ≈ 3', undefined],
      ['x≈π', undefined],
      ['a≈±2 and ƒ∂x', undefined],
      ['ƒ(x) ≈ ∑ aᵢ', undefined],
      ['≈∞', undefined],
    ];
    for (const [text, fixed] of cases) expect(repairMojibake(text)?.text, text).toBe(fixed);
  });

  it('leaves clean text alone, accented and symbolic prose included', () => {
    const clean = [
      'Rüßmann, Gödel, Ærø, São Paulo, Ñandú',
      'l’école — état “Éducation”',
      'CAFÉ’s menu',
      'x ≈ 3 ± 0.1, √2, ¬p, ƒ(x)',
      'Â la carte? Ã is a letter too',
      '½ cup • 2 tsp — 3 °C',
      '⚖️ 🧩 ✓ → ∞',
    ];
    for (const line of clean) expect(repairMojibake(line), line).toBeUndefined();
  });

  // Words as their languages write them, joined the ways prose and notes join words.
  const WORDS: Record<string, string[]> = {
    German: 'Größe Übung Äpfel Straße für Müller Öl Grüße Maß Bär schön Ärger Fußgänger'.split(' '),
    Polish: 'Łódź Kraków Gdańsk żółw źródło gęślą jaźń Wałęsa świat łąka Żaneta Ścięgno pięć'.split(' '),
    French: 'été naïve façade crème brûlée œuvre Noël garçon où déjà Ça Éloïse cœur'.split(' '),
    Czech: 'čeština Dvořák příliš žluťoučký kůň úpěl ďábelské ódy Škoda Ťuk Řeka ěšč'.split(' '),
    Japanese: 'こんにちは 日本語 カタカナ 東京 ひらがな 漢字 「引用」 ノート'.split(' '),
    emoji: '⚖️ 🧩 🌿 ✅ 👩‍💻 🇵🇱 ❤️ 🔥 ✓ →'.split(' '),
    maths: 'x≈π ≈±2 ƒ(x) ≤ ≥ ∞ √2 ¬p ∑ ∫ ∂x Ω µm ≈ 3 °C ± ½ ×'.split(' '),
  };
  const JOINS = [' ', ' ', ', ', ' — ', '’s ', '… ', ' “', '” ', ' (', ') ', ': ', '/', '-', ' ≈ ', ' · '];

  it('leaves correct non-ASCII text alone, and repairs it exactly once damaged (2,000 generated lines)', () => {
    const r = prng(22);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const langs = Object.keys(WORDS);
    let repairedMac = 0;
    for (let n = 0; n < 2000; n++) {
      // One or two languages a line, as notes mix them (a Polish name in a German sentence, a formula).
      const mine = [pick(langs), pick(langs)];
      let line = '';
      const words = 2 + Math.floor(r() * 8);
      for (let w = 0; w < words; w++) line += (w ? pick(JOINS) : '') + pick(WORDS[pick(mine)]!);
      expect(repairMojibake(line), line).toBeUndefined();
      // Damaged, the letters of Latin alphabets come back (maths through Mac Roman stays as it is, on purpose).
      if (mine.every((l) => l !== 'Japanese' && l !== 'maths')) {
        for (const enc of ['windows-1252', 'macintosh'] as const) {
          const damaged = damage(line, enc);
          if (damaged === line) continue;
          expect(repairMojibake(damaged)?.text, `${enc}: ${damaged}`).toBe(line);
          if (enc === 'macintosh') repairedMac++;
        }
      }
    }
    expect(repairedMac).toBeGreaterThan(500);
  });

  it('the seed note title, as its bytes are', () => {
    expect(repairMojibake('title: \u201a\u00f6\u00f1\u00d4\u220f\u00e8 Power Dynamics')?.text).toBe('title: ⚖️ Power Dynamics');
  });
});

describe('text/mojibake', () => {
  it('is one finding per file, for every kind, whose fix restores every damaged line', () => {
    const files = patternCorpus();
    const [first] = Object.keys(files);
    files[first!] =
      files[first!]!.replace(/^title: (.*)$/m, (_m, t: string) => `title: ${damage(`🌿 ${t}`, 'macintosh')}`) +
      `\nThe ${damage('café', 'windows-1252')} closed.\n`;
    const notes = { 'Note.md': `---\ntitle: ${damage('⚖️ Salt Balance', 'macintosh')}\ntags: [x]\n---\n\nText.\n` };
    const f = byRule(checkFiles({ ...files, ...notes }), 'text/mojibake');
    expect(f.map((x) => x.file).sort()).toEqual([first, 'Note.md'].sort());
    const pattern = f.find((x) => x.file === first)!;
    expect(pattern.fix!.edits).toHaveLength(2);
    const fixed = fixFile({ ...files, ...notes }, f, first!);
    expect(fixed.text).toContain('title: 🌿 ');
    expect(fixed.text).toContain('The café closed.');
    const note = fixFile({ ...files, ...notes }, f, 'Note.md');
    expect(note.text).toContain('title: ⚖️ Salt Balance\n');
    expect(byRule(checkFiles(note.files), 'text/mojibake').map((x) => x.file)).not.toContain('Note.md');
  });

  // The seed note lives beside the repository (../shared, or two levels up from a worktree).
  const seed = ['../shared', '../../shared'].map((p) => resolve(REPO_ROOT, p, 'seeds/000_f7bcaed15f396f21.txt')).find((p) => existsSync(p));
  it.skipIf(!seed)(
    `the seed note: its title is found and the fix restores ⚖️ Power Dynamics${seed ? '' : ' (SKIPPED: ../shared/seeds/000_f7bcaed15f396f21.txt not found)'}`,
    () => {
      const text = readFileSync(seed!, 'utf8');
      const files = { 'Power Dynamics.md': text };
      const f = byRule(checkFiles(files), 'text/mojibake');
      expect(f).toHaveLength(1);
      expect(f[0]!.line).toBe(2);
      expect(f[0]!.message).toContain('stands for `⚖️`');
      const fixed = fixFile(files, f, 'Power Dynamics.md');
      expect(fixed.text.split('\n')[1]).toBe('title: ⚖️ Power Dynamics');
      expect(fixed.text).toContain('### 🧩 Definition and Core Themes');
      expect(fixed.text).toContain('Martín-Baró');
    },
  );
  if (!seed) it('seed note absent', () => console.warn('SKIPPED the seed note test: ../shared/seeds/000_f7bcaed15f396f21.txt not found'));
});
