/**
 * The CLI as a user installs it: scripts/pack-check.mjs packs this checkout, installs the tarball in an
 * empty folder outside the clone and runs `npx gardener check` there. In `npm test` the tarball's declared
 * dependencies are linked to the clone's copies (seconds); GARDENER_PACK_INSTALL=1 installs them with npm
 * instead (minutes, as CI does in .ci/run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.js';

const full = process.env.GARDENER_PACK_INSTALL === '1';
const built = existsSync(`${REPO_ROOT}/dist/cli/main.js`);

describe('npm pack → install in an empty folder → npx gardener check', () => {
  it.skipIf(!built)(
    `works outside the clone (${full ? 'npm install of the tarball' : 'tarball unpacked, declared dependencies linked'})`,
    () => {
      const r = spawnSync(process.execPath, ['scripts/pack-check.mjs', ...(full ? [] : ['--link'])], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: full ? 600_000 : 120_000,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const measured = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
        tarball: { name: string; files: number };
        check: { files: number; rules: string[] };
      };
      expect(measured.tarball.name).toBe('@pattern-gardener/gardener');
      // fixtures/sample/patterns: five patterns, four planted problems (its README lists them).
      expect(measured.check.files).toBe(5);
      expect(measured.check.rules).toEqual(['assessment/overall-score', 'body/sections', 'garden/last-pruned-stale', 'links/unknown-target']);
    },
    700_000,
  );
  if (!built) it.skip('skipped: dist/ is not built (npm ci or npm run build builds it)', () => {});
});
