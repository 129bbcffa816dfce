// The window's start (issue 6): the calendar is what the user waits for, so the rest of the start
// (the notification centre, the sign-in banner, the Teams icon, the calendar list) waits for its
// first paint instead of competing with it for the IPC channel and the main thread.

import type { StartupTimeline } from "./api";

/** How long the rest waits at most, when the window opens on something other than the calendar. */
const PATIENCE_MS = 1500;

let resolveFirstPaint: () => void;
const firstPaint = new Promise<void>((resolve) => {
  resolveFirstPaint = resolve;
  setTimeout(resolve, PATIENCE_MS);
});

/** The calendar has painted its first range: the rest of the start may go on. */
export function markFirstPaint() {
  resolveFirstPaint();
}

/** Resolves once the first calendar paint is done (or has taken too long to wait for). */
export function afterFirstPaint(): Promise<void> {
  return firstPaint;
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
