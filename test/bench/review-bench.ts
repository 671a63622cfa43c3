/**
 * Review bench: one pull_request event through Probot against a nock-mocked GitHub, timed from
 * webhook in to the last API call. Rows: cold (empty snapshot cache), warm (same head SHA again:
 * snapshot from the LRU) and warm-incremental (a new head SHA descending from the previous one: one
 * compare request instead of the archive, only changed files parsed and tokenised). Corpus: `<sharedDir>/corpus/commons-os-patterns.tar.gz` repacked as a
 * GitHub-style tarball when present, 3,616 synthetic patterns otherwise. Goals: warm < 300 ms, new head < 1 s, cold < 2 s.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import nock from 'nock';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { readTarball } from '../../src/github/tarball.js';
import { FakeGitHub, loadFixture, pullRequestPayload, type Tree } from '../doubles/fake-github.js';
import { makePattern } from '../doubles/patterns.js';
import { makeProbot, testKey } from '../doubles/probot.js';

export interface BenchRow {
  name: string;
  wallMs: number;
  peakRssMb: number;
  note?: string;
}

function loadCorpus(sharedDir?: string): { tree: Tree; source: string } {
  const path = sharedDir ? join(sharedDir, 'corpus', 'commons-os-patterns.tar.gz') : undefined;
  if (path && existsSync(path)) {
    const res = readTarball(new Uint8Array(readFileSync(path)), { include: (p) => p.endsWith('.md') });
    const dec = new TextDecoder();
    const tree: Tree = new Map();
    for (const [p, bytes] of res.files) tree.set(p, dec.decode(bytes));
    if (tree.size > 0) return { tree, source: `commons-os-patterns (${tree.size} files)` };
  }
  const tree: Tree = new Map();
  const slug = (i: number) => `pattern-${String(i).padStart(4, '0')}`;
  for (let i = 0; i < 3616; i++)
    tree.set(`patterns/${slug(i)}.md`, makePattern({ slug: slug(i), relationships: { complementary: [slug((i + 1) % 3616)] }, words: 0.3 }));
  return { tree, source: 'synthetic (3616 patterns)' };
}

function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** Changes `n` files: a dangling link line appended to the frontmatter is not needed; a body line suffices. */
function edit(tree: Tree, n: number, salt: string): Tree {
  const head = new Map(tree);
  const paths = [...tree.keys()].sort();
  const step = Math.max(1, Math.floor(paths.length / n));
  for (let i = 0; i < n; i++) {
    const p = paths[(i * step) % paths.length]!;
    head.set(p, `${tree.get(p)!.replace(/\n*$/, '\n')}\nEdited in the review bench (${salt}).\n`);
  }
  return head;
}

