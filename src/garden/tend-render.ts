/** What a gardening batch says about itself: the patch, the table per file, the pull request body. Pure. */
import { createTwoFilesPatch } from 'diff';
import type { GardenNumbers, TendBatch, TendChange } from './tend.js';

/** Short names of the stages, for commit messages and tables. */
export const STAGE_TITLES: Readonly<Record<string, string>> = {
  'links/unknown-target': 'dangling link targets replaced by their one clear match',
  'links/entry-shape': 'relationship entries written as {slug, weight}',
  'links/inferred-type': 'inferred-link types in the vocabulary',
  'links/reciprocal': 'missing inverse links added (ADR-0005)',
  'assessment/overall-score': 'overall_score set to the mean of the eight dimensions',
  'links/inferred-proposal': 'inferred links refreshed and last_pruned set',
};

export function stageTitle(rule: string): string {
  return STAGE_TITLES[rule] ?? rule;
}

/** The batch as one unified patch (git-style `a/` and `b/` paths, from the repository root). */
export function batchPatch(batch: TendBatch, prefix = ''): string {
  const parts: string[] = [];
  for (const file of batch.files) {
    const before = batch.before.get(file) ?? '';
    const after = batch.after.get(file) ?? '';
    if (before === after) continue;
    const path = prefix + file;
    const p = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
    // `diff` starts with an "Index:"-less "===" line only in createPatch; this form starts at "---".
    parts.push(`diff --git a/${path} b/${path}\n${p.replace(/^=+\n/m, '')}`);
  }
  return parts.join('');
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function conf(c: number | undefined): string {
  return c === undefined ? 'fix' : c.toFixed(2);
}

export function numbersLine(n: GardenNumbers): string {
  return `${n.staleGardens} stale gardens, ${n.danglingLinks} dangling links, ${n.missingInverses} missing inverse links, ${n.safeFixes} safe fixes waiting (${n.patterns} patterns)`;
}

/** The garden's numbers before and after the batch, as a small table. */
export function numbersTable(batch: TendBatch): string {
  const b = batch.garden.before;
  const a = batch.garden.after;
  const row = (name: string, x: number, y: number): string => `| ${name} | ${x} | ${y} |`;
  return [
    '| garden | before | after this batch |',
    '|---|---:|---:|',
    row('stale gardens (`last_pruned`)', b.staleGardens, a.staleGardens),
    row('dangling link targets', b.danglingLinks, a.danglingLinks),
    row('missing inverse links', b.missingInverses, a.missingInverses),
    row('safe fixes waiting', b.safeFixes, a.safeFixes),
  ].join('\n');
}

/** Changes grouped by file, in batch order. */
function byFile(batch: TendBatch): Map<string, TendChange[]> {
  const m = new Map<string, TendChange[]>(batch.files.map((f) => [f, []]));
  for (const s of batch.stages) for (const c of s.changes) m.get(c.file)?.push(c);
  return m;
}

/**
 * The explanation, in Markdown: one table per file (rule, evidence, confidence), within `budget`
 * characters; files that do not fit are named in one closing line.
 */
export function explanationTables(batch: TendBatch, budget = Number.POSITIVE_INFINITY, prefix = ''): string {
  const out: string[] = [];
  let used = 0;
  const left: string[] = [];
  for (const [file, changes] of byFile(batch)) {
    const lines = [
      `**\`${prefix}${file}\`**`,
      '',
      '| rule | evidence | confidence |',
      '|---|---|---|',
      ...changes.map((c) => `| \`${c.rule}\` | ${cell(c.evidence)} | ${conf(c.confidence)} |`),
      '',
    ];
    const text = lines.join('\n');
    if (used + text.length > budget) {
      left.push(`\`${prefix}${file}\``);
      continue;
    }
    out.push(text);
    used += text.length;
  }
  if (left.length > 0)
    out.push(
      `The tables of ${left.length} more file(s) do not fit here: ${left.slice(0, 20).join(', ')}${left.length > 20 ? ', …' : ''}. The commits carry every change.`,
    );
  return out.join('\n');
}

/** Plain-text explanation for the terminal. */
export function explanationText(batch: TendBatch, prefix = ''): string {
  const out: string[] = [];
  out.push(
    `Batch of ${batch.files.length} ${batch.kind} file(s), ${batch.stages.length} commit(s): ${batch.stages.map((s) => `${s.rule} (${s.texts.size})`).join(', ') || 'none'}`,
  );
  for (const [file, changes] of byFile(batch)) {
    out.push('', `${prefix}${file}`);
    for (const c of changes) out.push(`  ${c.rule.padEnd(26)} ${conf(c.confidence).padStart(5)}  ${c.evidence}`);
  }
  if (batch.dropped.length > 0) {
    out.push('', `Left out after checking the result (${batch.dropped.length}):`);
    for (const d of batch.dropped.slice(0, 30)) out.push(`  ${prefix}${d.file}: ${d.rule}: ${d.why}`);
    if (batch.dropped.length > 30) out.push(`  … and ${batch.dropped.length - 30} more`);
  }
  out.push(
    '',
    `Garden before: ${numbersLine(batch.garden.before)}`,
    `Garden after:  ${numbersLine(batch.garden.after)}`,
    `Files with something to tend left for later batches: ${batch.remaining}`,
  );
  return `${out.join('\n')}\n`;
}

/** Commit message of one stage. */
export function stageCommitMessage(rule: string, files: number): string {
  return `Gardening: ${stageTitle(rule)} (${files} file${files === 1 ? '' : 's'})\n\nRule ${rule}; written by pattern-gardener tend.`;
}

/** Said in the check run when a pull request's config turns gardening on. */
export const GARDENING_PERMISSIONS_NOTE =
  'This config turns gardening on (`gardening.enabled`): on its scheduled sweep the app commits to its own branch `pattern-gardener/tend-<kind>` and opens a pull request, which needs the `contents: write` and `pull_requests: write` permissions. The default registration asks for `contents: read`; grant `contents: write` to the installation, or the sweep logs a 403 and opens nothing (see docs/gardening.md).';
