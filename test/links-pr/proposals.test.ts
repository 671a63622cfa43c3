/**
 * Link proposals in pull request reviews (nock): the suggestion round-trips (yaml + schema + core edit),
 * outside-diff patches and the apply hint, accept and reject memory.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/fixes.js';
import { parseDocument } from '../../src/core/document.js';
import { compileSchema, loadBundledSchema } from '../../src/core/schemas.js';
import { APPLY_HINT, LINK_PROPOSAL_RULE, nothingConfidentNote } from '../../src/github/link-proposals.js';
import { linkProposalMarker, linkRejectedMarker, parseLinkProposalMarker } from '../../src/github/markers.js';
import { clearSnapshotCache } from '../../src/github/snapshot.js';
import { applySuggestion } from '../../src/github/suggestion.js';
import { FakeGitHub, loadFixture, pullRequestPayload, type Tree } from '../doubles/fake-github.js';
import { inferredLinksEdit } from '../../src/links/render.js';
import { assertNoPending, makeProbot } from '../github/helpers.js';
import { baseCorpus, NEW_WATER, themedPattern } from './corpus.js';
import { BASE, CONFIG, CONFIG_APPLY, corePlan, frontmatterOf, HEAD, HEAD2, NEW_FILE, suggestionOf, TODAY, type PostedComment } from './helpers.js';

const fixture = loadFixture('pull_request.opened.json');
const payload = (headSha = HEAD, action = 'opened') => pullRequestPayload(fixture, { number: 7, headSha, baseSha: BASE, action }) as never;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => clearSnapshotCache());
afterEach(() => assertNoPending());

function newPatternPr(): { base: Tree; head: Tree } {
  const base = baseCorpus();
  const head = new Map(base);
  head.set(NEW_FILE, themedPattern(NEW_WATER));
  return { base, head };
}

/** Run 1: a PR adding a water pattern; returns the posted proposal comment. */
async function firstRun(probot: ReturnType<typeof makeProbot>['probot'], config = CONFIG) {
  const { base, head } = newPatternPr();
  const gh = new FakeGitHub();
  gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, expectReview: true, config });
  await probot.receive({ id: 'r1', name: 'pull_request', payload: payload() });
  assertNoPending();
  const review = gh.reviews[0] as { comments: PostedComment[] };
  const comment = review.comments.find((c) => c.body.includes(LINK_PROPOSAL_RULE))!;
  return { gh, base, head, review, comment };
}

