/** inFlightOnce (app.ts): deliveries for the same (repository, SHA, kind) arriving together do the work once. */
import { describe, expect, it } from 'vitest';
import { inFlightOnce } from '../../src/github/app.js';

const deferred = () => {
  let resolve!: (v: string) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('inFlightOnce', () => {
  it('runs the work once for calls made while it runs; they settle with its value', async () => {
    const once = inFlightOnce();
    const d = deferred();
    let calls = 0;
    const work = () => {
      calls++;
      return d.promise;
    };
    const all = Promise.all([once('o/r@sha:rerequested', work), once('o/r@sha:rerequested', work), once('o/r@sha:rerequested', work)]);
    d.resolve('done');
    const results = await all;
    expect(calls).toBe(1);
    expect(results.map((r) => r.joined)).toEqual([false, true, true]);
    expect(results.map((r) => r.value)).toEqual(['done', 'done', 'done']);
    expect(once.size()).toBe(0);
  });

  it('runs again once the earlier work settled, and keys apart run apart', async () => {
    const once = inFlightOnce();
    let calls = 0;
    const work = async () => `run ${++calls}`;
    await once('k', work);
    await Promise.all([once('k', work), once('other', work)]);
    expect(calls).toBe(3);
  });

  it('a failure reaches every joined caller and frees the key', async () => {
    const once = inFlightOnce();
    const d = deferred();
    const first = once('k', () => d.promise);
    const second = once('k', () => Promise.resolve('never'));
    d.reject(new Error('GitHub down'));
    await expect(first).rejects.toThrow('GitHub down');
    await expect(second).rejects.toThrow('GitHub down');
    expect(once.size()).toBe(0);
    expect((await once('k', async () => 'again')).value).toBe('again');
  });
});
