// @vitest-environment happy-dom
// C2, C4, C6, C7, C8 on the activity page, table-driven: for each set of buttons Rust can answer
// (crm::rules::ActivityButtons) the toolbar shows exactly those buttons, with the seed's German
// labels, and each click asks Rust for the right command with the right arguments. Rust is a
// stand-in whose answers are typed as the generated bindings.
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import type { Activity, ActivityButtons, ActivityKind } from "../api";
import * as fixtures from "../testing/fixtures";
import { ANNA as anna, draft as draftOf, JOIN_URL as JOIN, MAX as max } from "../testing/fixtures";
import { setLanguage } from "../i18n";

type Api = (typeof import("../api"))["api"];
const rust = vi.hoisted(() => ({
  getActivity: vi.fn<Api["getActivity"]>(),
  activityButtons: vi.fn<Api["activityButtons"]>(),
  recordHistory: vi.fn<Api["recordHistory"]>(async () => []),
  teamsButtonsFor: vi.fn<Api["teamsButtonsFor"]>(async () => ({ call: false, chat: false })),
  updateActivity: vi.fn<Api["updateActivity"]>(),
  convertActivity: vi.fn<Api["convertActivity"]>(),
  joinMeeting: vi.fn<Api["joinMeeting"]>(async () => null),
  cancelMeeting: vi.fn<Api["cancelMeeting"]>(),
  calendarActions: vi.fn<Api["calendarActions"]>(),
  linkedDraft: vi.fn<Api["linkedDraft"]>(),
  meetingSendCheck: vi.fn<Api["meetingSendCheck"]>(async () => null),
  meetingSummary: vi.fn<Api["meetingSummary"]>(() => new Promise(() => {})),
  sendMeetingRequest: vi.fn<Api["sendMeetingRequest"]>(),
  sendWait: vi.fn<Api["sendWait"]>(async () => null),
}));
// A command the page is not expected to call is recorded, so that a test can say none was.
const unexpected = vi.hoisted((): string[] => []);
vi.mock("../api", async (original) => {
  const real = await original<typeof import("../api")>();
  const api = new Proxy(rust, {
    get: (target, name: string) =>
      name in target
        ? target[name as keyof typeof target]
        : async () => {
            unexpected.push(name);
            throw new Error(`unexpected command ${name}`);
          },
  });
  return { ...real, api };
});

const { ActivityPage } = await import("./ActivityPage");

/** The page's activity: the appointment with Anna as its participant. */
function activity(over: Partial<Activity>): Activity {
  return fixtures.activity({ uid: "5b0c8a7e-3f4d-4c1e-9f0a-2d6c7e8f9a01", participants: [anna], ...over });
}
const sent = { sent_at: "2026-11-30T10:00:00Z", participants: [anna, max] };

type Row = {
  name: string;
  activity: Activity;
  buttons: ActivityButtons;
  /** The toolbar's labels after "← Zurück", in order. */
  shown: string[];
  /** Those shown but not usable. */
  disabled?: string[];
  /** The reason Rust gave for a disabled action, as the page explains it. */
  reason?: string;
};

