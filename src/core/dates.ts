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
