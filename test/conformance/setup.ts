/**
 * Vitest setup for every test file: every request to nock-mocked api.github.com (whatever mocks it:
 * nock directly, FakeGitHub, the stateful GitHub of the reliability tests) and every exchange with a
 * stand-in is checked against GitHub's OpenAPI description and GraphQL schema after each test
 * (test/conformance/recorder.ts). A violation fails the test that made the request.
 */
import { afterAll, afterEach } from 'vitest';
import { observeStandins } from '../../src/standin/observers.js';
import { assertConformance, record } from './recorder.js';

const API_ORIGIN = 'https://api.github.com';

/**
 * `fetch` becomes an accessor, so nock need not be loaded here: whatever is assigned later (nock patches
 * `globalThis.fetch` when it is loaded, and restores it) is kept underneath, and reading `fetch` gives a
 * recording wrapper around it. Only calls with a URL are recorded (Octokit's); nock hands the requests it
 * lets through to the fetch it read at load time as Request objects, so those are not recorded twice.
 */
const API_ORIGIN_SLASH = `${API_ORIGIN}/`;
const innerOf = new WeakMap<typeof fetch, typeof fetch>();
const wrapperOf = new WeakMap<typeof fetch, typeof fetch>();
function recording(inner: typeof fetch): typeof fetch {
  let w = wrapperOf.get(inner);
  if (!w) {
    w = function recordingFetch(input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) {
      if (typeof input === 'string' || input instanceof URL) {
        const url = String(input);
        if (url.startsWith(API_ORIGIN_SLASH)) {
          record({
            source: 'nock',
            method: (init?.method ?? 'GET').toUpperCase(),
            url: url.slice(API_ORIGIN.length),
            body: typeof init?.body === 'string' ? init.body : undefined,
          });
        }
      }
      return inner(input, init);
    } as typeof fetch;
    wrapperOf.set(inner, w);
    innerOf.set(w, inner);
  }
  return w;
}
let underlying = globalThis.fetch;
Object.defineProperty(globalThis, 'fetch', {
  configurable: true,
  enumerable: true,
  get: () => recording(underlying),
  set: (f: typeof fetch) => {
    underlying = innerOf.get(f) ?? f;
  },
});

observeStandins((e) => {
  const url = e.query ? `${e.path}?${e.query}` : e.path;
  record({
    source: 'stand-in',
    method: e.method,
    url,
    body: e.requestBody,
    asPerson: !!e.headers['x-standin-user'],
    status: e.status,
    responseBody: e.responseBody,
  });
});

afterEach(async () => {
  await assertConformance('made by this test');
});
afterAll(async () => {
  await assertConformance('made outside the tests (beforeAll/afterAll)');
});
