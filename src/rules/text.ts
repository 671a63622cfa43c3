/** Text rules: damage to the characters themselves, whatever the kind of document. */
import type { Edit } from '../core/finding.js';
import { mayHoldMojibake, repairMojibake } from '../core/mojibake.js';
import { ALL_KINDS, type Rule } from './rule.js';

export const textRules: Rule[] = [
  {
    id: 'text/mojibake',
    defaultSeverity: 'warning',
    kinds: ALL_KINDS,
    description:
      'Characters damaged by a wrong encoding: UTF-8 text read as Windows-1252 or Mac Roman and saved again (`‚öñÔ∏è Power Dynamics` for `⚖️ Power Dynamics`, `cafÃ©` for `café`). One finding per file.',
    fix: 'Restores the original characters on every damaged line.',
    check(doc, _ctx, report) {
      if (!mayHoldMojibake(doc.text)) return;
      const edits: Edit[] = [];
      let first: { line: number; before: string; after: string; codepage: string } | undefined;
      const n = doc.lineCount();
      for (let line = 1; line <= n; line++) {
        const text = doc.line(line);
        const r = repairMojibake(text);
        if (!r) continue;
        edits.push({ line, endLine: line, text: `${r.text}\n` });
        first ??= { line, before: r.damaged[0] as string, after: [...r.text].length < 200 ? r.text.trim() : '', codepage: r.codepage };
      }
      if (!first) return;
      const fixed = repairMojibake(first.before)?.text ?? '';
      const more = edits.length > 1 ? ` ${edits.length} lines are damaged.` : '';
      report({
        target: 'mojibake',
        line: first.line,
        message: `\`${first.before}\` is UTF-8 text that was read as ${first.codepage} and saved again: it stands for \`${fixed}\`${first.after ? ` (the line reads \`${first.after.slice(0, 120)}\`)` : ''}.${more}`,
        fix: { description: edits.length > 1 ? `Restore the characters on the ${edits.length} damaged lines` : `Restore \`${fixed}\``, edits },
      });
    },
  },
];
