/**
 * `gardener eval-links --corpus DIR [--truth FILE] [--k 10] [--json]`: blind leave-one-out recall@k.
 * `--cv` fits the signal weights with grouped cross-validation, `--calibration` the mapping from the final
 * score to a probability (reliability table); `--write FILE` saves what was fitted for `--model FILE`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type ReliabilityBin, worstGap } from '../../links/calibration.js';
import { loadRecords } from '../../links/corpus.js';
import { evalLinks, readTruth } from '../../links/eval.js';
import { collectRows, crossValidateCalibration, crossValidateWeights, reliabilityOf } from '../../links/learn.js';
import { modelOptions, parseModel, type LinkModel } from '../../links/model.js';
import { DEFAULT_WEIGHTS, LinkIndex } from '../../links/index.js';
import { intOption, parseCommandArgs } from '../args.js';
import type { Io } from '../io.js';

const USAGE = `usage: gardener eval-links --corpus DIR [options]

Measures link proposals blind: for each query pattern its own links and every link to it are hidden,
and the engine's top-k proposals are scored against the truth (recall@k).

options:
  --corpus DIR           the pattern folder to measure on (required)
  --truth FILE           JSON truth file of expected links (default: the corpus's own human links,
                         without links to a quarantined first letter)
  --k N                  proposals scored per query (default 10)
  --limit N              measure only N queries, evenly spaced (--cv/--calibration: default 600)
  --min-confidence X     count only proposals with at least this confidence (as the review suggests them)
  --model FILE           weights and calibration to use (as written by --write; default: the engine's weights, no calibration)
  --cv                   fit the signal weights on the corpus's human links (or --truth) with grouped
                         cross-validation; print the held-out recall and the fitted weights
  --calibration          fit the mapping from score and rank to probability the same way; print the
                         reliability table of held-out proposals (and of the model in use)
  --folds N              cross-validation folds (default 5 for --cv, 10 for --calibration)
  --exclude-truth FILE   --cv/--calibration: never use these queries (a truth file's) as queries or candidates
  --write FILE           --cv/--calibration: save what was fitted as a model file (JSON)
  --json                 print the measurement as JSON
  -h, --help             this help

exit status: 0 measured, 1 the measurement failed (message on stderr), 2 usage problem (bad option,
missing corpus or file), 3 internal error
`;

export function formatReliability(bins: readonly ReliabilityBin[]): string {
  const rows = bins.map((b) => {
    const d = b.observed - b.predicted;
    return `  ${b.from.toFixed(1)}-${b.to.toFixed(1)}  ${String(b.proposals).padStart(9)}  ${b.predicted.toFixed(3).padStart(9)}  ${b.observed.toFixed(3).padStart(8)}  ${(d >= 0 ? '+' : '') + d.toFixed(3)}`;
  });
  return `  bin      proposals  predicted  observed  diff\n${rows.join('\n')}\n  largest |diff| in bins of 30 or more: ${worstGap(bins).toFixed(3)}\n`;
}

export async function evalLinksCommand(argv: string[], io: Pick<Io, 'stdout' | 'stderr'>): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      corpus: { type: 'string' },
      truth: { type: 'string' },
      k: { type: 'string', default: '10' },
      limit: { type: 'string' },
      'min-confidence': { type: 'string' },
      model: { type: 'string' },
      cv: { type: 'boolean', default: false },
      calibration: { type: 'boolean', default: false },
      folds: { type: 'string' },
      'exclude-truth': { type: 'string', multiple: true },
      write: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { corpus, truth, json, cv, calibration } = parsed.values;
  const k = intOption(parsed.values.k, 1) as number;
  const limit = intOption(parsed.values.limit, 1);
  const folds = intOption(parsed.values.folds, 2);
  const minConfidence = parsed.values['min-confidence'] === undefined ? undefined : Number(parsed.values['min-confidence']);
  const badMin = minConfidence !== undefined && !(minConfidence >= 0 && minConfidence <= 1);
  const fitting = cv || calibration;
  if (
    !corpus ||
    Number.isNaN(k) ||
    Number.isNaN(limit ?? 0) ||
    Number.isNaN(folds ?? 0) ||
    badMin ||
    parsed.positionals.length > 0 ||
    (parsed.values.write && !fitting)
  ) {
    io.stderr(USAGE);
    return 2;
  }
  for (const f of [corpus, truth, parsed.values.model, ...(parsed.values['exclude-truth'] ?? [])]) {
    if (f !== undefined && !existsSync(f)) {
      io.stderr(`gardener eval-links: no such file or directory: ${f}\n`);
      return 2;
    }
  }
  try {
    const model: LinkModel | undefined = parsed.values.model
      ? parseModel(JSON.parse(readFileSync(parsed.values.model, 'utf8')), parsed.values.model)
      : undefined;
    const index = model ? modelOptions(model) : {};
    if (fitting) {
      const exclude = new Set<string>();
      for (const f of parsed.values['exclude-truth'] ?? []) for (const s of Object.keys(readTruth(f).queries)) exclude.add(s);
      const given = truth === undefined ? undefined : new Map(Object.entries(readTruth(truth).queries).map(([s, ts]) => [s, ts.map((t) => t.target)]));
      const records = loadRecords(corpus);
      const rows = collectRows(records, { limit: limit ?? 600, exclude, index, ...(given ? { truth: given } : {}) });
      const out: Record<string, unknown> = { corpus, queries: rows.length };
      const written: LinkModel = {
        fittedOn: `${corpus.split('/').filter(Boolean).pop()}: ${rows.length} queries${exclude.size ? `, ${exclude.size} excluded` : ''}`,
      };
      const lines: string[] = [
        `corpus ${corpus}: ${records.length} patterns, ${rows.length} queries with human links${exclude.size ? ` (${exclude.size} excluded)` : ''}`,
      ];
      if (cv) {
        const r = crossValidateWeights(rows, { k, start: { ...DEFAULT_WEIGHTS, ...model?.weights }, ...(folds ? { folds } : {}) });
        out.cv = r;
        written.weights = r.weights;
        lines.push(`candidates: ${r.rows} (${r.positives} human links among them)`);
        for (const f of r.folds)
          lines.push(`fold ${f.fold}: ${f.queries} queries, held-out recall@${k} ${f.recall.toFixed(4)} (weights in use: ${f.baseline.toFixed(4)})`);
        lines.push(`cross-validated recall@${k}: ${r.recall.toFixed(4)} (weights in use, same candidates: ${r.baseline.toFixed(4)})`);
        lines.push(`fitted weights: ${JSON.stringify(r.weights)}`);
      }
      if (calibration) {
        const r = crossValidateCalibration(rows, { k, ...(folds ? { folds } : {}) });
        const current = new LinkIndex([], index).calibration;
        out.calibration = { ...r, inUse: current ? reliabilityOf(current, rows, k) : undefined };
        written.calibration = r.model;
        lines.push(`calibration, top ${k} of each query, each proposal scored by a mapping fitted without its fold (${r.pairs} proposals):`);
        lines.push(formatReliability(r.heldOut).trimEnd());
        if (current)
          lines.push(`the calibration in use (${parsed.values.model}) on this corpus:\n${formatReliability(reliabilityOf(current, rows, k)).trimEnd()}`);
      }
      if (parsed.values.write) writeFileSync(parsed.values.write, JSON.stringify(written, null, 2) + '\n');
      io.stdout(json ? JSON.stringify(out) + '\n' : lines.join('\n') + '\n');
      return 0;
    }
    const opts: Parameters<typeof evalLinks>[0] = { corpusDir: corpus, k, index };
    if (truth !== undefined) opts.truth = truth;
    if (limit !== undefined) opts.limit = limit;
    if (minConfidence !== undefined) opts.minConfidence = minConfidence;
    const r = await evalLinks(opts);
    if (json) io.stdout(JSON.stringify(r) + '\n');
    else {
      const proposals = r.perQuery.reduce((s, q) => s + q.proposed.length, 0);
      io.stdout(`queries: ${r.queries}\nrecall@${r.k}: ${r.recall.toFixed(4)}  typed recall@${r.k} (target and type): ${r.typedRecall.toFixed(4)}\n`);
      if (minConfidence !== undefined)
        io.stdout(`proposals at confidence ≥ ${minConfidence}: ${proposals} (${r.perQuery.filter((q) => q.proposed.length === 0).length} queries with none)\n`);
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      for (const l of r.letters)
        io.stdout(
          `top-${l.top} proposals to slugs starting with "${l.letter}": ${pct(l.proposalShare)} of ${l.proposals} (${pct(l.slugShare)} of the slugs; ratio ${(l.proposalShare / (l.slugShare || 1)).toFixed(2)})\n`,
        );
      for (const q of r.quarantined) {
        io.stdout(
          `not used as evidence: links to slugs starting with "${q.letter}" (${pct(q.linkShare)} of all links, ${pct(q.slugShare)} of the slugs; a generator's bias, not curators')\n`,
        );
      }
    }
    return 0;
  } catch (e) {
    io.stderr(`eval-links: ${(e as Error).message}\n`);
    return 1;
  }
}
