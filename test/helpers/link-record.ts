import type { LinkRecord } from '../../src/links/record.js';

/** A link record with only what a test names: slug, body and links (title = slug unless `extra` says otherwise). */
export const linkRecord = (slug: string, body: string, links: LinkRecord['links'] = [], extra: Partial<LinkRecord> = {}): LinkRecord => ({
  slug,
  title: slug,
  aliases: [],
  summary: '',
  keywords: [],
  tension: '',
  entities: [],
  communities: [],
  body,
  links,
  inferred: [],
  ...extra,
});
