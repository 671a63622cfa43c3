import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderReadme, renderRulesReference } from '../../src/docs/reference.js';
import { RULES } from '../../src/rules/index.js';

describe('README references', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('are in sync with the rule registry and the config schema (run `npm run docs`)', () => {
    expect(renderReadme(readme)).toBe(readme);
  });

  it('list every rule id', () => {
    const table = renderRulesReference();
    for (const r of RULES) expect(table).toContain(`\`${r.id}\``);
  });
});

describe('config schema defaults', () => {
  it('match DEFAULT_CONFIG, so the documented defaults are the real ones', async () => {
    const { DEFAULT_CONFIG } = await import('../../src/core/config.js');
    const schema = JSON.parse(readFileSync(new URL('../../schemas/config.schema.json', import.meta.url), 'utf8')) as {
      properties: Record<string, { default?: unknown; properties?: Record<string, { default?: unknown }> }>;
    };
    const cfg = DEFAULT_CONFIG as unknown as Record<string, unknown>;
    for (const [key, node] of Object.entries(schema.properties)) {
      if (node.properties) {
        for (const [sub, subNode] of Object.entries(node.properties)) {
          if (subNode.default !== undefined) expect((cfg[key] as Record<string, unknown>)[sub], `${key}.${sub}`).toEqual(subNode.default);
        }
      } else if (node.default !== undefined) expect(cfg[key], key).toEqual(node.default);
    }
  });
});
