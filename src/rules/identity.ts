/** Identity rules: slug, file name and TypeID (ADR-0001), unique across the corpus. */
import type { CorpusIndex } from '../core/corpus.js';
import { scalarValueFix } from '../core/fixes.js';
import { PATTERN_KINDS, type Rule } from './rule.js';

const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** TypeID: prefix `pat_` and a 26-character base32 suffix (Crockford, lower case). */
const TYPEID_RE = /^pat_[0-7][0-9a-hjkmnp-tv-z]{25}$/;
/** The classification era's ids: `pat_` and 24 hex digits. Accepted where they are the convention (see `hexIdsAreConvention`). */
const HEX_ID_RE = /^pat_[0-9a-f]{24}$/;
/** Classification-era generators also wrote 26 hex digits, which a TypeID refuses only for a first digit above 7. */
const LEGACY_HEX26_RE = /^pat_[0-9a-f]{26}$/;

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
      // `12-foo.md` for slug `foo`: the file name carries an ordering prefix, and the slug is right.
      const prefix = /^(\d+)-(.+)$/.exec(doc.basename);
      if (prefix && prefix[2] === slug) {
        report({
          target: 'slug',
          path: ['slug'],
          message: `The file name \`${doc.basename}.md\` adds the ordering prefix \`${prefix[1]}-\` to the slug \`${slug}\`: rename the file to \`${slug}.md\`.`,
        });
        return;
      }
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
      report({
        target: 'slug',
        path: ['slug'],
        message: `The slug \`${doc.slug}\` is also used by ${others.map((f) => `\`${f}\``).join(', ')}. Slugs must be unique.`,
      });
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
      report({
        target: 'id',
        path: ['id'],
        message: `The id \`${id}\` is also used by ${others.map((f) => `\`${f}\``).join(', ')}. Generate a new TypeID for one of them.`,
      });
    },
  },
  {
    id: 'identity/id-format',
    defaultSeverity: 'warning',
    kinds: PATTERN_KINDS,
    description:
      'The `id` is not a pattern TypeID (`pat_` and 26 base32 characters). Older 24-hex ids are accepted in classification-era files and where most patterns of the kind use them; elsewhere a 24-character id is a TypeID of the wrong length.',
    check(doc, ctx, report) {
      const id = doc.frontmatter?.data?.id;
      if (typeof id !== 'string' || TYPEID_RE.test(id)) return;
      if (HEX_ID_RE.test(id) && (doc.kind === 'commons-pattern-legacy' || hexIdsAreConvention(ctx.corpus, doc.kind))) return;
      if (LEGACY_HEX26_RE.test(id) && doc.kind === 'commons-pattern-legacy') return;
      report({
        target: 'id',
        path: ['id'],
        message: `The id \`${id.slice(0, 80)}\` is not a TypeID${typeIdDefect(id)}: expected \`pat_\` followed by 26 lower-case base32 characters, the first one 0–7.`,
      });
    },
  },
  {
    id: 'identity/number-prefix',
    defaultSeverity: 'warning',
    kinds: PATTERN_KINDS,
    description:
      'The title, slug or file name starts with an ordering number that is not part of the name (`title: "12. Foo"`, `12-foo`); a number the title also starts with (`5 Whys`, `360-Degree Feedback`) is part of the name.',
    fix: 'Removes the number from the title.',
    check(doc, _ctx, report) {
      const data = doc.frontmatter?.data;
      const title = typeof data?.title === 'string' ? data.title : undefined;
      if (title === undefined) return;
      const ordered = ORDERED_TITLE.exec(title);
      const name = ordered ? (ordered[2] as string) : title;
      if (ordered) {
        report({
          target: 'title',
          path: ['title'],
          message: `The title \`${title.slice(0, 80)}\` starts with the ordering number \`${ordered[1]}\`: a title is the pattern's name. Write \`${name.slice(0, 80)}\`.`,
          fix: scalarValueFix(doc, ['title'], name, `Set title to "${name.slice(0, 80)}"`),
        });
      }
      const declared = typeof data?.slug === 'string' ? data.slug : undefined;
      const slug = declared ?? doc.basename;
      const m = /^(\d+)-([a-z].*)$/.exec(slug);
      // The number is part of the name when the title (without an ordering number) starts with it too;
      // it is an ordering prefix when the rest of the slug is the title (`7-foo-bar` for "Foo Bar").
      if (!m || new RegExp(`^${m[1]}(?![0-9])`).test(name.trim())) return;
      const rest = m[2] as string;
      const titled = slugWords(name);
      const named = slugWords(rest);
      if (!ordered && titled !== named && !titled.startsWith(`${named}-`)) return;
      const file = doc.basename === slug ? ` and the file to \`${rest}.md\`` : '';
      report({
        target: 'slug',
        path: declared !== undefined ? ['slug'] : undefined,
        line: declared !== undefined ? undefined : 1,
        message: `The ${declared !== undefined ? 'slug' : 'file name'} \`${slug.slice(0, 80)}\` starts with the number \`${m[1]}\`, which is not part of the title \`${name.slice(0, 80)}\`: an ordering prefix. Rename ${declared !== undefined ? `the slug to \`${rest}\`${file}` : `the file to \`${rest}.md\``} (and the links to it).`,
      });
    },
  },
];

/** A title or slug as lower-case ASCII words joined by hyphens, without `and` (slugs write `&` either way). */
function slugWords(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '' && w !== 'and')
    .join('-');
}

/** `12. Foo`, `12) Foo`, `12 - Foo`, `12: Foo`: a list number written into a title. */
const ORDERED_TITLE = /^\s*(\d{1,3})(?:[.)]|\s*[-–—:])\s+(\S.*)$/;

const hexShares = new WeakMap<CorpusIndex, Map<string, boolean>>();

/** Whether most patterns of a kind in the corpus have 24-hex ids: then that is the repository's id format. */
function hexIdsAreConvention(corpus: CorpusIndex, kind: string): boolean {
  let byKind = hexShares.get(corpus);
  if (!byKind) hexShares.set(corpus, (byKind = new Map()));
  const known = byKind.get(kind);
  if (known !== undefined) return known;
  let hex = 0;
  let all = 0;
  for (const e of corpus.entries.values()) {
    if (e.kind !== kind || e.id === undefined) continue;
    all++;
    if (HEX_ID_RE.test(e.id)) hex++;
  }
  const convention = hex * 2 > all;
  byKind.set(kind, convention);
  return convention;
}

/** What keeps an id from being a TypeID, in words (empty when there is nothing more precise to say). */
function typeIdDefect(id: string): string {
  if (!id.startsWith('pat_')) return '';
  const suffix = id.slice(4);
  const foreign = [...new Set(suffix.replace(/[0-9a-hjkmnp-tv-z]/g, ''))].slice(0, 5);
  if (foreign.length > 0) return ` (${foreign.map((c) => `\`${c}\``).join(', ')} ${foreign.length === 1 ? 'is' : 'are'} not in TypeID's base32 alphabet)`;
  if (suffix.length !== 26) return ` (${suffix.length} characters after \`pat_\`)`;
  return /^[0-7]/.test(suffix) ? '' : ' (the first character after `pat_` must be 0–7)';
}
