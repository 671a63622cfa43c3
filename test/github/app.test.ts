import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { FakeGitHub, loadFixture, pullRequestPayload, type Tree } from '../../src/github/testing/fake-github.js';
import { makePattern } from '../../src/github/testing/patterns.js';
import { assertNoPending, makeProbot } from './helpers.js';

const fixture = loadFixture('pull_request.opened.json');
const BASE = 'b'.repeat(40);
const HEAD = 'a'.repeat(40);

function baseTree(): Tree {
  return new Map([
    ['patterns/alpha.md', makePattern({ slug: 'alpha' })],
    ['patterns/beta.md', makePattern({ slug: 'beta' })],
    ['patterns/gamma.md', makePattern({ slug: 'gamma' })],
    ['README.md', '# Patterns\n'],
  ]);
}

beforeAll(() => {
  nock.disableNetConnect();
});
beforeEach(() => {
  clearSnapshotCache();
});
afterEach(() => {
  assertNoPending();
});

describe('pull request review', () => {
  it('reviews a new clean pattern file: green check, no review', async () => {
    const gh = new FakeGitHub();
    const base = baseTree();
    const head = new Map(base);
    head.set('patterns/delta.md', makePattern({ slug: 'delta', relationships: { complementary: ['alpha'] } }));
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: '1', name: 'pull_request', payload: pullRequestPayload(fixture, { number: 7, headSha: HEAD, baseSha: BASE }) as never });
    expect(outcomes[0]).toMatchObject({ status: 'reviewed', conclusion: 'success', findings: 0 });
    expect(gh.checkRunCreates[0]).toMatchObject({ name: 'Pattern Gardener', head_sha: HEAD, status: 'in_progress' });
    expect(gh.checkRunPatches.at(-1)).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(gh.reviews).toHaveLength(0);
  });
});
