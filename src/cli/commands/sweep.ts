/**
 * `gardener sweep <dir>`: garden signals offline and the dashboard they would produce.
 * `gardener sweep --github owner/name [--dry-run]`: the issue sync, from an Actions job.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve, relative, sep } from 'node:path';
import { FileSelector, type GardenerConfig } from '../../core/config.js';
import { formatDate, requireDate, todayUtc, type CalendarDate } from '../../core/dates.js';
import { computeGarden, type Garden } from '../../garden/compute.js';
import type { VaultReport } from '../../garden/vault.js';
import { firstSweepDashboard, vaultLines } from '../../garden/dashboard.js';
import { GIT_LOG_FORMAT, parseGitLog, type FileHistory } from '../../garden/history.js';
import { asOctokitLike, pacedRequest, Pacer } from '../../garden/octokit.js';
import { runRemoteSweep } from '../../garden/remote.js';
import { SIGNAL_RULES } from '../../garden/signals.js';
import { planIssues, type Operation } from '../../garden/sync.js';
import { findRepoRoot, loadTree, underPrefix } from '../fs-corpus.js';
import { loadConfigFile, UsageError } from '../load-config.js';
import type { Io } from '../io.js';
import { parseCommandArgs } from '../args.js';

const USAGE = `usage: gardener sweep <dir> [options]
       gardener sweep --github owner/name [--dry-run] [options]

Garden health offline: stale gardens, replant signals and candidates, and the issues a first sweep on
GitHub would open. With --github, runs the issue sync against a repository from an Actions job.

options:
  --format FORMAT        text (default), json, or markdown (the dashboard issue's body)
  --today YYYY-MM-DD     "today" for every date signal (default: today's UTC date)
  --config FILE          config file (default: the nearest .github/pattern-gardener.yml)
  --no-history           do not read git history; use the files' own dates
  --github owner/name    sync replant issues and the dashboard on GitHub; needs GITHUB_TOKEN (and
                         GITHUB_API_URL on GitHub Enterprise)
  --dry-run              with --github: plan the operations without writing
  -h, --help             this help

exit status: 0 done, 1 some GitHub writes failed (--github; the next sweep redoes them),
2 usage problem (bad option, missing or non-directory path, invalid config), 3 internal error`;

export interface SweepJson {
  patterns: number;
  signals: Record<string, number>;
  candidates: { file: string; slug: string; signals: string[] }[];
  operations: { op: Operation['op']; slug: string; title: string }[];
  /** Present when the tree has Obsidian notes. */
  vault?: VaultReport;
}

export function sweepJson(garden: Garden, operations: readonly Operation[]): SweepJson {
  const signals: Record<string, number> = {};
  for (const r of SIGNAL_RULES) signals[r] = garden.report.counts[r];
  return {
    patterns: garden.report.patterns,
    signals,
    candidates: garden.report.candidates.map((c) => ({ file: c.file, slug: c.slug, signals: c.signals.filter((s) => s.weight > 0).map((s) => s.rule) })),
    operations: operations.map((o) => ({ op: o.op, slug: o.slug, title: o.title })),
    ...(garden.report.vault ? { vault: garden.report.vault } : {}),
  };
}

