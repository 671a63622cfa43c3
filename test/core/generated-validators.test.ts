/**
 * The build's standalone validators (src/build/compile-schemas.ts) must judge every document exactly as
 * the runtime compiler does, and must be ignored when the schema text changed after the build.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/document.js';
import { BUNDLED_SCHEMAS, generatedValidator, loadBundledSchema, newAjv } from '../../src/core/schemas.js';
import { validatorSource, writeValidators } from '../../src/build/compile-schemas.js';
import { buildPattern, mutate } from '../helpers/pattern.js';

// Inside the project, so the generated code's require('ajv/dist/runtime/...') resolves as it does in dist/.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'node_modules', '.cache', `gardener-validators-${process.pid}`, '/');
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

const dataOf = (text: string) => parseDocument('x.md', text).frontmatter?.data;

describe('generated schema validators', () => {
  it('are written for every bundled schema and loaded for the bundled schema objects', () => {
    expect(writeValidators(OUT)).toHaveLength(BUNDLED_SCHEMAS.length);
    for (const name of BUNDLED_SCHEMAS) expect(typeof generatedValidator(loadBundledSchema(name), OUT)).toBe('function');
    // A schema that is not one of the bundled objects (a repository's own) is always compiled.
    expect(generatedValidator(structuredClone(loadBundledSchema('commons-pattern')), OUT)).toBeUndefined();
  });

  it('give the same verdict and the same errors as the runtime compiler', () => {
    const schema = loadBundledSchema('commons-pattern');
    const generated = generatedValidator(schema, OUT);
    const compiled = newAjv().compile(structuredClone(schema));
    const valid = buildPattern({ slug: 'seed-swap' });
    const samples = [
      valid,
      mutate(valid, /\nsummary: >-\n.*\n/, '\n'),
      mutate(valid, '  status: draft', '  status: finished'),
      mutate(valid, '  confidence: 2', '  confidence: high'),
      mutate(valid, '    primary_tension: "', '    primary_tension: 7\n    x_extra: "'),
    ].map(dataOf);
    expect(generated).toBeTypeOf('function');
    let invalid = 0;
    for (const data of samples) {
      const a = generated!(data);
      const b = compiled(data);
      expect(a).toBe(b);
      expect(generated!.errors ?? null).toEqual(compiled.errors ?? null);
      if (!a) invalid++;
    }
    expect(invalid).toBe(samples.length - 1);
  });

  it('are ignored when the schema text changed after the build', () => {
    const name = 'obsidian-note';
    const stale = join(OUT, 'stale', '/');
    mkdirSync(stale, { recursive: true });
    writeFileSync(`${stale}${name}.cjs`, validatorSource(`${JSON.stringify(loadBundledSchema(name))}\n`)); // other text, other hash
    expect(generatedValidator(loadBundledSchema(name), stale)).toBeUndefined();
    // Missing (not built) is no error either.
    expect(generatedValidator(loadBundledSchema(name), join(OUT, 'absent', '/'))).toBeUndefined();
  });
});
