/** `/gardener apply links` and `/gardener reject` on pull requests (nock), and the pure helpers behind them. */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/core/config.js';
import { applyEdits } from '../../src/core/fixes.js';
import { parseDocument } from '../../src/core/document.js';
import { canWrite, gitBlobSha, parseLinkCommand } from '../../src/github/link-commands.js';
import { collectRejections, LinkRejections } from '../../src/github/link-proposals.js';
import { linkProposalMarker, linkRejectedMarker, parseLinkProposalMarker, parseLinkRejectedMarkers } from '../../src/github/markers.js';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { FakeGitHub, issueCommentPayload, loadFixture, pullFilesOf, type Tree } from '../doubles/fake-github.js';
import { inferredLinksEdit } from '../../src/links/render.js';
import { assertNoPending, makeProbot } from '../github/helpers.js';
import { baseCorpus, NEW_WATER, themedPattern } from './corpus.js';
import { CONFIG, CONFIG_APPLY, corePlan, frontmatterOf, HEAD, NEW_FILE, TODAY } from './helpers.js';

const fixture = loadFixture('pull_request.opened.json');
const comment = (body: string, login = 'maintainer', extra: { bot?: boolean; onIssue?: boolean } = {}) =>
  issueCommentPayload(fixture, { number: 7, body, login, ...extra }) as never;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => clearSnapshotCache());
afterEach(() => assertNoPending());

function trees(): { base: Tree; head: Tree } {
  const base = baseCorpus();
  const head = new Map(base);
  head.set(NEW_FILE, themedPattern(NEW_WATER));
  return { base, head };
}

function pullJson(o: { fork?: boolean; state?: string } = {}): Record<string, unknown> {
  const pr = structuredClone((fixture as { pull_request: Record<string, any> }).pull_request);
  pr.number = 7;
  pr.state = o.state ?? 'open';
  pr.head.sha = HEAD;
  if (o.fork) pr.head.repo = { ...pr.head.repo, full_name: 'contributor/patterns', fork: true };
  return pr;
}

/** A GitHub where a `maintainer` with `role` may apply links on pull request 7, at HEAD (base → head). */
function applyAtHead(base: Tree, head: Tree, role = 'write'): FakeGitHub {
  const gh = new FakeGitHub();
  gh.mockToken();
  gh.mockConfig(CONFIG_APPLY);
  gh.mockPermission('maintainer', role);
  gh.mockGetPull(7, pullJson());
  gh.mockFiles(7, pullFilesOf(base, head));
  gh.mockTarball(HEAD, () => gh.tarball(head, HEAD));
  gh.mockGraphqlState({ headRefOid: HEAD });
  return gh;
}

