/**
 * Vitest setup for every test file: every request to nock-mocked api.github.com (whatever mocks it:
 * nock directly, FakeGitHub, the stateful GitHub of the reliability tests) and every exchange with a
 * stand-in is checked against GitHub's OpenAPI description and GraphQL schema after each test
 * (test/conformance/recorder.ts). A violation fails the test that made the request.
 */
import 'nock'; // nock replaces fetch when loaded: the recorder must wrap nock's fetch, not the other way round
import { afterAll, afterEach } from 'vitest';
import { observeStandins } from '../../src/standin/server.js';
import { assertConformance, record } from './recorder.js';

const API_ORIGIN = 'https://api.github.com';

const underlying = globalThis.fetch;
globalThis.fetch = function recordingFetch(input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (url.startsWith(`${API_ORIGIN}/`)) {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    record({ source: 'nock', method: method.toUpperCase(), url: url.slice(API_ORIGIN.length), body: typeof init?.body === 'string' ? init.body : undefined });
  }
  return underlying(input, init);
} as typeof fetch;

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
