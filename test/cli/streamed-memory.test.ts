/**
 * A check's memory follows its corpus index and its findings, not the corpus bytes: no file's text or
 * parsed document stays alive past its own check. Measured as live heap (after full garbage
 * collections) at the check of the last document, when the index and every finding are held, on two
 * corpus sizes: the growth per added pattern must stay well below the mean size of a file, which is
 * the least each retained document would add.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommand, checkPaths } from '../../src/cli/commands/check.js';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { requireDate } from '../../src/core/dates.js';
import type { ParsedDocument } from '../../src/core/document.js';
import { Engine } from '../../src/core/engine.js';
import { writeCorpus } from '../../src/synth/generate.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const today = requireDate('2026-12-02');

function liveHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Live heap while the last document of `dir` is checked, and the number of documents checked. */
function liveHeapAtLastCheck(dir: string, files: number): { bytes: number; checked: number } {
  const original = Engine.prototype.inspectDocument;
  let checked = 0;
  let bytes = 0;
  Engine.prototype.inspectDocument = function (this: Engine, doc: ParsedDocument, ...rest: unknown[]) {
    if (++checked === files) bytes = liveHeap();
    return (original as (...a: unknown[]) => ReturnType<Engine['inspectDocument']>).call(this, doc, ...rest);
  } as Engine['inspectDocument'];
  try {
    checkPaths([dir], structuredClone(DEFAULT_CONFIG), today);
  } finally {
    Engine.prototype.inspectDocument = original;
  }
  return { bytes, checked };
}

/**
 * Live heap added from just before `gardener check DIR --format json` to its last write (the summary,
 * after every finding), and how many findings it wrote.
 */
async function heapAddedAtLastJsonWrite(dir: string): Promise<{ bytes: number; findings: number }> {
  let last = 0;
  let findings = 0;
  const io = {
    stdout: (s: string) => {
      findings += s.split('\n    {').length - 1;
      last = liveHeap();
    },
    stderr: () => {},
    isTTY: false,
    version: 'test',
  };
  const before = liveHeap();
  await checkCommand([dir, '--format', 'json', '--today', '2026-12-02', '--no-baseline'], io);
  return { bytes: last - before, findings };
}

function meanFileBytes(dir: string): number {
  const names = readdirSync(dir);
  return names.reduce((n, f) => n + statSync(join(dir, f)).size, 0) / names.length;
}

describe('streamed check memory', () => {
  const root = mkdtempSync(join(tmpdir(), 'gardener-memory-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const small = join(root, 'small');
  const large = join(root, 'large');
  const SMALL = 300;
  const LARGE = 1000;
  writeCorpus(small, { count: SMALL, seed: 3 });
  writeCorpus(large, { count: LARGE, seed: 3 });

  it('grows by much less than a file per pattern', () => {
    // A first run compiles the code, so that both measured runs hold the same code.
    liveHeapAtLastCheck(small, SMALL);
    const a = liveHeapAtLastCheck(small, SMALL);
    const b = liveHeapAtLastCheck(large, LARGE);
    expect([a.checked, b.checked]).toEqual([SMALL, LARGE]);
    const perPattern = (b.bytes - a.bytes) / (LARGE - SMALL);
    const fileBytes = meanFileBytes(large);
    // Index entry and packed findings: about a fifth of a synthetic file; a held document is more than one.
    expect(perPattern).toBeGreaterThan(0);
    expect(perPattern).toBeLessThan(fileBytes / 2);
  }, 300_000);

  it('writes json holding neither the index nor the findings of files already written', async () => {
    // A first run compiles the code and sizes V8's tables.
    await heapAddedAtLastJsonWrite(large);
    // What a run leaves to the next (caches grown, code compiled late) only adds: the smaller of two runs.
    const runs = [await heapAddedAtLastJsonWrite(large), await heapAddedAtLastJsonWrite(large)];
    const r = runs[0]!.bytes <= runs[1]!.bytes ? runs[0]! : runs[1]!;
    // Once the last finding is written, little of the check is left (its list of the files checked, caches
    // of the engine: 83 to 500 bytes per finding measured, depending on what V8 keeps of its tables); with
    // every finding still held as an object, about 830.
    expect(r.findings).toBeGreaterThan(3 * LARGE);
    expect(r.bytes / r.findings).toBeLessThan(640);
  }, 300_000);
});
