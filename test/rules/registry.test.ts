/** Meta-tests over the rule registry: every rule is tested, ids are unique and well-formed. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, RULES_BY_ID } from '../../src/rules/index.js';
import { checkFiles } from '../helpers/check.js';
import { patternCorpus } from '../helpers/pattern.js';

const TEST_ROOT = new URL('..', import.meta.url).pathname;
const SELF = 'registry.test.ts';

function testSources(): string {
  const out: string[] = [];
  for (const dir of ['core', 'rules', 'cli']) {
    let names: string[] = [];
    try {
      names = readdirSync(join(TEST_ROOT, dir), { recursive: true }) as string[];
    } catch {
      continue;
    }
    for (const n of names) if (n.endsWith('.test.ts') && !n.endsWith(SELF)) out.push(readFileSync(join(TEST_ROOT, dir, n), 'utf8'));
  }
  return out.join('\n');
}

describe('rule registry', () => {
  it('ids are unique, `group/name`, with a description', () => {
    expect(RULES_BY_ID.size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
      expect(r.description.length).toBeGreaterThan(10);
      expect(r.kinds.length).toBeGreaterThan(0);
    }
  });

  it('every rule id is named in some test file (a test that triggers it)', () => {
    const src = testSources();
    const untested = RULES.map((r) => r.id).filter((id) => !src.includes(`'${id}'`));
    expect(untested).toEqual([]);
  });

  it('no rule fires on the valid fixture corpus', () => {
    expect(checkFiles(patternCorpus())).toEqual([]);
  });
});
