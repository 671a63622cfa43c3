/**
 * The bar: a pull request with 1,000 findings of long paths and slugs. Every body GitHub receives is
 * within its limit, the check run is failure with annotations, the review is posted.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { loadFixture, pullRequestPayload, type Tree } from '../doubles/fake-github.js';
import { makePattern } from '../doubles/patterns.js';
import {
  ANNOTATION_MESSAGE_LIMIT,
  ANNOTATION_RAW_DETAILS_LIMIT,
  ANNOTATION_TITLE_LIMIT,
  ANNOTATIONS_PER_REQUEST,
  BODY_LIMIT,
  byteLength,
  CHECK_SUMMARY_LIMIT,
  CHECK_TITLE_LIMIT,
} from '../../src/github/limits.js';
import { StatefulGitHub, prodLikeProbot } from './stateful-github.js';

const BASE = 'b'.repeat(40);
const HEAD = 'a'.repeat(40);
const FILES = 100;
const LINKS = 10;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => clearSnapshotCache());
afterEach(() => nock.cleanAll());

const dir = `patterns/${'stewardship-of-the-shared-watershed-and-its-many-tributaries'.repeat(2)}`;
const slugOf = (i: number) => `community-managed-groundwater-recharge-basin-with-seasonal-monitoring-${String(i).padStart(3, '0')}`;
const missing = (i: number, k: number) => `a-pattern-that-was-renamed-long-ago-and-never-replaced-by-anything-${i}-${k}`;

it('1,000 findings of long paths and slugs: every body within its limit, failure with annotations, review posted', async () => {
  const base: Tree = new Map();
  for (let i = 0; i < FILES; i++) base.set(`${dir}/${slugOf(i)}.md`, makePattern({ slug: slugOf(i) }));
  const head = new Map(base);
  for (let i = 0; i < FILES; i++) {
    head.set(
      `${dir}/${slugOf(i)}.md`,
      makePattern({ slug: slugOf(i), relationships: { complementary: Array.from({ length: LINKS }, (_, k) => missing(i, k)) } }),
    );
  }
  const gh = new StatefulGitHub({ number: 7, headSha: HEAD, baseSha: BASE, base, head, config: 'links:\n  propose: false\n' });
  gh.install();
  const app = prodLikeProbot({ level: 'warn' });
  await app.probot.receive({
    id: 'bar',
    name: 'pull_request',
    payload: pullRequestPayload(loadFixture('pull_request.opened.json'), { number: 7, headSha: HEAD, baseSha: BASE }) as never,
  });

  const outcome = app.outcomes[0] as { status: string; conclusion: string; findings: number; comments: number };
  expect(outcome).toMatchObject({ status: 'reviewed', conclusion: 'failure' });
  expect(outcome.findings).toBeGreaterThanOrEqual(FILES * LINKS);

  // Every body the app sent.
  let bodies = 0;
  for (const s of gh.sent) {
    const b = (s.body ?? {}) as Record<string, any>;
    if (typeof b.body === 'string') {
      expect(byteLength(b.body)).toBeLessThanOrEqual(BODY_LIMIT);
      bodies++;
    }
    for (const c of (b.comments ?? []) as { body: string }[]) {
      expect(byteLength(c.body)).toBeLessThanOrEqual(BODY_LIMIT);
      bodies++;
    }
    if (b.output) {
      expect(byteLength(b.output.title)).toBeLessThanOrEqual(CHECK_TITLE_LIMIT);
      expect(byteLength(b.output.summary)).toBeLessThanOrEqual(CHECK_SUMMARY_LIMIT);
      if (b.output.text !== undefined) expect(byteLength(b.output.text)).toBeLessThanOrEqual(CHECK_SUMMARY_LIMIT);
      const annotations = (b.output.annotations ?? []) as { message: string; title: string; raw_details?: string }[];
      expect(annotations.length).toBeLessThanOrEqual(ANNOTATIONS_PER_REQUEST);
      for (const a of annotations) {
        expect(byteLength(a.message)).toBeLessThanOrEqual(ANNOTATION_MESSAGE_LIMIT);
        expect(byteLength(a.title)).toBeLessThanOrEqual(ANNOTATION_TITLE_LIMIT);
        if (a.raw_details !== undefined) expect(byteLength(a.raw_details)).toBeLessThanOrEqual(ANNOTATION_RAW_DETAILS_LIMIT);
      }
      bodies++;
    }
  }
  expect(bodies).toBeGreaterThan(3);

  // The review is posted: its inline comments and the rest counted in its body.
  expect(gh.reviews).toHaveLength(1);
  expect(gh.reviews[0]!.comments.length).toBe(outcome.comments);
  expect(gh.reviews[0]!.body).toMatch(/… and \d+ more findings on changed lines in the check run/);
  // One run, failing, with annotations; the summary says how many it could not list.
  const runs = gh.runsFor(HEAD);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  expect(runs[0]!.annotations.length).toBeGreaterThanOrEqual(ANNOTATIONS_PER_REQUEST);
  expect(runs[0]!.output?.summary).toMatch(/… and \d+ more/);
  console.log(
    `bar: ${outcome.findings} findings, ${outcome.comments} inline comments, ${runs[0]!.annotations.length} annotations, review body ${byteLength(gh.reviews[0]!.body)} bytes, summary ${byteLength(runs[0]!.output!.summary!)} bytes, ${gh.sent.length} requests`,
  );
});
