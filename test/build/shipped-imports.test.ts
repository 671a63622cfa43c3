/**
 * What ships holds nothing test-only: no source file the build compiles (tsconfig.build.json) and no
 * file under dist/ imports a test tool, and every package they import is a runtime dependency.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TEST_TOOLS = ['nock', 'vitest', 'fast-check', '@vitest', '@fast-check'];
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function walk(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), keep) : keep(e.name) ? [join(dir, e.name)] : []));
}

/** Module specifiers of static imports, re-exports, dynamic imports and require calls. */
function specifiers(code: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]!);
  return out;
}

function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!)) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Source files the build compiles: tsconfig.build.json's include under src/, minus its exclude. */
function buildSources(): string[] {
  const config = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[]; exclude?: string[] };
  expect(config.include).toEqual(['src/**/*.ts']);
  const excluded = (config.exclude ?? []).map((g) => g.replace(/\*\*\/\*\.ts$/, ''));
  return walk(join(ROOT, 'src'), (f) => f.endsWith('.ts')).filter((f) => !excluded.some((e) => relative(ROOT, f).startsWith(e)));
}

function offenders(files: string[]): string[] {
  const bad: string[] = [];
  for (const file of files) {
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      const name = packageOf(spec);
      if (!name) continue;
      if (TEST_TOOLS.includes(name)) bad.push(`${relative(ROOT, file)} imports test tool ${spec}`);
      else if (!(name in pkg.dependencies)) bad.push(`${relative(ROOT, file)} imports ${spec}, not a runtime dependency`);
    }
  }
  return bad;
}

describe('shipped code imports no test tool', () => {
  it('the scanner sees every import form (so an empty result means something)', () => {
    const code = `import nock from 'nock';\nimport { x } from "vitest";\nexport * from 'fast-check';\nimport 'side-effect';\nconst m = await import('@vitest/expect');\nconst r = require("pino");`;
    expect(specifiers(code).sort()).toEqual(['@vitest/expect', 'fast-check', 'nock', 'pino', 'side-effect', 'vitest']);
    expect(offenders([])).toEqual([]);
  });

  it('no source file the build compiles imports nock, vitest or fast-check, or an undeclared package', () => {
    const files = buildSources();
    expect(files.length).toBeGreaterThan(50);
    expect(offenders(files)).toEqual([]);
  });

  const dist = join(ROOT, 'dist');
  it.skipIf(!existsSync(dist))('no file under dist/ imports them either (skipped when dist/ is absent: npm run build makes it)', () => {
    const files = walk(dist, (f) => f.endsWith('.js') || f.endsWith('.cjs'));
    expect(files.length).toBeGreaterThan(50);
    expect(offenders(files)).toEqual([]);
  });
});
