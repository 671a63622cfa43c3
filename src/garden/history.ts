/**
 * File history for replant/age and replant/draft-limbo, as maps file -> date.
 *
 * "Substantive" change: a commit that is not pure garden housekeeping. Commits whose subject
 * looks like a bot prune, formatting, lint or a bulk rename, or whose author is a bot, do not
 * reset the age of a pattern. The parser is pure; the CLI feeds it one `git log` output.
 */

/** Subjects that do not count as substantive changes. */
export const NON_SUBSTANTIVE_SUBJECT =
  /^(?:chore|style|ci|build|format|lint)(?:\(.*?\))?!?:|\b(?:prune[sd]?|pruning|last_pruned|graph[ _-]garden|typo|whitespace|reformat|bulk (?:rename|update)|bump)\b/i;

/** `git log` format the parser expects: a record marker, ISO date, author, subject. */
export const GIT_LOG_FORMAT = '%x1e%cs%x1f%an%x1f%s';

export interface FileHistory {
  /** file -> YYYY-MM-DD of the newest substantive commit touching it. */
  lastChange: Map<string, string>;
  /** file -> YYYY-MM-DD of the oldest commit touching it (its birth in this repository). */
  firstSeen: Map<string, string>;
  commits: number;
}

export function isSubstantive(subject: string, author: string): boolean {
  if (/\[bot\]$|^dependabot|^github-actions|^pattern-gardener/i.test(author)) return false;
  return !NON_SUBSTANTIVE_SUBJECT.test(subject);
}

/**
 * Parses `git log --name-only --format=%x1e%cs%x1f%an%x1f%s` output (newest first, as git prints it).
 * `prefix` is stripped from paths (the checked directory inside the repository), and files outside it are dropped.
 */
export function parseGitLog(output: string, prefix = ''): FileHistory {
  const lastChange = new Map<string, string>();
  const firstSeen = new Map<string, string>();
  let commits = 0;
  const pre = prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix;
  for (const rec of output.split('\x1e')) {
    if (!rec.trim()) continue;
    const nl = rec.indexOf('\n');
    const head = nl < 0 ? rec : rec.slice(0, nl);
    const [date = '', author = '', subject = ''] = head.split('\x1f');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) continue;
    commits++;
    const substantive = isSubstantive(subject, author);
    const files = nl < 0 ? [] : rec.slice(nl + 1).split('\n');
    for (let f of files) {
      f = f.trim();
      if (!f) continue;
      if (pre) {
        if (!f.startsWith(pre)) continue;
        f = f.slice(pre.length);
      }
      // newest first: the first substantive sighting is the last change, the last sighting is the birth
      if (substantive && !lastChange.has(f)) lastChange.set(f, date);
      firstSeen.set(f, date);
    }
  }
  return { lastChange, firstSeen, commits };
}
