/**
 * Pull request comment commands of the link gardener (`issue_comment.created` on a pull request):
 *
 * - `/gardener apply links` — by a user with write, maintain or admin permission, when the repository's
 *   config has `links.applyCommand: true`, on a pull request whose head branch is in the same repository:
 *   recomputes the proposals at the current head (same code as the review, rejections included) and
 *   commits them to the head branch with the contents API, one commit per file (at most
 *   `MAX_APPLY_FILES`), each guarded by the stored blob's SHA at that head (a file changed since is
 *   refused by GitHub with 409 and reported, never overwritten). Replies with what was committed.
 * - `/gardener reject <slug>` / `/gardener reject <slug> <target>` — by a writer: replies with a hidden
 *   `links-rejected` marker; the review reads it back (pull-state query) and proposes nothing for that
 *   pattern (or that pair) again in this pull request. Permanent, cross-PR memory is `links.rejected`.
 *
 * Everything else is refused politely with a reply (off in config, no permission, fork, closed PR).
 * Requests: token, config (1–2), permission, [apply: pull, files, tarball (0 when cached), pull state,
 * per file: its stored blob (GET contents) and one PUT], reply.
 */
import { createHash } from 'node:crypto';
import { FileSelector, resolveConfig, type GardenerConfig } from '../core/config.js';
import type { CalendarDate } from '../core/dates.js';
import { applyFixes } from '../core/fixes.js';
import { CONFIG_FILE, type ConfigSource } from './config.js';
import { linkRejectedMarker } from './markers.js';
import { BODY_LIMIT, cutMarkdown } from './limits.js';
import { statusOf, type GitHubApi, type RepoRef } from './octokit.js';
import { listPullFiles } from './pull-files.js';
import { linkProposalsFor, withBudget, type Logger } from './review-pull-request.js';
import { fetchPullState } from './review.js';
import { getSnapshot } from './snapshot.js';

export const MAX_APPLY_FILES = 10;
const WRITE_ROLES = new Set(['admin', 'maintain', 'write']);

interface Permission {
  /** The base role: admin, write, read or none (maintain reads as write, triage as read). */
  permission?: string;
  /** The role's name: a built-in one, or a custom repository role's own name. */
  role_name?: string;
  user?: { permissions?: { admin?: boolean; maintain?: boolean; push?: boolean } };
}

/**
 * Write access, custom repository roles included: a custom role's `role_name` is its own name, and its
 * base role is in `permission` (and `user.permissions.push`).
 */
export function canWrite(p: Permission): boolean {
  const flags = p.user?.permissions;
  return WRITE_ROLES.has(p.role_name ?? '') || WRITE_ROLES.has(p.permission ?? '') || !!(flags && (flags.admin || flags.maintain || flags.push));
}

export type LinkCommand = { kind: 'apply' } | { kind: 'reject'; slug: string; target?: string };

const APPLY_RE = /^\s*\/gardener\s+apply\s+links\s*$/im;
// Slugs are short: a longer token is not a slug (and keeps the reply and its marker within limits).
const REJECT_RE = /^\s*\/gardener\s+reject\s+([^\s`]{1,200})(?:\s+([^\s`]{1,200}))?\s*$/im;

/** The command in a comment (a line of its own), if any. */
export function parseLinkCommand(body: string | null | undefined): LinkCommand | undefined {
  if (!body) return undefined;
  if (APPLY_RE.test(body)) return { kind: 'apply' };
  const m = REJECT_RE.exec(body);
  if (m) return m[2] ? { kind: 'reject', slug: m[1]!, target: m[2] } : { kind: 'reject', slug: m[1]! };
  return undefined;
}

/** Git's blob SHA-1 of file bytes (the stored blob's SHA only when no `.gitattributes` filter rewrote them). */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

/**
 * The file as stored at `ref` (contents API: its blob SHA and text). The proposal was computed on the
 * archive's copy, so the stored text must be the same lines (line endings aside); otherwise the file is
 * skipped rather than committed from a rewritten copy.
 */
async function storedFile(
  api: GitHubApi,
  repo: RepoRef,
  path: string,
  ref: string,
  archived: Uint8Array,
): Promise<{ sha: string; text: string } | { skip: string }> {
  const res = await api.request('GET /repos/{owner}/{repo}/contents/{path}', { ...repo, path, ref });
  const d = res.data as { type?: string; sha?: string; content?: string; encoding?: string } | null;
  if (!d || d.type !== 'file' || typeof d.sha !== 'string' || typeof d.content !== 'string' || d.encoding !== 'base64')
    return { skip: 'not readable through the contents API' };
  const text = Buffer.from(d.content, 'base64').toString('utf8');
  const lf = (s: string) => s.replace(/\r\n/g, '\n');
  const fromArchive = Buffer.from(archived.buffer, archived.byteOffset, archived.byteLength).toString('utf8');
  if (lf(text) !== lf(fromArchive)) return { skip: 'the stored file differs from the archive (.gitattributes)' };
  return { sha: d.sha, text };
}

