/** Hidden HTML markers that make re-runs idempotent: GitHub is the database, markers are the keys. */

const FP_RE = /<!-- pattern-gardener:fp=([0-9a-f]{8,64}) -->/;
const REVIEW_RE = /<!-- pattern-gardener:review sha=([0-9a-f]{7,64}) -->/;

/** Marker carried by every inline comment: the core fingerprint (rule, file, target), no line numbers. */
export function findingMarker(fp: string): string {
  return `<!-- pattern-gardener:fp=${fp} -->`;
}

export function parseFindingMarker(body: string | null | undefined): string | undefined {
  return body ? FP_RE.exec(body)?.[1] : undefined;
}

/** Marker in the review body: at most one review per head SHA. */
export function reviewMarker(sha: string): string {
  return `<!-- pattern-gardener:review sha=${sha} -->`;
}

export function parseReviewMarker(body: string | null | undefined): string | undefined {
  return body ? REVIEW_RE.exec(body)?.[1] : undefined;
}

// ---- link gardener memory ----------------------------------------------------------------------

/** A value inside a hidden marker: URI-encoded, so `-->`, spaces and separators cannot break the comment. */
export const encodeMarkerValue = (s: string): string => encodeURIComponent(s);
/** The inverse of encodeMarkerValue; text that is not valid encoding (a hand-edited marker) is kept as written. */
export const decodeMarkerValue = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
const enc = encodeMarkerValue;
const dec = decodeMarkerValue;

const PROPOSAL_RE = /<!-- pattern-gardener:links-proposal slug=(\S+) add=(\S*) -->/;
const REJECTED_RE = /<!-- pattern-gardener:links-rejected slug=(\S+?)(?: target=(\S+))? -->/g;

/** Marker of a link-proposal comment: the pattern and the targets it proposes to add. */
export function linkProposalMarker(slug: string, add: readonly string[]): string {
  return `<!-- pattern-gardener:links-proposal slug=${enc(slug)} add=${add.map(enc).join(',')} -->`;
}

export function parseLinkProposalMarker(body: string | null | undefined): { slug: string; add: string[] } | undefined {
  const m = body ? PROPOSAL_RE.exec(body) : null;
  if (!m) return undefined;
  return { slug: dec(m[1]!), add: m[2] ? m[2].split(',').filter(Boolean).map(dec) : [] };
}

/** Marker of a rejection (a whole pattern, or one target of it), written by the app on the PR. */
export function linkRejectedMarker(slug: string, target?: string): string {
  return `<!-- pattern-gardener:links-rejected slug=${enc(slug)}${target ? ` target=${enc(target)}` : ''} -->`;
}

export function parseLinkRejectedMarkers(body: string | null | undefined): { slug: string; target?: string }[] {
  if (!body) return [];
  const out: { slug: string; target?: string }[] = [];
  for (const m of body.matchAll(REJECTED_RE)) out.push(m[2] ? { slug: dec(m[1]!), target: dec(m[2]) } : { slug: dec(m[1]!) });
  return out;
}
