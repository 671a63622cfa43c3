/** `gardener baseline <dirs|files...>`: records today's findings so that `check` reports only new ones. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { baselineSize, createBaseline, pruneBaseline, serializeBaseline, type Baseline } from '../../core/baseline.js';
import type { Finding } from '../../core/finding.js';
import { parseCommandArgs } from '../args.js';
import type { Io } from '../io.js';
import { UsageError } from '../load-config.js';
import { DEFAULT_BASELINE, prepareCheck, readBaselineFile, repoPathOf } from './check.js';

const USAGE = `usage: gardener baseline <dirs|files...> [options]

Records the findings of the named folders or files by fingerprint (rule, file, target; no line numbers)
with a count each, so that \`gardener check\` reports only findings not recorded. Entries of files not
checked this time are kept. Commit the file; \`gardener check\` and the GitHub App read it.

options:
  --out FILE             the baseline file (default: .github/pattern-gardener-baseline.json of the
                         repository, the folder that holds .github/ or .git)
  --prune                only drop what has been fixed from the existing file: lower each count to
                         the occurrences still found, never add a finding
  --today YYYY-MM-DD     "today" for every date rule (default: today's UTC date); keep it equal to
                         the checks that use the baseline, since stale-garden findings depend on it
  --config FILE          config file (default: the nearest .github/pattern-gardener.yml)
  -h, --help             this help

exit status: 0 written, 2 usage problem (bad option, missing path, invalid config or baseline file,
no file matched), 3 internal error`;

export async function baselineCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      out: { type: 'string' },
      prune: { type: 'boolean', default: false },
      today: { type: 'string' },
      config: { type: 'string' },
    },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    io.stderr(`gardener baseline: name at least one directory or file\n${USAGE.split('\n')[0]}\n`);
    return 2;
  }
  try {
    const prep = prepareCheck(positionals, { config: values.config, today: values.today }, io);
    const out = values.out !== undefined ? resolve(values.out) : join(prep.repoRoot, DEFAULT_BASELINE);
    const shown = relative(process.cwd(), out) || out;
    const old: Baseline | undefined = existsSync(out) ? readBaselineFile(out) : undefined;
    if (values.prune && !old) throw new UsageError(`--prune needs an existing baseline; no such file or directory: ${shown}`);
    const run = await prep.check();
    const path = repoPathOf(run);
    const subject = (f: Finding) => ({ rule: f.rule, target: f.target, file: path(f) });
    const checkedFiles = new Set(run.checked);
    let next: Baseline;
    if (values.prune && old) {
      next = pruneBaseline(old, run.findings, { subject, checkedFiles });
    } else {
      // The checked files' entries are replaced; other files' entries stay (a baseline of one folder
      // must not forget the rest of the repository).
      const fresh = createBaseline(run.findings, subject);
      const kept = old ? old.entries.filter((e) => !checkedFiles.has(e.file)) : [];
      next = { entries: [...kept, ...fresh.entries] };
    }
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, serializeBaseline(next));
    const before = old ? baselineSize(old) : 0;
    const after = baselineSize(next);
    if (values.prune) io.stdout(`pruned ${shown}: ${before - after} fixed finding(s) dropped, ${after} recorded in ${next.entries.length} entries\n`);
    else io.stdout(`wrote ${shown}: ${after} finding(s) of ${run.files} file(s) recorded in ${next.entries.length} entries${old ? ` (was ${before})` : ''}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`gardener baseline: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