// Each row is an answer `ActivityButtons::of` gives for such an activity (crm/rules.rs).
const rows: Row[] = [
  {
    name: "an appointment, Teams available",
    activity: activity({}),
    buttons: { action: { kind: "edit_appointment", enabled: true, reason: null }, cancel: false, editable: true, convert: ["meeting", "teams_meeting"], join: false, delete: { type: "allowed" } },
    shown: ["Speichern", "Termin bearbeiten", "Löschen", "In Besprechung umwandeln", "In MS Teams Besprechung umwandeln"],
  },
  {
    name: "an appointment, Teams not available (C7)",
    activity: activity({}),
    buttons: { action: { kind: "edit_appointment", enabled: true, reason: null }, cancel: false, editable: true, convert: ["meeting"], join: false, delete: { type: "allowed" } },
    shown: ["Speichern", "Termin bearbeiten", "Löschen", "In Besprechung umwandeln"],
  },
  {
    name: "an unsent meeting with an attendee",
    activity: activity({ kind: "meeting", participants: [anna, max] }),
    buttons: { action: { kind: "send_request", enabled: true, reason: null }, cancel: false, editable: true, convert: [], join: false, delete: { type: "allowed" } },
    shown: ["Speichern", "Besprechungsanfrage versenden", "Löschen"],
  },
  {
    name: "an unsent Teams meeting without attendees",
    activity: activity({ kind: "teams_meeting" }),
    buttons: { action: { kind: "send_request", enabled: false, reason: "no_participants" }, cancel: false, editable: true, convert: [], join: false, delete: { type: "allowed" } },
    shown: ["Speichern", "Besprechungsanfrage versenden", "Löschen"],
    disabled: ["Besprechungsanfrage versenden"],
    reason: "Es ist kein Teilnehmer eingetragen: Die Besprechungsanfrage kann nicht versendet werden.",
  },
  {
    name: "a meeting whose send may have reached Microsoft 365",
    activity: activity({ kind: "meeting", participants: [anna, max], send_pending: true }),
    buttons: { action: { kind: "send_request", enabled: true, reason: null }, cancel: false, editable: false, convert: [], join: false, delete: { type: "allowed" } },
    shown: ["Besprechungsanfrage versenden", "Löschen"],
  },
  {
    name: "a sent Teams meeting with its link",
    activity: activity({ kind: "teams_meeting", ...sent, join_url: JOIN, memo: `Agenda\n\n${JOIN}` }),
    buttons: { action: { kind: "join", enabled: true, reason: null }, cancel: true, editable: false, convert: [], join: true, delete: { type: "allowed" } },
    shown: ["An Besprechung teilnehmen", "Besprechung absagen", "Löschen"],
  },
  {
    name: "a sent meeting without Teams",
    activity: activity({ kind: "meeting", ...sent }),
    buttons: { action: { kind: "send_request", enabled: false, reason: "already_sent" }, cancel: true, editable: false, convert: [], join: false, delete: { type: "allowed" } },
    shown: ["Besprechungsanfrage versenden", "Besprechung absagen", "Löschen"],
    disabled: ["Besprechungsanfrage versenden"],
    reason: "Die Besprechungsanfrage ist versendet; die Besprechung kann nicht mehr geändert werden.",
  },
  {
    name: "a sent Teams meeting with the Teams integration off (C7)",
    activity: activity({ kind: "teams_meeting", ...sent, join_url: JOIN }),
    buttons: { action: null, cancel: false, editable: false, convert: [], join: false, delete: { type: "allowed" } },
    shown: ["Löschen"],
  },
  {
    name: "a meeting while no mail configuration reaches Microsoft 365",
    activity: activity({ kind: "meeting" }),
    buttons: { action: null, cancel: false, editable: true, convert: [], join: false, delete: { type: "allowed" } },
    shown: ["Speichern", "Löschen"],
  },
  {
    name: "a call",
    activity: activity({ kind: "call", subject: "MS Teams Anruf: Max Muster" }),
    buttons: { action: { kind: "new_linked", enabled: true, reason: null }, cancel: false, editable: true, convert: [], join: false, delete: { type: "allowed" } },
    shown: ["Speichern", "Neuen Termin/Besprechung erstellen", "Löschen"],
  },
];

/** What a user reads on a button: its text without the icons that are hidden from them. */
function labelOf(b: HTMLElement): string {
  const copy = b.cloneNode(true) as HTMLElement;
  copy.querySelectorAll("[aria-hidden=true]").forEach((e) => e.remove());
  return (copy.textContent ?? "").replace(/\s+/g, " ").trim();
}
const toolbar = () => [...document.querySelectorAll<HTMLButtonElement>("[data-testid=record-activity] form > .toolbar > button")];
const toolbarButton = (label: string) => toolbar().find((b) => labelOf(b) === label)!;
const dialogTitled = (title: string) => document.querySelector<HTMLElement>(`[role=dialog][aria-label="${title}"]`);
const noticeText = () => document.querySelector("[data-testid=notice] span")?.textContent ?? null;

async function open(row: Row, onBack: () => void = () => {}, onOpenActivity: (id: number) => void = () => {}) {
  rust.getActivity.mockResolvedValue(row.activity);
  rust.activityButtons.mockResolvedValue(row.buttons);
  render(<ActivityPage id={5} onOpen={() => {}} onOpenActivity={onOpenActivity} onBack={onBack} />, document.body);
  await until(() => rust.activityButtons.mock.calls.length > 0 && document.querySelector("[data-testid=record-activity]"));
  // The buttons arrive with Rust's answer, after the page.
  await new Promise((r) => setTimeout(r, 10));
}

