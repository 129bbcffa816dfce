// What a user feels after the start: the time from an input (a click, a key) to the frame with its
// result, for the window benchmark. An interaction begins at its input event and ends where its
// result has been put in the DOM; once that frame has been painted, the time goes to Rust, which
// prints it. Only when the run reports (AppInfo.report_marks): otherwise each call returns at once.
import { api, type Interaction } from "../api";

let reporting = false;
/** The interaction whose result is awaited: one at a time, a newer input replaces an older one. */
let pending: { name: Interaction; at: number } | null = null;

/** Whether this run times its interactions; called wherever the app's facts arrive. */
export function setMarksReporting(on: boolean): void {
  reporting = on;
  if (!on) pending = null;
}

/**
 * The input that begins `name`: its time is the event's (when the input happened, before any
 * handler ran), else now.
 */
export function beginMark(name: Interaction, event?: Event): void {
  if (!reporting) return;
  const now = performance.now();
  // An event's time is on the page's clock; one that is not (zero, or an older engine's epoch
  // time) is not used.
  const at = event && event.timeStamp > 0 && event.timeStamp <= now ? event.timeStamp : now;
  pending = { name, at };
}

/** The result of `name` is in the DOM: its time is reported once the frame with it is painted. */
export function endMark(name: Interaction): void {
  if (!reporting || pending?.name !== name) return;
  const { at } = pending;
  pending = null;
  // The first frame callback runs before that frame is painted, the second one after it has been.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      void api.interactionMark(name, performance.now() - at).catch(() => {});
    }),
  );
}
