// Display helpers. Turning the wall-clock times the user types into instants is Rust's job (C9,
// src-tauri/src/crm/wall_clock.rs): it reads them in the activity's zone, not the webview's.

const pad = (n: number) => String(n).padStart(2, "0");

/** A local calendar date of a Date as "YYYY-MM-DD". */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The wall-clock value `value` ("2026-10-25T02:30") moved by the wall-clock distance from `from`
 * to `to`: the dialog's end follows its start. Plain calendar arithmetic on the typed values, with
 * no zone involved; null when one of them is incomplete.
 */
export function shiftWallClock(value: string, from: string, to: string): string | null {
  const read = (v: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? Date.parse(`${v}:00Z`) : NaN);
  const [v, f, t] = [read(value), read(from), read(to)];
  if ([v, f, t].some(Number.isNaN)) return null;
  return new Date(v + (t - f)).toISOString().slice(0, 16);
}

/** A wall-clock value as Rust gave it ("2026-10-25T02:30"), shown as it is, in the user's language. */
export function formatWallClock(value: string, language: string): string {
  const ms = Date.parse(`${value}:00Z`);
  if (Number.isNaN(ms)) return value;
  return new Date(ms).toLocaleString(language === "de" ? "de-DE" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });
}

export function formatDateTime(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language === "de" ? "de-DE" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
  });
}
