/** Commons assessment rules: the eight dimensions in range, and overall_score their mean. */
import { scalarText, scalarTextFix } from '../core/fixes.js';
import { getPath, isRecord } from '../core/path.js';
import type { Rule } from './rule.js';

export const PILLARS = ['stakeholder_architecture', 'value_creation', 'resilience', 'ownership', 'autonomy', 'composability', 'fractal_value'] as const;
export const DIMENSIONS = [...PILLARS, 'vitality'] as const;
const BASE = ['ontology', 'commons_assessment'] as const;

/** Decimals written in a number's source text (`4.96` → 2, `5.0` → 1, `4` → 0). */
function decimalsWritten(text: string | undefined, value: number): number {
  const m = /^[+-]?\d*\.(\d+)\s*(#.*)?$/.exec((text ?? String(value)).trim().replace(/^['"]|['"]$/g, ''));
  return m ? (m[1] as string).length : 0;
}

/**
 * The values an author's tool may have written for `mean` at `decimals` places: the nearest one, or
 * either neighbour of an exact tie (half-up, half-even and floating-point rounding all occur).
 */
function acceptableRoundings(mean: number, decimals: number): number[] {
  const scale = 10 ** decimals;
  const scaled = mean * scale;
  const floor = Math.floor(scaled + 1e-9);
  const isTie = Math.abs(scaled - floor - 0.5) < 1e-9;
  if (isTie) return [floor / scale, (floor + 1) / scale];
  return [Math.round(scaled) / scale];
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
      const path = [...BASE, 'overall_score'];
      // The spec writes one decimal; an author who wrote the mean more exactly (`4.96`) is right too.
      const written = Math.min(3, Math.max(1, decimalsWritten(scalarText(doc, path), overall)));
      if (acceptableRoundings(mean, written).some((r) => Math.abs(r - overall) < 1e-9)) return;
      const choices = acceptableRoundings(mean, 1).map((r) => r.toFixed(1));
      const want = choices[0] as string;
      report({
        target: 'overall_score',
        path,
        message: `\`overall_score\` is ${overall}, but the mean of the eight dimensions is ${mean.toFixed(3)}, which rounds to ${choices.length > 1 ? `${choices.join(' or ')} (a tie)` : want}.`,
        fix: scalarTextFix(doc, path, want, `Set overall_score to ${want}`),
      });
    },
  },
];
