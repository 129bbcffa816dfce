// @vitest-environment happy-dom
// C4 as the user sees it: a sent meeting's fields are shown read-only where Rust says they cannot
// change, and the dialog's "save and send" is gated by Rust's answer, not by counting here.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import type { Activity, ActivityButtons, ActivityInput } from "../api";
import * as fixtures from "../testing/fixtures";
import { setLanguage } from "../i18n";

const rust = vi.hoisted(() => {
  const known = {
    getActivity: vi.fn<(id: number) => Promise<Activity>>(),
    activityButtons: vi.fn<(id: number) => Promise<ActivityButtons>>(),
    meetingSendCheck: vi.fn<(input: ActivityInput) => Promise<string | null>>(),
  };
  // Every other command of the children (history, Teams buttons, lookups) stays unanswered.
  return new Proxy(known as Record<string, unknown>, {
    get: (target, name: string) => target[name] ?? (() => new Promise(() => {})),
  }) as typeof known;
});

vi.mock("../api", async (original) => ({
  ...(await original<typeof import("../api")>()),
  api: rust,
}));

import { ActivityPage } from "./ActivityPage";
import { ActivityDialog } from "./ActivityDialog";

const activity = fixtures.activity({
  id: 7,
  kind: "teams_meeting",
  subject: "Angebotsbesprechung",
  memo: "",
  sent_at: "2026-11-30T10:00:00Z",
});

function mount(node: preact.ComponentChild) {
  const host = document.createElement("div");
  document.body.append(host);
  render(node, host);
  return host;
}

afterEach(() => {
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

describe("a sent meeting's page", () => {
  it("shows subject and times as text and offers no save where Rust says nothing can change", async () => {
    setLanguage("de");
    rust.getActivity.mockResolvedValue(activity);
    rust.activityButtons.mockResolvedValue({ action: null, cancel: true, editable: false, convert: [], join: false, delete: { type: "cancel_first" } });
    const host = mount(<ActivityPage id={7} onOpen={() => {}} onOpenActivity={() => {}} onBack={() => {}} />);
    const subject = await until(() => host.querySelector("[data-testid=readonly-subject]"));
    expect(subject.textContent).toBe("Angebotsbesprechung");
    expect(host.querySelector("[data-testid=readonly-start]")).not.toBeNull();
    expect(host.querySelector("input:not([type=number])")).toBeNull();
    expect(host.querySelector("[data-testid=save-record]")).toBeNull();
  });

  it("keeps the fields editable where Rust says so", async () => {
    setLanguage("de");
    rust.getActivity.mockResolvedValue({ ...activity, sent_at: null });
    rust.activityButtons.mockResolvedValue({ action: null, cancel: false, editable: true, convert: [], join: false, delete: { type: "allowed" } });
    const host = mount(<ActivityPage id={7} onOpen={() => {}} onOpenActivity={() => {}} onBack={() => {}} />);
    await until(() => host.querySelector("[data-testid=save-record]"));
    expect(host.querySelector("[data-testid=readonly-subject]")).toBeNull();
  });
});

describe("the meeting dialog's send gate", () => {
  const draft = { ...activity, owner_employee_id: 1, business_partner_id: null, contact_id: null, person_id: null, participants: [] } as unknown as ActivityInput;

  it("disables save-and-send with Rust's reason", async () => {
    setLanguage("de");
    rust.meetingSendCheck.mockResolvedValue("no_participants");
    const host = mount(<ActivityDialog draft={draft} wallClock={activity.wall_clock} participants={[]} onSaved={() => {}} onClose={() => {}} />);
    const reason = await until(() => host.querySelector("[data-testid=send-blocker]"));
    expect(reason.textContent).toBe("Es ist kein Teilnehmer eingetragen: Die Besprechungsanfrage kann nicht versendet werden.");
    expect((host.querySelector("[data-testid=save-and-send]") as HTMLButtonElement).disabled).toBe(true);
    expect(rust.meetingSendCheck).toHaveBeenCalledWith(expect.objectContaining({ kind: "teams_meeting", owner_employee_id: 1 }));
  });

  it("enables it when Rust finds nothing in the way", async () => {
    setLanguage("de");
    rust.meetingSendCheck.mockResolvedValue(null);
    const host = mount(<ActivityDialog draft={draft} wallClock={activity.wall_clock} participants={[]} onSaved={() => {}} onClose={() => {}} />);
    await until(() => rust.meetingSendCheck.mock.calls.length > 0 || null);
    await new Promise((r) => setTimeout(r, 20));
    expect((host.querySelector("[data-testid=save-and-send]") as HTMLButtonElement).disabled).toBe(false);
    expect(host.querySelector("[data-testid=send-blocker]")).toBeNull();
  });
});
