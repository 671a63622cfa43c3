import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { requireDate } from '../../src/core/dates.js';
import { readTarball } from '../../src/github/tarball.js';
import { computeGarden, parseFiles } from '../../src/garden/compute.js';
import { visibleText } from '../../src/garden/dashboard.js';
import { syncGarden, type GardenGitHub, type IssueSnapshot } from '../../src/garden/sync.js';
import { CORPUS_TARBALL, skipMessage } from '../helpers/corpus.js';

const TARBALL = CORPUS_TARBALL;
const present = existsSync(TARBALL);
if (!present) console.warn(skipMessage('garden corpus tests (test/garden/corpus.test.ts)'));

/** An in-memory GitHub with no issues that records what the sweep would write. */
function memoryGitHub(): GardenGitHub & { issues: IssueSnapshot[] } {
  const issues: IssueSnapshot[] = [];
  return {
    issues,
    listIssues: async (label) => issues.filter((i) => i.labels.includes(label)),
    listLabels: async () => [],
    createLabel: async () => {},
    createIssue: async (p) => {
      const i: IssueSnapshot = { number: issues.length + 1, title: p.title, body: p.body, labels: p.labels, state: 'open', created_at: '2026-11-21T00:00:00Z' };
      issues.push(i);
      return i;
    },
    updateIssue: async () => {},
    comment: async () => {},
  };
}

describe.skipIf(!present)('garden on the real corpus (today 2026-11-21)', () => {
  it('counts 2,072 stale gardens, plans at most the cap and keeps the dashboard to one screen', async () => {
    const tar = readTarball(new Uint8Array(readFileSync(TARBALL)), { include: (p) => p.endsWith('.md') });
    expect(tar.error).toBeUndefined();
    const docs = parseFiles(tar.files, DEFAULT_CONFIG);
    const t0 = performance.now();
    const garden = computeGarden(docs, { config: DEFAULT_CONFIG, today: requireDate('2026-11-21') });
    const ms = performance.now() - t0;
    const r = garden.report;
    console.log(
      `garden: ${r.patterns} patterns, ${r.counts['garden/last-pruned-stale']} stale, ${r.candidates.length} candidates, signals ${JSON.stringify(r.counts)}, compute ${Math.round(ms)} ms`,
    );
    expect(r.counts['garden/last-pruned-stale']).toBe(2072);
    expect(r.stale).toHaveLength(2072);

    const dry = await syncGarden(memoryGitHub(), {
      report: r,
      docs: new Map(docs.map((d) => [d.file, d])),
      owner: 'o',
      repo: 'r',
      sha: 'a'.repeat(40),
      config: DEFAULT_CONFIG,
      today: requireDate('2026-11-21'),
      dashboard: true,
      dryRun: true,
    });
    const creates = dry.operations.filter((o) => o.op === 'create');
    expect(creates.length).toBeLessThanOrEqual(DEFAULT_CONFIG.garden.maxNewIssuesPerSweep);
    expect(creates.length).toBe(Math.min(r.candidates.length, DEFAULT_CONFIG.garden.maxNewIssuesPerSweep));

    const gh = memoryGitHub();
    const applied = await syncGarden(gh, {
      report: r,
      docs: new Map(docs.map((d) => [d.file, d])),
      owner: 'o',
      repo: 'r',
      sha: 'a'.repeat(40),
      config: DEFAULT_CONFIG,
      today: requireDate('2026-11-21'),
      dashboard: true,
    });
    expect(applied.dashboard).toBe('created');
    const dash = gh.issues.find((i) => i.title === 'Garden health')!;
    const visible = visibleText(dash.body);
    expect(visible.split('\n').length).toBeLessThanOrEqual(50);
    expect(visible.length).toBeLessThanOrEqual(6000);
    expect(dash.body.length).toBeLessThan(65_536);
    expect(gh.issues.filter((i) => i.title.startsWith('Replant:')).length).toBe(creates.length);
  });
});
