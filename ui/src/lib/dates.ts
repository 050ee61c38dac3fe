// Dates cross the IPC boundary as "YYYY-MM-DD" (a calendar day, no time zone) and
// times as "HH:MM". They are shown in English, the way people write them on paper,
// and never shifted by the laptop's time zone.

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

interface Day {
  year: number;
  month: number; // 1-12
  day: number;
  weekday: number; // 0 = Sunday
}

function parse(iso: string): Day | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 Feb over into March; such a string is not a day, so it is shown as given.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return { year, month, day, weekday: date.getUTCDay() };
}

function dayMonth(d: Day): string {
  return `${WEEKDAYS[d.weekday]} ${d.day} ${MONTHS[d.month - 1]}`;
}

/** "2026-12-03" → "Thu 3 Dec 2026" ("Thu 3 Dec" without the year). Anything else is shown as it came. */
export function formatDate(iso: string, { year = true }: { year?: boolean } = {}): string {
  const d = parse(iso);
  if (!d) return iso;
  return year ? `${dayMonth(d)} ${d.year}` : dayMonth(d);
}

/** A session's day and start time: "Thu 3 Dec 2026, 10:00". */
export function formatDateTime(iso: string, time: string): string {
  const date = formatDate(iso);
  return time.trim() === "" ? date : `${date}, ${time}`;
}

/**
 * A span of days, saying the month (and year) only once when they are shared:
 * "Sat 5 – Sun 6 Dec", "Mon 30 Nov – Wed 2 Dec", "Wed 30 Dec 2026 – Fri 1 Jan 2027".
 */
export function formatDateRange(startIso: string, endIso: string): string {
  const start = parse(startIso);
  const end = parse(endIso);
  if (!start || !end) return `${formatDate(startIso, { year: false })} – ${formatDate(endIso, { year: false })}`;
  if (startIso === endIso) return dayMonth(start);
  if (start.year !== end.year) return `${dayMonth(start)} ${start.year} – ${dayMonth(end)} ${end.year}`;
  if (start.month === end.month) return `${WEEKDAYS[start.weekday]} ${start.day} – ${dayMonth(end)}`;
  return `${dayMonth(start)} – ${dayMonth(end)}`;
}

/** Today on this laptop's calendar, as "YYYY-MM-DD" (what a date input holds). */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The laptop's clock time now, as "HH:MM" (what a time input holds and Rust takes). */
export function nowHHMM(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(now.getHours())}:${pad(now.getMinutes())}`;
}
