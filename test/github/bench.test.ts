/** Runs the review bench (set REVIEW_BENCH=1; SHARED_DIR for the real corpus). */
import { expect, it } from 'vitest';
import { benchReview } from '../bench/review-bench.js';

it.skipIf(!process.env.REVIEW_BENCH)(
  'review bench',
  async () => {
    const rows = await benchReview({ sharedDir: process.env.SHARED_DIR });
    console.table(rows);
    expect(rows).toHaveLength(3);
  },
  300_000,
);
