// The week view's words and numbers: the title, the day headers, the hours and the events' times.
// FullCalendar takes them from here as its formatters, and the first view draws the same
// strings, so the take-over does not change a letter.
import type { Language } from "../../api/bindings";

/** The calendar's words from the dictionaries (i18n): the buttons and the all-day row. */
export interface CalendarLabels {
  today: string;
  day: string;
  week: string;
  month: string;
  allDay: string;
}

/** A local wall-clock time, as FullCalendar's formatters get it (month from 0). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export function wallTime(d: Date): WallTime {
  return { year: d.getFullYear(), month: d.getMonth(), day: d.getDate(), hour: d.getHours(), minute: d.getMinutes() };
}

const pad = (n: number) => String(n).padStart(2, "0");

const MONTHS: Record<Language, string[]> = {
  de: ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
  en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
};

const WEEKDAYS: Record<Language, string[]> = {
  de: ["So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."],
  en: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
};

/** The day of the week of a calendar date (0 = Sunday), whatever the zone. */
function weekday(t: WallTime): number {
  return new Date(Date.UTC(t.year, t.month, t.day)).getUTCDay();
}

function dayMonth(t: WallTime, language: Language): string {
  return language === "de" ? `${t.day}. ${MONTHS.de[t.month]}` : `${t.day} ${MONTHS.en[t.month]}`;
}

/** "23. – 29. Nov. 2026", "30. Nov. – 6. Dez. 2026", "29. Dez. 2025 – 4. Jan. 2026" (first and last day). */
export function weekTitle(first: WallTime, last: WallTime, language: Language): string {
  const firstPart =
    first.year !== last.year
      ? `${dayMonth(first, language)} ${first.year}`
      : first.month !== last.month
        ? dayMonth(first, language)
        : language === "de"
          ? `${first.day}.`
          : String(first.day);
  return `${firstPart} – ${dayMonth(last, language)} ${last.year}`;
}

/** "Mo. 23.11." / "Mon 23/11". */
export function dayHeader(t: WallTime, language: Language): string {
  const name = WEEKDAYS[language][weekday(t)];
  return language === "de" ? `${name} ${t.day}.${t.month + 1}.` : `${name} ${t.day}/${t.month + 1}`;
}

/** The label of an hour of the grid: "08 Uhr" / "08:00". */
export function hourLabel(hour: number, language: Language): string {
  return language === "de" ? `${pad(hour)} Uhr` : `${pad(hour)}:00`;
}

export function clockTime(t: WallTime): string {
  return `${pad(t.hour)}:${pad(t.minute)}`;
}

/** An event's time in the grid: "09:00 – 10:30". */
export function eventTime(start: WallTime, end: WallTime | null): string {
  return end ? `${clockTime(start)} – ${clockTime(end)}` : clockTime(start);
}
