/** `gardener synth --count N --out DIR [--seed S] [--vault]`: writes a deterministic synthetic corpus or vault. */
import { writeFileSync } from 'node:fs';
import { writeCorpus } from '../../synth/generate.js';
import { writeVault } from '../../synth/vault.js';
import { intOption, parseCommandArgs } from '../args.js';
import type { Io } from '../io.js';

const USAGE = `usage: gardener synth --count N --out DIR [options]
       gardener synth --vault [--count N] --out DIR [--defects FILE]

Writes a deterministic synthetic pattern corpus (for benchmarks and tests), or with --vault an
Obsidian vault whose notes apply common conventions consistently, with a known number of seeded
defects: \`gardener check\` on it should report exactly those.

options:
  --count N              patterns (or notes) to write (required for patterns, at least 1; vault: 6500)
  --out DIR              folder to write them into (required; created when missing)
  --seed S               seed of the generator (default 1): the same seed writes the same corpus
  --typo-rate R          share (0 to 1) of links to existing patterns written with a one-letter typo
                         in the target's slug (default 0), to exercise did-you-mean
  --vault                an Obsidian vault instead of patterns
  --defects FILE         vault: write the seeded defects (rule, file) and the notes per convention as JSON
  -h, --help             this help

exit status: 0 written, 2 usage problem, 3 internal error
`;

export async function synthCommand(argv: string[], io: Pick<Io, 'stdout' | 'stderr'>): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      count: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'typo-rate': { type: 'string', default: '0' },
      vault: { type: 'boolean', default: false },
      defects: { type: 'string' },
    },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  if (parsed.values.vault) {
    const count = parsed.values.count === undefined ? 6500 : intOption(parsed.values.count, 1);
    const seed = Number(parsed.values.seed);
    const out = parsed.values.out;
    if (count === undefined || Number.isNaN(count) || !out || !Number.isFinite(seed) || parsed.positionals.length > 0) {
      io.stderr(USAGE);
      return 2;
    }
    const vault = writeVault(out, { count, seed });
    if (parsed.values.defects) writeFileSync(parsed.values.defects, `${JSON.stringify({ defects: vault.defects, conventions: vault.conventions }, null, 2)}\n`);
    const notes = vault.files.filter((f) => f.path.endsWith('.md')).length;
    io.stdout(
      `wrote a vault of ${notes} Markdown files and ${vault.files.length - notes} other files to ${out}, with ${vault.defects.length} seeded defects\n`,
    );
    return 0;
  }
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
