// @vitest-environment happy-dom
// C9 as the user sees it: the dialog shows the wall-clock times Rust gave for the activity's zone
// and sends what was typed, as typed; Rust reads it in that zone and names a time that does not
// exist there.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import { CommandError, type Activity, type ActivityInput, type WallClock } from "../api";
import { setLanguage } from "../i18n";

const rust = vi.hoisted(() => {
  const known = {
    createActivity: vi.fn<(input: ActivityInput, wallClock: WallClock | null) => Promise<Activity>>(),
    meetingSendCheck: vi.fn<(input: ActivityInput) => Promise<string | null>>(),
  };
  return new Proxy(known as Record<string, unknown>, {
    get: (target, name: string) => target[name] ?? (() => new Promise(() => {})),
  }) as typeof known;
});

vi.mock("../api", async (original) => ({
  ...(await original<typeof import("../api")>()),
  api: rust,
}));

import { ActivityDialog } from "./ActivityDialog";

const draft = {
  kind: "appointment",
  subject: "Termin",
  // The instants are what Rust keeps; the inputs show Rust's wall-clock values, not these.
  starts_at: "2026-10-25T00:30:00Z",
  ends_at: "2026-10-25T02:30:00Z",
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

function mount(node: preact.ComponentChild) {
  const host = document.createElement("div");
  document.body.append(host);
  render(node, host);
  return host;
}

const input = (host: HTMLElement, name: string) => host.querySelector(`input[name=${name}]`) as HTMLInputElement;
const type = (el: HTMLInputElement, value: string) => {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
};

afterEach(() => {
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

describe("the activity dialog's times", () => {
  it("shows Rust's wall-clock times and sends the typed ones for Rust to convert", async () => {
    setLanguage("de");
    rust.createActivity.mockResolvedValue({ id: 1 } as Activity);
    const saved = vi.fn();
    const host = mount(
      <ActivityDialog draft={draft} wallClock={{ starts: "2026-10-25T02:30", ends: "2026-10-25T03:30" }} participants={[]} onSaved={saved} onClose={() => {}} />,
    );
    expect(input(host, "starts_at").value).toBe("2026-10-25T02:30");
    expect(input(host, "ends_at").value).toBe("2026-10-25T03:30");
    type(input(host, "starts_at"), "2026-10-26T09:00");
    // The end follows the start by the typed distance.
    await until(() => (input(host, "ends_at").value === "2026-10-26T10:00" ? true : null));
    (host.querySelector("[data-testid=save-activity]") as HTMLButtonElement).click();
    await until(() => saved.mock.calls.length > 0 || null);
    const [fields, times] = rust.createActivity.mock.calls[0];
    expect(times).toEqual({ starts: "2026-10-26T09:00", ends: "2026-10-26T10:00" });
    // The instants go back unchanged: the webview converts nothing.
    expect(fields.starts_at).toBe(draft.starts_at);
    expect(fields.time_zone).toBe("Europe/Berlin");
  });

  it("shows Rust's refusal of a time skipped by the switch to summer time", async () => {
    setLanguage("de");
    rust.createActivity.mockRejectedValue(
      new CommandError("validation", "invalid input", [{ field: "starts_at", code: "nonexistent_local_time" }]),
    );
    const host = mount(
      <ActivityDialog draft={draft} wallClock={{ starts: "2026-03-29T02:30", ends: "2026-03-29T03:30" }} participants={[]} onSaved={() => {}} onClose={() => {}} />,
    );
    (host.querySelector("[data-testid=save-activity]") as HTMLButtonElement).click();
    await until(() => (host.textContent?.includes("Sommerzeit") ? true : null));
    expect(host.textContent).toContain("Diese Uhrzeit gibt es in der Zeitzone der Aktivität nicht (Umstellung auf Sommerzeit)");
  });
});
