/**
 * Findings → the "Pattern Gardener" check run. `buildCheckOutput` is pure; `CheckRunReporter` does the
 * HTTP: create `in_progress`, then PATCH annotation batches (50 per request), the last one completing it.
 */
import { inert } from '../core/markdown.js';
import { createTwoFilesPatch } from 'diff';
import type { ReviewConfig } from '../core/config.js';
import { countBy, fingerprint, type Finding, type Severity } from '../core/finding.js';
import { applyFixes } from '../core/fixes.js';
import type { GitHubApi, RepoRef } from './octokit.js';
import {
  ANNOTATION_MESSAGE_LIMIT,
  ANNOTATION_RAW_DETAILS_LIMIT,
  ANNOTATION_TITLE_LIMIT,
  ANNOTATIONS_PER_REQUEST,
  CHECK_SUMMARY_LIMIT,
  CHECK_TITLE_LIMIT,
  cutMarkdown,
  fitMarkdown,
  truncate,
  type MarkdownBlock,
} from './limits.js';

export { ANNOTATIONS_PER_REQUEST } from './limits.js';
export const CHECK_NAME = 'Pattern Gardener';
export const SUMMARY_LIMIT = CHECK_SUMMARY_LIMIT;
/** A finding's line in a summary list: long messages and paths are cut, the annotation has the rest. */
const FINDING_LINE_LIMIT = 600;
/** A fix patch longer than this is not shown (it would crowd out every other one); `gardener check --fix` applies it. */
const PATCH_LIMIT = 16_000;

export type Conclusion = 'success' | 'neutral' | 'failure';

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title: string;
  raw_details?: string;
}

export interface CheckOutput {
  conclusion: Conclusion;
  title: string;
  summary: string;
  annotations: Annotation[];
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };
const LEVEL: Record<Severity, Annotation['annotation_level']> = { error: 'failure', warning: 'warning', notice: 'notice' };

export function conclusionFor(findings: readonly Finding[], failOn: ReviewConfig['failOn']): Conclusion {
  if (findings.length === 0) return 'success';
  if (failOn !== 'never' && findings.some((f) => RANK[f.severity] <= RANK[failOn])) return 'failure';
  return 'neutral';
}

export function annotationFor(f: Finding): Annotation {
  const a: Annotation = {
    path: f.file,
    start_line: f.line,
    end_line: Math.max(f.line, f.endLine),
    annotation_level: LEVEL[f.severity],
    message: truncate(f.message, ANNOTATION_MESSAGE_LIMIT),
    title: truncate(f.rule, ANNOTATION_TITLE_LIMIT),
  };
  if (a.start_line === a.end_line && f.column > 0 && f.endColumn !== undefined && f.endColumn >= f.column) {
    a.start_column = f.column;
    a.end_column = f.endColumn;
  }
  const details: string[] = [];
  if (f.fix) details.push(`Fix: ${f.fix.description}`);
  if (f.candidates?.length) details.push(`Candidates: ${f.candidates.join(', ')}`);
  if (details.length) a.raw_details = truncate(details.join('\n'), ANNOTATION_RAW_DETAILS_LIMIT);
  return a;
}

export interface CheckOutputInput {
  findings: readonly Finding[];
  failOn: ReviewConfig['failOn'];
  /** Files of the PR diff (findings elsewhere are "outside the diff"). */
  diffFiles: ReadonlySet<string>;
  /** Fingerprints of findings delivered as review suggestions (their patch is not repeated). */
  suggested?: ReadonlySet<string>;
  textOf(file: string): string | undefined;
  checkedFiles?: number;
  crossFiles?: number;
  /** Most annotations sent (the rest are listed in the summary). */
  maxAnnotations?: number;
  /** The findings to annotate when not all of `findings` (a notice repeated across files said once). */
  annotate?: readonly Finding[];
  /** Findings already there before the pull request: one folded line of the summary, never failing. */
  preExisting?: readonly Finding[];
  notes?: string[];
}

function esc(s: string): string {
  return inert(s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' '));
}

/** One unified diff (```diff fenced) per file, applying every fix not delivered as a suggestion. */
export function fixPatches(findings: readonly Finding[], textOf: (file: string) => string | undefined, skip: ReadonlySet<string> = new Set()): { file: string; patch: string; skipped: number }[] {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.fix || skip.has(fingerprint(f))) continue;
    const l = byFile.get(f.file);
    if (l) l.push(f);
    else byFile.set(f.file, [f]);
  }
  const out: { file: string; patch: string; skipped: number }[] = [];
  for (const [file, list] of byFile) {
    const text = textOf(file);
    if (text === undefined) continue;
    let res;
    try {
      res = applyFixes(text, list.map((f) => f.fix!));
    } catch {
      continue;
    }
    if (res.text === text) continue;
    const patch = createTwoFilesPatch(`a/${file}`, `b/${file}`, text, res.text, undefined, undefined, { context: 3 })
      .split('\n')
      .filter((l) => !l.startsWith('===='))
      .join('\n');
    out.push({ file, patch, skipped: res.skipped.length });
  }
  return out;
}