/** History of the files under `dir` from one `git log` call, or null outside a git checkout. */
export function gitHistory(dir: string): FileHistory | null {
  try {
    const top = execFileSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const prefix = relative(top, resolve(dir)).split(sep).join('/');
    const out = execFileSync('git', ['-C', top, 'log', '--no-renames', '--name-only', `--format=${GIT_LOG_FORMAT}`, '--', prefix || '.'], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const h = parseGitLog(out, prefix);
    return h.commits > 0 ? h : null;
  } catch {
    return null;
  }
}

/** Why a sweep cannot read `path` as a pattern folder, or undefined when it can. */
function notADirectory(path: string): string | undefined {
  try {
    if (!statSync(path).isDirectory()) return `not a directory: ${path} (sweep reads a whole pattern folder)`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? `no such file or directory: ${path}` : `cannot read ${path}: ${(e as Error).message}`;
  }
  return undefined;
}

function renderText(garden: Garden, ops: readonly Operation[], note: string[]): string {
  const r = garden.report;
  const out: string[] = [];
  out.push(`${r.patterns} patterns, ${r.candidates.length} replant candidates, ${r.counts['garden/last-pruned-stale']} stale gardens`);
  for (const rule of SIGNAL_RULES) out.push(`  ${rule.padEnd(30)} ${String(r.counts[rule]).padStart(6)}`);
  if (r.candidates.length) out.push('', 'candidates (oldest evidence first):');
  for (const c of r.candidates) {
    out.push(`  ${c.file} [weight ${c.weight}]`);
    for (const s of c.signals.filter((x) => x.weight > 0)) out.push(`    ${s.file}:${s.line} ${s.rule}: ${s.message}`);
  }
  if (ops.length) out.push('', 'operations:', ...ops.map((o) => `  ${o.op.padEnd(7)} ${o.slug}${o.number ? ` #${o.number}` : ''}  ${o.title}`));
  if (r.vault) out.push('', ...vaultLines(r.vault).filter((l) => l !== ''));
  if (note.length) out.push('', ...note);
  return out.join('\n') + '\n';
}

export async function sweepCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      format: { type: 'string', default: 'text' },
      today: { type: 'string' },
      config: { type: 'string' },
      github: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'no-history': { type: 'boolean', default: false },
    },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const format = values.format as string;
  if (!['text', 'json', 'markdown'].includes(format)) {
    io.stderr(`gardener sweep: unknown --format ${format}\n${USAGE}\n`);
    return 2;
  }
  let today: CalendarDate;
  try {
    today = requireDate(values.today ?? todayUtc(), '--today');
  } catch (e) {
    io.stderr(`gardener sweep: ${(e as Error).message}\n`);
    return 2;
  }
  if (values.github !== undefined) {
    if (positionals.length > 0) {
      io.stderr(`gardener sweep: give either a directory or --github, not both\n${USAGE}\n`);
      return 2;
    }
    return githubSweep(values.github, Boolean(values['dry-run']), today, format, io);
  }
  if (values['dry-run']) {
    io.stderr(`gardener sweep: --dry-run only applies to --github (a directory sweep never writes)\n${USAGE}\n`);
    return 2;
  }
  if (positionals.length !== 1) {
    io.stderr(`gardener sweep: name one directory\n${USAGE}\n`);
    return 2;
  }
  const dir = resolve(positionals[0]!);
  const dirProblem = notADirectory(positionals[0]!);
  if (dirProblem) {
    io.stderr(`gardener sweep: ${dirProblem}\n`);
    return 2;
  }
  let garden: Garden;
  let loadedConfig!: GardenerConfig;
  const note: string[] = [];
  try {
    const loaded = loadConfigFile(values.config, dir);
    loadedConfig = loaded.config;
    const root = findRepoRoot(dir) ?? dir;
    const rel = relative(root, dir).split(sep).join('/');
    const tree = loadTree(dir, underPrefix(new FileSelector(loaded.config), rel ? `${rel}/` : ''), loaded.config.limits);
    const history = values['no-history'] ? null : gitHistory(dir);
    if (!history) note.push('note: no git history found; replant/age used `modified`/`last_pruned` and draft-limbo used `created` instead.');
    garden = computeGarden(tree.docs, {
      config: loaded.config,
      today,
      lastChange: history?.lastChange,
      firstSeen: history?.firstSeen,
      otherFiles: tree.otherFiles,
    });
    if (format === 'markdown') {
      io.stdout(firstSweepDashboard(garden.report, loadedConfig, formatDate(today)));
      return 0;
    }
  } catch (e) {
    if (e instanceof UsageError || (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') {
      io.stderr(`gardener sweep: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
  // What a first sweep of this tree would do on GitHub (no replant issues yet): the same planner as the
  // app, so the cap and the oldest-evidence-first order are visible offline.
  const plan = planIssues(
    { report: garden.report, docs: new Map(garden.docs.map((d) => [d.file, d])), owner: 'local', repo: 'checkout', sha: 'HEAD', config: loadedConfig, today },
    [],
  );
  note.push(
    `planned for a first sweep on GitHub: ${plan.ops.length} new issue(s) (cap garden.maxNewIssuesPerSweep = ${loadedConfig.garden.maxNewIssuesPerSweep}), ${plan.waiting.length} waiting on the dashboard`,
  );
  if (format === 'json') io.stdout(`${JSON.stringify(sweepJson(garden, plan.ops), null, 2)}\n`);
  else io.stdout(renderText(garden, plan.ops, note));
  return 0;
}

async function githubSweep(target: string, dryRun: boolean, today: CalendarDate, format: string, io: Io): Promise<number> {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(target);
  if (!m) {
    io.stderr(`gardener sweep: --github takes owner/name, got ${JSON.stringify(target)}\n`);
    return 2;
  }
  const token = process.env.GITHUB_TOKEN;
  if (!token) {
    io.stderr('gardener sweep: --github needs a token in GITHUB_TOKEN\n');
    return 2;
  }
  const { Octokit } = await import('@octokit/rest');
  const octokit = new Octokit({ auth: token, baseUrl: process.env.GITHUB_API_URL || 'https://api.github.com', userAgent: `pattern-gardener/${io.version}` });
  const res = await runRemoteSweep({
    octokit: pacedRequest(asOctokitLike(octokit), new Pacer()),
    owner: m[1]!,
    repo: m[2]!,
    today,
    dryRun,
    log: (s) => io.stderr(`${s}\n`),
  });
  const ops = dryRun ? res.sync.operations : res.sync.operations;
  if (format === 'json') io.stdout(`${JSON.stringify(sweepJson(res.garden, ops), null, 2)}\n`);
  else {
    const note = [
      `${dryRun ? 'planned' : 'applied'}: ${ops.length} operations, ${res.sync.deferred.length} deferred, ${res.sync.waiting.length} waiting for an issue; dashboard ${res.sync.dashboard}`,
    ];
    io.stdout(renderText(res.garden, ops, note));
  }
  // A write that failed is redone by the next sweep; exit 1 so the job shows it.
  for (const f of res.sync.failed.slice(0, 10)) io.stderr(`gardener sweep: write failed: ${f.what}: ${f.error}\n`);
  if (res.sync.failed.length > 10) io.stderr(`gardener sweep: … and ${res.sync.failed.length - 10} more failed writes\n`);
  return res.sync.failed.length > 0 ? 1 : 0;
}
