/** `gardener sweep DIR` plans what a first sweep on GitHub would open, within the cap. */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { writeCorpus } from '../../src/synth/generate.js';

const dir = mkdtempSync(join(tmpdir(), 'gardener-sweep-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sweepJson(args: string[]) {
  let out = '';
  const code = await main(['sweep', ...args, '--format', 'json', '--today', '2026-11-21', '--no-history'], {
    stdout: (s) => void (out += s),
    stderr: () => {},
    isTTY: false,
    version: 't',
  });
  expect(code).toBe(0);
  return JSON.parse(out) as { candidates: unknown[]; operations: { op: string }[] };
}

describe('gardener sweep plan', () => {
  writeCorpus(join(dir, 'patterns'), { count: 80, seed: 3 });

  it('plans one create per candidate up to garden.maxNewIssuesPerSweep', async () => {
    mkdirSync(join(dir, 'cfg'), { recursive: true });
    // Every generated pattern has a hollow Section 8: with conventions weighed again, age + hollow make candidates.
    writeFileSync(join(dir, 'cfg', 'weighed.yml'), 'garden:\n  conventionShare: 1\n');
    const all = await sweepJson([join(dir, 'patterns'), '--config', join(dir, 'cfg', 'weighed.yml')]);
    expect(all.candidates.length).toBeGreaterThan(3);
    expect(all.operations.every((o) => o.op === 'create')).toBe(true);
    expect(all.operations.length).toBe(Math.min(all.candidates.length, 10));
    writeFileSync(join(dir, 'cfg', 'capped.yml'), 'garden:\n  maxNewIssuesPerSweep: 2\n  conventionShare: 1\n');
    const capped = await sweepJson([join(dir, 'patterns'), '--config', join(dir, 'cfg', 'capped.yml')]);
    expect(capped.operations.length).toBe(2);
  });

  it('a signal on most patterns is a convention: counted, and no issue is planned for it', async () => {
    const plain = await sweepJson([join(dir, 'patterns')]);
    expect((plain as unknown as { signals: Record<string, number> }).signals['replant/hollow-vitality']).toBe(80);
    expect(plain.candidates).toEqual([]);
    expect(plain.operations).toEqual([]);
  });
});
