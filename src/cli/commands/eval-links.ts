/** `gardener eval-links --corpus DIR [--truth FILE] [--k 10] [--json]`: blind leave-one-out recall@k. */
import { existsSync } from 'node:fs';
import { evalLinks } from '../../links/eval.js';

export interface CommandIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE = 'usage: gardener eval-links --corpus DIR [--truth FILE] [--k 10] [--limit N] [--json]\n';

export async function evalLinksCommand(argv: string[], io: CommandIO): Promise<number> {
  let corpus: string | undefined;
  let truth: string | undefined;
  let k = 10;
  let limit: number | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = (): string | undefined => inline ?? argv[++i];
    if (flag === '--corpus') corpus = val();
    else if (flag === '--truth') truth = val();
    else if (flag === '--k') k = Number(val());
    else if (flag === '--limit') limit = Number(val());
    else if (flag === '--json') json = true;
    else if (flag === '--help' || flag === '-h') {
      io.stdout(USAGE);
      return 0;
    } else {
      io.stderr(`unknown argument: ${a}\n${USAGE}`);
      return 2;
    }
  }
  if (!corpus || !Number.isInteger(k) || k < 1 || (limit !== undefined && !(Number.isInteger(limit) && limit > 0))) {
    io.stderr(USAGE);
    return 2;
  }
  if (!existsSync(corpus)) {
    io.stderr(`corpus directory not found: ${corpus}\n`);
    return 2;
  }
  if (truth !== undefined && !existsSync(truth)) {
    io.stderr(`truth file not found: ${truth}\n`);
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
    }
    return 0;
  } catch (e) {
    io.stderr(`eval-links: ${(e as Error).message}\n`);
    return 1;
  }
}
