/** The config schema's published address and the SARIF rules' documentation links. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { formatSarif } from '../../src/cli/format/sarif.js';
import { CONFIG_SCHEMA_URL, PROJECT_SITE, ruleAnchor, ruleHelpUri } from '../../src/core/project.js';
import type { Finding } from '../../src/core/finding.js';
import { BUNDLED_SCHEMAS, loadBundledSchema } from '../../src/core/schemas.js';
import { renderRulesReference } from '../../src/docs/reference.js';
import { RULES } from '../../src/rules/index.js';
import { runCli, writeTree, removeTree } from '../helpers/cli.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('config schema address', () => {
  it('every bundled schema has the stable $id of its file name under the project site', () => {
    for (const name of BUNDLED_SCHEMAS) expect((loadBundledSchema(name) as { $id?: string }).$id).toBe(`${PROJECT_SITE}/schemas/${name}.schema.json`);
    expect((loadBundledSchema('config') as { $id?: string }).$id).toBe(CONFIG_SCHEMA_URL);
  });

  it('the editor setup documents the modeline with that address, and gardener init writes it first', async () => {
    expect(read('docs/configuration.md')).toContain(`# yaml-language-server: $schema=${CONFIG_SCHEMA_URL}`);
    const root = writeTree({ '.git/HEAD': '', '_patterns/p.md': '---\nid: p\ntitle: P\n---\n\n# P\n' });
    try {
      const r = await runCli(['init', root]);
      expect(r.code).toBe(0);
      expect(readFileSync(join(root, '.github', 'pattern-gardener.yml'), 'utf8').split('\n')[0]).toBe(`# yaml-language-server: $schema=${CONFIG_SCHEMA_URL}`);
    } finally {
      removeTree(root);
    }
  });
});

/** The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that this output uses, with its required properties. */
const SARIF_SUBSET = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string', format: 'uri' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  version: { type: 'string' },
                  rules: {
                    type: 'array',
                    uniqueItems: true,
                    items: {
                      type: 'object',
                      required: ['id'],
                      additionalProperties: false,
                      properties: {
                        id: { type: 'string' },
                        shortDescription: { $ref: '#/definitions/message' },
                        fullDescription: { $ref: '#/definitions/message' },
                        helpUri: { type: 'string', pattern: '^https://' },
                        defaultConfiguration: {
                          type: 'object',
                          additionalProperties: false,
                          properties: { level: { enum: ['none', 'note', 'warning', 'error'] } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: -1 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: { $ref: '#/definitions/message' },
                partialFingerprints: { type: 'object', additionalProperties: { type: 'string' } },
                locations: { type: 'array', items: { type: 'object' } },
              },
            },
          },
        },
      },
    },
  },
  definitions: { message: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', minLength: 1 } } } },
};

describe('SARIF rules', () => {
  const findings: Finding[] = RULES.map((r, i) => ({
    rule: r.id,
    severity: r.defaultSeverity,
    file: `p${i}.md`,
    line: 1,
    column: 1,
    endLine: 1,
    message: 'm',
    target: 't',
  }));
  const log = JSON.parse(formatSarif(findings, '0.0.0-test')) as {
    runs: { tool: { driver: { rules: { id: string; helpUri: string; fullDescription: { text: string }; shortDescription: { text: string } }[] } } }[];
  };

  it('is SARIF 2.1.0 in every property it uses', () => {
    const validate = new Ajv({ strict: false }).compile(SARIF_SUBSET);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    // The check can fail: a misspelt property is refused.
    const broken = structuredClone(log) as unknown as { runs: { tool: { driver: { rules: Record<string, unknown>[] } } }[] };
    broken.runs[0]!.tool.driver.rules[0]!.fullDescriptions = { text: 'x' };
    expect(validate(broken)).toBe(false);
  });

  it('every rule carries a helpUri to its row of the README rules reference and a full description', () => {
    const rules = log.runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    const reference = renderRulesReference();
    const readme = read('README.md');
    for (const r of rules) {
      const rule = RULES.find((x) => x.id === r.id)!;
      expect(r.helpUri).toBe(ruleHelpUri(r.id));
      expect(r.helpUri.endsWith(`#${ruleAnchor(r.id)}`)).toBe(true);
      expect(reference).toContain(`<a id="${ruleAnchor(r.id)}"></a>\`${r.id}\``);
      expect(readme).toContain(`<a id="${ruleAnchor(r.id)}"></a>`);
      expect(r.fullDescription.text.startsWith(rule.description)).toBe(true);
      if (rule.fix) expect(r.fullDescription.text).toContain(rule.fix);
      expect(rule.description.startsWith(r.shortDescription.text)).toBe(true);
    }
    expect(new Set(rules.map((r) => ruleAnchor(r.id))).size).toBe(rules.length);
  });
});
