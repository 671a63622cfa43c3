/** Renders what the app posted to the stand-in as readable Markdown (the demo's output). */
import type { CheckRun, LoggedRequest, Review, ReviewComment, Standin } from '../standin/index.js';

const fence = (text: string): string => {
  // A fence longer than any backtick run inside, so suggestion blocks show verbatim.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}markdown\n${text}\n${f}`;
};

function checkRunSection(run: CheckRun): string[] {
  const out: string[] = [];
  out.push(`## Check run "${run.name}" — ${run.status}, conclusion **${run.conclusion ?? 'none'}**`, '');
  out.push(`- head: \`${run.head_sha.slice(0, 12)}\``);
  out.push(`- title: ${run.output.title ?? '(none)'}`);
  out.push(`- annotations: ${run.annotations.length}`, '');
  const quote = (t: string) =>
    t
      .trimEnd()
      .split('\n')
      .map((l) => (l ? `> ${l}` : '>'))
      .join('\n');
  out.push('### Summary (as GitHub shows it on the Checks tab)', '', quote(run.output.summary ?? '(none)'), '');
  if (run.output.text) out.push('### Details', '', quote(run.output.text), '');
  if (run.annotations.length > 0) {
    out.push('### Annotations', '', '| where | level | title | message |', '|---|---|---|---|');
    for (const a of run.annotations) {
      const where = a.start_line === a.end_line ? `${a.path}:${a.start_line}` : `${a.path}:${a.start_line}-${a.end_line}`;
      const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\n+/g, ' ');
      out.push(`| \`${where}\` | ${a.annotation_level} | ${cell(a.title)} | ${cell(a.message)} |`);
    }
    out.push('');
  }
  return out;
}

function reviewSection(review: Review, comments: ReviewComment[]): string[] {
  const out: string[] = [];
  out.push(`## Review by ${review.user.login} — ${review.state}, ${comments.length} inline comment${comments.length === 1 ? '' : 's'}`, '');
  out.push('### Review body', '', fence(review.body || '(empty)'), '');
  comments.forEach((c, i) => {
    const lines = c.start_line && c.start_line !== c.line ? `lines ${c.start_line}–${c.line}` : `line ${c.line ?? '(file)'}`;
    out.push(`### Inline comment ${i + 1} of ${comments.length}: \`${c.path}\` ${lines} (${c.side})`, '', fence(c.body), '');
  });
  return out;
}

export interface RenderInput {
  standin: Standin;
  number: number;
  /** Extra lines appended under "Also checked". */
  checks?: string[];
  /** Requests made by the app for this delivery (default: all logged requests). */
  requests?: LoggedRequest[];
}

export function renderPosts({ standin, number, checks = [], requests }: RenderInput): string {
  const pull = standin.model.pulls.get(number);
  const head = pull?.head.sha;
  const title = standin.state.pulls.find((p) => p.number === number)?.title ?? '';
  const out: string[] = [];
  out.push(`# Pattern Gardener on ${standin.model.fullName}#${number}: "${title}"`, '');
  const runs = standin.state.checkRuns.filter((c) => c.head_sha === head);
  if (runs.length === 0) out.push('_No check run was posted._', '');
  for (const run of runs.slice(0, 1)) out.push(...checkRunSection(run));
  if (runs.length > 1) out.push(`_${runs.length - 1} more check run(s) on the same head (re-deliveries), not shown._`, '');

  const reviews = standin.state.reviews.filter((r) => r.pull_number === number);
  if (reviews.length === 0) out.push('_No review was posted._', '');
  for (const r of reviews) {
    const comments = standin.state.reviewComments.filter((c) => c.pull_request_review_id === r.id);
    out.push(...reviewSection(r, comments));
  }
  const loose = standin.state.reviewComments.filter((c) => c.pull_number === number && c.pull_request_review_id === null);
  if (loose.length > 0) out.push(`_${loose.length} review comment(s) outside a review._`, '');

  out.push('## Issues and issue comments', '');
  if (standin.state.issues.length === 0 && standin.state.issueComments.length === 0) out.push('None.', '');
  for (const i of standin.state.issues) out.push(`- issue #${i.number} "${i.title}" (${i.state}) labels: ${i.labels.map((l) => l.name).join(', ') || 'none'}`);
  for (const c of standin.state.issueComments) out.push(`- comment on #${c.issue_number} by ${c.user.login}: ${c.body.split('\n')[0]?.slice(0, 120) ?? ''}`);
  if (standin.state.issues.length + standin.state.issueComments.length > 0) out.push('');

  const reqs = requests ?? standin.state.requests;
  out.push(`## GitHub API requests made by the app (${reqs.length})`, '');
  const counts = new Map<string, number>();
  for (const r of reqs) {
    const key = `${r.route ?? `UNKNOWN ${r.method} ${r.path}`} → ${r.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [k, n] of counts) out.push(`- ${n > 1 ? `${n}× ` : ''}${k}`);
  out.push('');
  if (checks.length > 0) out.push('## Also checked', '', ...checks.map((c) => `- ${c}`), '');
  return out.join('\n');
}