export async function benchReview(opts: { sharedDir?: string } = {}): Promise<BenchRow[]> {
  const { tree: base, source } = loadCorpus(opts.sharedDir);
  testKey();
  nock.disableNetConnect();
  const rows: BenchRow[] = [];
  const fixture = loadFixture('pull_request.opened.json');
  const BASE = '1'.repeat(40);
  const HEAD1 = '2'.repeat(40);
  const HEAD2 = '3'.repeat(40);
  const head1 = edit(base, 20, 'one');
  const head2 = edit(head1, 21, 'two');
  const { probot, outcomes } = makeProbot();
  const { probot: pusher } = makeProbot({ garden: false, warmOnPush: true });
  const fx = fixture as { repository: Record<string, unknown>; installation: unknown; sender: unknown };
  const pushPayload = (after: string) => ({
    ref: 'refs/heads/main',
    before: '0'.repeat(39) + '1',
    after,
    commits: [],
    repository: { ...fx.repository, default_branch: 'main' },
    installation: fx.installation,
    sender: fx.sender,
  });
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  /** `from`: the cached commit GitHub compares the head with (the previous head, or the base) instead of sending its archive. */
  const once = async (headSha: string, head: Tree, headTarball: boolean, action: string, config: string | undefined, from?: { sha: string; tree: Tree }) => {
    const gh = new FakeGitHub();
    if (headTarball) gh.tarball(head, headSha); // build the archive outside the timing
    gh.mockEvent({
      number: 7,
      headSha,
      baseSha: BASE,
      base,
      head,
      headTarball,
      expectReview: true,
      patches: 100,
      ...(config ? { config } : {}),
      ...(from ? { compareFrom: from } : {}),
    });
    // Only the first check-run PATCHes are used; the review may or may not be posted.
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await probot.receive({
      id: `${action}-${headSha}`,
      name: 'pull_request',
      payload: pullRequestPayload(fixture, {
        number: 7,
        headSha,
        baseSha: BASE,
        action,
        ...(action === 'synchronize' && from ? { before: from.sha } : {}),
      }) as never,
    });
    const last = gh.log.at(-1)?.at ?? performance.now();
    // CPU of the whole process (user + system, GC included): steadier than wall time on a busy machine.
    const cpu = process.cpuUsage(cpu0);
    const o = outcomes.at(-1);
    nock.cleanAll();
    const detail =
      o && o.status === 'reviewed'
        ? `${o.findings} findings, ${o.requests} app requests (+token), parsed ${o.snapshot.parsed}, reused ${o.snapshot.reused}${o.snapshot.cacheHit ? ', cache hit' : ''}${o.snapshot.derivedFrom ? `, derived from ${o.snapshot.derivedFrom.slice(0, 7)} (compare)` : ''}; link index ${JSON.stringify(o.linkIndex ?? {})}; ms ${JSON.stringify(o.timings)}`
        : JSON.stringify(o);
    return { ms: last - t0, cpuMs: (cpu.user + cpu.system) / 1000, note: `${gh.count()} GitHub requests; ${detail}` };
  };
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  const allVariants: [string, string | undefined][] = [
    ['', undefined],
    [', link proposals off', 'links:\n  propose: false\n'],
  ];
  // BENCH_REVIEW_LINKS=on runs only the rows with link proposals on (the default config).
  const variants = process.env.BENCH_REVIEW_LINKS === 'on' ? allVariants.slice(0, 1) : allVariants;
  try {
    for (const [label, config] of variants) {
      const times: Record<'cold' | 'warm' | 'incremental' | 'pushWarmed', number[]> = { cold: [], warm: [], incremental: [], pushWarmed: [] };
      const cpus: Record<'cold' | 'warm' | 'incremental' | 'pushWarmed', number[]> = { cold: [], warm: [], incremental: [], pushWarmed: [] };
      const notes: Record<string, string> = {};
      for (let i = 0; i < runs; i++) {
        clearSnapshotCache();
        const c = await once(HEAD1, head1, true, 'opened', config);
        const w = await once(HEAD1, head1, false, 'reopened', config);
        // The new head descends from the previous one: GitHub's comparison of the two stands in for its archive.
        const n = await once(HEAD2, head2, false, 'synchronize', config, { sha: HEAD1, tree: head1 });
        // A push to the default branch warmed the base commit (outside the timing), then the PR arrives.
        clearSnapshotCache();
        const gh = new FakeGitHub();
        gh.mockToken();
        gh.mockConfig(config);
        gh.mockTarball(BASE, () => gh.tarball(base, BASE));
        await pusher.receive({ id: `push-${i}`, name: 'push', payload: pushPayload(BASE) as never });
        nock.cleanAll();
        const p = await once(HEAD1, head1, false, 'opened', config, { sha: BASE, tree: base });
        times.cold.push(c.ms);
        times.warm.push(w.ms);
        times.incremental.push(n.ms);
        times.pushWarmed.push(p.ms);
        cpus.cold.push(c.cpuMs);
        cpus.warm.push(w.cpuMs);
        cpus.incremental.push(n.cpuMs);
        cpus.pushWarmed.push(p.cpuMs);
        Object.assign(notes, { cold: c.note, warm: w.note, incremental: n.note, pushWarmed: p.note });
      }
      const row = (name: string, k: 'cold' | 'warm' | 'incremental' | 'pushWarmed', goal: string) =>
        rows.push({
          name: `${name}${label}`,
          wallMs: Math.round(median(times[k])),
          peakRssMb: peakRssMb(),
          note: `median of ${runs}; cpu ${Math.round(median(cpus[k]))} ms; ${goal}; ${source}; ${notes[k]}`,
        });
      row('review cold (20 changed files)', 'cold', 'goal < 2000 ms');
      row('review warm (same head again)', 'warm', 'goal < 300 ms');
      row('review warm-incremental (new head)', 'incremental', 'goal < 1000 ms');
      row('review after a push warmed the base', 'pushWarmed', 'cold process cache except the default branch (GARDENER_WARM_ON_PUSH)');
    }
  } finally {
    nock.cleanAll();
    nock.enableNetConnect();
    clearSnapshotCache();
  }
  return rows;
}
