/**
 * Where the project publishes its documentation and schemas. The schemas' `$id`s, the SARIF rules'
 * `helpUri`s and the editor setup in docs/configuration.md are built from it, so they move together.
 */
export const PROJECT_SITE = 'https://pattern-gardener.dev';

/** The config schema's `$id` (schemas/config.schema.json), for `# yaml-language-server: $schema=…`. */
export const CONFIG_SCHEMA_URL = `${PROJECT_SITE}/schemas/config.schema.json`;

/** The anchor of a rule's row in the README's rules reference: `links/unknown-target` → `rule-links-unknown-target`. */
export function ruleAnchor(id: string): string {
  return `rule-${id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
}

export function ruleHelpUri(id: string): string {
  return `${PROJECT_SITE}/#${ruleAnchor(id)}`;
}
