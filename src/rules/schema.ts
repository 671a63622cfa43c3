/** Schema rules: the frontmatter checked against the JSON Schema of its kind (bundled or the repository's own). */
import { PATTERN_KINDS, type Rule } from './rule.js';
import { formatPath } from '../core/path.js';

export const schemaRules: Rule[] = [
  {
    id: 'schema/required',
    defaultSeverity: 'error',
    kinds: [...PATTERN_KINDS, 'obsidian-note'],
    description: 'A key the schema of the document kind requires is missing.',
    check(doc, ctx, report) {
      const data = doc.frontmatter?.data;
      const validate = ctx.schemaFor(doc.kind);
      if (!data || !validate) return;
      for (const e of validate(data)) {
        if (e.keyword !== 'required') continue;
        const missing = /`([^`]+)`\.$/.exec(e.message)?.[1] ?? '';
        report({ target: `${formatPath(e.keyPath)}>${missing}`, path: e.keyPath, message: e.message });
      }
    },
  },
  {
    id: 'schema/invalid',
    defaultSeverity: 'error',
    kinds: [...PATTERN_KINDS, 'obsidian-note'],
    description: 'A value has the wrong type, is outside its allowed values, or is otherwise rejected by the schema.',
    check(doc, ctx, report) {
      const data = doc.frontmatter?.data;
      const validate = ctx.schemaFor(doc.kind);
      if (!data || !validate) return;
      for (const e of validate(data)) {
        if (e.keyword === 'required') continue;
        report({ target: `${formatPath(e.keyPath)}:${e.keyword}`, path: e.keyPath, message: e.message });
      }
    },
  },
];
