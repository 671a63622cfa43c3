/**
 * The worker-thread check gives exactly the findings of the single-threaded one. Worker threads load
 * compiled JavaScript, so this runs the built CLI (`npm ci` builds it through `prepare`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkThreads } from '../../src/cli/commands/check.js';
import { writeCorpus } from '../../src/synth/generate.js';

const CLI = new URL('../../dist/cli/main.js', import.meta.url).pathname;

describe('parallel check', () => {
  it('uses one thread below 4 CPUs unless GARDENER_THREADS asks otherwise', () => {
    expect(checkThreads({}, 2)).toBe(1);
    expect(checkThreads({}, 8)).toBe(4);
    expect(checkThreads({ GARDENER_THREADS: '3' }, 2)).toBe(3);
    expect(checkThreads({ GARDENER_THREADS: 'x' }, 2)).toBe(1);
  });

  it.skipIf(!existsSync(CLI))('gives the same JSON with 3 worker threads as on one thread', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gardener-parallel-'));
    try {
      writeCorpus(dir, { count: 120, seed: 7 });
      const run = (threads: string) => {
        try {
          return execFileSync(process.execPath, [CLI, 'check', dir, '--format', 'json', '--today', '2026-11-21'], {
            env: { ...process.env, GARDENER_THREADS: threads },
            encoding: 'utf8',
            maxBuffer: 64 * 1024 * 1024,
          });
        } catch (e) {
          return (e as { stdout: string }).stdout; // exit 1 when errors exist
        }
      };
      const one = run('1');
      const three = run('3');
      expect(JSON.parse(one).files).toBe(120);
      expect((JSON.parse(one) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
      expect(three).toBe(one);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
