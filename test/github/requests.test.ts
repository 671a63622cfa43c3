/** BAR: one event on a PR changing 20 patterns in a repository of 3,616 patterns costs at most 10 requests. */
import nock from 'nock';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { FakeGitHub, loadFixture, pullRequestPayload, type Tree } from '../doubles/fake-github.js';
import { makePattern } from '../doubles/patterns.js';
import { assertNoPending, makeProbot } from './helpers.js';

beforeAll(() => nock.disableNetConnect());

const slug = (i: number) => `pattern-${String(i).padStart(4, '0')}`;

/** `size` patterns, each linking to the next; 3,616 is the size of the real corpus. */
function corpusOf(size: number): Tree {
  const base: Tree = new Map();
  for (let i = 0; i < size; i++)
    base.set(`patterns/${slug(i)}.md`, makePattern({ slug: slug(i), relationships: { complementary: [slug((i + 1) % size)] }, words: 0.05 }));
  return base;
}
const corpusOf3616 = () => corpusOf(3616);
/**
 * The request count does not grow with the repository (one archive holds it all): the bar is held on
 * 3,616 patterns above, the variants below run on 400.
 */
const SMALL = 400;
const changed = (i: number) => slug(i * 20);
afterEach(() => assertNoPending());

it('one pull_request event on 20 changed patterns of 3,616 costs ≤ 10 GitHub requests', async () => {
  clearSnapshotCache();
  const base = corpusOf3616();
  const head = new Map(base);
  for (let i = 0; i < 20; i++) {
    // Every changed pattern gets a fresh (dangling) link: 20 findings with suggestions.
    head.set(
      `patterns/${slug(i * 100)}.md`,
      makePattern({ slug: slug(i * 100), relationships: { complementary: [slug((i * 100 + 1) % 3616), 'pattern-99999'] } }),
    );
  }
  const HEAD = 'e'.repeat(40);
  const BASE = 'f'.repeat(40);
  const gh = new FakeGitHub();
  gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, expectReview: true, redirect: true, config: 'review:\n  maxComments: 30\n' });
  const { probot, outcomes } = makeProbot();
  await probot.receive({
    id: 'bar',
    name: 'pull_request',
    payload: pullRequestPayload(loadFixture('pull_request.opened.json'), { number: 7, headSha: HEAD, baseSha: BASE }) as never,
  });
  // the base side, for judging what the PR introduces, comes from the PR's patches: no extra request
  expect(outcomes[0]).toMatchObject({ status: 'reviewed', findings: 20, comments: 20, preExisting: 0, base: 'diff' });
  // token, config, check create, files, head tarball (302 + codeload), GraphQL state, review, check complete
  expect(gh.log.map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`)).toHaveLength(gh.count());
  console.log(`requests for one event: ${gh.count()}\n${gh.log.map((r) => `  ${r.method} ${r.path}`).join('\n')}`);
  expect(gh.count()).toBeLessThanOrEqual(10);
  // The changed patterns are commons patterns: the head link index (3,616 patterns) was built in this event.
  const o = outcomes[0] as { linkIndex?: { built: boolean; ms: number; patterns: number }; timings: Record<string, number> };
  expect(o.linkIndex).toMatchObject({ built: true, patterns: 3616 });
  console.log(`link index: ${o.linkIndex?.ms} ms for ${o.linkIndex?.patterns} patterns; timings ${JSON.stringify(o.timings)}`);
});

it('the same event with link proposals on every changed pattern still costs ≤ 10 requests', async () => {
  clearSnapshotCache();
  const base = corpusOf(SMALL);
  const head = new Map(base);
  for (let i = 0; i < 20; i++)
    head.set(`patterns/${changed(i)}.md`, makePattern({ slug: changed(i), relationships: { complementary: [slug((i * 20 + 1) % SMALL), 'pattern-99999'] } }));
  const HEAD = 'd'.repeat(40);
  const BASE = 'f'.repeat(40);
  const gh = new FakeGitHub();
  // A threshold low enough that the synthetic corpus yields proposals (they ride in the same review, check run and GraphQL read).
  gh.mockEvent({
    number: 7,
    headSha: HEAD,
    baseSha: BASE,
    base,
    head,
    expectReview: true,
    redirect: true,
    config: 'review:\n  maxComments: 30\nlinks:\n  minConfidence: 0.01\n',
  });
  const { probot, outcomes } = makeProbot();
  await probot.receive({
    id: 'bar-links',
    name: 'pull_request',
    payload: pullRequestPayload(loadFixture('pull_request.opened.json'), { number: 7, headSha: HEAD, baseSha: BASE }) as never,
  });
  const o = outcomes[0] as {
    status: string;
    proposals: number;
    findings: number;
    linkIndex?: { ms: number; patterns: number };
    timings: Record<string, number>;
  };
  expect(o.status).toBe('reviewed');
  expect(o.proposals).toBe(20);
  console.log(
    `with ${o.proposals} link proposals: ${gh.count()} requests; link index ${o.linkIndex?.ms} ms (${o.linkIndex?.patterns} patterns); timings ${JSON.stringify(o.timings)}`,
  );
  expect(gh.count()).toBeLessThanOrEqual(10);
});

it('a PR whose 20 changed patterns have hundreds of findings still costs ≤ 10 requests; the rest are listed in the summary', async () => {
  clearSnapshotCache();
  const base = corpusOf(SMALL);
  const head = new Map(base);
  // 15 dangling links per changed pattern (errors) and stale-length sections (notices): 300+ findings.
  const dangling = (i: number) => Array.from({ length: 15 }, (_, k) => `missing-${i}-${k}`);
  for (let i = 0; i < 20; i++)
    head.set(`patterns/${changed(i)}.md`, makePattern({ slug: changed(i), relationships: { complementary: [slug((i * 20 + 1) % SMALL), ...dangling(i)] } }));
  const HEAD = 'c'.repeat(40);
  const BASE = 'f'.repeat(40);
  const gh = new FakeGitHub();
  // 9 requests before the completion (the run lookup included) leave room for 1 annotation batch
  gh.mockEvent({
    number: 7,
    headSha: HEAD,
    baseSha: BASE,
    base,
    head,
    expectReview: true,
    redirect: true,
    patches: 1,
    config: 'review:\n  maxComments: 30\nlinks:\n  propose: false\n',
  });
  const { probot, outcomes } = makeProbot();
  await probot.receive({
    id: 'bar-many',
    name: 'pull_request',
    payload: pullRequestPayload(loadFixture('pull_request.opened.json'), { number: 7, headSha: HEAD, baseSha: BASE }) as never,
  });
  const o = outcomes[0] as { status: string; findings: number };
  expect(o.status).toBe('reviewed');
  expect(o.findings).toBeGreaterThanOrEqual(300);
  expect(gh.count()).toBeLessThanOrEqual(10);
  const patches = gh.checkRunPatches as { output: { annotations?: { annotation_level: string }[]; summary: string } }[];
  const annotations = patches.flatMap((p) => p.output.annotations ?? []);
  expect(annotations.length).toBe(50);
  // errors are annotated before notices, and every finding without an annotation is listed in the summary
  expect(annotations.every((a) => a.annotation_level === 'failure')).toBe(true);
  const summary = patches[patches.length - 1]!.output.summary;
  expect(summary).toContain(`the other ${o.findings - annotations.length}:`);
});
