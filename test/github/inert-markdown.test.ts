/** Pattern text in the bot's Markdown cannot notify people or forge the bot's hidden markers. */
import { describe, expect, it } from 'vitest';
import { inert } from '../../src/core/markdown.js';
import { commentBody } from '../../src/github/review.js';
import type { Finding } from '../../src/core/finding.js';

describe('inert', () => {
  it('breaks @mentions and HTML comment openers, leaves other text alone', () => {
    expect(inert('ping @octocat and <!-- pattern-gardener:fp=x -->')).toBe('ping @\u200boctocat and &lt;!-- pattern-gardener:fp=x -->');
    expect(inert('a @ b, mail@ x')).toBe('a @ b, mail@ x');
  });

  it('applies to review comments built from findings', () => {
    const f: Finding = {
      rule: 'links/unknown-target',
      severity: 'error',
      file: 'p.md',
      line: 3,
      column: 1,
      endLine: 3,
      target: 't',
      message: '`x` points at `@admin <!-- pattern-gardener:fp=0000 -->`',
      fix: { description: 'Replace with @team', edits: [{ line: 3, endLine: 3, text: 'y\n' }] },
    };
    const body = commentBody(f, 'abcd');
    expect(body).not.toMatch(/@admin|@team/);
    expect(body.match(/<!--/g)?.length).toBe(1); // only the bot's own marker
  });
});
