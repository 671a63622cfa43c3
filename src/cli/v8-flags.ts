/**
 * V8 settings for the one-shot `gardener` process (the GitHub App, a long-lived server, keeps V8's
 * defaults). The shebang of main.ts repeats them for `gardener ...`; main.ts sets them again for
 * `node dist/cli/main.js ...`; the benchmark starts its floor and check children with them, so both
 * rows measure the process the CLI really runs.
 *
 * - A larger young generation: a corpus check allocates many short-lived strings, and the default
 *   semi-space makes the scavenger run thousands of times (about a third of the run).
 * - A smaller inlining budget for optimised code: a check runs for two or three seconds, most of which
 *   its rules and parsers spend waiting for their first optimised code. With V8's default budget the
 *   background compiler worked 3.6 s for one full-corpus check (`--trace-opt`), competing with the check
 *   for the second core; with 300 it works 2.0 s, and the check ran about 10% faster (npm run bench).
 */
export const CLI_V8_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--max-inlined-bytecode-size-cumulative=300'];
