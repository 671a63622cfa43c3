// After `tsc -p tsconfig.dev.json`: the review bench and the test doubles it uses, compiled to
// dist-dev/test/, import the shipped build (dist/) instead of their own copy of src/, so the bench
// measures the code a user runs (dist/validators, paths to schemas/ resolved from dist/).
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../dist-dev/', import.meta.url).pathname;
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
for (const file of walk(join(root, 'test')).filter((f) => f.endsWith('.js'))) {
  const text = readFileSync(file, 'utf8');
  const linked = text.replace(/(from\s+|import\()(['"])\.\.\/\.\.\/src\//g, '$1$2../../../dist/');
  if (linked !== text) writeFileSync(file, linked);
}
rmSync(join(root, 'src'), { recursive: true, force: true });
