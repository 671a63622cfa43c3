/**
 * The conformance validators reject what GitHub's descriptions reject: deliberately wrong requests,
 * GraphQL documents and answers, fed directly and through the hooks every test runs under
 * (test/conformance/setup.ts).
 */
import nock from 'nock';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/index.js';
import { PULL_STATE_QUERY } from '../../src/github/review.js';
import { validateRequest, validateResponse } from './openapi.js';
import { validateGraphqlRequest, validateGraphqlAnswer } from './graphql.js';
import { takeViolations } from './recorder.js';

const messages = (req: Parameters<typeof validateRequest>[0]) => validateRequest(req).map((v) => `${v.operation}: ${v.message}`);
const annotation = { path: 'a.md', start_line: 1, end_line: 1, annotation_level: 'warning', message: 'm' };

describe('REST requests against the OpenAPI description', () => {
  it('accepts the requests the app makes', () => {
    expect(messages({ method: 'GET', url: '/repos/o/r/pulls/7/files?per_page=100&page=2' })).toEqual([]);
    expect(messages({ method: 'GET', url: '/repos/o/r/contents/.github%2Fpattern-gardener.yml?ref=abc' })).toEqual([]);
    expect(messages({ method: 'GET', url: '/repos/o/r/contents/docs/deep/file.md' })).toEqual([]);
    expect(messages({ method: 'GET', url: `/repos/o/r/tarball/${'a'.repeat(40)}` })).toEqual([]);
    expect(
      messages({ method: 'POST', url: '/repos/o/r/check-runs', body: { name: 'Pattern Gardener', head_sha: 'a'.repeat(40), status: 'in_progress' } }),
    ).toEqual([]);
    expect(
      messages({
        method: 'PATCH',
        url: '/repos/o/r/check-runs/9',
        body: JSON.stringify({ status: 'completed', conclusion: 'failure', output: { title: 't', summary: 's', annotations: [annotation] } }),
      }),
    ).toEqual([]);
    expect(messages({ method: 'POST', url: '/api/v3/repos/o/r/issues/3/labels', body: { labels: ['x'] } })).toEqual([]);
  });

  it('rejects unknown paths and methods', () => {
    expect(messages({ method: 'GET', url: '/repos/o/r/pull/7' })).toEqual(['GET /repos/o/r/pull/7: GitHub has no such path']);
    expect(messages({ method: 'DELETE', url: '/repos/o/r/check-runs/9' })).toEqual([
      'DELETE /repos/o/r/check-runs/9: GitHub has no DELETE on this path (it has GET, PATCH)',
    ]);
  });

  it('rejects wrong path and query parameters, naming the operation', () => {
    expect(messages({ method: 'GET', url: '/repos/o/r/pulls/seven' })).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number}: path parameter "pull_number"="seven" must be integer',
    ]);
    expect(messages({ method: 'GET', url: '/repos/o/r/pulls?state=opened' })).toEqual([
      'GET /repos/{owner}/{repo}/pulls: query parameter "state"="opened" must be equal to one of the allowed values: ["open","closed","all"]',
    ]);
    expect(messages({ method: 'GET', url: '/repos/o/r/pulls?status=open' })[0]).toMatch(
      /query parameter "status" is not in the description \(it takes: state, head, base/,
    );
    expect(messages({ method: 'GET', url: '/repos/o/r/pulls/7/files?per_page=lots' })[0]).toMatch(/"per_page"="lots" must be integer/);
    // "(max 100)" is stated in the parameter's description only.
    expect(messages({ method: 'GET', url: '/repos/o/r/pulls/7/files?per_page=101' })[0]).toMatch(/"per_page"="101" must be <= 100/);
  });

  it('rejects bodies that break the schema: types, enums, required fields, unknown fields, documented limits', () => {
    const patch = (body: unknown) => messages({ method: 'PATCH', url: '/repos/o/r/check-runs/9', body });
    expect(patch({ status: 'in-progress' })).toEqual([
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: body/status must be equal to one of the allowed values: ["queued","in_progress","completed","waiting","requested","pending"]',
    ]);
    // The description's anyOf: a completed run needs a conclusion.
    expect(patch({ status: 'completed' })).toContain("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: body must have required property 'conclusion'");
    expect(patch({ conclusion: 'success', output: { title: 't', summary: 's', annotations: Array.from({ length: 51 }, () => annotation) } })).toEqual([
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: body/output/annotations must NOT have more than 50 items',
    ]);
    expect(patch({ output: { title: 't', summary: 'x'.repeat(65_536) } })).toEqual([
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: body/output/summary must NOT have more than 65535 characters',
    ]);
    expect(patch({ output: { summary: 's' } })).toEqual([
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: body/output must have required property 'title'",
    ]);
    expect(patch({ conclsion: 'success' })).toEqual([
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: body has a property the description does not name: "conclsion"',
    ]);
    expect(patch({ output: { title: 't', summary: 's', annotations: [{ ...annotation, start_line: '1' }] } })).toEqual([
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: body/output/annotations/0/start_line must be integer',
    ]);
    expect(messages({ method: 'POST', url: '/repos/o/r/check-runs', body: { name: 'x' } })).toContain(
      "POST /repos/{owner}/{repo}/check-runs: body must have required property 'head_sha'",
    );
    expect(messages({ method: 'POST', url: '/repos/o/r/pulls/7/reviews', body: { event: 'COMMENTED' } })[0]).toMatch(
      /body\/event must be equal to one of the allowed values/,
    );
    expect(messages({ method: 'GET', url: '/repos/o/r/pulls/7', body: { x: 1 } })).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number}: the operation takes no request body',
    ]);
  });

  it('checks the stand-in-style answers against the response schemas', () => {
    expect(validateResponse({ method: 'PATCH', url: '/repos/o/r/check-runs/9', status: 201, responseBody: {} })[0]!.message).toMatch(
      /answered HTTP 201, which the operation does not document/,
    );
    const partial = { method: 'GET', url: '/repos/o/r/collaborators/u/permission', status: 200, responseBody: { permission: 'write' } };
    expect(validateResponse(partial)).toEqual([]);
    expect(validateResponse(partial, { complete: true }).map((v) => v.message)).toContain("response 200 must have required property 'user'");
    const wrong = validateResponse({ ...partial, responseBody: { permission: 'write', role_name: 3, user: { login: 'u', id: '12' } } }).map((v) => v.message);
    expect(wrong).toEqual(['response 200/role_name must be string', 'response 200/user/id must be integer']);
  });
});

