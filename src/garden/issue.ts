/** Replant issue title, labels, body and markers. Pure rendering, bounded whatever the pattern holds. */
import { inert } from '../core/markdown.js';
import { fitLines } from './dashboard.js';
import type { ParsedDocument } from '../core/document.js';
import { SIGNAL_DESCRIPTIONS, SIGNAL_WEIGHTS, type PatternHealth, type SignalRule } from './signals.js';

export const REPLANT_LABEL = 'replant';
export const SNOOZED_LABEL = 'replant:snoozed';
export const DASHBOARD_LABEL = 'garden-health';

export interface LabelSpec {
  name: string;
  color: string;
  description: string;
}

const SIGNAL_COLORS: Partial<Record<SignalRule, string>> = {
  'replant/extractive': 'b60205',
  'replant/deprecated-but-linked': 'd93f0b',
  'replant/age': 'c2b280',
  'replant/decaying-links': 'fbca04',
  'replant/orphan': 'bfd4f2',
  'replant/hollow-vitality': 'f9d0c4',
  'replant/draft-limbo': 'd4c5f9',
};

/** Every label the garden uses, created when missing. GitHub caps descriptions at 100 characters. */
export const GARDEN_LABELS: LabelSpec[] = [
  { name: REPLANT_LABEL, color: '2e7d32', description: 'Pattern Gardener: this pattern may need replanting' },
  { name: SNOOZED_LABEL, color: 'ededed', description: 'Pattern Gardener: do not reopen this replant issue for a while' },
  { name: DASHBOARD_LABEL, color: '0e8a16', description: 'Pattern Gardener: the garden health dashboard' },
  ...(Object.entries(SIGNAL_COLORS) as [SignalRule, string][]).map(([rule, color]) => ({
    name: rule,
    color,
    description: `${SIGNAL_WEIGHTS[rule] >= 2 ? 'Strong' : 'Weak'} replant signal: ${SIGNAL_DESCRIPTIONS[rule]}`.slice(0, 100),
  })),
];

export function replantMarker(slug: string): string {
  return `<!-- pattern-gardener:replant slug=${slug} -->`;
}

const REPLANT_MARKER_RE = /<!-- pattern-gardener:replant slug=([^\s>]+) -->/;
const SNOOZE_RE = /<!-- pattern-gardener:snoozed-until=(\d{4}-\d{2}-\d{2}) -->/;

export function slugOfBody(body: string | null | undefined): string | undefined {
  return body ? REPLANT_MARKER_RE.exec(body)?.[1] : undefined;
}

export function snoozedUntil(body: string | null | undefined): string | undefined {
  return body ? SNOOZE_RE.exec(body)?.[1] : undefined;
}

export function snoozeMarker(until: string): string {
  return `<!-- pattern-gardener:snoozed-until=${until} -->`;
}

/** Replaces (or adds) the snooze marker of a body. */
export function withSnooze(body: string, until: string): string {
  const stripped = body.replace(SNOOZE_RE, '').replace(/\n+$/, '');
  return `${stripped}\n${snoozeMarker(until)}\n`;
}

export function replantTitle(h: Pick<PatternHealth, 'title'>): string {
  const t = h.title.replace(/\s+/g, ' ').trim();
  return `Replant: ${t.length > 200 ? `${t.slice(0, 199)}…` : t}`;
}

export function replantLabels(h: PatternHealth): string[] {
  return [REPLANT_LABEL, ...[...new Set(h.signals.filter((s) => s.weight > 0).map((s) => s.rule))].sort()];
}

export interface BodyContext {
  owner: string;
  repo: string;
  /** Commit the evidence was read at: permalinks stay valid after later edits. */
  sha: string;
  /** Path prefix of the checked root inside the repository ('' for the root). */
  pathPrefix?: string;
  mentions: boolean;
  /** The document, for the Section 8 excerpt. */
  doc?: ParsedDocument;
}

export const EXCERPT_MAX_CHARS = 1200;

