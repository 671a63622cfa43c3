/**
 * The gardening planner (pure) and `gardener tend` on a synthetic library (src/synth, written for this
 * project): batch size and order, every edited file checked independently, rejections and skipped files
 * honoured, existing inferred links kept, and an applied batch followed by a different one.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type GardenerConfig } from '../../src/core/config.js';
import { CorpusIndex } from '../../src/core/corpus.js';
import { requireDate } from '../../src/core/dates.js';
import { parseDocument, type ParsedDocument } from '../../src/core/document.js';
import { Engine } from '../../src/core/engine.js';
import { countBy, type Finding } from '../../src/core/finding.js';
import { isRecord } from '../../src/core/path.js';
import * as tendModule from '../../src/garden/tend.js';
import { planTendBatch, Tender, TEND_REFRESH_RULE, type TendBatch, type TendRejections } from '../../src/garden/tend.js';
import { generateCorpus } from '../../src/synth/generate.js';
import { removeTree, runCli, writeTree } from '../helpers/cli.js';

const TODAY = requireDate('2026-12-02');

function library(count: number, seed = 5): Map<string, string> {
  const m = new Map<string, string>();
  for (const { file, text } of generateCorpus({ count, seed })) m.set(file, text);
  return m;
}

function analyse(files: ReadonlyMap<string, string>, config: GardenerConfig = structuredClone(DEFAULT_CONFIG)) {
  const docs = [...files].map(([f, t]) => parseDocument(f, t, { limits: config.limits }));
  const engine = new Engine({ config, today: TODAY });
  const corpus = CorpusIndex.fromDocuments(docs);
  const findings: Finding[] = [];
  for (const d of docs) findings.push(...engine.checkDocument(d, corpus));
  return { docs, findings, config, engine, corpus };
}

const plan = (files: ReadonlyMap<string, string>, extra: { batchSize?: number; rejections?: TendRejections; skipFiles?: Set<string> } = {}): TendBatch => {
  const a = analyse(files);
  return planTendBatch({ docs: a.docs, findings: a.findings, config: a.config, today: TODAY, kind: 'commons-pattern', ...extra });
};

function applied(files: ReadonlyMap<string, string>, batch: TendBatch): Map<string, string> {
  const out = new Map(files);
  for (const [f, t] of batch.after) out.set(f, t);
  return out;
}

const bodyOf = (d: ParsedDocument): string => d.body();

describe('the gardening planner', () => {
  const files = library(60);
  const batch = plan(files, { batchSize: 10 });

  it('takes at most batchSize files, most-linked first', () => {
    expect(batch.files.length).toBe(10);
    const a = analyse(files);
    const ranked = new Tender({ docs: a.docs, findings: a.findings, config: a.config, today: TODAY, kind: 'commons-pattern' }).rankedFiles();
    const inbound = (f: string) => new Set(a.corpus.inbound(a.docs.find((d) => d.file === f)!.slug).map((i) => i.file)).size;
    const counts = batch.files.map(inbound);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    expect(inbound(ranked[0]!)).toBeGreaterThanOrEqual(inbound(ranked[ranked.length - 1]!));
    expect(batch.remaining).toBeGreaterThan(0);
  });

  it('every edited file parses, keeps its body, clears what its stages fixed and gains no finding (checked again here)', () => {
    const before = analyse(files);
    const after = analyse(applied(files, batch));
    expect(batch.stages.length).toBeGreaterThan(1);
    for (const file of batch.files) {
      const b = before.docs.find((d) => d.file === file)!;
      const a = after.docs.find((d) => d.file === file)!;
      expect(a.frontmatter?.data, file).toBeTruthy();
      expect(
        a.problems.filter((p) => p.code.startsWith('yaml')),
        file,
      ).toEqual([]);
      expect(bodyOf(a), file).toBe(bodyOf(b));
      const fb = countBy(
        before.findings.filter((f) => f.file === file),
        (f) => f.rule,
      );
      const fa = countBy(
        after.findings.filter((f) => f.file === file),
        (f) => f.rule,
      );
      for (const rule of Object.keys(fa)) expect(fa[rule], `${file} ${rule}`).toBeLessThanOrEqual(fb[rule] ?? 0);
      for (const s of batch.stages) {
        if (!s.texts.has(file)) continue;
        if (s.rule === TEND_REFRESH_RULE) expect(fa['garden/last-pruned-stale'] ?? 0, file).toBe(0);
        else expect(after.findings.filter((f) => f.file === file && f.rule === s.rule && f.fix).length, `${file} ${s.rule}`).toBe(0);
      }
    }
  });

  it('after the batch is applied, the next batch is other files', () => {
    const next = plan(applied(files, batch), { batchSize: 10 });
    expect(next.files.length).toBeGreaterThan(0);
    expect(next.files.filter((f) => batch.files.includes(f))).toEqual([]);
  });

  it('leaves out skipped files and rejected links', () => {
    const skipped = plan(files, { batchSize: 10, skipFiles: new Set(batch.files.slice(0, 3)) });
    expect(skipped.files.filter((f) => batch.files.slice(0, 3).includes(f))).toEqual([]);
    const add = batch.stages.find((s) => s.rule === TEND_REFRESH_RULE)!.changes.find((c) => c.confidence !== undefined)!;
    const slug = analyse(files).docs.find((d) => d.file === add.file)!.slug;
    const target = /`([^`]+)`/.exec(add.evidence)![1]!;
    const rejections: TendRejections = { rejectsPattern: () => false, rejectsPair: (s, t) => s === slug && t === target };
    const again = plan(files, { batchSize: 10, rejections });
    expect(again.after.get(add.file)).not.toMatch(new RegExp(`target: ${target}\\n`));
    expect(batch.after.get(add.file)).toMatch(new RegExp(`target: ${target}\\n`));
  });

  it('keeps the inferred links a file already has, unless they point nowhere', () => {
    const a = analyse(files);
    const after = analyse(applied(files, batch));
    for (const file of batch.files) {
      const gg = (d: ParsedDocument) => (isRecord(d.frontmatter?.data?.graph_garden) ? (d.frontmatter!.data!.graph_garden as Record<string, unknown>) : {});
      const targets = (d: ParsedDocument) => ((gg(d).inferred_links as { target?: string }[] | undefined) ?? []).map((l) => l.target);
      const doc = a.docs.find((d) => d.file === file)!;
      const now = after.docs.find((d) => d.file === file)!;
      const kept = targets(now);
      for (const t of targets(doc)) if (t && a.corpus.resolvePattern(t) && t !== doc.slug) expect(kept, `${file} ${t}`).toContain(t);
    }
  });
});

describe('gardener tend (CLI)', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) removeTree(root);
    root = undefined;
  });

  it('--dry-run prints a patch that applies; without it, one commit per rule on its branch; then the next batch differs', async () => {
    root = writeTree(Object.fromEntries(library(40, 9)));
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', root!, ...args], {
        encoding: 'utf8',
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' },
      });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'library');
    const dry = await runCli(['tend', root, '--dry-run', '--today', '2026-12-02', '--batch-size', '6']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^diff --git a\//);
    expect(dry.stderr).toMatch(/^Batch of 6 commons-pattern file\(s\), (\d+) commit\(s\)/);
    const first = [...dry.stdout.matchAll(/^diff --git a\/(\S+)/gm)].map((m) => m[1]!);
    expect(first).toHaveLength(6);
    const patch = join(root, '..', `${root.split('/').pop()}.patch`);
    execFileSync('sh', ['-c', `cat > '${patch}'`], { input: dry.stdout });
    git('apply', '--check', patch);
    expect(git('status', '--porcelain')).toBe('');

    const real = await runCli(['tend', root, '--today', '2026-12-02', '--batch-size', '6']);
    expect(real.code).toBe(0);
    const commits = Number(/(\d+) commit\(s\)/.exec(dry.stderr)![1]);
    expect(git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('pattern-gardener/tend-commons-pattern');
    const log = git('log', '--format=%s', 'main..HEAD').trim().split('\n');
    expect(log).toHaveLength(commits);
    expect(new Set(log).size).toBe(commits);
    for (const f of first) expect(readFileSync(join(root, f), 'utf8')).toContain('last_pruned: 2026-12-02');

    const again = await runCli(['tend', root, '--dry-run', '--today', '2026-12-02', '--batch-size', '6']);
    const second = [...again.stdout.matchAll(/^diff --git a\/(\S+)/gm)].map((m) => m[1]!);
    expect(second.length).toBeGreaterThan(0);
    expect(second.filter((f) => first.includes(f))).toEqual([]);
    removeTree(patch);
  }, 120_000);

  it('refuses to commit over uncommitted changes and says why', async () => {
    root = writeTree(Object.fromEntries(library(12, 2)));
    execFileSync('git', ['-C', root, 'init', '-q']);
    const r = await runCli(['tend', root, '--today', '2026-12-02']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/uncommitted changes/);
  });
});

describe('lossyEntries', () => {
  const doc = (entries: string) => parseDocument('p.md', `---\nslug: p\ngraph_garden:\n  last_pruned: 2020-01-01\n  inferred_links:\n${entries}---\n\n# P\n`);
  it('names fields the refresh would drop and entries without a type', () => {
    const { lossyEntries } = tendModule;
    expect(lossyEntries(doc('    - target: a\n      type: enables\n      confidence: 0.5\n      reason: "x"\n'))).toBeUndefined();
    expect(lossyEntries(doc('    - target: a\n      reason: "x"\n      strength: 3\n'))).toContain('`strength`');
    expect(lossyEntries(doc('    - target: a\n      confidence: 0.5\n'))).toContain('without a type');
    expect(lossyEntries(doc('    - a\n'))).toContain('mappings');
  });
});
