/** Pure date helpers on calendar dates (YYYY-MM-DD, UTC). "Today" is always passed in. */

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Strict calendar date: 2026-02-30 is null, not March 2nd. Accepts a trailing time part. */
export function parseDate(value: unknown): CalendarDate | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const s = String(value).trim();
  const m = ISO_DATE.exec(s.length > 10 && /^\d{4}-\d{2}-\d{2}[T ]/.test(s) ? s.slice(0, 10) : s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
// The Linter plugin's default (`dddd, MMMM Do YYYY, h:mm:ss a`) and the like: `Monday, March 4th 2024, 3:05:09 pm`, `March 4, 2024`.
const NAMED_MONTH_FIRST =
  /^(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$/;
// `4 March 2024`, `Mon, 4 Mar 2024`.
const DAY_FIRST = /^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$/;
// A time after an ISO date: `T14:30`, ` 14:30:05`, `.123`, `Z`, `+02:00`.
const ISO_TIME = /^[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * A date as Obsidian and its popular plugins write one: `2024-03-04`, with a time (the Date & time
 * property `2024-03-04T15:05`, Templater's `2024-03-04 15:05`, ISO with seconds, milliseconds or a zone),
 * with the month named (the Linter plugin's `Monday, March 4th 2024, 3:05:09 pm`), or in the numeric
 * forms Templater formats write whose order is not in doubt (`2024/03/04`, `04.03.2024`). The calendar
 * date must exist.
 */
export function parseNoteDate(value: unknown): CalendarDate | null {
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const rest = s.slice(10);
    if (rest !== '' && !ISO_TIME.test(rest)) return null;
    return parseDate(s.slice(0, 10));
  }
  // Numeric forms whose order is not in doubt: `2024/03/04`, `2024.03.04` and the day-first `04.03.2024`
  // (slashes with the year last, `04/03/2024`, read as either order, are not dates to trust).
  const numeric = /^(\d{4})([/.])(\d{1,2})\2(\d{1,2})(?=$|[T ])/.exec(s) ?? /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?=$|[T ,])/.exec(s);
  if (numeric) {
    const [y, mo, d] = numeric[1]!.length === 4 ? [numeric[1]!, numeric[3]!, numeric[4]!] : [numeric[3]!, numeric[2]!, numeric[1]!];
    const rest = s.slice(numeric[0].length);
    if (rest !== '' && !ISO_TIME.test(rest.replace(/^,/, ''))) return null;
    return parseDate(`${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`);
  }
  let m = NAMED_MONTH_FIRST.exec(s);
  let month: string | undefined, day: string | undefined, year: string | undefined;
  if (m) [, month, day, year] = m;
  else if ((m = DAY_FIRST.exec(s))) [, day, month, year] = m;
  if (!month || !day || !year) return null;
  const mi = MONTHS.findIndex((name) => name === month.toLowerCase() || (month.length >= 3 && name.startsWith(month.toLowerCase())));
  if (mi < 0) return null;
  return parseDate(`${year}-${String(mi + 1).padStart(2, '0')}-${day.padStart(2, '0')}`);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function toEpochDay(d: CalendarDate): number {
  return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);
}

export function formatDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** Whole calendar months from `from` to `to`, counting a month only once its day is reached. */
export function monthsBetween(from: CalendarDate, to: CalendarDate): number {
  let months = (to.year - from.year) * 12 + (to.month - from.month);
  if (to.day < from.day) months--;
  return months;
}

export function addDays(d: CalendarDate, days: number): CalendarDate {
  const t = new Date((toEpochDay(d) + days) * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** Today's date in UTC, for callers that do not inject one. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Parses a user-supplied "today" (CLI --today) or throws a readable error. */
export function requireDate(value: string, what = 'date'): CalendarDate {
  const d = parseDate(value);
  if (!d) throw new Error(`${what} must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return d;
}
