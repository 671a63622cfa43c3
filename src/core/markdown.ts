/**
 * Text from pattern files ends up in Markdown the bot posts (comments, check summaries, issues).
 * `inert` keeps it from notifying people or forging the bot's hidden markers: @mentions get a
 * zero-width space after the @, and HTML comment openers are escaped.
 */
export function inert(s: string): string {
  return s.replace(/@(?=[A-Za-z0-9])/g, '@\u200b').replace(/<!--/g, '&lt;!--');
}
