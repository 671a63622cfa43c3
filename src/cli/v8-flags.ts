/**
 * V8 settings for the one-shot `gardener` process (the GitHub App, a long-lived server, keeps V8's
 * defaults). main.ts sets them at start-up with `v8.setFlagsFromString` (its shebang is a plain
 * `#!/usr/bin/env node`: `env -S` is missing under BusyBox); the benchmark starts its floor and check
 * children with them on the command line. Set at run time, the semi-space size does not take effect
 * (V8 sizes the young generation when the heap is set up); the inlining budget does.
 *
 * - A larger young generation: a corpus check allocates many short-lived strings, and the default
 *   semi-space makes the scavenger run thousands of times (about a third of the run).
 * - A smaller inlining budget for optimised code: a check runs for two or three seconds, most of which
 *   its rules and parsers spend waiting for their first optimised code. With V8's default budget the
 *   background compiler worked 3.6 s for one full-corpus check (`--trace-opt`), competing with the check
 *   for the second core; with 300 it works 2.0 s, and the check ran about 10% faster (npm run bench).
 */
export const CLI_V8_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--max-inlined-bytecode-size-cumulative=300'];
