/** The size budget helper every GitHub output goes through (src/github/limits.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteLength, closeFences, cutMarkdown, fitMarkdown, fits, truncate, type MarkdownBlock } from '../../src/github/limits.js';
import { propertyRuns } from '../helpers/runs.js';

describe('truncate', () => {
  it('cuts to the byte limit at a code point boundary, with the ellipsis', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 0, max: 400 }), (s, limit) => {
        const t = truncate(s, limit);
        expect(byteLength(t)).toBeLessThanOrEqual(Math.max(limit, 0));
        if (byteLength(s) <= limit) expect(t).toBe(s);
        else {
          // A split code point would decode as U+FFFD: none may appear that the input did not have.
          if (!s.includes('\uFFFD')) expect(t.includes('\uFFFD')).toBe(false);
          if (limit >= 3) expect(t.endsWith('…')).toBe(true);
        }
      }),
      { numRuns: propertyRuns(2000) },
    );
  });

  it('counts bytes, not UTF-16 units: 30,000 emoji do not fit 65,535', () => {
    const s = '🌱'.repeat(30_000);
    expect(s.length).toBe(60_000);
    expect(fits(s, 65_535)).toBe(false);
    expect(byteLength(truncate(s, 65_535))).toBeLessThanOrEqual(65_535);
  });
});

describe('cutMarkdown', () => {
  it('closes a code fence left open by the cut and ends with the note', () => {
    const text = `intro\n\n\`\`\`diff\n${'+ line\n'.repeat(1000)}\`\`\`\n`;
    const out = cutMarkdown(text, 500, 'cut here');
    expect(byteLength(out)).toBeLessThanOrEqual(500);
    expect(out.endsWith('cut here')).toBe(true);
    expect(closeFences(out.slice(0, out.lastIndexOf('\n\ncut here')))).toBe(out.slice(0, out.lastIndexOf('\n\ncut here')));
  });
});

describe('fitMarkdown', () => {
  const list = (n: number, width: number, priority?: number): MarkdownBlock => ({
    head: '### Items',
    items: Array.from({ length: n }, (_, i) => `- item ${i} ${'x'.repeat(width)}`),
    more: (k) => `- … and ${k} more in the check run`,
    ...(priority !== undefined ? { priority } : {}),
  });

  it('keeps everything when it fits', () => {
    const out = fitMarkdown(['# Title', list(3, 5)], 10_000);
    expect(out).toBe('# Title\n### Items\n- item 0 xxxxx\n- item 1 xxxxx\n- item 2 xxxxx');
  });

  it('drops the last items of a list, says how many, and fills the budget', () => {
    const out = fitMarkdown(['# Title', list(1000, 50), 'footer <!-- marker -->'], 5_000);
    expect(byteLength(out)).toBeLessThanOrEqual(5_000);
    expect(out.endsWith('footer <!-- marker -->')).toBe(true);
    const shown = out.split('\n').filter((l) => l.startsWith('- item')).length;
    expect(out).toContain(`- … and ${1000 - shown} more in the check run`);
    // One more item would not have fitted.
    expect(byteLength(out) + byteLength('- item 999 ') + 50 + 1).toBeGreaterThan(5_000);
  });

  it('gives room by priority and renders in document order', () => {
    const out = fitMarkdown([list(500, 40, 1), list(500, 40, 0)], 4_000);
    const [first, second] = out.split('### Items').slice(1);
    expect(first!.split('\n').filter((l) => l.startsWith('- item')).length).toBe(0);
    expect(second!.split('\n').filter((l) => l.startsWith('- item')).length).toBeGreaterThan(10);
  });

  it('property: any blocks fit any budget, fixed text included', () => {
    const item = fc.string({ unit: 'grapheme', maxLength: 300 });
    const block: fc.Arbitrary<MarkdownBlock> = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.record({ items: fc.array(item, { maxLength: 60 }), priority: fc.integer({ min: 0, max: 2 }), sep: fc.constantFrom('\n', '\n\n') }).map((r) => ({
        head: '| a | b |\n| --- | --- |',
        items: r.items,
        separator: r.sep,
        more: (n: number) => `… and ${n} more`,
        priority: r.priority,
      })),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 6 }), fc.integer({ min: 50, max: 20_000 }), (blocks, limit) => {
        const out = fitMarkdown(blocks, limit);
        expect(byteLength(out)).toBeLessThanOrEqual(limit);
      }),
      { numRuns: propertyRuns(1500) },
    );
  });
});
