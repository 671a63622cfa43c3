/** Commons assessment rules: the eight dimensions in range, and overall_score their mean. */
import { scalarValueFix } from '../core/fixes.js';
import { getPath, isRecord } from '../core/path.js';
import type { Rule } from './rule.js';

export const PILLARS = ['stakeholder_architecture', 'value_creation', 'resilience', 'ownership', 'autonomy', 'composability', 'fractal_value'] as const;
export const DIMENSIONS = [...PILLARS, 'vitality'] as const;
const BASE = ['ontology', 'commons_assessment'] as const;

/** Half-up and half-even roundings to one decimal: authors' tools use either, both are right. */
function acceptableRoundings(mean: number): number[] {
  const scaled = mean * 10;
  const up = Math.floor(scaled + 0.5 + 1e-9) / 10;
  const floor = Math.floor(scaled + 1e-9);
  const isTie = Math.abs(scaled - floor - 0.5) < 1e-9;
  const even = isTie ? (floor % 2 === 0 ? floor : floor + 1) / 10 : up;
  return [up, even];
}

export const assessmentRules: Rule[] = [
  {
    id: 'assessment/range',
    defaultSeverity: 'error',
    kinds: ['commons-pattern'],
    description: 'A commons assessment score is outside its range (pillars 1–5, vitality and overall 0–5) or not a finite number.',
    check(doc, _ctx, report) {
      const a = getPath(doc.frontmatter?.data, BASE);
      if (!isRecord(a)) return;
      for (const key of [...DIMENSIONS, 'overall_score'] as const) {
        const v = a[key];
        if (v === undefined || v === null) continue;
        if (typeof v !== 'number') continue; // the schema reports wrong types
        const [min, max] = key === 'vitality' || key === 'overall_score' ? [0, 5] : [1, 5];
        if (Number.isFinite(v) && v >= min && v <= max) continue;
        report({ target: key, path: [...BASE, key], message: `\`${key}\` is ${String(v)}; it must be a number from ${min} to ${max}.` });
      }
    },
  },
  {
    id: 'assessment/overall-score',
    defaultSeverity: 'warning',
    kinds: ['commons-pattern'],
    description: '`overall_score` is not the mean of the eight dimensions (seven pillars and vitality) to one decimal.',
    fix: 'Sets overall_score to the computed mean.',
    check(doc, _ctx, report) {
      const a = getPath(doc.frontmatter?.data, BASE);
      if (!isRecord(a)) return;
      const values = DIMENSIONS.map((k) => a[k]);
      if (!values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) return;
      const overall = a.overall_score;
      if (typeof overall !== 'number') return;
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const ok = acceptableRoundings(mean);
      if (ok.some((r) => Math.abs(r - overall) < 1e-9)) return;
      const want = ok[0] as number;
      report({
        target: 'overall_score',
        path: [...BASE, 'overall_score'],
        message: `\`overall_score\` is ${overall}, but the mean of the eight dimensions is ${mean.toFixed(3)}, which rounds to ${want.toFixed(1)}.`,
        fix: scalarValueFix(doc, [...BASE, 'overall_score'], Number(want.toFixed(1)), `Set overall_score to ${want.toFixed(1)}`),
      });
    },
  },
];
