/**
 * Every body the app renders for GitHub stays within GitHub's limits, whatever the findings:
 * a property over thousands of long findings (long paths, slugs, messages, fixes; non-ASCII text).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import type { Finding } from '../../src/core/finding.js';
import { buildCheckOutput } from '../../src/github/check-run.js';
import { configErrorSummary } from '../../src/github/config.js';
import { failureSummary } from '../../src/github/check-run.js';
import { githubPatch } from '../doubles/fake-github.js';
import { toChangedFile } from '../../src/github/pull-files.js';
import {
  ANNOTATION_MESSAGE_LIMIT,
  ANNOTATION_RAW_DETAILS_LIMIT,
  ANNOTATION_TITLE_LIMIT,
  BODY_LIMIT,
  byteLength,
  CHECK_SUMMARY_LIMIT,
  CHECK_TITLE_LIMIT,
} from '../../src/github/limits.js';
import { planReview, reviewBody } from '../../src/github/review.js';
import { propertyRuns } from '../helpers/runs.js';

const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 });
/** Up to ~100 KB: a generated piece repeated (generating such strings grapheme by grapheme is slow). */
const longText = fc.tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), fc.integer({ min: 50, max: 2_500 })).map(([s, n]) => s.repeat(n));
const segment = fc.stringMatching(/^[a-z0-9-]{20,80}$/);
const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `${s.join('/')}.md`);

const finding: fc.Arbitrary<Finding> = fc
  .record({
    file: path,
    rule: fc.oneof(
      fc.constantFrom('links/unknown-target', 'body/sections', 'schema/required'),
      segment.map((s) => `r/${s.repeat(5)}`),
    ),
    severity: fc.constantFrom('error', 'warning', 'notice') as fc.Arbitrary<Finding['severity']>,
    line: fc.integer({ min: 1, max: 60 }),
    message: fc.oneof({ weight: 9, arbitrary: text }, { weight: 1, arbitrary: longText }),
    target: segment,
    fix: fc.option(fc.record({ description: fc.oneof({ weight: 9, arbitrary: text }, { weight: 1, arbitrary: longText }), text: longText }), {
      nil: undefined,
    }),
    candidates: fc.option(fc.array(segment, { maxLength: 30 }), { nil: undefined }),
  })
  .map((r) => {
    const f: Finding = { rule: r.rule, severity: r.severity, file: r.file, line: r.line, column: 1, endLine: r.line, message: r.message, target: r.target };
    if (r.fix) f.fix = { description: r.fix.description, edits: [{ line: r.line, endLine: r.line, text: `${r.fix.text.replace(/\r?\n/g, ' ')}\n` }] };
    if (r.candidates) f.candidates = r.candidates;
    return f;
  });

function assertCheckOutput(findings: Finding[], textOf: (f: string) => string | undefined, maxAnnotations: number) {
  const out = buildCheckOutput({
    findings,
    failOn: 'error',
    diffFiles: new Set(findings.filter((_, i) => i % 2 === 0).map((f) => f.file)),
    textOf,
    maxAnnotations,
    notes: ['a note'],
  });
  expect(byteLength(out.summary)).toBeLessThanOrEqual(CHECK_SUMMARY_LIMIT);
  expect(byteLength(out.title)).toBeLessThanOrEqual(CHECK_TITLE_LIMIT);
  for (const a of out.annotations) {
    expect(byteLength(a.message)).toBeLessThanOrEqual(ANNOTATION_MESSAGE_LIMIT);
    expect(byteLength(a.title)).toBeLessThanOrEqual(ANNOTATION_TITLE_LIMIT);
    if (a.raw_details !== undefined) expect(byteLength(a.raw_details)).toBeLessThanOrEqual(ANNOTATION_RAW_DETAILS_LIMIT);
  }
  return out;
}

describe('every rendered output fits GitHub', () => {
  it('check run output and review for thousands of long findings', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        fc.array(finding, { minLength: 1_000, maxLength: 1_500, size: 'max' }),
        fc.array(path, { minLength: 20, maxLength: 200 }),
        fc.integer({ min: 0, max: 500 }),
        (generated, paths, maxAnnotations) => {
          // Many findings per file, as in a real pull request (and a diff per file stays affordable).
          const findings = generated.map((f, i) => ({ ...f, file: paths[i % paths.length]! }));
          const lines = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`);
          const file = (f: string) => `${lines.join('\n')}\n<!-- ${f} -->\n`;
          assertCheckOutput(findings, file, maxAnnotations);

          // Every finding's file is in the diff with every line commentable: each becomes a comment or overflow.
          const all = new Set(findings.map((f) => f.file));
          const files = new Map([...all].map((f) => [f, toChangedFile({ filename: f, status: 'added', patch: githubPatch('', file(f)) })]));
          const plan = planReview({
            findings,
            files,
            linesOf: (f) => file(f).split('\n').slice(0, -1),
            review: { ...DEFAULT_CONFIG.review, maxComments: 100 },
            headSha: 'a'.repeat(40),
            state: { threads: [], reviewedShas: new Set() },
          });
          if (plan.review) {
            expect(byteLength(plan.review.body)).toBeLessThanOrEqual(BODY_LIMIT);
            for (const c of plan.review.comments) expect(byteLength(c.body)).toBeLessThanOrEqual(BODY_LIMIT);
          }
          // The fallback body when GitHub refuses the inline comments.
          expect(byteLength(reviewBody(findings.length, 0, plan.overflow, 'a'.repeat(40), plan.commented))).toBeLessThanOrEqual(BODY_LIMIT);
          expect(byteLength(reviewBody(findings.length, 0, findings, 'a'.repeat(40), findings))).toBeLessThanOrEqual(BODY_LIMIT);
        },
      ),
      { numRuns: propertyRuns(3), endOnFailure: true },
    );
  });

  it('config error and failure summaries', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ path: segment, message: longText }), { maxLength: 400 }), longText, (errors, message) => {
        expect(byteLength(configErrorSummary(errors))).toBeLessThanOrEqual(CHECK_SUMMARY_LIMIT);
        expect(byteLength(failureSummary(message))).toBeLessThanOrEqual(CHECK_SUMMARY_LIMIT);
      }),
      { numRuns: propertyRuns(100) },
    );
  });
});
