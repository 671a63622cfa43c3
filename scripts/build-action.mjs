#!/usr/bin/env node
/**
 * Bundles the GitHub Action (src/deploy/action.ts and everything it imports, dependencies included) into
 * one file, action/dist/index.mjs, which action.yml runs on the runner's Node: no `npm ci` or `tsc` per job.
 * The bundle is committed (an action runs from its repository as it is); test/packaging/action-bundle.test.ts
 * fails when it differs from what this script makes from the current sources.
 *
 *   node scripts/build-action.mjs            writes action/dist/
 *   node scripts/build-action.mjs --out DIR  writes DIR/ instead (the test compares)
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--out');
const outdir = at > 0 ? resolve(process.argv[at + 1]) : join(root, 'action/dist');

// The schemas are read at run time from schemas/ beside the package; the bundle carries their texts
// instead (src/core/schemas.ts reads this name when it is defined).
const schemas = Object.fromEntries(
  ['commons-pattern', 'commons-pattern-legacy', 'obsidian-note', 'config'].map((name) => [
    name,
    readFileSync(join(root, `schemas/${name}.schema.json`), 'utf8'),
  ]),
);

const result = await build({
  metafile: true,
  absWorkingDir: root,
  entryPoints: ['src/deploy/action.ts'],
  outfile: join(outdir, 'index.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  // The oldest Node the package supports; the action itself runs on node24 (action.yml).
  target: 'node20.18',
  // CommonJS dependencies inside an ES module still call require() for Node's own modules.
  banner: { js: "import { createRequire as __gardenerCreateRequire } from 'node:module';\nconst require = __gardenerCreateRequire(import.meta.url);" },
  define: { GARDENER_INLINE_SCHEMAS: JSON.stringify(schemas) },
  legalComments: 'external',
  charset: 'utf8',
  logLevel: 'warning',
});

// Licences of the packages inside the bundle (their MIT/ISC/BSD texts ask to travel with every copy).
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(.*?node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!m || packages.has(m[1])) continue;
  const dir = join(root, m[1]);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  packages.set(m[1], {
    id: `${pkg.name}@${pkg.version}`,
    license: typeof pkg.license === 'string' ? pkg.license : 'see text',
    text: file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : '(no licence file in the package)',
  });
}
const seen = new Set();
const entries = [...packages.values()].filter((p) => !seen.has(p.id) && seen.add(p.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
writeFileSync(
  join(outdir, 'licenses.txt'),
  `Packages bundled into index.mjs, with their licences.\n\n${entries.map((p) => `${p.id} (${p.license})\n\n${p.text}\n`).join('\n----------------------------------------\n\n')}`,
);
