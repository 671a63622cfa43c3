/** One benchmark measurement in a fresh process; prints {wallMs, cpuMs, peakRssMb, note} as its last line. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { DEFAULT_CONFIG } from '../core/config.js';
import { requireDate, type CalendarDate } from '../core/dates.js';
import { FileSelector } from '../core/config.js';
import { CorpusIndex } from '../core/corpus.js';
import { listFiles, loadEntry } from '../cli/fs-corpus.js';
import { checkPathsAutoPacked } from '../cli/commands/check.js';

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

/**
 * Did-you-mean alone, as links/unknown-target asks it: one lookup per dangling pattern link (repeated
 * names answered from the memo, as in a check), the index built by the first. Returns wall and CPU ms
 * per link, trie nodes walked per lookup and the trie's size.
 */
function didYouMean(dir: string): { msPerLink: number; cpuMsPerLink: number; nodesPerLookup: number; indexMiB: number; links: number } {
  const selector = new FileSelector(DEFAULT_CONFIG);
  const entries = listFiles(dir)
    .filter((f) => selector.selects(f))
    .map((f) => loadEntry(dir, f, selector, DEFAULT_CONFIG.limits));
  const corpus = new CorpusIndex(entries);
  const dangling: string[] = [];
  for (const e of entries)
    for (const l of e.links)
      if (l.target && l.source !== 'wikilink' && l.source !== 'related' && corpus.resolvePattern(l.target) === undefined) dangling.push(l.target);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const matcher = corpus.slugMatcher;
  for (const target of dangling) matcher.suggest(target);
  const cpu = process.cpuUsage(cpu0);
  const links = Math.max(1, dangling.length);
  return {
    msPerLink: (performance.now() - t0) / links,
    cpuMsPerLink: (cpu.user + cpu.system) / 1000 / links,
    nodesPerLookup: matcher.nodesVisited / Math.max(1, new Set(dangling).size),
    indexMiB: matcher.indexBytes / 1048576,
    links: dangling.length,
  };
}

/**
 * The check as `gardener check --format json` runs it, short of writing: every finding made an object
 * in output order, one file's findings at a time, none kept. Returns how many.
 */
async function check(dir: string, today: CalendarDate): Promise<number> {
  const run = await checkPathsAutoPacked([dir], structuredClone(DEFAULT_CONFIG), today);
  let n = 0;
  for (const f of run.packed.sorted()) if (f.line >= 0) n++;
  return n;
}

async function run(): Promise<void> {
  const [task, dir] = process.argv.slice(2);
  if (!task || !dir) throw new Error('usage: child.js <floor|check|check-2-threads|did-you-mean> <dir>');
  const today = requireDate('2026-11-21');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let note: number | ReturnType<typeof didYouMean>;
  if (task === 'floor') note = floor(dir);
  else if (task === 'check') note = await check(dir, today);
  else if (task === 'check-2-threads') {
    process.env.GARDENER_THREADS = '2';
    note = await check(dir, today);
  } else if (task === 'did-you-mean') note = didYouMean(dir);
  else throw new Error(`unknown task ${task}`);
  const wallMs = performance.now() - t0;
  // CPU time of every thread of the process (garbage collection and the optimising compiler included).
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ wallMs, cpuMs, peakRssMb, note })}\n`);
}

run().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
