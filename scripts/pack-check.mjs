#!/usr/bin/env node
/**
 * The CLI as a user gets it: `npm pack` of this checkout (the built dist/), installed into an empty folder
 * outside the clone, then `npx gardener check` on a copy of fixtures/sample/patterns from there.
 *
 *   node scripts/pack-check.mjs            installs the tarball with npm (--prefer-offline, from the npm
 *                                          cache when it can): what a user's `npm install` does
 *   node scripts/pack-check.mjs --link     unpacks the tarball into node_modules/ and links only the
 *                                          dependencies package.json declares to this clone's copies: a
 *                                          few seconds instead of minutes, for `npm test`; an import of
 *                                          an undeclared package or of a file left out of `files` still
 *                                          fails, since Node resolves the package's imports from its own
 *                                          folder upwards
 *
 * Prints one JSON line with what it measured; exits non-zero on the first problem.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const link = process.argv.includes('--link');
const keep = process.argv.includes('--keep');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function fail(message) {
  process.stderr.write(`pack-check: ${message}\n`);
  process.exit(1);
}

if (!existsSync(join(root, 'dist/cli/main.js'))) fail('dist/ is not built: run `npm run build` (npm ci does it) first');

const work = mkdtempSync(join(realpathSync(tmpdir()), 'gardener-pack-'));
const started = Date.now();
const measured = { mode: link ? 'link' : 'npm install', folder: work };
try {
  // --ignore-scripts: dist/ is already built; `prepare` would rebuild it.
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  )[0];
  const files = packed.files.map((f) => f.path);
  measured.tarball = { name: packed.name, files: files.length, bytes: packed.size };
  const unwanted = files.filter(
    (f) => /(^|\/)(test|tests|__tests__|testing|standin|fixtures|bench|fuzz|demo)\//.test(f) || /\.test\.|\.map$/.test(f) || f === '.env',
  );
  if (unwanted.length > 0) fail(`the tarball holds files users do not need: ${unwanted.slice(0, 5).join(', ')}`);
  for (const need of ['package.json', pkg.bin.gardener, 'schemas/commons-pattern.schema.json', 'app.yml']) {
    if (!files.includes(need)) fail(`the tarball lacks ${need}`);
  }
  if (packed.name !== pkg.name) fail(`packed name ${packed.name}, package.json says ${pkg.name}`);

  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'gardener-pack-check', private: true }, null, 2)}\n`);
  const tarball = join(work, packed.filename);
  const t0 = Date.now();
  if (link) {
    const into = join(app, 'node_modules', ...pkg.name.split('/'));
    mkdirSync(into, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', into, '--strip-components=1']);
    for (const dep of Object.keys(pkg.dependencies)) {
      const target = join(root, 'node_modules', dep);
      if (!existsSync(target)) fail(`dependency ${dep} is not installed in the clone (npm ci)`);
      const at = join(app, 'node_modules', dep);
      mkdirSync(dirname(at), { recursive: true });
      symlinkSync(target, at, 'junction');
    }
    // What npm does for `bin`: a link in node_modules/.bin to the executable file.
    mkdirSync(join(app, 'node_modules/.bin'), { recursive: true });
    const bin = join(into, pkg.bin.gardener);
    chmodSync(bin, 0o755);
    symlinkSync(bin, join(app, 'node_modules/.bin/gardener'));
  } else {
    execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
      cwd: app,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  measured.installMs = Date.now() - t0;

  // The fixture is copied so that no .git or .github of the clone is above it.
  cpSync(join(root, 'fixtures/sample/patterns'), join(app, 'patterns'), { recursive: true });
  const env = { ...process.env, NO_COLOR: '1', npm_config_yes: 'false' };
  delete env.FORCE_COLOR;
  const t1 = Date.now();
  // The link npm made in node_modules/.bin runs through its shebang (no npx startup).
  const version = spawnSync(join(app, 'node_modules/.bin/gardener'), ['--version'], { cwd: app, env, encoding: 'utf8' });
  if (version.status !== 0 || version.stdout.trim() !== pkg.version)
    fail(`node_modules/.bin/gardener --version: exit ${version.status}, "${version.stdout.trim()}" ${version.stderr}`);
  const check = spawnSync(npx, ['--no-install', 'gardener', 'check', 'patterns', '--today', '2026-12-02', '--format', 'json'], {
    cwd: app,
    env,
    encoding: 'utf8',
  });
  measured.checkMs = Date.now() - t1;
  if (check.status !== 1) fail(`npx gardener check patterns: exit ${check.status} (expected 1: the fixture has errors)\n${check.stderr}`);
  let report;
  try {
    report = JSON.parse(check.stdout);
  } catch {
    fail(`npx gardener check printed no JSON:\n${check.stdout.slice(0, 500)}\n${check.stderr}`);
  }
  measured.check = { files: report.files, findings: report.findings.length, rules: [...new Set(report.findings.map((f) => f.rule))].sort() };
  measured.totalMs = Date.now() - started;
  process.stdout.write(`${JSON.stringify(measured)}\n`);
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
