/**
 * `npm run fuzz`: mutates real pattern files (../shared/corpus when present, else the repository's own
 * fixtures) and runs the parser and every rule on each mutant. Bounded in count and time; prints how many
 * inputs were tried and how many crashed (an exception escaping the core) or blew the per-input budget.
 * Each mutant's frontmatter also goes through the YAML fast path, which must give js-yaml's value or
 * step aside (a difference counts as a failure). Exit 1 when anything crashed or differed. Seeded, so a
 * failure can be replayed: FUZZ_SEED=<n>.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import jsyaml from 'js-yaml';
import { fastYaml } from '../core/fast-yaml.js';
import { DEFAULT_CONFIG } from '../core/config.js';
import { CorpusIndex } from '../core/corpus.js';
import { requireDate } from '../core/dates.js';
import { parseDocument, type ParsedDocument } from '../core/document.js';
import { Engine } from '../core/engine.js';
import { applyFixes } from '../core/fixes.js';
import { extractCorpus } from '../bench/corpus.js';
import { prng } from '../synth/generate.js';

const maxInputs = Number(process.env.FUZZ_COUNT ?? 20_000);
const maxSeconds = Number(process.env.FUZZ_SECONDS ?? 60);
const perInputBudgetMs = Number(process.env.FUZZ_BUDGET_MS ?? 2000);
const rand = prng(Number(process.env.FUZZ_SEED ?? 12345));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const TOKENS = [
  '---',
  '- ',
  ': ',
  '[',
  ']',
  '{',
  '}',
  '&a ',
  '*a',
  '!!binary ',
  '|',
  '>-',
  '"',
  "'",
  '#',
  '\t',
  '\r\n',
  '\uFEFF',
  '\u0000',
  '[[',
  ']]',
  '__proto__: 1',
  '.nan',
  '.inf',
  '2026-02-30',
  '### Section 2: Problem',
  '> **The core conflict is ',
  '```',
  '~~~',
  '\\',
  '%YAML 1.2',
  '? ',
  '<<: *a',
];

function mutate(text: string): string | Uint8Array {
  const lines = text.split('\n');
  const k = Math.floor(rand() * 9);
  const at = Math.floor(rand() * Math.max(1, lines.length));
  switch (k) {
    case 0:
      lines.splice(at, 1);
      return lines.join('\n');
    case 1:
      lines.splice(at, 0, lines[Math.floor(rand() * lines.length)] ?? '');
      return lines.join('\n');
    case 2: {
      const l = lines[at] ?? '';
      const p = Math.floor(rand() * (l.length + 1));
      lines[at] = l.slice(0, p) + pick(TOKENS) + l.slice(p);
      return lines.join('\n');
    }
    case 3:
      return text.slice(0, Math.floor(rand() * text.length));
    case 4: {
      const bytes = new TextEncoder().encode(text);
      for (let i = 0; i < 1 + Math.floor(rand() * 8); i++) {
        const p = Math.floor(rand() * bytes.length);
        bytes[p] = (bytes[p] as number) ^ (1 << Math.floor(rand() * 8));
      }
      return bytes;
    }
    case 5:
      lines[at] = ' '.repeat(Math.floor(rand() * 6)) + (lines[at] ?? '').trimStart();
      return lines.join('\n');
    case 6: {
      const other = Math.floor(rand() * lines.length);
      [lines[at], lines[other]] = [lines[other] ?? '', lines[at] ?? ''];
      return lines.join('\n');
    }
    case 7:
      return lines.map((l) => (rand() < 0.02 ? pick(TOKENS) + l : l)).join('\n');
    default:
      lines[at] = (lines[at] ?? '').repeat(1 + Math.floor(rand() * 50));
      return lines.join('\n');
  }
}

function seedFiles(): { name: string; text: string }[] {
  const dir = extractCorpus('commons-os-patterns');
  const roots = dir ? [dir] : ['fixtures'].filter(existsSync);
  const out: { name: string; text: string }[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push({ name: e.name, text: readFileSync(p, 'utf8') });
    }
  };
  roots.forEach(walk);
  process.stderr.write(`fuzz seeds: ${out.length} files from ${dir ? 'the real corpus' : 'the repository fixtures'}\n`);
  return out;
}

function main(): void {
  const files = seedFiles();
  if (files.length === 0) throw new Error('no seed files found');
  const today = requireDate('2026-11-21');
  const config = structuredClone(DEFAULT_CONFIG);
  const engine = new Engine({ config, today });
  const sample: ParsedDocument[] = files.slice(0, 300).map((f) => parseDocument(f.name, f.text));
  const corpus = CorpusIndex.fromDocuments(sample);
  const started = Date.now();
  let tried = 0;
  let crashes = 0;
  let slow = 0;
  let findings = 0;
  let fixesApplied = 0;
  let yamlDiffs = 0;
  let yamlFast = 0;
  while (tried < maxInputs && Date.now() - started < maxSeconds * 1000) {
    const base = pick(files);
    const input = mutate(base.text);
    tried++;
    const t0 = performance.now();
    try {
      const doc = parseDocument(base.name, input);
      const yaml = doc.frontmatter?.yaml;
      const fast = yaml === undefined ? undefined : fastYaml(yaml);
      if (yaml !== undefined && fast !== undefined) {
        yamlFast++;
        let ref: unknown;
        let failed = false;
        try {
          ref = jsyaml.load(yaml, { schema: jsyaml.CORE_SCHEMA });
        } catch {
          failed = true;
        }
        if (failed || !isDeepStrictEqual(fast, ref)) {
          yamlDiffs++;
          if (yamlDiffs <= 5)
            process.stderr.write(
              `YAML fast path differs from js-yaml on a mutant of ${base.name} (FUZZ_SEED=${process.env.FUZZ_SEED ?? 12345}, input ${tried})\n`,
            );
        }
      }
      const fs = engine.checkDocument(doc, corpus);
      doc.sections();
      findings += fs.length;
      const fixes = fs.filter((f) => f.fix).map((f) => f.fix!);
      if (fixes.length > 0 && typeof input === 'string') {
        applyFixes(input, fixes);
        fixesApplied++;
      }
    } catch (e) {
      crashes++;
      if (crashes <= 5)
        process.stderr.write(
          `crash #${crashes} on a mutant of ${base.name} (FUZZ_SEED=${process.env.FUZZ_SEED ?? 12345}, input ${tried}): ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}\n`,
        );
    }
    if (performance.now() - t0 > perInputBudgetMs) slow++;
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `fuzz: inputs tried ${tried}, crashes ${crashes}, over ${perInputBudgetMs} ms ${slow}, findings ${findings}, fix sets applied ${fixesApplied}, fast-path YAML ${yamlFast} (differences ${yamlDiffs}), ${secs} s\n`,
  );
  if (crashes > 0 || slow > 0 || yamlDiffs > 0) process.exitCode = 1;
}

main();