describe('/gardener apply links', () => {
  it('a writer with applyCommand on: recomputes at head and commits one file per proposal via the contents API', async () => {
    const { base, head } = trees();
    const gh = applyAtHead(base, head);
    gh.mockStoredFiles({ [NEW_FILE]: head.get(NEW_FILE)! });
    gh.mockContentsPut(1);
    gh.mockIssueComment(7);
    const { probot, commands } = makeProbot();
    await probot.receive({ id: 'a1', name: 'issue_comment', payload: comment('Looks good.\n/gardener apply links\n') });
    expect(commands[0]).toMatchObject({ status: 'applied', committed: [{ file: NEW_FILE }], failed: [] });

    const put = gh.contentPuts[0]!;
    expect(put.path).toBe(NEW_FILE);
    const text = head.get(NEW_FILE)!;
    expect(put.body).toMatchObject({ branch: 'add-stewardship', sha: gitBlobSha(new TextEncoder().encode(text)) });
    expect(String(put.body.message)).toContain('inferred links of groundwater-monitoring');
    const written = Buffer.from(String(put.body.content), 'base64').toString('utf8');
    const plan = corePlan(head, NEW_FILE);
    const edit = inferredLinksEdit(parseDocument(NEW_FILE, text), plan, TODAY)!;
    expect(written).toBe(applyEdits(text, [{ line: edit.startLine, endLine: edit.endLine, text: `${edit.lines.join('\n')}\n` }]));
    expect(frontmatterOf(written).graph_garden.inferred_links.map((l: { target: string }) => l.target)).toEqual(plan.add.map((a) => a.target));

    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toContain(`\`${NEW_FILE}\` in `);
    for (const a of plan.add) expect(gh.comments[0]!.body).toContain(`\`${a.target}\``);
    console.log(`/gardener apply links (1 file): ${gh.count()} requests\n${gh.log.map((r) => `  ${r.method} ${r.path}`).join('\n')}`);
    expect(gh.count()).toBeLessThanOrEqual(12);
  });

  it('a file changed since the head (409) is reported, not overwritten', async () => {
    const { base, head } = trees();
    const gh = applyAtHead(base, head, 'admin');
    gh.mockStoredFiles({ [NEW_FILE]: head.get(NEW_FILE)! });
    gh.mockContentsPut(1, 409);
    gh.mockIssueComment(7);
    const { probot, commands } = makeProbot();
    await probot.receive({ id: 'a2', name: 'issue_comment', payload: comment('/gardener apply links') });
    expect(commands[0]).toMatchObject({ status: 'applied', committed: [], failed: [{ file: NEW_FILE, status: 409 }] });
    expect(gh.comments[0]!.body).toContain('Not committed');
  });

  it('refuses on a fork pull request', async () => {
    const gh = new FakeGitHub();
    gh.mockToken();
    gh.mockConfig(CONFIG_APPLY);
    gh.mockPermission('maintainer', 'write');
    gh.mockGetPull(7, pullJson({ fork: true }));
    gh.mockIssueComment(7);
    const { probot, commands } = makeProbot();
    await probot.receive({ id: 'a3', name: 'issue_comment', payload: comment('/gardener apply links') });
    expect(commands[0]).toEqual({ status: 'refused', reason: 'fork' });
    expect(gh.contentPuts).toHaveLength(0);
    expect(gh.comments[0]!.body).toContain('fork');
  });

  it('refuses when links.applyCommand is off (no permission lookup, no commit)', async () => {
    const gh = new FakeGitHub();
    gh.mockToken();
    gh.mockConfig(CONFIG);
    gh.mockIssueComment(7);
    const { probot, commands } = makeProbot();
    await probot.receive({ id: 'a4', name: 'issue_comment', payload: comment('/gardener apply links') });
    expect(commands[0]).toEqual({ status: 'refused', reason: 'off' });
    expect(gh.comments[0]!.body).toContain('links.applyCommand: true');
    expect(gh.log.some((r) => r.path.includes('/permission'))).toBe(false);
  });

  it('refuses a user without write access', async () => {
    const gh = new FakeGitHub();
    gh.mockToken();
    gh.mockConfig(CONFIG_APPLY);
    gh.mockPermission('drive-by', 'read');
    gh.mockIssueComment(7);
    const { probot, commands } = makeProbot();
    await probot.receive({ id: 'a5', name: 'issue_comment', payload: comment('/gardener apply links', 'drive-by') });
    expect(commands[0]).toEqual({ status: 'refused', reason: 'permission' });
    expect(gh.comments[0]!.body).toContain('only people with write access');
  });

  it('ignores bots, plain issues and other comments (no request at all)', async () => {
    const gh = new FakeGitHub();
    gh.mockToken();
    const { probot, commands } = makeProbot();
    await probot.receive({ id: 'a6', name: 'issue_comment', payload: comment('/gardener apply links', 'some-bot[bot]', { bot: true }) });
    await probot.receive({ id: 'a7', name: 'issue_comment', payload: comment('/gardener apply links', 'maintainer', { onIssue: true }) });
    await probot.receive({ id: 'a8', name: 'issue_comment', payload: comment('please /gardener apply links when ready') });
    expect(commands.filter((c) => c.status !== 'ignored')).toHaveLength(0);
    expect(gh.count()).toBe(0);
  });
});

describe('/gardener reject', () => {
  it('a custom repository role counts by its base role (role_name holds the custom name)', async () => {
    const gh = new FakeGitHub();
    gh.mockToken();
    gh.mockConfig(CONFIG);
    gh.mockPermission('maintainer', 'pattern-steward', 'write');
    gh.mockIssueComment(7);
    const { probot, commands } = makeProbot();
    await probot.receive({ id: 'c1', name: 'issue_comment', payload: comment('/gardener reject groundwater-monitoring') });
    expect(commands).toEqual([{ status: 'rejected', slug: 'groundwater-monitoring' }]);
    expect(canWrite({ permission: 'read', role_name: 'pattern-reviewer' })).toBe(false);
    expect(canWrite({ permission: 'admin', role_name: 'org-custodian' })).toBe(true);
    expect(canWrite({ role_name: 'maintain' })).toBe(true);
  });

  it('apply links commits on the stored blob (contents API), not the archive bytes a .gitattributes filter rewrote', async () => {
    const { base, head } = trees();
    const stored = head.get(NEW_FILE)!;
    // `eol=crlf` makes the archive's copy CRLF; the stored blob stays LF and has its own SHA.
    head.set(NEW_FILE, stored.replace(/\n/g, '\r\n'));
    const gh = applyAtHead(base, head);
    gh.mockStoredFiles({ [NEW_FILE]: stored }, () => '5'.repeat(40));
    gh.mockContentsPut(1);
    gh.mockIssueComment(7);
    const { probot, commands } = makeProbot();
    await probot.receive({ id: 'c2', name: 'issue_comment', payload: comment('/gardener apply links') });
    expect(commands[0]).toMatchObject({ status: 'applied', committed: [{ file: NEW_FILE }], failed: [] });
    const put = gh.contentPuts[0]!;
    expect(put.body.sha).toBe('5'.repeat(40));
    expect(put.body.sha).not.toBe(gitBlobSha(new TextEncoder().encode(head.get(NEW_FILE)!)));
    const written = Buffer.from(String(put.body.content), 'base64').toString('utf8');
    expect(written).not.toContain('\r');
    expect(written).not.toBe(stored);
  });

  it('by a writer: replies with the rejection marker (pattern, or pair)', async () => {
    const gh = new FakeGitHub();
    gh.mockToken();
    gh.mockConfig(CONFIG);
    gh.mockPermission('maintainer', 'maintain');
    gh.mockPermission('maintainer', 'write');
    gh.mockIssueComment(7, 2);
    const { probot, commands } = makeProbot();
    await probot.receive({ id: 'j1', name: 'issue_comment', payload: comment('/gardener reject groundwater-monitoring') });
    gh.mockConfig(CONFIG);
    await probot.receive({ id: 'j2', name: 'issue_comment', payload: comment('/gardener reject groundwater-monitoring watershed-council') });
    expect(commands).toEqual([
      { status: 'rejected', slug: 'groundwater-monitoring' },
      { status: 'rejected', slug: 'groundwater-monitoring', target: 'watershed-council' },
    ]);
    expect(gh.comments[0]!.body).toContain(linkRejectedMarker('groundwater-monitoring'));
    expect(gh.comments[1]!.body).toContain(linkRejectedMarker('groundwater-monitoring', 'watershed-council'));
    expect(gh.comments[1]!.body).toContain('`groundwater-monitoring->watershed-council` to `links.rejected`');
  });

  it('from a non-writer: no marker is written', async () => {
    const gh = new FakeGitHub();
    gh.mockToken();
    gh.mockConfig(CONFIG);
    gh.mockPermission('drive-by', 'triage');
    gh.mockIssueComment(7);
    const { probot, commands } = makeProbot();
    await probot.receive({ id: 'j3', name: 'issue_comment', payload: comment('/gardener reject groundwater-monitoring', 'drive-by') });
    expect(commands[0]).toEqual({ status: 'refused', reason: 'permission' });
    expect(parseLinkRejectedMarkers(gh.comments[0]!.body)).toEqual([]);
  });
});

