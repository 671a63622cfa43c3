/**
 * Findings → the "Pattern Gardener" check run. `buildCheckOutput` is pure; `CheckRunReporter` does the
 * HTTP: create `in_progress`, then PATCH annotation batches (50 per request), the last one completing it.
 */
import { inert } from '../core/markdown.js';
import { createTwoFilesPatch } from 'diff';
import type { ReviewConfig } from '../core/config.js';
import { countBy, fingerprint, type Finding, type Severity } from '../core/finding.js';
import { applyFixes } from '../core/fixes.js';
import { isTransient, type GitHubApi, type RepoRef } from './octokit.js';
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
export function fixPatches(
  findings: readonly Finding[],
  textOf: (file: string) => string | undefined,
  skip: ReadonlySet<string> = new Set(),
): { file: string; patch: string; skipped: number }[] {
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
      res = applyFixes(
        text,
        list.map((f) => f.fix!),
      );
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
  const scope =
    input.checkedFiles !== undefined
      ? ` Checked ${input.checkedFiles} changed pattern file(s)${input.crossFiles ? ` and ${input.crossFiles} linked pattern(s) outside the diff` : ''}.`
      : '';
  blocks.push(
    findings.length === 0
      ? `✅ ${pre.length > 0 ? 'No new problems' : 'No problems found'}.${scope}\n`
      : `**${title}** in ${files.size} file(s).${scope} Failing on: \`${input.failOn}\`.\n`,
  );
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
      items: [...byFile].map(
        ([file, c]) => `| \`${truncate(esc(file), 300)}\`${input.diffFiles.has(file) ? '' : ' (outside the diff)'} | ${c.error} | ${c.warning} | ${c.notice} |`,
      ),
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
  return capSummary([
    `${head}\n\nWhat failed: ${truncate(reason.replace(/\r?\n/g, ' '), 2_000)}\n\n**Re-run this check** (the "Re-run" button of the check run) or push again.`,
  ]);
}

// ---- HTTP edges -------------------------------------------------------------------------------
//
// Idempotency. A run is this app's run for a pull request at a SHA when its name is CHECK_NAME and its
// `external_id` is externalIdFor(pr). Before creating one, the runs of the SHA are listed: an unfinished
// one (an event that crashed, or a create whose answer was lost) is adopted; a finished one means the
// SHA was already checked, so a redelivered event does nothing (a re-requested check creates a new run,
// as GitHub's Re-run expects). A create whose answer is lost (5xx, timeout) is not sent again blindly:
// the runs are listed again and the one it made is adopted.
//
// Annotations. GitHub appends the annotations of every update, so a PATCH carrying them is sent once
// (resilience.ts). When its answer is lost, the run's `annotations_count` tells whether it landed: the
// batch is sent again only when the count did not move. An adopted run that already has annotations
// gets only those it lacks. A PATCH without annotations sets fields and is retried freely.

export interface CheckRunHandle {
  id: number;
  /** Annotations the run already has (an adopted run may have some from an earlier attempt). */
  annotationsCount: number;
}

interface RunJson {
  id: number;
  name?: string;
  external_id?: string | null;
  status?: string;
  output?: { title?: string | null; annotations_count?: number } | null;
}

/** Title prefix of a run that completed without checking (GitHub unavailable, an error): not a result. */
export const NOT_CHECKED = 'Not checked:';

/** The `external_id` of this app's run for a pull request (with the name and SHA, the run's identity). */
export function externalIdFor(pullNumber: number): string {
  return `pattern-gardener:pr-${pullNumber}`;
}

const handleOf = (r: RunJson): CheckRunHandle => ({ id: r.id, annotationsCount: r.output?.annotations_count ?? 0 });

/** This app's runs for the pull request at `headSha`, newest first (one page of 100: a SHA has few). */
export async function findCheckRuns(api: GitHubApi, repo: RepoRef, headSha: string, externalId: string): Promise<RunJson[]> {
  const res = await api.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
    ...repo,
    ref: headSha,
    check_name: CHECK_NAME,
    filter: 'all',
    per_page: 100,
  });
  const runs = ((res.data as { check_runs?: RunJson[] } | null)?.check_runs ?? []).filter((r) => r.name === CHECK_NAME && r.external_id === externalId);
  return runs.sort((a, b) => b.id - a.id);
}

export type ExistingRun = { open: CheckRunHandle } | { completed: CheckRunHandle } | { none: true };

/** What the SHA already has: an unfinished run to adopt, a finished result (already checked), or none. */
export async function existingCheckRun(api: GitHubApi, repo: RepoRef, headSha: string, externalId: string): Promise<ExistingRun> {
  const runs = await findCheckRuns(api, repo, headSha, externalId);
  const open = runs.find((r) => r.status !== 'completed');
  if (open) return { open: handleOf(open) };
  // The newest finished run decides; one that could not check the commit is no result to keep.
  if (runs[0] && !(runs[0].output?.title ?? '').startsWith(NOT_CHECKED)) return { completed: handleOf(runs[0]) };
  return { none: true };
}