describe('link proposals in a review', () => {
  it('suggests the whole inferred_links block: yaml + schema valid, equal to the core edit, within the request budget', async () => {
    const { probot, outcomes } = makeProbot();
    const { gh, head, comment } = await firstRun(probot);
    expect(outcomes[0]).toMatchObject({ status: 'reviewed', proposals: 1, linkIndex: { built: true, patterns: 9 } });
    expect(gh.count()).toBeLessThanOrEqual(10);
    expect(comment.path).toBe(NEW_FILE);

    const text = head.get(NEW_FILE)!;
    const plan = corePlan(head, NEW_FILE);
    expect(plan.add.length).toBeGreaterThan(1);
    console.log(`proposal: ${JSON.stringify(plan.add.map((a) => [a.target, a.confidence]))}; requests for the event: ${gh.count()}`);
    // Message: every addition with confidence and reason; the marker names slug and additions.
    for (const a of plan.add) expect(comment.body).toContain(`add \`${a.target}\` as \`${a.type}\` (confidence ${a.confidence.toFixed(2)}): ${a.reason}`);
    expect(comment.body).toContain(
      linkProposalMarker(
        'groundwater-monitoring',
        plan.add.map((a) => a.target),
      ),
    );

    // GitHub applying the suggestion = the core edit applied.
    const replacement = suggestionOf(comment.body)!;
    expect(replacement).toBeDefined();
    const viaGithub = applySuggestion(text, { startLine: comment.start_line, line: comment.line, replacement });
    const edit = inferredLinksEdit(parseDocument(NEW_FILE, text), plan, TODAY)!;
    const viaCore = applyEdits(text, [{ line: edit.startLine, endLine: edit.endLine, text: `${edit.lines.join('\n')}\n` }]);
    expect(viaGithub).toBe(viaCore);

    // The result parses with `yaml`, holds exactly the proposal, and passes the commons-pattern schema.
    const data = frontmatterOf(viaGithub);
    expect(data.graph_garden.last_pruned).toBe(TODAY);
    expect(data.graph_garden.inferred_links).toEqual(
      [...plan.keep, ...plan.add].map((l) => ({ target: l.target, type: l.type, confidence: l.confidence, reason: l.reason })),
    );
    const validate = compileSchema(loadBundledSchema('commons-pattern'));
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(data.graph_garden.entities).toEqual(frontmatterOf(text).graph_garden.entities); // lines between are carried over
    expect(parseDocument(NEW_FILE, viaGithub).problems).toEqual([]);

    // Delivered as a suggestion: no patch for it in the check run; no apply hint (applyCommand off).
    const done = gh.checkRunPatches.at(-1) as { conclusion: string; output: { summary: string; annotations: { title: string }[] } };
    expect(done.output.annotations).toContainEqual(expect.objectContaining({ title: LINK_PROPOSAL_RULE }));
    expect(done.output.summary).not.toContain('Ready-to-apply fixes');
    expect(done.output.summary).not.toContain('/gardener apply links');
  });

  it('a proposal outside the diff goes to the check run patch, with the apply hint when applyCommand is on', async () => {
    for (const [config, hint] of [
      [CONFIG_APPLY, true],
      [CONFIG, false],
    ] as const) {
      clearSnapshotCache();
      const base = baseCorpus();
      base.set(NEW_FILE, themedPattern(NEW_WATER));
      const head = new Map(base);
      head.set(NEW_FILE, `${base.get(NEW_FILE)!}\nOne more sentence about wells and aquifers.\n`);
      const gh = new FakeGitHub();
      gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, config });
      const { probot, outcomes } = makeProbot();
      await probot.receive({ id: 'o1', name: 'pull_request', payload: payload() });
      expect(outcomes[0]).toMatchObject({ status: 'reviewed', proposals: 1, comments: 0 });
      expect(gh.reviews).toHaveLength(0);
      const summary = (gh.checkRunPatches.at(-1) as { output: { summary: string } }).output.summary;
      expect(summary).toContain('Ready-to-apply fixes');
      expect(summary).toMatch(
        /```diff\n--- a\/patterns\/groundwater-monitoring.md\n\+\+\+ b\/patterns\/groundwater-monitoring.md[\s\S]*\+ {2}inferred_links:\n\+ {4}- target: /,
      );
      expect(summary.includes(APPLY_HINT)).toBe(hint);
      assertNoPending();
    }
  });

  it('no proposal with links.propose off or the rule off, and none for a pattern in links.rejected', async () => {
    for (const config of [
      'links:\n  propose: false\n',
      'links:\n  minConfidence: 0.01\n  rejected: [groundwater-monitoring]\n',
      'links:\n  minConfidence: 0.01\nrules:\n  links/inferred-proposal: "off"\n',
    ]) {
      clearSnapshotCache();
      const { base, head } = newPatternPr();
      const gh = new FakeGitHub();
      gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, config });
      const { probot, outcomes } = makeProbot();
      await probot.receive({ id: 'n1', name: 'pull_request', payload: payload() });
      expect(outcomes[0]).toMatchObject({ status: 'reviewed', proposals: 0, findings: 0, conclusion: 'success' });
      assertNoPending();
    }
  });

  it('says once in the check run when no link reached links.minConfidence, and proposes none', async () => {
    const { base, head } = newPatternPr();
    const gh = new FakeGitHub();
    gh.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, config: 'links:\n  minConfidence: 1\n' });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: 'w1', name: 'pull_request', payload: payload() });
    expect(outcomes[0]).toMatchObject({ status: 'reviewed', proposals: 0 });
    const summary = (gh.checkRunPatches.at(-1) as { output: { summary: string } }).output.summary;
    expect(summary.split(nothingConfidentNote(1, 1)).length - 1).toBe(1);
    assertNoPending();
    // with a reachable threshold the same pull request gets its proposal and no such line
    clearSnapshotCache();
    const { summary: withProposal } = await (async () => {
      const g2 = new FakeGitHub();
      g2.mockEvent({ number: 7, headSha: HEAD, baseSha: BASE, base, head, expectReview: true, config: CONFIG });
      const { probot: p2 } = makeProbot();
      await p2.receive({ id: 'w2', name: 'pull_request', payload: payload() });
      return (g2.checkRunPatches.at(-1) as { output: { summary: string } }).output;
    })();
    expect(withProposal).not.toContain('reached `links.minConfidence`');
  });

  it('links.rejected `slug->target` drops that pair only', async () => {
    const { base, head } = newPatternPr();
    const plan = corePlan(head, NEW_FILE);
    const dropped = plan.add[0]!.target;
    const gh = new FakeGitHub();
    gh.mockEvent({
      number: 7,
      headSha: HEAD,
      baseSha: BASE,
      base,
      head,
      expectReview: true,
      config: `links:\n  minConfidence: 0.01\n  rejected: ["groundwater-monitoring->${dropped}"]\n`,
    });
    const { probot, outcomes } = makeProbot();
    await probot.receive({ id: 'p1', name: 'pull_request', payload: payload() });
    expect(outcomes[0]).toMatchObject({ proposals: 1 });
    const c = (gh.reviews[0] as { comments: PostedComment[] }).comments.find((x) => x.body.includes(LINK_PROPOSAL_RULE))!;
    const marker = parseLinkProposalMarker(c.body)!;
    expect(marker.add).not.toContain(dropped);
    expect(marker.add).toEqual(plan.add.map((a) => a.target).filter((t) => t !== dropped));
    expect(suggestionOf(c.body)).not.toContain(`target: ${dropped}\n`);
  });
});

describe('accept and reject memory', () => {
  it('accept: after the author commits the suggestion, nothing is proposed again and the thread is resolved', async () => {
    const { probot, outcomes } = makeProbot();
    const { base, head, comment } = await firstRun(probot);
    const head2 = new Map(head);
    head2.set(NEW_FILE, applySuggestion(head.get(NEW_FILE)!, { startLine: comment.start_line, line: comment.line, replacement: suggestionOf(comment.body)! }));
    const gh2 = new FakeGitHub();
    gh2.mockEvent({
      number: 7,
      headSha: HEAD2,
      baseSha: BASE,
      base,
      head: head2,
      config: CONFIG,
      threads: [{ id: 'T1', comments: [{ body: comment.body }] }],
      reviewedShas: [HEAD],
      expectResolve: true,
    });
    await probot.receive({ id: 'r2', name: 'pull_request', payload: payload(HEAD2, 'synchronize') });
    expect(outcomes[1]).toMatchObject({ status: 'reviewed', proposals: 0, findings: 0, resolved: 1, conclusion: 'success' });
    // The new head's link index took over every document of the previous head's: the accepted suggestion
    // changed only the inferred_links block, which is not tokenised, so no pattern was read again.
    expect(outcomes[1]).toMatchObject({ linkIndex: { built: true, incremental: true, updated: 0, takenOver: 9, patterns: 9 } });
    expect(gh2.resolvedThreads).toEqual(['T1']);
    expect(gh2.reviews).toHaveLength(0);
    // A later run on the resolved thread (resolved by the app: no resolvedBy) still proposes nothing.
    const gh3 = new FakeGitHub();
    gh3.mockEvent({
      number: 7,
      headSha: HEAD2,
      baseSha: BASE,
      base,
      head: head2,
      config: CONFIG,
      headTarball: false,
      threads: [{ id: 'T1', isResolved: true, comments: [{ body: comment.body }] }],
      reviewedShas: [HEAD, HEAD2],
    });
    await probot.receive({ id: 'r3', name: 'pull_request', payload: payload(HEAD2, 'reopened') });
    expect(outcomes[2]).toMatchObject({ status: 'reviewed', proposals: 0, resolved: 0 });
  });

  it('reject by 👎 on the proposal comment: not proposed again, the open thread is resolved', async () => {
    const { probot, outcomes } = makeProbot();
    const { base, head, comment } = await firstRun(probot);
    const gh2 = new FakeGitHub();
    gh2.mockEvent({
      number: 7,
      headSha: HEAD,
      baseSha: BASE,
      base,
      head,
      config: CONFIG,
      headTarball: false,
      threads: [{ id: 'T1', comments: [{ body: comment.body, thumbsDown: 1 }] }],
      reviewedShas: [HEAD],
      expectResolve: true,
    });
    await probot.receive({ id: 'd2', name: 'pull_request', payload: payload(HEAD, 'reopened') });
    expect(outcomes[1]).toMatchObject({ status: 'reviewed', proposals: 0, resolved: 1 });
    expect(gh2.resolvedThreads).toEqual(['T1']);
  });

  it('reject by resolving the thread without applying it (a person resolved it); the app resolving it is no rejection', async () => {
    const { probot, outcomes } = makeProbot();
    const { base, head, comment } = await firstRun(probot);
    // Resolved by a person, file unchanged: rejected.
    const gh2 = new FakeGitHub();
    gh2.mockEvent({
      number: 7,
      headSha: HEAD,
      baseSha: BASE,
      base,
      head,
      config: CONFIG,
      headTarball: false,
      threads: [{ id: 'T1', isResolved: true, resolvedBy: 'contributor', comments: [{ body: comment.body }] }],
      reviewedShas: [HEAD],
    });
    await probot.receive({ id: 'x2', name: 'pull_request', payload: payload(HEAD, 'reopened') });
    expect(outcomes[1]).toMatchObject({ status: 'reviewed', proposals: 0, findings: 0, resolved: 0 });
    assertNoPending();
    // Resolved by the app (resolvedBy is null for a Bot): the proposal stands (in the check run), no new comment.
    const gh3 = new FakeGitHub();
    gh3.mockEvent({
      number: 7,
      headSha: HEAD,
      baseSha: BASE,
      base,
      head,
      config: CONFIG,
      headTarball: false,
      threads: [{ id: 'T1', isResolved: true, comments: [{ body: comment.body }] }],
      reviewedShas: [HEAD],
    });
    await probot.receive({ id: 'x3', name: 'pull_request', payload: payload(HEAD, 'reopened') });
    expect(outcomes[2]).toMatchObject({ status: 'reviewed', proposals: 1, comments: 0 });
  });

  it('reject markers written on the PR (by the app) are honoured: whole pattern, or one pair', async () => {
    const { probot, outcomes } = makeProbot();
    const { base, head, comment } = await firstRun(probot);
    const gh2 = new FakeGitHub();
    gh2.mockEvent({
      number: 7,
      headSha: HEAD,
      baseSha: BASE,
      base,
      head,
      config: CONFIG,
      headTarball: false,
      threads: [{ id: 'T1', comments: [{ body: comment.body }] }],
      reviewedShas: [HEAD],
      expectResolve: true,
      issueComments: [{ body: `Noted.\n\n${linkRejectedMarker('groundwater-monitoring')}` }],
    });
    await probot.receive({ id: 'm2', name: 'pull_request', payload: payload(HEAD, 'reopened') });
    expect(outcomes[1]).toMatchObject({ proposals: 0, resolved: 1 });
    assertNoPending();
    // A marker in a person's comment is not memory (anyone can type it).
    const gh3 = new FakeGitHub();
    gh3.mockEvent({
      number: 7,
      headSha: HEAD,
      baseSha: BASE,
      base,
      head,
      config: CONFIG,
      headTarball: false,
      threads: [{ id: 'T1', comments: [{ body: comment.body }] }],
      reviewedShas: [HEAD],
      issueComments: [{ body: linkRejectedMarker('groundwater-monitoring'), bot: false }],
    });
    await probot.receive({ id: 'm3', name: 'pull_request', payload: payload(HEAD, 'reopened') });
    expect(outcomes[2]).toMatchObject({ proposals: 1, resolved: 0 });
    assertNoPending();
    // Pair marker: the proposal changes (new fingerprint): the old thread is resolved, the rest still proposed.
    const plan = corePlan(head, NEW_FILE);
    const gh4 = new FakeGitHub();
    gh4.mockEvent({
      number: 7,
      headSha: HEAD,
      baseSha: BASE,
      base,
      head,
      config: CONFIG,
      headTarball: false,
      threads: [{ id: 'T1', comments: [{ body: comment.body }] }],
      reviewedShas: [HEAD],
      expectResolve: true,
      issueComments: [{ body: linkRejectedMarker('groundwater-monitoring', plan.add[0]!.target) }],
    });
    await probot.receive({ id: 'm4', name: 'pull_request', payload: payload(HEAD, 'reopened') });
    expect(outcomes[3]).toMatchObject({ proposals: plan.add.length > 1 ? 1 : 0, resolved: 1 });
  });
});
