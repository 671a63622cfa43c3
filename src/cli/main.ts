#!/usr/bin/env node
/** The `gardener` command: dispatches to one module per subcommand in src/cli/commands/. */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { CLI_V8_FLAGS } from './v8-flags.js';

// The CLI's V8 flags (v8-flags.ts says why). A plain `env node` shebang works everywhere (BusyBox has no
// `env -S`); the inlining budget takes effect when set here, the young generation's size only from the
// command line (the benchmark starts its children with both).
for (const flag of CLI_V8_FLAGS) setFlagsFromString(flag);
import { checkCommand } from './commands/check.js';
import type { Io } from './io.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

type Command = (argv: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, { run: () => Promise<Command>; summary: string }> = {
  check: { run: async () => checkCommand, summary: 'validate pattern files and print findings' },
  'eval-links': {
    run: async () => (await import('./commands/eval-links.js')).evalLinksCommand,
    summary: 'measure link proposals (blind recall@k); fit weights (--cv) and calibration (--calibration)',
  },
  propose: {
    run: async () => (await import('./commands/propose.js')).proposeCommand,
    summary: 'print the inferred links the review would propose, with type, confidence and reason',
  },
  synth: { run: async () => (await import('./commands/synth.js')).synthCommand, summary: 'write a synthetic pattern corpus (benchmarks, tests)' },
  sweep: {
    run: async () => (await import('./commands/sweep.js')).sweepCommand,
    summary: 'garden health: stale gardens, replant signals, the dashboard and issue sync',
  },
  baseline: {
    run: async () => (await import('./commands/baseline.js')).baselineCommand,
    summary: "record today's findings so that check reports only new ones",
  },
  tend: {
    run: async () => (await import('./commands/tend.js')).tendCommand,
    summary: 'the next gardening batch: safe fixes and link refreshes, as a patch or commits',
  },
  init: { run: async () => (await import('./commands/init.js')).initCommand, summary: 'write a config with the kinds of pattern found in each folder' },
};

const HELP = (): string =>
  `gardener ${pkg.version}: validate and tend a pattern library\n\nusage: gardener <command> [options]\n\ncommands:\n${Object.entries(COMMANDS)
    .map(([n, c]) => `  ${n.padEnd(12)} ${c.summary}`)
    .join('\n')}\n\nRun \`gardener <command> --help\` for its options.\n`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${pkg.version}\n`);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr(`gardener: unknown command "${name}"\n\n${HELP()}`);
    return 2;
  }
  return (await cmd.run())(rest, io);
}

/**
 * Colour in stdout's text: FORCE_COLOR decides when set ("0" or "false" turn it off), else NO_COLOR
 * (any non-empty value) turns it off, else colour when stdout is a terminal that is not "dumb".
 */
export function wantsColor(env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return stdoutIsTTY && env.TERM !== 'dumb';
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry || process.argv[1]?.endsWith('/gardener') || process.argv[1]?.endsWith('cli/main.js')) {
  // A reader that stops early (`gardener check . | head`) closes the pipe: stop writing, quietly.
  let stdoutClosed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutClosed = true;
  });
  const io: Io = {
    stdout: (s) => void (stdoutClosed || process.stdout.write(s)),
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stderr.isTTY),
    color: wantsColor(process.env, Boolean(process.stdout.isTTY)),
    version: pkg.version,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`gardener: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
