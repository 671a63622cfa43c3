/**
 * Build step (after tsc): turns each bundled JSON Schema into standalone validator code in
 * dist/validators/<name>.cjs, with the hash of the schema text it came from. At run time
 * compileSchema() loads it instead of compiling (about 70 ms of every cold check and review);
 * a schema edited after the build no longer matches the hash and is compiled as before.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { BUNDLED_SCHEMAS, SCHEMA_DIR, VALIDATOR_DIR, newAjv, schemaSourceHash } from '../core/schemas.js';

// ajv's standalone module is CommonJS with a default export.
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ??
  standaloneModule) as typeof import('ajv/dist/standalone/index.js').default;

/** Generated CommonJS source for one schema text. */
export function validatorSource(text: string): string {
  const ajv = newAjv({ code: { source: true } });
  const validate = ajv.compile(JSON.parse(text) as object);
  return `${standaloneCode(ajv, validate)}\nmodule.exports.sourceHash = ${JSON.stringify(schemaSourceHash(text))};\n`;
}

export function writeValidators(outDir = VALIDATOR_DIR): string[] {
  mkdirSync(outDir, { recursive: true });
  return BUNDLED_SCHEMAS.map((name) => {
    const out = `${outDir}${name}.cjs`;
    writeFileSync(out, validatorSource(readFileSync(`${SCHEMA_DIR}${name}.schema.json`, 'utf8')));
    return out;
  });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  for (const f of writeValidators()) process.stdout.write(`wrote ${f}\n`);
}