beforeEach(() => setLanguage("de"));
afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
  unexpected.length = 0;
});

describe("the activity page shows exactly the buttons Rust answers", () => {
  for (const row of rows) {
    it(row.name, async () => {
      await open(row);
      expect(rust.getActivity).toHaveBeenCalledWith(5);
      expect(rust.activityButtons).toHaveBeenCalledWith(5);
      expect(toolbar().map(labelOf)).toEqual(["← Zurück", ...row.shown]);
      expect(toolbar().filter((b) => b.disabled).map(labelOf)).toEqual(row.disabled ?? []);
      for (const label of row.disabled ?? []) expect(toolbarButton(label).title).toBe(row.reason);
      // The reason is also written out under the form, for who cannot hover.
      const explanation = document.querySelector("form > p.muted.small")?.textContent ?? null;
      expect(explanation).toBe(row.reason ?? null);
      // Fields can change only where Rust says so (C4).
      expect(document.querySelector("[data-testid=readonly-subject]") === null).toBe(row.buttons.editable);
      expect(unexpected).toEqual([]);
    });
  }
});

describe("each button asks Rust for its command", () => {
  const find = (name: string) => rows.find((r) => r.name === name)!;

  it("'← Zurück' goes back", async () => {
    const onBack = vi.fn();
    await open(find("a call"), onBack);
    toolbarButton("← Zurück").click();
    expect(onBack).toHaveBeenCalledTimes(1);
  });

  it("'Speichern' saves the changed fields with the typed wall-clock times", async () => {
    const row = find("a call");
    await open(row);
    rust.updateActivity.mockResolvedValue(activity({ kind: "call", subject: "Rückruf Max Muster" }));
    const subject = document.querySelector<HTMLInputElement>("[data-field=subject] input")!;
    subject.value = "Rückruf Max Muster";
    subject.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    toolbarButton("Speichern").click();
    await until(() => rust.updateActivity.mock.calls.length > 0);
    const [id, version, input, wallClock] = rust.updateActivity.mock.calls[0];
    expect(version).toBe(1);
    expect(id).toBe(5);
    expect(input).toMatchObject({ kind: "call", subject: "Rückruf Max Muster", owner_employee_id: 1, participants: [{ type: "employee", id: 1 }] });
    expect(wallClock).toEqual({ starts: "2026-12-01T10:00", ends: "2026-12-01T11:00" });
    await until(() => noticeText() === "Gespeichert");
  });

  it("'Termin bearbeiten' opens the appointment's dialog and sends nothing yet (C6)", async () => {
    await open(find("an appointment, Teams available"));
    toolbarButton("Termin bearbeiten").click();
    const dialog = await until(() => dialogTitled("Termin bearbeiten"));
    expect(dialog.querySelector<HTMLInputElement>("input[name=subject]")!.value).toBe("Messevorbereitung");
    expect(rust.updateActivity).not.toHaveBeenCalled();
    expect(unexpected).toEqual([]);
  });

  const conversions: [string, ActivityKind][] = [
    ["In Besprechung umwandeln", "meeting"],
    ["In MS Teams Besprechung umwandeln", "teams_meeting"],
  ];
  for (const [label, kind] of conversions) {
    it(`'${label}' converts the appointment and asks for the new buttons (C2)`, async () => {
      await open(find("an appointment, Teams available"));
      rust.convertActivity.mockResolvedValue(activity({ kind }));
      rust.activityButtons.mockResolvedValue({ action: { kind: "send_request", enabled: false, reason: "no_participants" }, cancel: false, editable: true, convert: [], join: false, delete: { type: "allowed" } });
      toolbarButton(label).click();
      await until(() => rust.convertActivity.mock.calls.length > 0);
      expect(rust.convertActivity).toHaveBeenCalledWith(5, kind);
      await until(() => toolbar().map(labelOf).includes("Besprechungsanfrage versenden"));
      expect(rust.activityButtons).toHaveBeenCalledTimes(2);
      expect(toolbar().map(labelOf)).toEqual(["← Zurück", "Speichern", "Besprechungsanfrage versenden", "Löschen"]);
    });
  }

  it("'Besprechungsanfrage versenden' shows the summary first and sends nothing before the confirmation (C4)", async () => {
    await open(find("an unsent meeting with an attendee"));
    toolbarButton("Besprechungsanfrage versenden").click();
    await until(() => dialogTitled("Besprechungsanfrage versenden?"));
    // The dialog asks for the summary once it is shown (an effect, after the paint).
    await until(() => rust.meetingSummary.mock.calls.length > 0);
    expect(rust.meetingSummary).toHaveBeenCalledWith(5);
    expect(rust.sendMeetingRequest).not.toHaveBeenCalled();
  });

  it("a disabled 'Besprechungsanfrage versenden' opens nothing", async () => {
    await open(find("an unsent Teams meeting without attendees"));
    toolbarButton("Besprechungsanfrage versenden").click();
    await new Promise((r) => setTimeout(r, 20));
    expect(dialogTitled("Besprechungsanfrage versenden?")).toBeNull();
    expect(rust.meetingSummary).not.toHaveBeenCalled();
  });

  it("'An Besprechung teilnehmen' joins through Rust (C6, D2)", async () => {
    await open(find("a sent Teams meeting with its link"));
    toolbarButton("An Besprechung teilnehmen").click();
    await until(() => rust.joinMeeting.mock.calls.length > 0);
    expect(rust.joinMeeting).toHaveBeenCalledWith(5);
    expect(rust.cancelMeeting).not.toHaveBeenCalled();
  });

  it("'Besprechung absagen' asks for the message and cancels with it (C8)", async () => {
    const row = find("a sent Teams meeting with its link");
    await open(row);
    toolbarButton("Besprechung absagen").click();
    const dialog = await until(() => dialogTitled("Besprechung absagen"));
    expect(dialog.querySelector(".field span")!.textContent).toBe("Nachricht an die Teilnehmer");
    expect(rust.cancelMeeting).not.toHaveBeenCalled();
    const message = dialog.querySelector<HTMLTextAreaElement>("textarea")!;
    message.value = "Der Termin entfällt leider.";
    message.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    rust.cancelMeeting.mockResolvedValue({ ...row.activity, status: "cancelled" });
    rust.activityButtons.mockResolvedValue({ action: { kind: "join", enabled: true, reason: null }, cancel: false, editable: false, convert: [], join: false, delete: { type: "allowed" } });
    const confirm = [...dialog.querySelectorAll("button")].find((b) => b.textContent === "Absagen")!;
    confirm.click();
    await until(() => rust.cancelMeeting.mock.calls.length > 0);
    expect(rust.cancelMeeting).toHaveBeenCalledWith(5, "Der Termin entfällt leider.");
    await until(() => noticeText() === "Die Besprechung wurde abgesagt.");
    expect(dialogTitled("Besprechung absagen")).toBeNull();
    expect(toolbar().map(labelOf)).not.toContain("Besprechung absagen");
  });

  it("'Neuen Termin/Besprechung erstellen' offers the kinds Rust names and drafts the linked one (C6)", async () => {
    await open(find("a call"));
    rust.calendarActions.mockResolvedValue(["appointment", "meeting", "teams_meeting"]);
    const draft = draftOf("meeting", [max], {
      input: {
        subject: "MS Teams Anruf: Max Muster",
        starts_at: "2026-12-02T09:00:00Z",
        ends_at: "2026-12-02T10:00:00Z",
        contact_id: 9,
      },
      wall_clock: { starts: "2026-12-02T10:00", ends: "2026-12-02T11:00" },
      linked_from: 5,
      contact: { kind: "contact", id: 9, label: "Max Muster" },
    });
    rust.linkedDraft.mockResolvedValue(draft);
    toolbarButton("Neuen Termin/Besprechung erstellen").click();
    const choice = await until(() => dialogTitled("Neuen Termin/Besprechung erstellen"));
    expect(rust.calendarActions).toHaveBeenCalledTimes(1);
    const kinds = [...choice.querySelectorAll<HTMLButtonElement>(".actions button")];
    expect(kinds.map(labelOf)).toEqual(["Neuer Termin", "Neue Besprechung", "Neue MS Teams Besprechung"]);
    kinds[1].click();
    await until(() => rust.linkedDraft.mock.calls.length > 0);
    expect(rust.linkedDraft).toHaveBeenCalledWith(5, "meeting");
    const dialog = await until(() => dialogTitled("Neue Besprechung"));
    expect(dialog.querySelector<HTMLInputElement>("input[name=subject]")!.value).toBe("MS Teams Anruf: Max Muster");
    expect(dialogTitled("Neuen Termin/Besprechung erstellen")).toBeNull();
  });
});
