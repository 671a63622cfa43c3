// One app replica for the scale-out test: `npm start`'s code path (dist/server/run.js, configured by the
// environment, REDIS_URL included) with the production request policy at GitHub's seconds scaled by
// GARDENER_TEST_MS_PER_SECOND, so the test keeps the write spacing without waiting whole seconds.
import { runServer } from '../../dist/server/run.js';
import { policyOctokit } from '../../dist/github/resilience.js';

const msPerSecond = Number(process.env.GARDENER_TEST_MS_PER_SECOND ?? 1000);
const result = await runServer({ Octokit: policyOctokit({ msPerSecond }) });
if (!result.ok) process.exit(result.exitCode);
const stop = () =>
  result.running.close(5000).then(
    () => process.exit(0),
    () => process.exit(1),
  );
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
