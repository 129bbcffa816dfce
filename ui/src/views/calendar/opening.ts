// The window's start: the opening week's data comes with the app's facts in one answer
// (`opening_view`), before the first render, and the calendar draws its first view from it once:
// a calendar mounted later (the user comes back to it) fetches what is current.
import type { CalendarEntry, Employee } from "../../api";
import { weekOf } from "./weekLayout";

/** The calendar's first day of the week: Monday. */
export const FIRST_DAY = 1;

export type Week = ReturnType<typeof weekOf>;

export interface Opening {
  week: Week;
  employees: Employee[];
  entries: CalendarEntry[];
}

let waiting: Opening | null = null;

/** Keeps the start's data for the calendar's first mount. */
export function keepOpening(opening: Opening) {
  waiting = opening;
}

/** The start's data, the first time only; `null` after. */
export function takeOpening(): Opening | null {
  const opening = waiting;
  waiting = null;
  return opening;
}
