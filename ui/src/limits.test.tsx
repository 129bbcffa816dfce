// @vitest-environment happy-dom
// The bounds are Rust's (crm::calendar, sent in AppInfo): the dialog's reminder field stops at the
// lead time Rust allows, and the refusal of one calendar too many names Rust's number. Numbers
// other than today's show that none is written in the UI.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ActivityInput } from "./api";
import { errorMessage, setLanguage } from "./i18n";
import { setLimits } from "./limits";

vi.mock("./api", async (original) => ({
  ...(await original<typeof import("./api")>()),
  api: new Proxy({}, { get: () => () => new Promise(() => {}) }),
}));

const { ActivityDialog } = await import("./views/ActivityDialog");

const draft = {
  kind: "appointment",
  subject: "Termin",
  starts_at: "2026-10-25T08:00:00Z",
  ends_at: "2026-10-25T09:00:00Z",
  time_zone: "Europe/Berlin",
  memo: "",
  mail_text: "",
  status: "open",
  owner_employee_id: 1,
  business_partner_id: null,
  contact_id: null,
  person_id: null,
  participants: [],
  reminder_minutes: 15,
} as ActivityInput;

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
});

describe("Rust's bounds", () => {
  it("cap the dialog's reminder minutes", () => {
    setLanguage("de");
    setLimits({ max_open_calendars: 12, max_reminder_minutes: 2880 });
    render(
      <ActivityDialog draft={draft} wallClock={{ starts: "2026-10-25T10:00", ends: "2026-10-25T11:00" }} participants={[]} onSaved={() => {}} onClose={() => {}} />,
      document.body,
    );
    const field = document.querySelector<HTMLInputElement>("input[name=reminder_minutes]")!;
    expect(field.max).toBe("2880");
    expect(field.min).toBe("0");
  });

  it("are named in the refusal of one calendar too many, in both languages", () => {
    setLimits({ max_open_calendars: 12, max_reminder_minutes: 2880 });
    setLanguage("de");
    expect(errorMessage("too_many_calendars")).toBe("Es können höchstens 12 Kalender gleichzeitig geöffnet sein.");
    setLanguage("en");
    expect(errorMessage("too_many_calendars")).toBe("At most 12 calendars can be open at once.");
  });
});
