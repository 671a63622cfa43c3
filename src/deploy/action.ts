#!/usr/bin/env node
/**
 * GitHub Action entry (action.yml; bundled into action/dist/index.mjs by scripts/build-action.mjs). The
 * `command` input chooses what runs:
 *  - `review` (default): the app function once on the workflow's event, as
 *    @probot/adapter-github-actions `run(app)` does, authenticated with the workflow token (GITHUB_TOKEN /
 *    `with: github-token`): a check run and a review on the pull request;
 *  - `check`: `gardener check <path> --format github` in the workspace (annotations, exit 1 on errors);
 *  - `sweep`: `gardener sweep --github <the workflow's repository>` (replant issues and the dashboard).
 * See docs/github-action.md.
 *
 * Around the adapter this adds:
 *  - GitHub Enterprise Server: the adapter only reads GHE_HOST, so GITHUB_API_URL (set by every runner)
 *    is mapped onto GHE_HOST/GHE_PROTOCOL when it is not api.github.com;
 *  - `pull_request_target` is handled as `pull_request` (same payload), so pull requests from forks can
 *    be reviewed with a write token. The app never checks out or runs pull request code; it reads
 *    files through the API and reads its configuration from the default branch;
 *  - a non-zero exit code when the token or runner variables are missing, or a handler fails (the adapter
 *    only logs those);
 *  - the production request policy (GardenerOctokit: timeouts, Probot's retry and throttling plugins as
 *    configured in resilience.ts). The adapter's own `run` builds a Probot with the default Octokit, so
 *    this entry does what `run` does (token, event file, receive) with the policy's Octokit instead.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
// The adapter's log transport turns pino records into workflow commands (::error:: and friends).
import { transport } from '@probot/adapter-github-actions/pino-transport-github-actions.js';
import pino from 'pino';
import { createProbot, type ApplicationFunction, type ProbotOctokit } from 'probot';
import gardener from '../github/app.js';
import { GardenerOctokit } from '../server/probot.js';
import { checkCommand } from '../cli/commands/check.js';
import type { Io } from '../cli/io.js';
import { packageVersion } from '../server/run.js';

type Env = Record<string, string | undefined>;

/** Env adjustments described above; returns problems (empty when the adapter can run). */
export function prepareActionEnv(env: Env): string[] {
  const problems: string[] = [];
  if (!env.GITHUB_TOKEN && !env.INPUT_GITHUB_TOKEN && !env.INPUT_TOKEN && !env['INPUT_GITHUB-TOKEN']) {
    problems.push('no token: pass `github-token` (default ${{ github.token }}) or set env GITHUB_TOKEN');
  }
  if (!env.GITHUB_TOKEN && env['INPUT_GITHUB-TOKEN']) env.GITHUB_TOKEN = env['INPUT_GITHUB-TOKEN'];
  for (const name of ['GITHUB_RUN_ID', 'GITHUB_EVENT_NAME', 'GITHUB_EVENT_PATH']) {
    if (!env[name]) problems.push(`${name} is not set (this entry runs inside a GitHub Actions job)`);
  }
  const api = env.GITHUB_API_URL;
  if (api && !env.GHE_HOST) {
    try {
      const u = new URL(api);
      if (u.host !== 'api.github.com') {
        env.GHE_HOST = u.host;
        env.GHE_PROTOCOL = u.protocol.replace(':', '');
      }
    } catch {
      problems.push(`GITHUB_API_URL is not a URL: "${api}"`);
    }
  }
  if (env.GITHUB_EVENT_NAME === 'pull_request_target') env.GITHUB_EVENT_NAME = 'pull_request';
  return problems;
}

/** Runs the app once on the workflow event described by process.env; resolves with the exit code. */
export async function runAction(app: ApplicationFunction = gardener, Octokit: typeof ProbotOctokit = GardenerOctokit): Promise<number> {
  const problems = prepareActionEnv(process.env);
  if (problems.length > 0) {
    for (const p of problems) process.stdout.write(`::error title=Pattern Gardener::${p}\n`);
    return 1;
  }
  const env = process.env;
  const githubToken = (env.GITHUB_TOKEN || env.INPUT_GITHUB_TOKEN || env.INPUT_TOKEN) as string;
  const probot = createProbot({ overrides: { githubToken, log: pino({}, transport), Octokit } });
  let failed = false;
  await probot.load((p, options) => {
    p.onError(() => {
      failed = true;
    });
    return app(p, options);
  });
  try {
    await probot.receive({
      id: env.GITHUB_RUN_ID as string,
      name: env.GITHUB_EVENT_NAME as never,
      payload: JSON.parse(readFileSync(env.GITHUB_EVENT_PATH as string, 'utf8')),
    });
  } catch (error) {
    failed = true;
    probot.log.error(error);
  }
  return failed ? 1 : 0;
}

/** Action inputs arrive as INPUT_<NAME> variables; a list input is split on white space. */
const words = (value: string | undefined): string[] => (value ?? '').split(/\s+/).filter((w) => w !== '');

/** The action's `command`: review (the app), check or sweep (the CLI's commands); resolves with the exit code. */
export async function runActionCommand(env: Record<string, string | undefined> = process.env, io?: Io): Promise<number> {
  const command = (env.INPUT_COMMAND ?? '').trim() || 'review';
  if (command === 'review') return runAction();
  const out: Io = io ?? {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY: false,
    color: false,
    version: packageVersion() ?? env.GARDENER_VERSION ?? 'action',
  };
  // The check's worker threads start from the module's own file, which in the bundle is this entry.
  env.GARDENER_THREADS ??= '1';
  const extra = words(env.INPUT_ARGS);
  if (command === 'check') return checkCommand([...(words(env.INPUT_PATH).length > 0 ? words(env.INPUT_PATH) : ['.']), '--format', 'github', ...extra], out);
  if (command === 'sweep') {
    if (!env.GITHUB_TOKEN && env['INPUT_GITHUB-TOKEN']) env.GITHUB_TOKEN = env['INPUT_GITHUB-TOKEN'];
    if (!env.GITHUB_REPOSITORY) {
      out.stdout('::error title=Pattern Gardener::GITHUB_REPOSITORY is not set (this entry runs inside a GitHub Actions job)\n');
      return 1;
    }
    const { sweepCommand } = await import('../cli/commands/sweep.js');
    return sweepCommand(['--github', env.GITHUB_REPOSITORY, ...extra], out);
  }
  out.stdout(`::error title=Pattern Gardener::unknown command ${JSON.stringify(command)}: use review, check or sweep\n`);
  return 2;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  process.exitCode = await runActionCommand();
}