function findingLine(f: Finding): string {
  return truncate(`- \`${esc(f.file)}:${f.line}\` **${f.severity}** \`${f.rule}\`: ${esc(f.message)}`, FINDING_LINE_LIMIT);
}

export function buildCheckOutput(input: CheckOutputInput): CheckOutput {
  const { findings } = input;
  const conclusion = conclusionFor(findings, input.failOn);
  const sev = countBy(findings, (f) => f.severity);
  const files = new Set(findings.map((f) => f.file));
  const pre = input.preExisting ?? [];
  const title = truncate(
    findings.length === 0
      ? pre.length > 0
        ? 'No new problems'
        : 'No problems found'
      : `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${sev.error ?? 0} error(s), ${sev.warning ?? 0} warning(s), ${sev.notice ?? 0} notice(s)`,
    CHECK_TITLE_LIMIT,
  );
  const annotatable = input.annotate ?? findings;
  const annotated = mostSevere(annotatable, input.maxAnnotations ?? Infinity);
  const annotations = annotated.map(annotationFor);
  const allAnnotated = annotated.length === annotatable.length;
  const elsewhere = allAnnotated ? 'every finding is in the annotations' : 'run `gardener check` locally for every finding';

  // Room goes first to the findings listed nowhere else, then to the counts, then to the patches.
  const blocks: MarkdownBlock[] = [];
  blocks.push(`## ${CHECK_NAME}\n`);
  const scope = input.checkedFiles !== undefined ? ` Checked ${input.checkedFiles} changed pattern file(s)${input.crossFiles ? ` and ${input.crossFiles} linked pattern(s) outside the diff` : ''}.` : '';
  blocks.push(findings.length === 0 ? `✅ ${pre.length > 0 ? 'No new problems' : 'No problems found'}.${scope}\n` : `**${title}** in ${files.size} file(s).${scope} Failing on: \`${input.failOn}\`.\n`);
  if (pre.length > 0) blocks.push(...preExistingDetails(pre));
  for (const n of input.notes ?? []) blocks.push(`> ${truncate(n, 2_000)}\n`);
  if (findings.length > 0) {
    const byRule = Object.entries(countBy(findings, (f) => f.rule)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    blocks.push({
      head: '### By rule\n\n| Rule | Findings |\n| --- | ---: |',
      items: byRule.map(([r, n]) => `| \`${truncate(r, 200)}\` | ${n} |`),
      more: (n) => `| … and ${n} more rule(s) | |\n`,
      priority: 1,
    });
    blocks.push('');
    const byFile = new Map<string, Record<Severity, number>>();
    for (const f of findings) {
      const c = byFile.get(f.file) ?? { error: 0, warning: 0, notice: 0 };
      c[f.severity]++;
      byFile.set(f.file, c);
    }
    blocks.push({
      head: '### By file\n\n| File | Errors | Warnings | Notices |\n| --- | ---: | ---: | ---: |',
      items: [...byFile].map(([file, c]) => `| \`${truncate(esc(file), 300)}\`${input.diffFiles.has(file) ? '' : ' (outside the diff)'} | ${c.error} | ${c.warning} | ${c.notice} |`),
      more: (n) => `| … and ${n} more file(s) | | | |`,
      priority: 2,
    });
    blocks.push('');
    const outside = findings.filter((f) => !input.diffFiles.has(f.file));
    if (outside.length > 0) {
      blocks.push({
        head: '### Outside the diff\n\nThese findings are caused by this pull request but sit in files it does not change:\n',
        items: outside.map(findingLine),
        more: (n) => `- … and ${n} more outside the diff (${elsewhere})\n`,
        priority: 1,
      });
      blocks.push('');
    }
    if (!allAnnotated) {
      // Before the patches, which are long: this list is the only place these findings are shown.
      const kept = new Set(annotated);
      const rest = annotatable.filter((f) => !kept.has(f));
      blocks.push({
        head: `### Findings without annotations\n\nAnnotations are sent 50 to a request, within the event's request budget: the ${annotated.length} most severe findings have one; the other ${rest.length}:\n`,
        items: rest.map(findingLine),
        more: (n) => `- … and ${n} more: run \`gardener check\` locally for every finding\n`,
        priority: 0,
      });
      blocks.push('');
    }
    const patches = fixPatches(findings, input.textOf, input.suggested);
    if (patches.length > 0) {
      const items = patches.map((p) => {
        const heading = `#### \`${truncate(esc(p.file), 300)}\`${p.skipped ? ` (${p.skipped} overlapping fix(es) left out)` : ''}`;
        if (p.patch.length > PATCH_LIMIT) return `${heading}\n\nThis patch is too long to show here; \`gardener check --fix\` applies it.\n`;
        const fence = '`'.repeat(Math.max(3, ...[...p.patch.matchAll(/`+/g)].map((m) => m[0].length + 1)));
        return `${heading}\n\n${fence}diff\n${p.patch.trimEnd()}\n${fence}\n`;
      });
      blocks.push({
        head: '### Ready-to-apply fixes\n\nFixes not offered as review suggestions; apply with `git apply`:\n',
        items,
        more: (n) => `… and ${n} more patch(es): \`gardener check --fix\` applies every fix.\n`,
        priority: 3,
      });
    }
  }
  const summary = fitMarkdown(blocks, CHECK_SUMMARY_LIMIT, truncationNote(allAnnotated));
  return { conclusion, title, summary, annotations };
}

/** Pre-existing findings listed in the summary at most (the count is always exact). */
const PRE_EXISTING_LISTED = 50;

/** One folded line: how many findings were already there, the first of them inside (closed even when cut). */
function preExistingDetails(pre: readonly Finding[]): MarkdownBlock[] {
  const n = pre.length;
  const files = new Set(pre.map((f) => f.file)).size;
  const beyond = Math.max(0, n - PRE_EXISTING_LISTED);
  return [
    {
      head: `<details><summary>${n} finding${n === 1 ? ' was' : 's were'} already there before this pull request (in ${files} file${files === 1 ? '' : 's'}; not counted)</summary>\n`,
      // The last item counts those past the listed ones; a cut list counts them in its more line.
      items: [...pre.slice(0, PRE_EXISTING_LISTED).map(findingLine), ...(beyond > 0 ? [`- … and ${beyond} more (\`gardener check\` lists them all)`] : [])],
      more: (k) => `- … and ${k - (beyond > 0 ? 1 : 0) + beyond} more (\`gardener check\` lists them all)`,
      priority: 2,
    },
    '\n</details>\n',
  ];
}

function truncationNote(allAnnotated: boolean): string {
  return `---\n⚠️ The summary was truncated at GitHub's ${CHECK_SUMMARY_LIMIT}-character limit; ${allAnnotated ? 'every finding is still in the annotations (or run `gardener check` locally)' : 'run `gardener check` locally for every finding'}.`;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** At most `max` findings, errors before warnings before notices, in their original order. */
export function mostSevere(findings: readonly Finding[], max: number): Finding[] {
  if (findings.length <= max) return [...findings];
  const ranked = findings.map((f, i) => ({ f, i })).sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i);
  return ranked
    .slice(0, Math.max(0, max))
    .sort((a, b) => a.i - b.i)
    .map((x) => x.f);
}

/** Joins summary parts, cut under the summary limit with a note when too long. */
export function capSummary(parts: readonly string[], allAnnotated = true): string {
  return cutMarkdown(parts.map((p) => `${p}\n`).join(''), CHECK_SUMMARY_LIMIT, truncationNote(allAnnotated));
}

/**
 * Why a run ended without checking, for its summary: GitHub did not answer (after the retries), or the
 * app stopped with an error. Either way the run asks for a re-run; the conclusion stays failing.
 */
export function failureSummary(reason: string, unavailable = false): string {
  const head = unavailable
    ? 'GitHub did not answer in time (it kept failing or rate-limiting the app after the retries), so the patterns of this commit were **not checked**.'
    : 'Pattern Gardener stopped with an error, so the patterns of this commit were **not checked**.';
  return capSummary([`${head}\n\nWhat failed: ${truncate(reason.replace(/\r?\n/g, ' '), 2_000)}\n\n**Re-run this check** (the "Re-run" button of the check run) or push again.`]);
}

export interface CheckRunHandle {
  id: number;
}

export async function createCheckRun(api: GitHubApi, repo: RepoRef, headSha: string): Promise<CheckRunHandle> {
  const res = await api.request('POST /repos/{owner}/{repo}/check-runs', {
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: 'in_progress',
    started_at: new Date().toISOString(),
    output: { title: 'Checking patterns…', summary: 'Pattern Gardener is reading the pull request.' },
  });
  return { id: (res.data as { id: number }).id };
}

/** A completed failing check run in one request (broken config: nothing else to do). */
export async function failCheckRun(api: GitHubApi, repo: RepoRef, headSha: string, title: string, summary: string): Promise<void> {
  await api.request('POST /repos/{owner}/{repo}/check-runs', {
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: 'completed',
    conclusion: 'failure',
    completed_at: new Date().toISOString(),
    output: { title, summary: capSummary([summary]) },
  });
}

/** PATCHes the annotations 50 at a time; the last request completes the run. Returns the request count. */
export async function completeCheckRun(api: GitHubApi, repo: RepoRef, run: CheckRunHandle, out: CheckOutput): Promise<number> {
  const batches: Annotation[][] = [];
  for (let i = 0; i < out.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(out.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  if (batches.length === 0) batches.push([]);
  let requests = 0;
  for (let i = 0; i < batches.length; i++) {
    const last = i === batches.length - 1;
    const output: Record<string, unknown> = { title: out.title, summary: out.summary };
    if (batches[i]!.length > 0) output.annotations = batches[i];
    await api.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      ...repo,
      check_run_id: run.id,
      output,
      ...(last ? { status: 'completed', conclusion: out.conclusion, completed_at: new Date().toISOString() } : {}),
    });
    requests++;
  }
  return requests;
}
