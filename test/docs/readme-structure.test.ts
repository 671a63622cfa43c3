/** The README's first screen is for a maintainer deciding to adopt: what, for whom, and the three ways in. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const first60 = readme.split('\n').slice(0, 60).join('\n');

describe('README', () => {
  it('has the three install paths within its first 60 lines', () => {
    expect(first60).toMatch(/^npm start\b/m); // the app, registered through Probot's manifest flow
    expect(first60).toMatch(/uses: "?<owner>\/pattern-gardener@/); // the action
    expect(first60).toMatch(/^npx @pattern-gardener\/gardener check _patterns/m); // the CLI package
  });

  it('keeps the two commands', () => {
    expect(readme).toContain('\nnpm ci && npm run demo\n');
    expect(readme).toContain('\nnpm test\n');
  });

  it('defines its own words where they first appear', () => {
    // After the picture of a review (rule ids there), each word's bold definition is its first use.
    const pictureEnd = readme.indexOf('```', readme.indexOf('```text') + 3);
    const after = readme.slice(pictureEnd);
    for (const word of ['garden', 'proposal', 'sweep', 'replant']) {
      const defined = after.indexOf(`**${word}**`);
      expect(defined, `${word} is not defined in bold`).toBeGreaterThanOrEqual(0);
      expect(after.search(new RegExp(`\\b${word}\\b`, 'i')), `${word} is used before its definition`).toBe(defined + 2);
    }
  });

  it('holds no benchmark log (docs/performance.md does) and names the CLI package with its scope', () => {
    expect(readme).not.toMatch(/paired ratio|deoptimis|instruction count|BENCH_RUNS/);
    expect(readme).not.toMatch(/npx (--yes |--no-install )?(pattern-gardener|gardener) /);
  });
});
