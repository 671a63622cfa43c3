/** Schema rules: the frontmatter checked against the JSON Schema of its kind (bundled or the repository's own). */
import { PATTERN_KINDS, type Rule } from './rule.js';
import { formatPath, getPath, type KeyPath } from '../core/path.js';
import type { ParsedDocument } from '../core/document.js';
import { holdsTemplatePlaceholder } from '../core/obsidian.js';

/**
 * Problems a link rule reports on the same line with a better message (and a fix): an inferred link's
 * missing or non-text `type` (links/inferred-type) and an inferred link without a `target` or written as a
 * bare name (links/entry-shape). One problem is one finding.
 */
function reportedByLinkRules(data: unknown, keyPath: KeyPath, keyword: string, message: string): boolean {
  if (keyPath[0] !== 'graph_garden' || keyPath[1] !== 'inferred_links') return false;
  // Entries of the list with the wrong type, reported once at the list.
  if (keyPath.length === 2) return keyword === 'type' && Array.isArray(getPath(data, keyPath));
  if (typeof keyPath[2] !== 'number') return false;
  if (keyPath.length === 3) return keyword === 'type' || (keyword === 'required' && /`(type|target)`\.$/.test(message));
  return keyPath.length === 4 && keyPath[3] === 'type';
}

/** Whether the frontmatter line of a key path holds a template placeholder. */
function placeholderAt(doc: ParsedDocument, keyPath: KeyPath): boolean {
  const at = doc.find(keyPath);
  return at !== undefined && holdsTemplatePlaceholder(doc.line(at.line));
}

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
        if (e.keyword !== 'required' || reportedByLinkRules(data, e.keyPath, e.keyword, e.message)) continue;
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
        if (e.keyword === 'required' || reportedByLinkRules(data, e.keyPath, e.keyword, e.message)) continue;
        // A template's placeholder (`created: {{date}}`, which YAML reads as a map) is filled in later.
        if (doc.kind === 'obsidian-note' && placeholderAt(doc, e.keyPath)) continue;
        report({ target: `${formatPath(e.keyPath)}:${e.keyword}`, path: e.keyPath, message: e.message });
      }
    },
  },
];
