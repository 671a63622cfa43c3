/**
 * A fitted link model: signal weights and the calibration of the final score, as `gardener eval-links
 * --cv --calibration --write FILE` saves them and `--model FILE` reads them back.
 */
import { confidenceMap, type CalibrationModel } from './calibration.js';
import { SIGNAL_NAMES, type IndexOptions, type ScoreWeights } from './index.js';

export interface LinkModel {
  weights?: Partial<ScoreWeights>;
  calibration?: CalibrationModel;
  /** Where and how it was fitted (free text). */
  fittedOn?: string;
}

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** Validates a parsed model file; throws a readable error. */
export function parseModel(v: unknown, name = 'model'): LinkModel {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${name}: expected a JSON object with "weights" and/or "calibration"`);
  const o = v as Record<string, unknown>;
  const out: LinkModel = {};
  if (o.weights !== undefined) {
    if (!o.weights || typeof o.weights !== 'object') throw new Error(`${name}: "weights" must be an object`);
    const w: Partial<ScoreWeights> = {};
    for (const [key, val] of Object.entries(o.weights)) {
      if (!(SIGNAL_NAMES as readonly string[]).includes(key)) throw new Error(`${name}: unknown weight "${key}" (known: ${SIGNAL_NAMES.join(', ')})`);
      if (typeof val !== 'number' || !Number.isFinite(val) || val < 0) throw new Error(`${name}: weight "${key}" must be a number ≥ 0`);
      w[key as keyof ScoreWeights] = val;
    }
    out.weights = w;
  }
  if (o.calibration !== undefined) {
    const c = o.calibration as Record<string, unknown>;
    const ok =
      c &&
      typeof c === 'object' &&
      ['a', 'b', 'c'].every((k) => typeof c[k] === 'number') &&
      isNumberArray(c.z) &&
      isNumberArray(c.p) &&
      c.z.length === c.p.length &&
      c.z.length > 0;
    if (!ok) throw new Error(`${name}: "calibration" must be {a, b, c, z: number[], p: number[]} (as eval-links --write saves it)`);
    out.calibration = c as unknown as CalibrationModel;
  }
  if (typeof o.fittedOn === 'string') out.fittedOn = o.fittedOn;
  return out;
}

/** Index options that apply a model (weights over the defaults, its calibration or none). */
export function modelOptions(model: LinkModel): IndexOptions {
  const opts: IndexOptions = {};
  if (model.weights) opts.weights = model.weights;
  opts.calibration = model.calibration ? confidenceMap(model.calibration) : null;
  return opts;
}
