/**
 * `gardener tend <dir> [--dry-run]`: the next gardening batch of a checked-out pattern library. With
 * --dry-run it prints the batch as a unified patch (stdout) and the explanation (stderr); otherwise it
 * commits the batch on the branch `pattern-gardener/tend-<kind>`, one commit per rule, with local git.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CorpusIndex } from '../../core/corpus.js';
import { DOC_KINDS, type DocKind } from '../../core/document.js';
import { Engine } from '../../core/engine.js';
import type { Finding } from '../../core/finding.js';
import { FileSelector } from '../../core/config.js';
import { planTendBatch, tendKinds, type TendBatch } from '../../garden/tend.js';
import { batchPatch, explanationText, stageCommitMessage } from '../../garden/tend-render.js';
import { loadTree, underPrefix } from '../fs-corpus.js';
import { UsageError } from '../load-config.js';
import { intOption, parseCommandArgs } from '../args.js';
import type { Io } from '../io.js';
import { prepareCheck } from './check.js';

export const TEND_BRANCH_PREFIX = 'pattern-gardener/tend-';

const USAGE = `usage: gardener tend <dir> [--dry-run] [--kind KIND] [--batch-size N] [--today YYYY-MM-DD] [--config FILE]

The next gardening batch: at most gardening.batchSize (25) files of one kind, the most-linked patterns
and the stalest gardens first, with the safe fixes of links/unknown-target, links/entry-shape,
links/inferred-type, links/reciprocal and assessment/overall-score, then the link refresh
(graph_garden.inferred_links recomputed above links.minConfidence, last_pruned set to today).
Every edited file is checked again: it still parses, keeps its body text, passes what was fixed.

  --dry-run          print the batch as a unified patch (stdout) and what changes and why (stderr);
                     write nothing
  --kind KIND        commons-pattern (default: the first kind with something to tend) or
                     commons-pattern-legacy
  --batch-size N     files at most (default gardening.batchSize)
  --today DATE       the date written to last_pruned and used for staleness
  --config FILE      the config (default: .github/pattern-gardener.yml of the repository)

Without --dry-run, in a git checkout with no uncommitted changes: creates (or resets) the branch
pattern-gardener/tend-<kind> at HEAD, checks it out and commits the batch there, one commit per rule.

Exit status: 0 batch proposed or committed, 1 nothing to tend, 2 usage problem, 3 internal error.
`;

function git(cwd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8', env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Author for the commits: the user's git identity, else the gardener's. */
function commitEnv(cwd: string): NodeJS.ProcessEnv {
  let email = '';
  try {
    email = git(cwd, ['config', 'user.email']).trim();
  } catch {
    email = '';
  }
  if (email) return process.env;
  const who = { name: 'Pattern Gardener', email: 'pattern-gardener@users.noreply.github.com' };
  return { ...process.env, GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email };
}

/** Commits a batch on its branch, one commit per stage. Returns the branch name. */
export function commitBatch(root: string, batch: TendBatch): { branch: string; commits: number } {
  const branch = `${TEND_BRANCH_PREFIX}${batch.kind}`;
  const env = commitEnv(root);
  git(root, ['checkout', '-q', '-B', branch]);
  let commits = 0;
  for (const stage of batch.stages) {
    const files = [...stage.texts.keys()];
    for (const f of files) writeFileSync(join(root, f), stage.texts.get(f)!);
    git(root, ['add', '--', ...files]);
    git(root, ['commit', '-q', '--no-verify', '-m', stageCommitMessage(stage.rule, files.length)], env);
    commits++;
  }
  return { branch, commits };
}

export async function tendCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      'dry-run': { type: 'boolean', default: false },
      kind: { type: 'string' },
      'batch-size': { type: 'string' },
      today: { type: 'string' },
      config: { type: 'string' },
    },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const usage = (message: string): number => {
    io.stderr(`gardener tend: ${message}\n${USAGE.split('\n')[0]}\n`);
    return 2;
  };
  if (positionals.length !== 1) return usage('name one directory');
  const batchSize = intOption(values['batch-size'], 1);
  if (Number.isNaN(batchSize)) return usage(`--batch-size takes a whole number from 1, not ${JSON.stringify(values['batch-size'])}`);
  const kindArg = values.kind as string | undefined;
  if (kindArg !== undefined && !DOC_KINDS.includes(kindArg as DocKind)) return usage(`--kind takes one of ${DOC_KINDS.join(', ')}`);
  try {
    const prep = prepareCheck(positionals, { config: values.config as string | undefined, today: values.today as string | undefined }, io);
    const target = prep.targets[0]!;
    if (target.only) return usage('name a directory, not a file: the batch is chosen from the whole library');
    const selector = underPrefix(new FileSelector(prep.config), target.prefix);
    const { docs } = loadTree(target.root, selector, prep.config.limits);
    const engine = new Engine({ config: prep.config, today: prep.today, schemaOverrides: prep.schemaOverrides });
    const corpus = CorpusIndex.fromDocuments(docs);
    const findings: Finding[] = [];
    for (const d of docs) if (!d.notPattern) findings.push(...engine.checkDocument(d, corpus));
    const kinds = kindArg ? [kindArg as DocKind] : tendKinds(docs);
    let batch: TendBatch | undefined;
    for (const kind of kinds) {
      const b = planTendBatch({ docs, findings, config: prep.config, today: prep.today, kind, schemaOverrides: prep.schemaOverrides, batchSize });
      if (b.files.length > 0) {
        batch = b;
        break;
      }
    }
    if (!batch) {
      io.stderr(`gardener tend: nothing to tend under ${positionals[0]}\n`);
      return 1;
    }
    if (values['dry-run']) {
      io.stdout(batchPatch(batch, target.prefix));
      io.stderr(explanationText(batch, target.prefix));
      return 0;
    }
    let dirty: string;
    try {
      dirty = git(target.root, ['status', '--porcelain', '--', '.']).trim();
    } catch {
      throw new UsageError(`${positionals[0]} is not in a git checkout: use --dry-run to see the batch as a patch`);
    }
    if (dirty) throw new UsageError(`${positionals[0]} has uncommitted changes: commit or stash them first (git status)`);
    const { branch, commits } = commitBatch(target.root, batch);
    io.stderr(explanationText(batch, target.prefix));
    io.stdout(`committed ${batch.files.length} file(s) in ${commits} commit(s) on branch ${branch}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
}
