/**
 * The link model shipped as the default, the output of the procedure in the repository:
 *   gardener eval-links --corpus commons-os-patterns --calibration --exclude-truth link-eval-dev.json --write FILE
 * (the commons-os patterns' own human links, the 68 engineering dev-truth queries excluded; 425 queries,
 * top 10 each). Only the calibration is shipped: weights fitted on commons-os (`--cv`) raise its held-out
 * recall but lower the engineering dev recall, so the engine keeps its weights (docs/links.md). Refit
 * whenever the engine's signals, weights or scoring change: the mapping reads the final score and rank.
 */
import type { LinkModel } from './model.js';

export const SHIPPED_MODEL: LinkModel = {
  fittedOn: 'commons-os-patterns: 425 queries, 68 excluded',
  calibration: {
    a: -3.1272802448493904,
    b: 8.379382266162757,
    c: 0.16673125115793377,
    z: [
      -1.972274, -1.719075, -1.548309, -1.437615, -1.237409, -1.062067, -0.995328, -0.937248, -0.83574, -0.754166, -0.384689, 0.317621, 0.667182, 0.926776,
      1.207063, 1.86274,
    ],
    p: [
      0.021739, 0.036184, 0.05618, 0.118343, 0.19346, 0.267123, 0.28125, 0.307692, 0.352713, 0.387097, 0.471068, 0.51004, 0.637681, 0.670103, 0.724138,
      0.862069,
    ],
  },
};
