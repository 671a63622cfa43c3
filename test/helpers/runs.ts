/**
 * Runs of a fast-check property. `npm test` runs a sample (GARDENER_PROPERTY_SCALE unset: 0.3 of the
 * listed runs, at least one) so the suite stays quick; `npm run fuzz` runs every property file with a
 * scale of 3, ten times as many cases, besides the bounded fuzzer.
 */
export function propertyRuns(listed: number): number {
  const asked = Number(process.env.GARDENER_PROPERTY_SCALE);
  const scale = Number.isFinite(asked) && asked > 0 ? asked : 0.3;
  return Math.max(1, Math.round(listed * scale));
}
