// The bounds Rust decides (crm::calendar) and sends with the app's facts (AppInfo): how many
// calendars can be open at once and the longest reminder lead time. The UI writes no number of
// its own; until the facts have come, there is no bound to show.
import type { AppInfo } from "./api";

export type Limits = Pick<AppInfo, "max_open_calendars" | "max_reminder_minutes">;

let current: Limits | null = null;

/** Keeps the bounds of the app's facts; called wherever the facts arrive. */
export function setLimits(info: Limits): void {
  current = { max_open_calendars: info.max_open_calendars, max_reminder_minutes: info.max_reminder_minutes };
}

/** The bounds as Rust sent them, or `null` before the app's facts have come. */
export function limits(): Limits | null {
  return current;
}
