/**
 * `gardener propose <dir> [files...] [--k N] [--format text|json]`: the inferred links the pull-request
 * review would add to each given pattern (every pattern when none is given), with type, confidence and
 * reason. Same plan as the review (`planInferredLinks`), same threshold (`links.minConfidence`), same
 * `links.rejected` entries.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { loadRecords } from '../../links/corpus.js';
import { LinkIndex } from '../../links/index.js';
import { modelOptions, parseModel } from '../../links/model.js';
import { planInferredLinks } from '../../links/prune.js';
import { intOption, parseCommandArgs } from '../args.js';
import type { Io } from '../io.js';
import { loadConfigFile, UsageError } from '../load-config.js';

const USAGE = `usage: gardener propose <dir> [files...] [options]

Prints the inferred links the pull-request review would add to each given pattern (every pattern of
<dir> when none is given), with type, confidence and reason. Only links whose confidence reaches
links.minConfidence are proposed.

options:
  --k N                  most additions per pattern (default: the room left under links.maxInferred)
  --format text|json     output format (default text)
  --min-confidence X     override links.minConfidence (0..1)
  --config FILE          the config (default: the nearest .github/pattern-gardener.yml)
  --model FILE           weights and calibration (as written by gardener eval-links --write)
  -h, --help             this help

exit status: 0 printed (also when nothing was good enough), 1 failed (message on stderr), 2 usage
problem (bad option, missing folder, a file that is not a pattern of <dir>), 3 internal error
`;

export interface ProposalsJson {
  proposals: { file: string; slug: string; links: { target: string; type: string; confidence: number; reason: string }[] }[];
}

export async function proposeCommand(argv: string[], io: Pick<Io, 'stdout' | 'stderr'>): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      k: { type: 'string' },
      format: { type: 'string', default: 'text' },
      'min-confidence': { type: 'string' },
      config: { type: 'string' },
      model: { type: 'string' },
    },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const [dir, ...files] = parsed.positionals;
  const format = parsed.values.format;
  const k = intOption(parsed.values.k, 1);
  const minOverride = parsed.values['min-confidence'] === undefined ? undefined : Number(parsed.values['min-confidence']);
  if (!dir || Number.isNaN(k ?? 0) || (format !== 'text' && format !== 'json') || (minOverride !== undefined && !(minOverride >= 0 && minOverride <= 1))) {
    io.stderr(USAGE);
    return 2;
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.stderr(`gardener propose: no such directory: ${dir}\n`);
    return 2;
  }
  try {
    const { config } = loadConfigFile(parsed.values.config, dir);
    const min = minOverride ?? config.links.minConfidence;
    if (parsed.values.model !== undefined && !existsSync(parsed.values.model)) throw new UsageError(`no such file: ${parsed.values.model}`);
    const model = parsed.values.model === undefined ? undefined : parseModel(JSON.parse(readFileSync(parsed.values.model, 'utf8')), parsed.values.model);
    const records = loadRecords(dir);
    const byFile = new Map(records.map((r) => [r.file!, r]));
    const wanted = files.map((f) => {
      const abs = isAbsolute(f) ? f : existsSync(f) ? resolve(f) : resolve(dir, f);
      const r = byFile.get(relative(resolve(dir), abs).split(sep).join('/'));
      if (!r) throw new UsageError(`not a pattern of ${dir}: ${f}`);
      return r;
    });
    const rejected = new Set(config.links.rejected);
    const index = new LinkIndex(records, model ? modelOptions(model) : {});
    const out: ProposalsJson = { proposals: [] };
    for (const r of wanted.length ? wanted : records) {
      const links = rejected.has(r.slug)
        ? []
        : planInferredLinks(r, index, { max: config.links.maxInferred, minConfidence: min })
            .add.filter((a) => !rejected.has(`${r.slug}->${a.target}`))
            .slice(0, k ?? Number.POSITIVE_INFINITY)
            .map((a) => ({ target: a.target, type: a.type, confidence: a.confidence, reason: a.reason }));
      out.proposals.push({ file: r.file!, slug: r.slug, links });
    }
    if (format === 'json') {
      io.stdout(JSON.stringify(out) + '\n');
      return 0;
    }
    const withLinks = out.proposals.filter((p) => p.links.length > 0);
    for (const p of withLinks) {
      io.stdout(`${p.file} (${p.slug})\n`);
      for (const l of p.links) io.stdout(`  + ${l.target}  ${l.type}  ${l.confidence.toFixed(2)}  ${l.reason}\n`);
    }
    const n = withLinks.reduce((s, p) => s + p.links.length, 0);
    const of = `${out.proposals.length} pattern${out.proposals.length === 1 ? '' : 's'}`;
    io.stdout(
      n === 0
        ? `No link reached confidence ${min} for the ${of}: nothing to propose.\n`
        : `${n} proposal${n === 1 ? '' : 's'} for ${withLinks.length} of ${of} (confidence ≥ ${min}).\n`,
    );
    return 0;
  } catch (e) {
    io.stderr(`gardener propose: ${(e as Error).message}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}
