/**
 * Vitest setup for every test file: every request to nock-mocked api.github.com (whatever mocks it:
 * nock directly, FakeGitHub, the stateful GitHub of the reliability tests) and every exchange with a
 * stand-in is checked against GitHub's OpenAPI description and GraphQL schema after each test
 * (test/conformance/recorder.ts). A violation fails the test that made the request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, afterEach } from 'vitest';
import { observeStandins } from '../../src/standin/observers.js';
import { assertConformance, record } from './recorder.js';

const API_ORIGIN = 'https://api.github.com';

/**
 * `fetch` becomes an accessor, so nock need not be loaded here: whatever is assigned later (nock patches
 * `globalThis.fetch` when loaded, and restores it) is kept underneath, and reading `fetch` gives the
 * recording wrapper around it. nock keeps what it read as the "real" fetch (this wrapper) for requests it
 * lets through; those calls come back inside the wrapper's own async context and go to the native fetch.
 */
const native = globalThis.fetch;
let underlying = native;
const inside = new AsyncLocalStorage<true>();
const recordingFetch = function recordingFetch(input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) {
  if (inside.getStore()) return native(input, init);
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (url.startsWith(`${API_ORIGIN}/`)) {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    record({ source: 'nock', method: method.toUpperCase(), url: url.slice(API_ORIGIN.length), body: typeof init?.body === 'string' ? init.body : undefined });
  }
  return inside.run(true, () => underlying(input, init));
} as typeof fetch;
Object.defineProperty(globalThis, 'fetch', {
  configurable: true,
  enumerable: true,
  get: () => recordingFetch,
  set: (f: typeof fetch) => {
    underlying = f === recordingFetch ? native : f;
  },
});

observeStandins((e) => {
  const url = e.query ? `${e.path}?${e.query}` : e.path;
  record({ source: 'stand-in', method: e.method, url, body: e.requestBody, asPerson: !!e.headers['x-standin-user'], status: e.status, responseBody: e.responseBody });
});

afterEach(async () => {
  await assertConformance('made by this test');
});
afterAll(async () => {
  await assertConformance('made outside the tests (beforeAll/afterAll)');
});