export interface LinkCommandInput {
  repo: RepoRef;
  /** Pull request number (issue number). */
  number: number;
  isPullRequest: boolean;
  body: string;
  user: { login: string; type?: string };
}

export interface LinkCommandDeps {
  api: GitHubApi;
  configSource: ConfigSource;
  today: CalendarDate;
  log: Logger;
  maxRequests?: number;
}

export type LinkCommandOutcome =
  | { status: 'ignored' }
  | { status: 'refused'; reason: 'off' | 'permission' | 'fork' | 'closed' | 'config' }
  | { status: 'rejected'; slug: string; target?: string }
  | { status: 'applied'; committed: { file: string; commit?: string }[]; failed: { file: string; status?: number; reason?: string }[]; requests: number };

interface PullInfo {
  state?: string;
  head: { sha: string; ref: string; repo: { full_name: string } | null };
  base: { repo: { full_name: string } };
}

export async function handleLinkCommand(deps: LinkCommandDeps, input: LinkCommandInput): Promise<LinkCommandOutcome> {
  const cmd = parseLinkCommand(input.body);
  if (!cmd || !input.isPullRequest || input.user.type === 'Bot') return { status: 'ignored' };
  const api = withBudget(deps.api, deps.maxRequests ?? 20 + 2 * MAX_APPLY_FILES);
  const { repo, number } = input;
  const reply = (text: string) =>
    api.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: number, body: cutMarkdown(text, BODY_LIMIT) });

  let config: GardenerConfig;
  try {
    const resolved = resolveConfig(await deps.configSource.config(CONFIG_FILE));
    if (!resolved.ok) {
      await reply(
        `Pattern Gardener cannot run \`${cmd.kind === 'apply' ? '/gardener apply links' : '/gardener reject'}\`: \`.github/${CONFIG_FILE}\` is invalid (see the check run).`,
      );
      return { status: 'refused', reason: 'config' };
    }
    config = resolved.config;
  } catch (e) {
    const s = statusOf(e);
    if (s !== undefined && s >= 500) throw e;
    await reply(`Pattern Gardener could not read \`.github/${CONFIG_FILE}\`, so nothing was done.`);
    return { status: 'refused', reason: 'config' };
  }
  if (cmd.kind === 'apply' && !config.links.applyCommand) {
    await reply(
      `\`/gardener apply links\` is off in this repository. Maintainers can turn it on with \`links.applyCommand: true\` in \`.github/${CONFIG_FILE}\` (the app then needs contents: write); until then, apply the suggestions or the patches in the check run.`,
    );
    return { status: 'refused', reason: 'off' };
  }

  const perm = await api
    .request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...repo, username: input.user.login })
    .then((r) => (r.data as Permission | null) ?? {})
    .catch((e: unknown) => {
      const s = statusOf(e);
      if (s !== undefined && s >= 500) throw e;
      return {} as Permission;
    });
  if (!canWrite(perm)) {
    await reply(
      cmd.kind === 'apply'
        ? `Sorry @${input.user.login}, only people with write access can ask Pattern Gardener to commit link proposals.`
        : `Sorry @${input.user.login}, only people with write access can reject link proposals. You can still leave a 👎 on the proposal comment.`,
    );
    return { status: 'refused', reason: 'permission' };
  }

  if (cmd.kind === 'reject') {
    const what = cmd.target ? `\`${cmd.slug}\` → \`${cmd.target}\`` : `\`${cmd.slug}\``;
    const entry = cmd.target ? `${cmd.slug}->${cmd.target}` : cmd.slug;
    await reply(
      `Noted: no more inferred-link proposals for ${what} in this pull request (the open suggestion is resolved on the next run). ` +
        `To remember it in every pull request, add \`${entry}\` to \`links.rejected\` in \`.github/${CONFIG_FILE}\`.\n\n${linkRejectedMarker(cmd.slug, cmd.target)}`,
    );
    deps.log.info({ pr: number, slug: cmd.slug, target: cmd.target }, 'pattern-gardener: link proposal rejected');
    return cmd.target ? { status: 'rejected', slug: cmd.slug, target: cmd.target } : { status: 'rejected', slug: cmd.slug };
  }

  const pull = (await api.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...repo, pull_number: number })).data as PullInfo;
  if (pull.state && pull.state !== 'open') {
    await reply('This pull request is closed; Pattern Gardener commits link proposals only to open pull requests.');
    return { status: 'refused', reason: 'closed' };
  }
  const baseRepo = pull.base.repo.full_name.toLowerCase();
  if (!pull.head.repo || pull.head.repo.full_name.toLowerCase() !== baseRepo) {
    await reply(
      'This pull request comes from a fork: Pattern Gardener cannot commit to its branch. Apply the suggestions (or the patches in the check run) from the fork instead.',
    );
    return { status: 'refused', reason: 'fork' };
  }

  const selector = new FileSelector(config);
  const listed = await listPullFiles(api, repo, number);
  const head = await getSnapshot(api, repo, pull.head.sha, config, selector);
  const state = await fetchPullState(api, repo, number);
  const changed = listed.files.filter((f) => f.status !== 'removed' && selector.selects(f.filename) && head.has(f.filename)).map((f) => f.filename);
  const { proposals } = linkProposalsFor(config, head, changed, state, deps.today);
  const committed: { file: string; commit?: string }[] = [];
  const failed: { file: string; status?: number; reason?: string }[] = [];
  for (const p of proposals.slice(0, MAX_APPLY_FILES)) {
    // The stored blob, not the archive's bytes: `.gitattributes` (eol, export-subst) can make the
    // tarball's copy differ from it, and the contents API guards the write with the stored blob's SHA.
    let stored: { sha: string; text: string } | { skip: string };
    try {
      stored = await storedFile(api, repo, p.file, pull.head.sha, head.files.get(p.file)!);
    } catch (e) {
      const s = statusOf(e);
      failed.push(s === undefined ? { file: p.file } : { file: p.file, status: s });
      if (s === undefined || s >= 500 || s === 401 || s === 403) break;
      continue;
    }
    if ('skip' in stored) {
      failed.push({ file: p.file, reason: stored.skip });
      continue;
    }
    const { text } = applyFixes(stored.text, [p.finding.fix!]);
    const added = p.plan.add.map((a) => a.target);
    const removed = p.plan.remove.map((r) => r.target);
    const message = `Pattern Gardener: inferred links of ${p.slug}${added.length ? ` (+${added.join(', +')})` : ''}${removed.length ? ` (-${removed.join(', -')})` : ''}\n\nRequested by @${input.user.login} with /gardener apply links.`;
    try {
      const res = await api.request('PUT /repos/{owner}/{repo}/contents/{path}', {
        ...repo,
        path: p.file,
        message,
        content: Buffer.from(text, 'utf8').toString('base64'),
        sha: stored.sha,
        branch: pull.head.ref,
      });
      const commit = (res.data as { commit?: { sha?: string } } | null)?.commit?.sha;
      committed.push(commit ? { file: p.file, commit } : { file: p.file });
    } catch (e) {
      const s = statusOf(e);
      if (s === undefined || s >= 500 || s === 401 || s === 403) {
        // No write access or GitHub failing: stop here and say what was done.
        failed.push(s === undefined ? { file: p.file } : { file: p.file, status: s });
        break;
      }
      failed.push({ file: p.file, status: s }); // 409/422: the file changed since this head
    }
  }
  const lines: string[] = [];
  if (proposals.length === 0) lines.push(`Nothing to apply: no changed pattern has a link proposal at \`${pull.head.sha.slice(0, 7)}\`.`);
  if (committed.length > 0) {
    lines.push(`Committed the link proposals to \`${pull.head.ref}\` (one commit per file):`, '');
    for (const c of committed) {
      const p = proposals.find((x) => x.file === c.file)!;
      lines.push(
        `- \`${c.file}\`${c.commit ? ` in ${c.commit.slice(0, 7)}` : ''}: ${p.plan.add.length} added${p.plan.add.length ? ` (${p.plan.add.map((a) => `\`${a.target}\``).join(', ')})` : ''}, ${p.plan.remove.length} removed${p.plan.remove.length ? ` (${p.plan.remove.map((r) => `\`${r.target}\``).join(', ')})` : ''}`,
      );
    }
  }
  if (failed.length > 0) {
    lines.push(
      '',
      `Not committed (the file changed since \`${pull.head.sha.slice(0, 7)}\`, or GitHub refused): ${failed.map((f) => `\`${f.file}\`${f.status ? ` (${f.status})` : ''}${f.reason ? ` (${f.reason})` : ''}`).join(', ')}. Comment \`/gardener apply links\` again after the next check run.`,
    );
  }
  if (proposals.length > MAX_APPLY_FILES)
    lines.push('', `Only ${MAX_APPLY_FILES} files are committed per command; comment again for the other ${proposals.length - MAX_APPLY_FILES}.`);
  await reply(lines.join('\n').trim());
  deps.log.info({ pr: number, committed: committed.length, failed: failed.length, requests: api.count() }, 'pattern-gardener: link proposals applied');
  return { status: 'applied', committed, failed, requests: api.count() };
}
