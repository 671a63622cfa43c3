/**
 * Rules for problems found while reading a file: encoding, size, fences, YAML syntax.
 * The document model detects them (it never throws); these rules give them ids and severities.
 */
import { parseDocument as parseYamlDocument } from 'yaml';
import type { FileProblemCode, ParsedDocument } from '../core/document.js';
import type { Severity } from '../core/finding.js';
import { holdsTemplatePlaceholder, maskTemplatePlaceholders } from '../core/obsidian.js';
import { findMisplacedFrontmatter } from '../core/stray.js';
import { missingFrontmatter } from './artifacts.js';
import { ALL_KINDS, PATTERN_KINDS, type Rule } from './rule.js';

function problemRule(id: FileProblemCode, defaultSeverity: Severity, description: string, skip?: (doc: ParsedDocument) => boolean): Rule {
  return {
    id,
    defaultSeverity,
    kinds: ALL_KINDS,
    description,
    check(doc, _ctx, report) {
      if (skip?.(doc)) return;
      for (const p of doc.problems) {
        if (p.code === id) report({ target: id, line: p.line, column: p.column, message: p.message });
      }
    },
  };
}

/**
 * A template note whose frontmatter is YAML once its placeholders are filled in: Templater runs before
 * anything reads the YAML (`created: "<% tp.date.now("YYYY-MM-DD") %>"` is the common way to write it).
 */
function templateYamlOnly(doc: ParsedDocument): boolean {
  const yaml = doc.frontmatter?.yaml;
  // A template whose YAML does not parse may not be recognised as a note yet: unknown files count too.
  if ((doc.kind !== 'obsidian-note' && doc.kind !== 'unknown') || yaml === undefined || !holdsTemplatePlaceholder(yaml)) return false;
  try {
    return parseYamlDocument(maskTemplatePlaceholders(yaml), { uniqueKeys: true }).errors.length === 0;
  } catch {
    return false;
  }
}

export const fileRules: Rule[] = [
  problemRule(
    'yaml/syntax',
    'error',
    'The frontmatter is not valid YAML; reported at the exact line and column. A note whose YAML breaks only inside template placeholders (`<% … %>`, `{{…}}`) is a template and is left alone.',
    templateYamlOnly,
  ),
  problemRule('yaml/too-complex', 'error', 'The frontmatter nests too deep or expands too far (alias bombs); it is refused unparsed.'),
  problemRule('frontmatter/unclosed', 'error', 'The file opens a `---` frontmatter fence that never closes.'),
  problemRule('frontmatter/too-large', 'error', 'The frontmatter is larger than `limits.maxFrontmatterBytes`.'),
  problemRule('frontmatter/not-mapping', 'error', 'The frontmatter is a list or a single value instead of keys and values.'),
  problemRule('file/binary', 'error', 'The file contains NUL bytes: a binary file where a pattern is expected.'),
  problemRule('file/encoding', 'error', 'The file is not valid UTF-8.'),
  problemRule('file/too-large', 'error', 'The file is larger than `limits.maxFileBytes`; it is not checked.'),
  problemRule('file/empty', 'error', 'The file is empty.'),
  problemRule('file/bom', 'notice', 'The file starts with a byte-order mark.'),
  problemRule('file/line-endings', 'notice', 'The file uses CRLF or CR line endings instead of LF.'),
  {
    id: 'frontmatter/missing',
    defaultSeverity: 'error',
    kinds: [...PATTERN_KINDS, 'unknown'],
    description: 'A pattern file has no YAML frontmatter between `---` fences at its top.',
    fix: 'Adds the `---` fences around frontmatter keys written without them at the top of the file.',
    check(doc, _ctx, report) {
      if (
        doc.frontmatter ||
        doc.text.trim() === '' ||
        doc.problems.some((p) => p.code === 'frontmatter/unclosed' || p.code === 'file/binary' || p.code === 'file/too-large')
      )
        return;
      // Frontmatter below other lines has its own rule, which says where it is.
      if (findMisplacedFrontmatter((n) => doc.line(n), doc.lineCount())) return;
      report(missingFrontmatter(doc));
    },
  },
];
