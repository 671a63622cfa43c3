/** `gardener eval-links --corpus DIR [--truth FILE] [--k 10] [--json]`: blind leave-one-out recall@k. */
import { existsSync } from 'node:fs';
import { evalLinks } from '../../links/eval.js';
import { intOption, parseCommandArgs } from '../args.js';
import type { Io } from '../io.js';

const USAGE = `usage: gardener eval-links --corpus DIR [options]

Measures link proposals blind: for each query pattern its own links and every link to it are hidden,
and the engine's top-k proposals are scored against the truth (recall@k).

options:
  --corpus DIR           the pattern folder to measure on (required)
  --truth FILE           JSON truth file of expected links (default: the corpus's own hard links)
  --k N                  proposals scored per query (default 10)
  --limit N              measure only the first N queries
  --json                 print the measurement as JSON
  -h, --help             this help

exit status: 0 measured, 1 the measurement failed (message on stderr), 2 usage problem (bad option,
missing corpus or truth file), 3 internal error
`;

export async function evalLinksCommand(argv: string[], io: Pick<Io, 'stdout' | 'stderr'>): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      corpus: { type: 'string' },
      truth: { type: 'string' },
      k: { type: 'string', default: '10' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { corpus, truth, json } = parsed.values;
  const k = intOption(parsed.values.k, 1) as number;
  const limit = intOption(parsed.values.limit, 1);
  if (!corpus || Number.isNaN(k) || Number.isNaN(limit ?? 0) || parsed.positionals.length > 0) {
    io.stderr(USAGE);
    return 2;
  }
  if (!existsSync(corpus)) {
    io.stderr(`gardener eval-links: no such file or directory: ${corpus}\n`);
    return 2;
  }
  if (truth !== undefined && !existsSync(truth)) {
    io.stderr(`gardener eval-links: no such file or directory: ${truth}\n`);
    return 2;
  }
  try {
    const opts: Parameters<typeof evalLinks>[0] = { corpusDir: corpus, k };
    if (truth !== undefined) opts.truth = truth;
    if (limit !== undefined) opts.limit = limit;
    const r = await evalLinks(opts);
    if (json) io.stdout(JSON.stringify(r) + '\n');
    else {
      io.stdout(`queries: ${r.queries}\nrecall@${r.k}: ${r.recall.toFixed(4)}\n`);
      for (const q of r.quarantined) {
        const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
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
