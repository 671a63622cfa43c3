/** Identity rules: slug, file name and TypeID (ADR-0001), unique across the corpus. */
import { scalarValueFix } from '../core/fixes.js';
import { PATTERN_KINDS, type Rule } from './rule.js';

const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** TypeID: prefix `pat_` and a 26-character base32 suffix (Crockford, lower case). */
const TYPEID_RE = /^pat_[0-7][0-9a-hjkmnp-tv-z]{25}$/;
/** The classification era's ids: `pat_` and 24 hex digits. Accepted, they predate TypeIDs. */
const HEX_ID_RE = /^pat_[0-9a-f]{24}$/;

export const identityRules: Rule[] = [
  {
    id: 'identity/slug-filename',
    defaultSeverity: 'error',
    kinds: PATTERN_KINDS,
    description: 'The file name is not `{slug}.md` (ADR-0001: slug-only file names).',
    fix: 'Sets `slug` to the file name when the file name is itself a valid slug.',
    check(doc, _ctx, report) {
      const slug = doc.frontmatter?.data?.slug;
      if (typeof slug !== 'string' || slug === doc.basename) return;
      const fix = SLUG_RE.test(doc.basename) ? scalarValueFix(doc, ['slug'], doc.basename, `Set slug to "${doc.basename}"`) : undefined;
      report({
        target: 'slug',
        path: ['slug'],
        message: `The slug \`${slug}\` does not match the file name \`${doc.basename}.md\`. Rename the file to \`${slug}.md\` or change the slug.`,
        fix,
      });
    },
  },
  {
    id: 'identity/slug-format',
    defaultSeverity: 'error',
    kinds: PATTERN_KINDS,
    description: 'The slug is not lower-case words joined by hyphens (URL-safe).',
    check(doc, _ctx, report) {
      const slug = doc.frontmatter?.data?.slug;
      if (typeof slug !== 'string' || SLUG_RE.test(slug)) return;
      report({ target: 'slug', path: ['slug'], message: `The slug \`${slug.slice(0, 80)}\` must be lower-case letters and digits joined by single hyphens.` });
    },
  },
  {
    id: 'identity/duplicate-slug',
    defaultSeverity: 'error',
    kinds: PATTERN_KINDS,
    description: 'Another pattern uses the same slug.',
    check(doc, ctx, report) {
      const files = ctx.corpus.bySlug.get(doc.slug) ?? [];
      const others = files.filter((f) => f !== doc.file);
      if (others.length === 0) return;
      report({ target: 'slug', path: ['slug'], message: `The slug \`${doc.slug}\` is also used by ${others.map((f) => `\`${f}\``).join(', ')}. Slugs must be unique.` });
    },
  },
  {
    id: 'identity/duplicate-id',
    defaultSeverity: 'error',
    kinds: PATTERN_KINDS,
    description: 'Another pattern uses the same `id` (a malformed id is left to identity/id-format).',
    check(doc, ctx, report) {
      const id = doc.frontmatter?.data?.id;
      if (typeof id !== 'string') return;
      // A malformed id (`pat_placeholder`) is one problem: identity/id-format asks for a new TypeID.
      if (!TYPEID_RE.test(id) && !HEX_ID_RE.test(id) && ctx.config.rules['identity/id-format'] !== 'off') return;
      const others = (ctx.corpus.byId.get(id) ?? []).filter((f) => f !== doc.file);
      if (others.length === 0) return;
      report({ target: 'id', path: ['id'], message: `The id \`${id}\` is also used by ${others.map((f) => `\`${f}\``).join(', ')}. Generate a new TypeID for one of them.` });
    },
  },
  {
    id: 'identity/id-format',
    defaultSeverity: 'warning',
    kinds: PATTERN_KINDS,
    description: 'The `id` is not a pattern TypeID (`pat_` and 26 base32 characters; older 24-hex ids are accepted).',
    check(doc, _ctx, report) {
      const id = doc.frontmatter?.data?.id;
      if (typeof id !== 'string' || TYPEID_RE.test(id) || HEX_ID_RE.test(id)) return;
      report({ target: 'id', path: ['id'], message: `The id \`${id.slice(0, 80)}\` is not a TypeID: expected \`pat_\` followed by 26 lower-case base32 characters.` });
    },
  },
];
