// The window's start (issue 6): the calendar is what the user waits for, so the rest of the start
// (the notification centre, the sign-in banner, the Teams icon, the calendar list) waits for its
// first paint instead of competing with it for the IPC channel and the main thread.

/** How long the rest waits at most, when the window opens on something other than the calendar. */
const PATIENCE_MS = 1500;

let painted: () => void;
const firstPaint = new Promise<void>((resolve) => {
  painted = resolve;
  setTimeout(resolve, PATIENCE_MS);
});

/** The calendar has painted its first range: the rest of the start may go on. */
export function markFirstPaint() {
  painted();
}

/** Resolves once the first calendar paint is done (or has taken too long to wait for). */
export function afterFirstPaint(): Promise<void> {
  return firstPaint;
}
