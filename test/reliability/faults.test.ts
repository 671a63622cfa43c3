/**
 * Faults on the production wiring (src/fuzz/fault-scenarios.ts): each scenario runs once without faults,
 * then under faults in 20% of requests for one seed; every invariant must hold. `npm run faults` runs
 * ten seeds of each (FAULTS_SEED=<n> FAULTS_SCENARIOS=<name> replays one).
 */
import { describe, expect, it } from 'vitest';
import { SCENARIOS, runSeeds } from '../../src/fuzz/fault-scenarios.js';

const SEEDS = [3];

describe('fault scenarios, 20% of requests faulted', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario}: seed ${SEEDS.join(', ')}`, async () => {
      const report = await runSeeds(scenario, SEEDS, 0.2);
      const violations = [...report.violations].filter(([, v]) => v.length > 0).map(([seed, v]) => `seed ${seed}: ${v.join('; ')}`);
      expect(violations).toEqual([]);
      // The faults did happen: a run without any would prove nothing.
      expect(report.faults).toBeGreaterThan(0);
      expect(report.runs.every((r) => r.unhandled.length === 0)).toBe(true);
    }, 120_000);
  }
});
