/** SARIF 2.1.0 for code-scanning uploads. */
import type { Finding } from '../../core/finding.js';
import { fingerprint } from '../../core/finding.js';
import { ruleHelpUri } from '../../core/project.js';
import { RULES } from '../../rules/index.js';

export function formatSarif(findings: readonly Finding[], version: string, pathPrefix = ''): string {
  const used = new Set(findings.map((f) => f.rule));
  const rules = RULES.filter((r) => used.has(r.id));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const level = { error: 'error', warning: 'warning', notice: 'note' } as const;
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Pattern Gardener',
            version,
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: firstSentence(r.description) },
              fullDescription: { text: r.fix ? `${r.description} Fix: ${r.fix}` : r.description },
              helpUri: ruleHelpUri(r.id),
              defaultConfiguration: { level: level[r.defaultSeverity] },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule),
          level: level[f.severity],
          message: { text: f.message },
          locations: [
            { physicalLocation: { artifactLocation: { uri: pathPrefix + f.file }, region: { startLine: f.line, startColumn: f.column, endLine: f.endLine } } },
          ],
          partialFingerprints: { patternGardener: fingerprint(f) },
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** Code scanning lists rules by their short description: the description's first sentence. */
function firstSentence(text: string): string {
  const m = /^.*?[.!?](?=\s+[A-Z`(]|$)/s.exec(text);
  return (m ? m[0] : text).trim();
}
