/** `gardener synth --count N --out DIR [--seed S]`: writes a deterministic synthetic corpus. */
import { writeCorpus } from '../../synth/generate.js';

export interface CommandIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE = 'usage: gardener synth --count N --out DIR [--seed S]\n';

export async function synthCommand(argv: string[], io: CommandIO): Promise<number> {
  let count: number | undefined;
  let out: string | undefined;
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = (): string | undefined => inline ?? argv[++i];
    if (flag === '--count') count = Number(val());
    else if (flag === '--out') out = val();
    else if (flag === '--seed') seed = Number(val());
    else if (flag === '--help' || flag === '-h') {
      io.stdout(USAGE);
      return 0;
    } else {
      io.stderr(`unknown argument: ${a}\n${USAGE}`);
      return 2;
    }
  }
  if (count === undefined || !Number.isInteger(count) || count < 1 || !out || !Number.isFinite(seed)) {
    io.stderr(USAGE);
    return 2;
  }
  const n = writeCorpus(out, { count, seed });
  io.stdout(`wrote ${n} synthetic patterns to ${out}\n`);
  return 0;
}
