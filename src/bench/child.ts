/** One benchmark measurement in a fresh process; prints {wallMs, peakRssMb} as its last line. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { DEFAULT_CONFIG } from '../core/config.js';
import { requireDate } from '../core/dates.js';
import { listFiles } from '../cli/fs-corpus.js';
import { checkPathsAuto } from '../cli/commands/check.js';

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---/;

/** The floor: the least any checker must do (read every file, parse its frontmatter). */
function floor(dir: string): number {
  let parsed = 0;
  for (const f of listFiles(dir)) {
    if (!f.endsWith('.md')) continue;
    const text = readFileSync(join(dir, f), 'utf8');
    const m = FRONTMATTER.exec(text);
    if (!m) continue;
    try {
      jsyaml.load(m[1] as string, { schema: jsyaml.CORE_SCHEMA });
      parsed++;
    } catch {
      /* broken files count too: they were read and parsed as far as they go */
    }
  }
  return parsed;
}

async function run(): Promise<void> {
  const [task, dir] = process.argv.slice(2);
  if (!task || !dir) throw new Error('usage: child.js <floor|check|check-2-threads> <dir>');
  const today = requireDate('2026-11-21');
  const t0 = performance.now();
  let note: number;
  if (task === 'floor') note = floor(dir);
  else if (task === 'check') note = (await checkPathsAuto([dir], structuredClone(DEFAULT_CONFIG), today)).findings.length;
  else if (task === 'check-2-threads') {
    process.env.GARDENER_THREADS = '2';
    note = (await checkPathsAuto([dir], structuredClone(DEFAULT_CONFIG), today)).findings.length;
  }
  else throw new Error(`unknown task ${task}`);
  const wallMs = performance.now() - t0;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ wallMs, peakRssMb, note })}\n`);
}

run().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