/**
 * Creates the run in progress. The POST is sent once per attempt; after a lost answer the runs are listed
 * and an unfinished one (the one just made) is adopted instead of creating a second.
 */
export async function createCheckRun(api: GitHubApi, repo: RepoRef, headSha: string, externalId: string, attempts = 3): Promise<CheckRunHandle> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await api.request('POST /repos/{owner}/{repo}/check-runs', {
        ...repo,
        name: CHECK_NAME,
        head_sha: headSha,
        external_id: externalId,
        status: 'in_progress',
        started_at: new Date().toISOString(),
        output: { title: 'Checking patterns…', summary: 'Pattern Gardener is reading the pull request.' },
      });
      return { id: (res.data as { id: number }).id, annotationsCount: 0 };
    } catch (e) {
      if (!isTransient(e) || attempt >= attempts) throw e;
      const found = await existingCheckRun(api, repo, headSha, externalId);
      if ('open' in found) return found.open;
    }
  }
}

/** Completes a run without annotations (a broken config, GitHub unavailable): one idempotent PATCH. */
export async function finishCheckRun(
  api: GitHubApi,
  repo: RepoRef,
  run: CheckRunHandle,
  conclusion: Conclusion,
  title: string,
  summary: string,
): Promise<void> {
  await api.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    ...repo,
    check_run_id: run.id,
    status: 'completed',
    conclusion,
    completed_at: new Date().toISOString(),
    output: { title: truncate(title, CHECK_TITLE_LIMIT), summary: capSummary([summary]) },
  });
}

/** The run's annotation count now (after a PATCH whose answer was lost). */
async function annotationsNow(api: GitHubApi, repo: RepoRef, id: number): Promise<{ count: number; completed: boolean }> {
  const res = await api.request('GET /repos/{owner}/{repo}/check-runs/{check_run_id}', { ...repo, check_run_id: id });
  const r = res.data as RunJson;
  return { count: r.output?.annotations_count ?? 0, completed: r.status === 'completed' };
}

const annotationKey = (a: Pick<Annotation, 'path' | 'start_line' | 'end_line' | 'annotation_level' | 'title' | 'message'>) =>
  JSON.stringify([a.path, a.start_line, a.end_line, a.annotation_level, a.title, a.message]);

/** `annotations` less those an adopted run already has (read 100 a page, at most 10 pages). */
async function missingAnnotations(api: GitHubApi, repo: RepoRef, run: CheckRunHandle, annotations: Annotation[]): Promise<Annotation[]> {
  const have = new Map<string, number>();
  for (let page = 1; page <= 10; page++) {
    const res = await api.request('GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', { ...repo, check_run_id: run.id, per_page: 100, page });
    const list = Array.isArray(res.data) ? (res.data as Annotation[]) : [];
    for (const a of list) have.set(annotationKey(a), (have.get(annotationKey(a)) ?? 0) + 1);
    if (list.length < 100) break;
  }
  return annotations.filter((a) => {
    const n = have.get(annotationKey(a)) ?? 0;
    if (n === 0) return true;
    have.set(annotationKey(a), n - 1);
    return false;
  });
}

/**
 * PATCHes the annotations 50 at a time; the last request completes the run. Returns the request count.
 * A batch whose answer is lost is sent again only if the run's annotation count shows it did not land.
 */
export async function completeCheckRun(api: GitHubApi, repo: RepoRef, run: CheckRunHandle, out: CheckOutput): Promise<number> {
  let requests = 0;
  let annotations = out.annotations;
  let count = run.annotationsCount;
  if (count > 0 && annotations.length > 0) {
    annotations = await missingAnnotations(api, repo, run, annotations);
    requests++;
  }
  const batches: Annotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  if (batches.length === 0) batches.push([]);
  for (let i = 0; i < batches.length; i++) {
    const last = i === batches.length - 1;
    const batch = batches[i]!;
    const completion = last ? { status: 'completed', conclusion: out.conclusion, completed_at: new Date().toISOString() } : {};
    const output: Record<string, unknown> = { title: out.title, summary: out.summary };
    if (batch.length > 0) output.annotations = batch;
    for (let attempt = 1; ; attempt++) {
      try {
        requests++;
        await api.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { ...repo, check_run_id: run.id, output, ...completion });
        break;
      } catch (e) {
        if (batch.length === 0 || !isTransient(e) || attempt >= 3) throw e;
        requests++;
        const now = await annotationsNow(api, repo, run.id);
        if (now.count >= count + batch.length) {
          // It landed; only the completion may be missing (sent without annotations: idempotent).
          if (last && !now.completed) {
            requests++;
            await api.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
              ...repo,
              check_run_id: run.id,
              output: { title: out.title, summary: out.summary },
              ...completion,
            });
          }
          break;
        }
      }
    }
    count += batch.length;
  }
  return requests;
}
