// The window's start: the calendar is what the user waits for, so the rest of the start
// (the notification centre, the sign-in banner, the Teams icon, the calendar list) waits until
// FullCalendar has taken over from the calendar's first view, instead of competing with it for
// the IPC channel and the main thread.

import type { StartupTimeline } from "./api";

/** How long the rest waits at most, when the window opens on something other than the calendar. */
const PATIENCE_MS = 1500;

let resolveCalendarReady: () => void;
const calendarReady = new Promise<void>((resolve) => {
  resolveCalendarReady = resolve;
  setTimeout(resolve, PATIENCE_MS);
});

/** The calendar can be used (FullCalendar has painted, or failed to load): the rest may go on. */
export function markCalendarReady() {
  resolveCalendarReady();
}

/** Resolves once the calendar can be used (or has taken too long to wait for). */
export function afterCalendarReady(): Promise<void> {
  return calendarReady;
}

type Step = Exclude<keyof StartupTimeline, "page_origin_epoch_ms"> | "ready";
const steps: Partial<Record<Step, number>> = {};

/** Notes when the start reached `step` (the first time only), for the startup benchmark. */
export function markStep(step: Step) {
  steps[step] ??= performance.now();
}

/** The steps of this start, once all of them have been reached; `null` before. */
export function startupTimeline(): StartupTimeline | null {
  const { script, info, range, rendered, painted } = steps;
  if (
    script === undefined ||
    info === undefined ||
    range === undefined ||
    rendered === undefined ||
    painted === undefined
  ) {
    return null;
  }
  return { page_origin_epoch_ms: performance.timeOrigin, script, info, range, rendered, painted };
}
