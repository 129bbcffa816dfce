// Conversions between the UTC instants of the Rust side and the local wall-clock values of
// <input type="datetime-local">. The webview's zone is the OS zone, which is the user's zone.

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-03-29T08:00:00Z" -> "2026-03-29T10:00" in the local zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2026-03-29T10:00" (local) -> a UTC ISO instant, or null when the value is incomplete. */
export function fromLocalInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number);
  const date = new Date(y, mo - 1, d, h, mi);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A local calendar date of a Date as "YYYY-MM-DD". */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function formatDateTime(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language === "de" ? "de-DE" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
  });
}
