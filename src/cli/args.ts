/** Argument parsing shared by every subcommand: node's parseArgs, usage errors as exit code 2, --help. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Io } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>>;

/**
 * Parses `argv` for a command. Returns the parsed values, or the exit code to return at once:
 * 0 after printing the usage for --help, 2 after printing the error and the usage.
 */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage: string, io: Pick<Io, 'stdout' | 'stderr'>): Parsed<O> | number {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }) as Parsed<O>;
  } catch (e) {
    io.stderr(`${(e as Error).message}\n${usage.trimEnd()}\n`);
    return 2;
  }
  if ((parsed.values as Record<string, unknown>).help) {
    io.stdout(`${usage.trimEnd()}\n`);
    return 0;
  }
  return parsed;
}

/** A whole number option in a range, or undefined when absent; NaN when it is not one. */
export function intOption(value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= min ? n : Number.NaN;
}
