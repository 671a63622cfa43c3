/** The head link index: built lazily, cached with its snapshot, its documents taken over by the next commit's. */
import { beforeEach, expect, it } from 'vitest';
import { linkIndexFor, linkRecordsOf, type LinkIndexStats } from '../../src/github/link-proposals.js';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { FakeGitHub } from '../doubles/fake-github.js';
import { LinkIndex } from '../../src/links/index.js';
import { baseCorpus, NEW_WATER, themedPattern, WATER } from './corpus.js';

beforeEach(() => clearSnapshotCache());

const { snapshotOf } = new FakeGitHub().snapshots({ owner: 'commons-garden', repo: 'patterns' });
const stats = (): LinkIndexStats => ({ built: false, ms: 0, patterns: 0 });

it('an index taken over from the previous commit and updated proposes exactly what a full build does', async () => {
  const a = baseCorpus();
  const snapA = await snapshotOf(a, '1'.repeat(40));
  const sA = stats();
  linkIndexFor(snapA, sA);
  expect(sA).toMatchObject({ built: true, patterns: 8 });
  expect(sA.incremental).toBeUndefined();
  const sA2 = stats();
  linkIndexFor(snapA, sA2);
  expect(sA2).toMatchObject({ built: false, patterns: 8 });

  // Next commit: one pattern added, one changed (new tags), one deleted, one renamed (same slug, new path).
  const b = new Map(a);
  b.set('patterns/groundwater-monitoring.md', themedPattern(NEW_WATER));
  b.set('patterns/water-rights-ledger.md', themedPattern({ ...WATER[2]!, tags: ['water', 'rights', 'wells', 'groundwater'] }));
  b.delete('patterns/rainwater-harvest-circle.md');
  b.set('patterns/software/release-train.md', b.get('patterns/release-train.md')!);
  b.delete('patterns/release-train.md');
  const snapB = await snapshotOf(b, '2'.repeat(40));
  const sB = stats();
  const moved = linkIndexFor(snapB, sB);
  // Read again: the added, the edited and the renamed pattern (a new path); the other five were taken over.
  expect(sB).toMatchObject({ built: true, incremental: true, patterns: 8, updated: 3, takenOver: 5 });
  const fresh = new LinkIndex(linkRecordsOf(snapB));
  expect(moved.slugs().sort()).toEqual(fresh.slugs().sort());
  for (const slug of fresh.slugs()) expect(moved.propose(slug, 12), slug).toEqual(fresh.propose(slug, 12));

  // The donor lost its index: asking for it again builds (or takes over) a correct one.
  const again = linkIndexFor(snapA, stats());
  expect(again.slugs().sort()).toEqual(new LinkIndex(linkRecordsOf(snapA)).slugs().sort());
});
