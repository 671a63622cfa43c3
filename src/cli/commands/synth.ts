/** `gardener synth --count N --out DIR [--seed S]`: writes a deterministic synthetic corpus. */
import { writeCorpus } from '../../synth/generate.js';
import { intOption, parseCommandArgs } from '../args.js';
import type { Io } from '../io.js';

const USAGE = `usage: gardener synth --count N --out DIR [options]

Writes a deterministic synthetic pattern corpus (for benchmarks and tests).

options:
  --count N              patterns to write (required, at least 1)
  --out DIR              folder to write them into (required; created when missing)
  --seed S               seed of the generator (default 1): the same seed writes the same corpus
  --typo-rate R          share (0 to 1) of links to existing patterns written with a one-letter typo
                         in the target's slug (default 0), to exercise did-you-mean
  -h, --help             this help

exit status: 0 written, 2 usage problem, 3 internal error
`;

export async function synthCommand(argv: string[], io: Pick<Io, 'stdout' | 'stderr'>): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    { count: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string', default: '1' }, 'typo-rate': { type: 'string', default: '0' } },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const count = intOption(parsed.values.count, 1);
  const seed = Number(parsed.values.seed);
  const out = parsed.values.out;
  const typoRate = Number(parsed.values['typo-rate']);
  if (count === undefined || Number.isNaN(count) || !out || !Number.isFinite(seed) || !(typoRate >= 0 && typoRate <= 1) || parsed.positionals.length > 0) {
    io.stderr(USAGE);
    return 2;
  }
  const n = writeCorpus(out, { count, seed, typoRate });
  io.stdout(`wrote ${n} synthetic patterns to ${out}\n`);
  return 0;
}
