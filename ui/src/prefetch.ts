// The start's data (issue 6), asked for the moment the first, small script runs: the facts of the
// app, the employees (their colours) and the own calendar's current week are on their way while
// the rest of the UI (FullCalendar above all) is still loading, instead of being asked for one
// after the other once it has.
import { api, type AppInfo, type CalendarEntry, type Employee } from "./api";
import { markStep } from "./startup";

/** The week the calendar opens on: Monday 00:00 to the next Monday, local time (as FullCalendar's
 * week view with `firstDay: 1` asks for it). */
export function currentWeek(now: Date): { from: string; to: string } {
  const daysSinceMonday = (now.getDay() + 6) % 7;
  const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysSinceMonday);
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysSinceMonday + 7);
  return { from: monday.toISOString(), to: next.toISOString() };
}

type FirstWeek = { employeeId: number; from: string; to: string; entries: Promise<CalendarEntry[]> };

let info: Promise<AppInfo> | null = null;
let employees: Promise<Employee[]> | null = null;
let firstWeek: Promise<FirstWeek | null> | null = null;

/** Asks for the start's data; called once, first thing. */
export function prefetchStart(now = new Date()) {
  info = api.appInfo();
  void info.then(() => markStep("info"), () => {});
  employees = api.searchEmployees("");
  const week = currentWeek(now);
  firstWeek = info.then(
    (i) => {
      const me = i.current_employee?.id;
      if (me === undefined) return null;
      return { employeeId: me, ...week, entries: api.calendarEntries([me], week.from, week.to) };
    },
    () => null,
  );
  // Failures are shown where the data is used; none is left unhandled here.
  employees.catch(() => {});
}

/** Takes `slot`'s promise once: a later caller (the view mounted again) asks anew. */
function takeOnce<T>(value: Promise<T> | null, clear: () => void): Promise<T> | null {
  clear();
  return value;
}

/** The prefetched `app_info`, once; else `null`. */
export function takeInfo(): Promise<AppInfo> | null {
  return takeOnce(info, () => (info = null));
}

/** The prefetched employees, once; else `null`. */
export function takeEmployees(): Promise<Employee[]> | null {
  return takeOnce(employees, () => (employees = null));
}

/** The prefetched entries when the calendar asks for exactly the prefetched week of exactly the
 * own calendar, once; else `null` (the caller fetches what it asks for). */
export async function takeFirstWeek(ids: number[], from: string, to: string): Promise<CalendarEntry[] | null> {
  const pending = takeOnce(firstWeek, () => (firstWeek = null));
  const week = pending && (await pending);
  if (!week || ids.length !== 1 || ids[0] !== week.employeeId || from !== week.from || to !== week.to) return null;
  return week.entries;
}
