/**
 * The production entry points (`npm start`, the Lambda and Actions adapters) never load a dev or test tool:
 * the GitHub stand-in and its fault-injecting proxy, the demo, the fuzzers, the test fakes. Walks the
 * static imports of the sources from each entry.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const ENTRIES = ['src/server/main.ts', 'src/deploy/lambda.ts', 'src/deploy/action.ts'];
const DEV_ONLY = [/^src\/standin\//, /^src\/demo\//, /^src\/fuzz\//, /^src\/bench\//, /^src\/github\/testing\//];

/** Every source file reachable from `entry` through relative imports (static and `import()`). */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      const target = join(dirname(file), m[1]!).replace(/\.js$/, '.ts');
      if (existsSync(join(ROOT, target))) todo.push(target);
    }
  }
  return seen;
}

describe('production entry points', () => {
  for (const entry of ENTRIES) {
    it(`${entry} loads no stand-in, fault proxy, demo, fuzzer or test fake`, () => {
      const files = reachable(entry);
      expect(files.size).toBeGreaterThan(10);
      expect([...files].filter((f) => DEV_ONLY.some((re) => re.test(f)))).toEqual([]);
    });
  }

  it('the walk does find a dev tool where one is imported (the demo harness)', () => {
    expect([...reachable('src/demo/harness.ts')].some((f) => f === 'src/standin/faults.ts' || f.startsWith('src/standin/'))).toBe(true);
  });
});
