/**
 * JSON shapes shared by the stand-in server and the webhook payload builder,
 * following GitHub's REST responses closely enough for Octokit and Probot.
 */
import { createHash } from 'node:crypto';
import type { PullModel, RepoModel } from './model.js';

export interface UserJson {
  login: string;
  id: number;
  node_id: string;
  type: 'User' | 'Bot' | 'Organization';
  site_admin: false;
  avatar_url: string;
  gravatar_id: string;
  html_url: string;
  url: string;
  followers_url: string;
  following_url: string;
  gists_url: string;
  starred_url: string;
  subscriptions_url: string;
  organizations_url: string;
  repos_url: string;
  events_url: string;
  received_events_url: string;
}

/** Stable numeric id for a login. */
export function userId(login: string): number {
  return 100_000 + (parseInt(createHash('sha1').update(login).digest('hex').slice(0, 6), 16) % 900_000);
}

export function userJson(login: string, apiBase: string, type?: UserJson['type']): UserJson {
  const t = type ?? (login.endsWith('[bot]') ? 'Bot' : 'User');
  const id = userId(login);
  const url = `${apiBase}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: `${t === 'Bot' ? 'BOT' : 'U'}_standin${id}`,
    type: t,
    site_admin: false,
    avatar_url: `https://avatars.example.invalid/u/${id}`,
    gravatar_id: '',
    // A bot's page is its app's page (`[bot]` is not allowed in a URL path).
    html_url: t === 'Bot' ? `https://github.com/apps/${encodeURIComponent(login.replace(/\[bot\]$/, ''))}` : `https://github.com/${encodeURIComponent(login)}`,
    url,
    // GitHub's simple-user fields, so answers match the REST description.
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
  };
}

export function repoJson(model: RepoModel, apiBase: string, override?: { owner: string; fork: boolean }) {
  const owner = override?.owner ?? model.owner;
  const fullName = `${owner}/${model.name}`;
  const id = override ? model.id + userId(owner) : model.id;
  return {
    id,
    node_id: `R_standin${id}`,
    name: model.name,
    full_name: fullName,
    private: model.private,
    owner: userJson(owner, apiBase, override ? 'User' : 'Organization'),
    html_url: `https://github.com/${fullName}`,
    description: 'Pattern library (stand-in)',
    fork: override?.fork ?? false,
    url: `${apiBase}/repos/${fullName}`,
    archived: false,
    disabled: false,
    visibility: model.private ? 'private' : 'public',
    default_branch: model.defaultBranch,
    created_at: '2025-06-01T00:00:00Z',
    updated_at: model.main.date,
    pushed_at: model.main.date,
    size: 1,
    language: 'Markdown',
    has_issues: true,
    open_issues_count: 0,
    topics: [] as string[],
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}

export function pullJson(
  model: RepoModel,
  pull: PullModel,
  apiBase: string,
  mutable: {
    title: string;
    body: string | null;
    state: 'open' | 'closed';
    labels: unknown[];
    updated_at?: string;
    closed_at?: string;
    merged_at?: string;
    merge_commit_sha?: string;
  },
) {
  const repo = repoJson(model, apiBase);
  const headRepo = pull.spec.fork ? repoJson(model, apiBase, { owner: pull.user, fork: true }) : repo;
  const url = `${apiBase}/repos/${model.fullName}/pulls/${pull.number}`;
  const additions = pull.files.reduce((n, f) => n + f.additions, 0);
  const deletions = pull.files.reduce((n, f) => n + f.deletions, 0);
  return {
    url,
    id: model.id * 1000 + pull.number,
    node_id: `PR_standin${pull.number}`,
    html_url: `https://github.com/${model.fullName}/pull/${pull.number}`,
    diff_url: `https://github.com/${model.fullName}/pull/${pull.number}.diff`,
    patch_url: `https://github.com/${model.fullName}/pull/${pull.number}.patch`,
    issue_url: `${apiBase}/repos/${model.fullName}/issues/${pull.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    comments_url: `${apiBase}/repos/${model.fullName}/issues/${pull.number}/comments`,
    statuses_url: `${apiBase}/repos/${model.fullName}/statuses/${pull.head.sha}`,
    number: pull.number,
    state: mutable.state,
    locked: false,
    title: mutable.title,
    user: userJson(pull.user, apiBase),
    body: mutable.body,
    labels: mutable.labels,
    created_at: pull.createdAt,
    updated_at: mutable.updated_at ?? pull.createdAt,
    closed_at: mutable.closed_at ?? null,
    merged_at: mutable.merged_at ?? null,
    merge_commit_sha: mutable.merge_commit_sha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    draft: pull.spec.draft ?? false,
    head: {
      label: `${pull.spec.fork ? pull.user : model.owner}:${pull.headRef}`,
      ref: pull.headRef,
      sha: pull.head.sha,
      user: userJson(pull.spec.fork ? pull.user : model.owner, apiBase),
      repo: headRepo,
    },
    base: {
      label: `${model.owner}:${pull.baseRef}`,
      ref: pull.baseRef,
      sha: pull.base.sha,
      user: userJson(model.owner, apiBase, 'Organization'),
      repo,
    },
    author_association: pull.spec.fork ? 'CONTRIBUTOR' : 'MEMBER',
    merged: Boolean(mutable.merged_at),
    mergeable: true,
    mergeable_state: 'clean',
    rebaseable: true,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions,
    deletions,
    changed_files: pull.files.length,
  };
}
