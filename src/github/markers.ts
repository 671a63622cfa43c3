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
