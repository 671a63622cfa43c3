/** Runs the review bench (set REVIEW_BENCH=1; SHARED_DIR for the real corpus). */
import { expect, it } from 'vitest';
import { benchReview } from '../bench/review-bench.js';

it.skipIf(!process.env.REVIEW_BENCH)(
  'review bench',
  async () => {
    const rows = await benchReview({ sharedDir: process.env.SHARED_DIR });
    console.table(rows);
    // Four rows per link setting the bench runs (cold, same head, new head, after a push), each timed.
    expect(rows.length % 4).toBe(0);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(Number.isFinite(r.wallMs)).toBe(true);
  },
  300_000,
);