describe('pure helpers', () => {
  it('parses commands on a line of their own', () => {
    expect(parseLinkCommand('/gardener apply links')).toEqual({ kind: 'apply' });
    expect(parseLinkCommand('thanks!\n  /gardener   apply links  \n')).toEqual({ kind: 'apply' });
    expect(parseLinkCommand('/gardener reject a-b')).toEqual({ kind: 'reject', slug: 'a-b' });
    expect(parseLinkCommand('/gardener reject a-b c-d')).toEqual({ kind: 'reject', slug: 'a-b', target: 'c-d' });
    expect(parseLinkCommand('/gardener reject')).toBeUndefined();
    expect(parseLinkCommand('/gardener reject a b c')).toBeUndefined();
    expect(parseLinkCommand('see `/gardener apply links` above')).toBeUndefined();
    expect(parseLinkCommand('/gardener snooze 30d')).toBeUndefined();
  });

  it('git blob SHA equals `git hash-object`', () => {
    expect(gitBlobSha(new TextEncoder().encode('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(gitBlobSha(new Uint8Array())).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });

  it('markers round-trip, odd slugs included', () => {
    expect(parseLinkProposalMarker(`x\n${linkProposalMarker('a b', ['c,d', 'e'])}`)).toEqual({ slug: 'a b', add: ['c,d', 'e'] });
    expect(parseLinkProposalMarker(linkProposalMarker('a', []))).toEqual({ slug: 'a', add: [] });
    expect(parseLinkRejectedMarkers(`${linkRejectedMarker('a')}\n${linkRejectedMarker('a', 'b')}`)).toEqual([{ slug: 'a' }, { slug: 'a', target: 'b' }]);
  });

  it('collects rejections from config, markers and threads (applied additions are accepted, not rejected)', () => {
    const cfg = resolveConfig({ links: { rejected: ['p', 'q->r'] } });
    if (!cfg.ok) throw new Error('config');
    const r = collectRejections(cfg.config, {
      linkRejections: [{ slug: 's', target: 't' }],
      threads: [
        { id: '1', isResolved: true, resolvedByHuman: true, humanReplies: false, linkProposal: { slug: 'u', add: ['v'] } },
        { id: '2', isResolved: false, humanReplies: false, thumbsDown: 2, linkProposal: { slug: 'w', add: [] } },
        { id: '3', isResolved: true, resolvedByHuman: false, humanReplies: false, linkProposal: { slug: 'y', add: ['z'] } },
      ],
    });
    expect(r.rejectsPattern('p')).toBe(true);
    expect(r.rejectsPair('q', 'r')).toBe(true);
    expect(r.rejectsPair('q', 'x')).toBe(false);
    expect(r.rejectsPair('s', 't')).toBe(true);
    expect(r.rejectsPair('u', 'v')).toBe(true);
    expect(r.rejectsPattern('w')).toBe(true);
    expect(r.rejectsPair('y', 'z')).toBe(false);
    const set = new LinkRejections();
    set.addConfigEntry(' a -> b ');
    expect(set.rejectsPair('a', 'b')).toBe(true);
  });
});
