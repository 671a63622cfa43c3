/**
 * One download per commit for the handlers of one event: the garden sweep and the review's snapshot of
 * the same pushed commit make a single tarball request.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, FileSelector } from '../../src/core/config.js';
import { asOctokitLike, loadTarballTree } from '../../src/garden/octokit.js';
import { apiOf } from '../../src/github/app.js';
import { clearSharedDownloads, sharedDownload } from '../../src/github/shared-download.js';
import { clearSnapshotCache, getSnapshot } from '../../src/github/snapshot.js';
import { FakeGitHub, type Tree } from '../doubles/fake-github.js';
import { makePattern } from '../doubles/patterns.js';
import { TestOctokit } from '../doubles/probot.js';
import { assertNoPending } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
beforeEach(() => clearSharedDownloads());
afterEach(() => assertNoPending());

const SHA = '7'.repeat(40);
const bytes = (n: number) => new Uint8Array([n]);

describe('sharedDownload', () => {
  it('shares one download between overlapping calls for a commit', async () => {
    let calls = 0;
    const download = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      return bytes(1);
    };
    const [a, b] = await Promise.all([sharedDownload('o', 'r', SHA, download), sharedDownload('O', 'R', SHA, download)]);
    expect(calls).toBe(1);
    expect([a.fetched, b.fetched].sort()).toEqual([false, true]);
    expect(b.bytes).toBe(a.bytes);
  });

  it('downloads again after a minute, for branch names, and after a failure', async () => {
    let calls = 0;
    const download = async () => bytes(++calls);
    await sharedDownload('o', 'r', SHA, download, 1_000);
    await sharedDownload('o', 'r', SHA, download, 30_000);
    expect(calls).toBe(1);
    await sharedDownload('o', 'r', SHA, download, 62_000);
    expect(calls).toBe(2);
    await sharedDownload('o', 'r', 'main', download);
    await sharedDownload('o', 'r', 'main', download);
    expect(calls).toBe(4);
    const other = '8'.repeat(40);
    await expect(sharedDownload('o', 'r', other, async () => Promise.reject(new Error('502')))).rejects.toThrow('502');
    expect((await sharedDownload('o', 'r', other, download)).fetched).toBe(true);
  });

  it('holds at most two archives', async () => {
    let calls = 0;
    const download = async () => bytes(++calls);
    for (const c of ['1', '2', '3']) await sharedDownload('o', 'r', c.repeat(40), download);
    await sharedDownload('o', 'r', '1'.repeat(40), download);
    expect(calls).toBe(4);
  });
});

describe('a push seen by the garden sweep and the review cache', () => {
  it('downloads the commit once', async () => {
    clearSnapshotCache();
    const tree: Tree = new Map([
      ['patterns/a.md', makePattern({ slug: 'a' })],
      ['patterns/b.md', makePattern({ slug: 'b' })],
    ]);
    const gh = new FakeGitHub();
    gh.mockTarball(SHA, () => gh.tarball(tree, SHA)); // answers once: a second request would fail
    const octokit = new TestOctokit({ auth: 'test' });
    const config = structuredClone(DEFAULT_CONFIG);
    const selector = new FileSelector(config);
    const [garden, snapshot] = await Promise.all([
      loadTarballTree(asOctokitLike(octokit), 'commons-garden', 'patterns', SHA, (p) => p.endsWith('.md')),
      getSnapshot(apiOf(octokit as never), { owner: 'commons-garden', repo: 'patterns' }, SHA, config, selector),
    ]);
    expect([...garden.files.keys()].sort()).toEqual(['patterns/a.md', 'patterns/b.md']);
    expect(snapshot.index.entries.size).toBe(2);
    expect(gh.count()).toBe(1);
  });
});
