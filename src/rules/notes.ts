/** Note rules: what Obsidian itself reads from a note's frontmatter. */
import type { KeyPath } from '../core/path.js';
import { replaceOnLine } from './links.js';
import type { Rule } from './rule.js';

// Obsidian tags: letters, digits, `_`, `-` and `/` (nesting), emoji; at least one character that is not a digit.
// biome-ignore lint/suspicious/noMisleadingCharacterClass: the joiner and the variation selector are allowed one by one
const TAG_CHAR = /^[\p{L}\p{N}\p{M}_\-/\p{Extended_Pictographic}\u200d\ufe0f]+$/u;
// biome-ignore lint/suspicious/noMisleadingCharacterClass: the joiner and the variation selector are allowed one by one
const TAG_OR_SPACE_CHARS = /[\p{L}\p{N}\p{M}_\-/\p{Extended_Pictographic}\u200d\ufe0f\s]/gu;

export const noteRules: Rule[] = [
  {
    id: 'notes/tag-format',
    defaultSeverity: 'warning',
    kinds: ['obsidian-note'],
    description:
      'A frontmatter tag Obsidian does not read as one tag: it holds a space or punctuation (letters, digits, `_`, `-` and `/` for nesting are allowed) or only digits. A leading `#` is accepted but not needed there (notice).',
    fix: 'Removes a leading `#`.',
    check(doc, _ctx, report) {
      const tags = doc.frontmatter?.data?.tags;
      const items: { tag: string; path: KeyPath; single: boolean }[] = [];
      if (Array.isArray(tags)) tags.forEach((t, i) => typeof t === 'string' && items.push({ tag: t.trim(), path: ['tags', i], single: false }));
      // One string: Obsidian splits it at commas and spaces.
      else if (typeof tags === 'string') for (const t of tags.split(/[,\s]+/)) items.push({ tag: t, path: ['tags'], single: true });
      for (const { tag, path, single } of items) {
        if (tag === '' || tag === '#') continue;
        const bare = tag.replace(/^#+/, '');
        const loc = doc.find(path);
        if (bare !== tag) {
          const fix = loc ? replaceOnLine(doc, loc.line, loc.column, tag, bare, `Write \`${bare}\` without \`#\``) : undefined;
          report({
            target: `tags:#${bare}`,
            path,
            severity: 'notice',
            message: `The tag \`${tag.slice(0, 60)}\` starts with \`#\`: in frontmatter Obsidian reads tags without it (\`${bare.slice(0, 60)}\`).`,
            fix,
          });
        }
        if (bare === '') continue;
        let why: string | undefined;
        if (!single && /\s/.test(bare))
          why = `holds a space, so Obsidian reads it as ${bare.split(/\s+/).length} tags or none; join the words with \`-\` or \`_\` (\`${bare.replace(/\s+/g, '-').slice(0, 60)}\`)`;
        else if (!TAG_CHAR.test(bare))
          why = `holds ${[...new Set(bare.replace(TAG_OR_SPACE_CHARS, ''))].map((c) => `\`${c}\``).join(' ')}, which a tag cannot; letters, digits, \`_\`, \`-\` and \`/\` (for nesting) can`;
        else if (/^[\d/]+$/.test(bare)) why = 'has only digits; a tag needs at least one other character (`y1984`, `year/1984`)';
        if (why) report({ target: `tags:${bare}`, path, message: `The tag \`${bare.slice(0, 60)}\` ${why}.` });
      }
    },
  },
];