describe('GraphQL documents against the GitHub schema', () => {
  it('accepts the pull-state query with its variables', () => {
    expect(validateGraphqlRequest({ query: PULL_STATE_QUERY, variables: { owner: 'o', repo: 'r', number: 7, cursor: null } })).toEqual([]);
  });

  it('rejects unknown fields, wrong arguments and wrong variables', () => {
    expect(
      validateGraphqlRequest({ query: PULL_STATE_QUERY.replace('headRefOid', 'headSha'), variables: { owner: 'o', repo: 'r', number: 7 } }).map(
        (v) => v.message,
      ),
    ).toEqual([expect.stringMatching(/^Cannot query field "headSha" on type "PullRequest"/)]);
    expect(validateGraphqlRequest({ query: PULL_STATE_QUERY, variables: { owner: 'o', repo: 'r', number: '7' } }).map((v) => v.message)[0]).toMatch(
      /Variable "\$number" got invalid value "7"; Int cannot represent non-integer value/,
    );
    expect(
      validateGraphqlRequest({ query: 'mutation($t: ID!) { resolveReviewThread(input: { id: $t }) { thread { id } } }', variables: { t: 'x' } }).length,
    ).toBeGreaterThan(0);
  });

  it('rejects an answer that does not follow the selection set', () => {
    const query = 'query { viewer { login name } }';
    expect(validateGraphqlAnswer({ query }, { data: { viewer: { login: 'a', name: null } } })).toEqual([]);
    expect(validateGraphqlAnswer({ query }, { data: { viewer: { login: 'a', name: 'n', id: 'x' } } }).map((v) => v.message)).toEqual([
      'data.viewer.id was not selected',
    ]);
    expect(validateGraphqlAnswer({ query }, { data: { viewer: { name: 'n' } } }).map((v) => v.message)).toEqual([
      'data.viewer.login was selected but not answered',
    ]);
    expect(validateGraphqlAnswer({ query }, { data: { viewer: { login: null, name: 'n' } } }).map((v) => v.message)).toEqual([
      'data.viewer.login is null but String! is non-null',
    ]);
  });
});

describe('the hooks every test runs under', () => {
  let standin: Standin;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    standin = await startStandin({ repo: { owner: 'o', name: 'r', files: new Map([['README.md', '# r\n']]) } });
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await standin?.close();
  });

  it('a wrong request to nock-mocked GitHub is caught and names the operation and the violation', async () => {
    nock('https://api.github.com').patch('/repos/o/r/check-runs/9').reply(200, { id: 9 });
    const octokit = new Octokit({ auth: 'x', request: { retries: 0 } });
    // The app's GitHubApi takes routes and parameters untyped, as here: only the check sees the mistake.
    const params: Record<string, unknown> = { owner: 'o', repo: 'r', check_run_id: 9, status: 'done' };
    const route: string = 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}';
    await octokit.request(route, params);
    const found = await takeViolations();
    expect(found).toEqual([
      expect.stringMatching(/^nock PATCH \/repos\/\{owner\}\/\{repo\}\/check-runs\/\{check_run_id\}: body\/status must be equal to one of the allowed values/),
    ]);
  });

  it('a wrong request to the stand-in is caught, and so is a wrong GraphQL document', async () => {
    const octokit = new Octokit({ auth: 'x', baseUrl: standin.url, request: { retries: 0 }, log: { debug() {}, info() {}, warn() {}, error() {} } });
    const params: Record<string, unknown> = { owner: 'o', repo: 'r', state: 'opened' };
    const route: string = 'GET /repos/{owner}/{repo}/pulls';
    await octokit.request(route, params);
    await octokit.graphql('query { repository(owner: "o", name: "r") { pullRequest(number: 1) { headSha } } }').catch(() => undefined);
    const found = await takeViolations();
    expect(found).toContainEqual(
      expect.stringMatching(/^stand-in GET \/repos\/\{owner\}\/\{repo\}\/pulls: query parameter "state"="opened" must be equal to one of/),
    );
    expect(found).toContainEqual(expect.stringMatching(/^stand-in POST \/graphql: Cannot query field "headSha" on type "PullRequest"/));
  });
});
