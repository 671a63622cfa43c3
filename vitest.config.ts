import { defineConfig } from 'vitest/config';

/**
 * Test files that share their worker's module cache (isolate: false): they touch no process-wide state (no
 * nock, Probot, servers, child processes, environment or process handlers), so importing the sources once
 * per worker instead of once per file is safe, and it is about a second of CPU saved per file. Every other
 * file runs in a fresh process. A file that starts touching shared state moves to the isolated project.
 */
const SHARED_WORKER = [
  'test/cli/streamed-check.test.ts',
  'test/core/baseline.test.ts',
  'test/core/document.test.ts',
  'test/core/drift.test.ts',
  'test/core/fast-yaml.test.ts',
  'test/core/finding-filter.test.ts',
  'test/core/generated-validators.test.ts',
  'test/core/head-only.test.ts',
  'test/core/lazy-body.test.ts',
  'test/core/locate-key-path.test.ts',
  'test/core/precision.test.ts',
  'test/core/similar-index.test.ts',
  'test/core/source-map.test.ts',
  'test/core/units.test.ts',
  'test/core/word-count.test.ts',
  'test/docs/readme-reference.test.ts',
  'test/garden/budget.test.ts',
  'test/garden/cli-plan.test.ts',
  'test/garden/corpus.test.ts',
  'test/garden/signals.test.ts',
  'test/garden/vault.test.ts',
  'test/github/base-snapshot.test.ts',
  'test/github/in-flight-once.test.ts',
  'test/github/inert-markdown.test.ts',
  'test/github/limits.test.ts',
  'test/github/output-limits.test.ts',
  'test/github/pure.test.ts',
  'test/links-pr/duplicates.test.ts',
  'test/links/embeddings.test.ts',
  'test/links/engine.test.ts',
  'test/links/eval.test.ts',
  'test/links/note-proposals.test.ts',
  'test/links/prune-render.test.ts',
  'test/links/quarantine.test.ts',
  'test/links/real-data.test.ts',
  'test/links/record.test.ts',
  'test/reliability/hostile-files.test.ts',
  'test/reliability/properties.test.ts',
  'test/rules/artifacts.test.ts',
  'test/rules/assessment-body.test.ts',
  'test/rules/conventions.test.ts',
  'test/rules/file.test.ts',
  'test/rules/fix-property.test.ts',
  'test/rules/identity-schema-dates.test.ts',
  'test/rules/legacy-notes.test.ts',
  'test/rules/links.test.ts',
  'test/rules/mojibake.test.ts',
  'test/rules/obsidian-vault.test.ts',
  'test/rules/obsidian.test.ts',
  'test/rules/portability.test.ts',
  'test/rules/reciprocal-new-key.test.ts',
  'test/rules/registry.test.ts',
  'test/server/config.test.ts',
  'test/server/production-imports.test.ts',
  'test/standin/diff.test.ts',
  'test/synth/generate.test.ts',
  'test/tarball/tarball.test.ts',
];

export default defineConfig({
  test: {
    // Every GitHub request a test makes is checked against GitHub's own API descriptions.
    setupFiles: ['test/conformance/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: keep the pool small so corpus tests do not starve each other.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'shared-worker', include: SHARED_WORKER, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ['test/**/*.test.ts'], exclude: SHARED_WORKER } },
    ],
  },
});