/** Section 8 text, cut at a paragraph (or word) boundary under the limit. */
export function vitalityExcerpt(doc: ParsedDocument, range: { line: number; endLine: number }, max = EXCERPT_MAX_CHARS): { text: string; truncated: boolean } {
  const text = doc
    .lines()
    .slice(range.line, range.endLine)
    .join('\n')
    .replace(/^\s*\n|\s+$/g, '')
    .replace(/^\s*-{3,}\s*$/gm, '')
    .trim();
  if (text.length <= max) return { text, truncated: false };
  const cut = text.slice(0, max);
  const para = cut.lastIndexOf('\n\n');
  const word = cut.lastIndexOf(' ');
  return { text: `${cut.slice(0, para > max * 0.5 ? para : word > 0 ? word : max).trimEnd()} …`, truncated: true };
}

/** Issue bodies stay far under GitHub's 65,536 characters whatever the pattern holds. */
export const REPLANT_BODY_MAX_CHARS = 12_000;
/** Contributors mentioned at most (the rest are named without notifying them). */
export const MAX_MENTIONS = 10;

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function permalink(ctx: BodyContext, file: string, line: number, endLine?: number): string {
  const path = (ctx.pathPrefix ? `${ctx.pathPrefix.replace(/\/$/, '')}/` : '') + file;
  const enc = path.split('/').map(encodeURIComponent).join('/');
  const range = endLine && endLine > line ? `#L${line}-L${endLine}` : `#L${line}`;
  const url = `https://github.com/${ctx.owner}/${ctx.repo}/blob/${ctx.sha}/${enc}${range}`;
  // A URL cannot be cut; a path this long is named by its line instead.
  return url.length <= 500 ? url : `line ${line} of the file`;
}

export function renderReplantBody(h: PatternHealth, ctx: BodyContext): string {
  const out: string[] = [];
  const active = h.signals.filter((s) => s.weight > 0);
  const file = clip(h.file.replace(/[`\r\n]/g, ' '), 200);
  out.push(replantMarker(h.slug));
  out.push(`Pattern Gardener thinks **${inert(clip(h.title, 200))}** (\`${file}\`) may need replanting: its signals weigh **${h.weight}**.`);
  out.push('');
  out.push('### Signals');
  out.push('');
  for (const s of active) {
    out.push(`- **\`${s.rule}\`** (${s.weight >= 2 ? 'strong' : 'weak'}, weight ${s.weight}): ${inert(clip(s.message, 400))}`);
    out.push(
      `  Evidence: \`${inert(clip(s.value, 120).replace(/`/g, "'"))}\` at ${permalink(ctx, s.file, s.line, s.endLine - s.line <= 12 ? s.endLine : undefined)}`,
    );
  }
  const info = h.signals.filter((s) => s.weight === 0);
  if (info.length)
    out.push('', `Also noted (counted on the dashboard, not weighed): ${info.map((s) => `\`${s.rule}\` (${inert(clip(s.value, 120))})`).join(', ')}.`);
  out.push('');
  out.push('### What replanting means for this pattern');
  out.push('');
  if (ctx.doc && h.vitality) {
    const ex = vitalityExcerpt(ctx.doc, h.vitality);
    out.push(`From its Section 8 (${permalink(ctx, h.file, h.vitality.line)}):`);
    out.push('');
    for (const l of inert(ex.text).split('\n')) out.push(`> ${l}`);
    if (ex.truncated) out.push('>', `> *(cut; read the whole section at the link above)*`);
  } else {
    out.push('This pattern has no Section 8 (Vitality) to say what replanting means; writing one is a good start.');
  }
  out.push('');
  out.push('### How to act');
  out.push('');
  out.push(
    'Revise the pattern (the issue closes itself once no signal remains), or close this issue as *not planned*, or comment `/gardener snooze 90d` to stop it reopening for a while.',
  );
  const tail: string[] = [];
  if (ctx.mentions && h.contributors.length) {
    const more = h.contributors.length - MAX_MENTIONS;
    tail.push(
      '',
      `cc ${h.contributors
        .slice(0, MAX_MENTIONS)
        .map((c) => `@${c}`)
        .join(' ')}${more > 0 ? ` and ${more} more contributor${more === 1 ? '' : 's'}` : ''}`,
    );
  }
  return fitLines(out, tail, REPLANT_BODY_MAX_CHARS);
}
