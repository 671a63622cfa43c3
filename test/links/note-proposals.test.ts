/** links/note-proposal: the link engine proposes notes to link to, written as [[wikilinks]] in `related` or a section. */
import { describe, expect, it } from 'vitest';
import { CorpusIndex } from '../../src/core/corpus.js';
import { parseDocument } from '../../src/core/document.js';
import { applyFixes } from '../../src/core/fixes.js';
import { linkText, noteLinkIndex, proposeNoteLinks } from '../../src/links/notes.js';

const note = (front: string, body: string) => `---\n${front}\n---\n\n${body}\n`;

const files: Record<string, string> = {
  'Ferments/Sauerkraut.md': note(
    'tags: [ferment, cabbage]',
    '# Sauerkraut\n\nShredded cabbage fermented in salt brine; lactic acid bacteria sour the cabbage under the brine for weeks.',
  ),
  'Ferments/Kimchi.md': note(
    'tags: [ferment, cabbage]\nrelated:\n  - "[[Gochugaru]]"',
    '# Kimchi\n\nNapa cabbage salted in brine, then fermented with chilli paste; lactic acid bacteria sour the cabbage.',
  ),
  'Ferments/Curtido.md': note(
    'tags: [ferment, cabbage]',
    '# Curtido\n\nA cabbage relish fermented in salt brine with oregano; lactic acid bacteria sour the cabbage for days.\n\n## See also\n\n- [[Kimchi]]',
  ),
  'Spices/Gochugaru.md': note('tags: [spice]', '# Gochugaru\n\nKorean chilli flakes, sun dried.'),
  'Bread/Sourdough.md': note('tags: [bread]', '# Sourdough\n\nFlour and water leavened with wild yeast; baked in a hot oven with steam.'),
  'Bread/Baguette.md': note('tags: [bread]', '# Baguette\n\nA long loaf baked in a hot oven with steam; flour, water, yeast and salt.'),
  'Archive/Kimchi.md': note('tags: [old]', 'An old copy of the kimchi note.'),
};

function setup() {
  const docs = Object.entries(files).map(([f, t]) => parseDocument(f, t));
  const corpus = CorpusIndex.fromDocuments(docs);
  return { docs, corpus, index: noteLinkIndex(docs, corpus), doc: (f: string) => docs.find((d) => d.file === f)! };
}

describe('note link proposals', () => {
  it('proposes the notes that share the subject, not those it already links to', () => {
    const { corpus, index, doc } = setup();
    const f = proposeNoteLinks(doc('Ferments/Sauerkraut.md'), corpus, index, { max: 2, minConfidence: 0.05 })!;
    expect(f.rule).toBe('links/note-proposal');
    expect(f.severity).toBe('notice');
    expect(f.message).toContain('`[[Ferments/Kimchi]]`');
    expect(f.message).not.toContain('Baguette');
    const g = proposeNoteLinks(doc('Ferments/Curtido.md'), corpus, index, { max: 3, minConfidence: 0.05 });
    expect(g?.message ?? '').not.toContain('[[Ferments/Kimchi]]');
  });

  it('names a note by its name when that is unique, else by its path', () => {
    const { corpus } = setup();
    expect(linkText('Ferments/Sauerkraut.md', corpus)).toBe('Sauerkraut');
    expect(linkText('Ferments/Kimchi.md', corpus)).toBe('Ferments/Kimchi');
  });

  it('the fix adds a related list before the closing fence, or appends to an existing one', () => {
    const { corpus, index, doc } = setup();
    const d = doc('Ferments/Sauerkraut.md');
    const f = proposeNoteLinks(d, corpus, index, { max: 1, minConfidence: 0.05 })!;
    const text = applyFixes(files['Ferments/Sauerkraut.md']!, [f.fix!]).text;
    expect(text.startsWith('---\ntags: [ferment, cabbage]\nrelated:\n  - "[[Ferments/Kimchi]]"\n---\n')).toBe(true);
    const fixedDoc = parseDocument('Ferments/Sauerkraut.md', text);
    expect(fixedDoc.frontmatter?.data?.related).toEqual(['[[Ferments/Kimchi]]']);
    const k = proposeNoteLinks(doc('Ferments/Kimchi.md'), corpus, index, { max: 1, minConfidence: 0.05 })!;
    const kt = applyFixes(files['Ferments/Kimchi.md']!, [k.fix!]).text;
    expect(kt).toMatch(/related:\n {2}- "\[\[Gochugaru\]\]"\n {2}- "\[\[[^\]]+\]\]"\n---/);
  });

  it('with links.noteSection the links go under that section, which is added when missing', () => {
    const { corpus, index, doc } = setup();
    const c = proposeNoteLinks(doc('Ferments/Curtido.md'), corpus, index, { max: 1, minConfidence: 0.05, section: 'See also' })!;
    expect(applyFixes(files['Ferments/Curtido.md']!, [c.fix!]).text).toMatch(/## See also\n\n- \[\[Kimchi\]\]\n- \[\[[^\]]+\]\]\n$/);
    const s = proposeNoteLinks(doc('Ferments/Sauerkraut.md'), corpus, index, { max: 1, minConfidence: 0.05, section: 'Related' })!;
    expect(applyFixes(files['Ferments/Sauerkraut.md']!, [s.fix!]).text).toMatch(
      /sour the cabbage under the brine for weeks\.\n\n## Related\n\n- \[\[Ferments\/Kimchi\]\]\n$/,
    );
  });

  it('nothing to propose is no finding; an excluded target is not proposed', () => {
    const { corpus, index, doc } = setup();
    expect(proposeNoteLinks(doc('Ferments/Sauerkraut.md'), corpus, index, { max: 0, minConfidence: 0 })).toBeUndefined();
    const f = proposeNoteLinks(doc('Ferments/Sauerkraut.md'), corpus, index, { max: 5, minConfidence: 0.05, exclude: ['Ferments/Kimchi.md'] });
    expect(f?.message ?? '').not.toContain('Kimchi]]');
  });
});
