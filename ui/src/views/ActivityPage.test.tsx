// @vitest-environment happy-dom
// C2, C6, C7, D2 on the activity page: the page shows the buttons Rust decided (the variable
// button, the conversions, the memo's join link) and nothing Rust did not offer. Rust is a
// stand-in; the labels are the seed's German words.
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import type { Activity, ActivityButtons } from "../api";
import { activity, activityButtons as buttons, contact as contactRecord } from "../testing/fixtures";
import { setLanguage } from "../i18n";

const rust = vi.hoisted(() => ({
  getActivity: vi.fn(),
  activityButtons: vi.fn(),
  updateActivity: vi.fn(),
  convertActivity: vi.fn(),
  joinMeeting: vi.fn(async () => null),
  deleteActivity: vi.fn(async () => null),
  searchContacts: vi.fn(async () => []),
}));

vi.mock("../api", async (original) => {
  const real = await original<typeof import("../api")>();
  // Every other command answers with nothing (the history, the Teams buttons of the lookups).
  const api = new Proxy(rust as Record<string, unknown>, {
    get: (target, name: string) => target[name] ?? (async () => (name === "teamsButtonsFor" ? null : [])),
  });
  return { ...real, api };
});

const { ActivityPage } = await import("./ActivityPage");

const JOIN = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9v%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d";

async function open(a: Activity, b: ActivityButtons, onBack: () => void = () => {}) {
  rust.getActivity.mockResolvedValue(a);
  rust.activityButtons.mockResolvedValue(b);
  render(<ActivityPage id={a.id} onOpen={() => {}} onOpenActivity={() => {}} onBack={onBack} />, document.body);
  await until(() => document.querySelector("[data-testid=record-activity]"));
  await until(() => rust.activityButtons.mock.calls.length > 0);
  await new Promise((r) => setTimeout(r, 0));
}

const labels = () => [...document.querySelectorAll("button")].map((b) => b.textContent?.trim());

beforeEach(() => setLanguage("de"));
afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

describe("the activity page renders Rust's buttons", () => {
  it("offers both conversions and 'Termin bearbeiten', which edits the appointment in its dialog", async () => {
    await open(
      activity({}),
      buttons({ action: { kind: "edit_appointment", enabled: true, reason: null }, convert: ["meeting", "teams_meeting"] }),
    );
    expect(labels()).toContain("In Besprechung umwandeln");
    expect(labels()).toContain("In MS Teams Besprechung umwandeln");

    const edit = [...document.querySelectorAll("button")].find((b) => b.textContent === "Termin bearbeiten")!;
    edit.click();
    const dialog = await until(() => document.querySelector<HTMLElement>("[data-testid=activity-dialog]"));
    expect(dialog.querySelector("h2")?.textContent).toBe("Termin bearbeiten");
    const subject = dialog.querySelector<HTMLInputElement>("input[name=subject]")!;
    expect(subject.value).toBe("Messevorbereitung");
    expect(dialog.querySelector<HTMLTextAreaElement>("textarea[name=memo]")!.value).toBe("Stand besprechen");

    rust.updateActivity.mockResolvedValue(activity({ subject: "Messe" }));
    subject.value = "Messe";
    subject.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    dialog.querySelector<HTMLButtonElement>("[data-testid=save-activity]")!.click();
    await until(() => rust.updateActivity.mock.calls.length > 0);
    expect(rust.updateActivity.mock.calls[0][0]).toBe(5);
    // The dialog sends back the version it was opened on, so a save over a later change is refused.
    expect(rust.updateActivity.mock.calls[0][1]).toBe(1);
    expect(rust.updateActivity.mock.calls[0][2]).toMatchObject({ kind: "appointment", subject: "Messe", memo: "Stand besprechen" });
  });

  it("offers no Teams conversion where Rust offers none (C7)", async () => {
    await open(activity({}), buttons({ action: { kind: "edit_appointment", enabled: true, reason: null }, convert: ["meeting"] }));
    expect(labels()).toContain("In Besprechung umwandeln");
    expect(labels()).not.toContain("In MS Teams Besprechung umwandeln");
  });

  it("offers no 'Termin bearbeiten' on a meeting", async () => {
    await open(activity({ kind: "meeting" }), buttons({ action: { kind: "send_request", enabled: true, reason: null } }));
    expect(labels()).toContain("Besprechungsanfrage versenden");
    expect(labels()).not.toContain("Termin bearbeiten");
    expect(labels()).not.toContain("In Besprechung umwandeln");
  });
});

describe("the memo of a sent Teams meeting (D2)", () => {
  const sent = activity({
    kind: "teams_meeting",
    sent_at: "2026-11-30T09:00:00Z",
    memo: `Agenda: Angebot\n\n${JOIN}`,
    join_url: JOIN,
  });

  it("is read-only with its join link once, inside the memo, opening through join_meeting", async () => {
    await open(sent, buttons({ action: { kind: "join", enabled: true, reason: null }, join: true }));
    const memo = document.querySelector<HTMLElement>("[data-testid=memo]")!;
    expect(memo.textContent).toContain("Agenda: Angebot");
    expect(document.querySelector("textarea")).toBeNull();
    const links = document.querySelectorAll<HTMLAnchorElement>("[data-testid=memo-join-link]");
    expect(links).toHaveLength(1);
    expect(memo.contains(links[0])).toBe(true);
    expect(links[0].getAttribute("href")).toBe("#");
    expect(links[0].textContent).toContain("19:meeting_Zm9v@thread.v2");
    // Not the raw, percent-encoded link anywhere on the page.
    expect(document.body.textContent).not.toContain("19%3ameeting");
    links[0].click();
    await until(() => rust.joinMeeting.mock.calls.length > 0);
    expect(rust.joinMeeting).toHaveBeenCalledWith(5);
  });

  it("has no join link and no join button where Rust offers none (C7)", async () => {
    await open(sent, buttons({ action: null, join: false }));
    expect(document.querySelector("[data-testid=memo-join-link]")).toBeNull();
    expect(document.body.textContent).not.toContain("An Besprechung teilnehmen");
    expect(document.querySelector("[data-testid=memo]")?.textContent).toContain("Agenda: Angebot");
  });
});

const button = (label: string, root: ParentNode = document) =>
  [...root.querySelectorAll<HTMLButtonElement>("button")].find((b) => b.textContent?.trim() === label);

describe("deleting an activity from its page (F2, C4)", () => {
  it("asks first and deletes only on 'Löschen', then goes back", async () => {
    const back = vi.fn();
    await open(activity({ kind: "call", subject: "Rückruf" }), buttons({ delete: { type: "allowed" } }), back);
    button("Löschen")!.click();
    const dialog = await until(() => document.querySelector<HTMLElement>("[data-testid=delete-dialog]"));
    expect(dialog.querySelector("h2")?.textContent).toBe("Aktivität löschen");
    expect(dialog.textContent).toContain("Die Aktivität „Rückruf“ wirklich löschen? Das lässt sich nicht rückgängig machen.");
    // The safe choice has the focus; Escape closes without deleting.
    await until(() => document.activeElement?.textContent === "Abbrechen");
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    await until(() => !document.querySelector("[data-testid=delete-dialog]"));
    expect(rust.deleteActivity).not.toHaveBeenCalled();

    button("Löschen")!.click();
    (await until(() => document.querySelector<HTMLButtonElement>("[data-testid=confirm-delete]"))).click();
    await until(() => back.mock.calls.length > 0);
    expect(rust.deleteActivity).toHaveBeenCalledWith(5);
  });

  it("offers to cancel a sent meeting first instead of deleting it", async () => {
    const sent = activity({ kind: "meeting", sent_at: "2026-11-30T09:00:00Z" });
    await open(sent, buttons({ editable: false, cancel: true, delete: { type: "cancel_first" } }));
    button("Löschen")!.click();
    const dialog = await until(() => document.querySelector<HTMLElement>("[data-testid=delete-dialog]"));
    expect(dialog.textContent).toContain("Die Besprechungsanfrage ist versendet");
    expect(dialog.querySelector("[data-testid=confirm-delete]")).toBeNull();
    button("Besprechung absagen", dialog)!.click();
    await until(() => document.querySelector("[data-testid=cancel-dialog]"));
    expect(document.querySelector("[data-testid=delete-dialog]")).toBeNull();
    expect(rust.deleteActivity).not.toHaveBeenCalled();
  });

  it("says why where Rust refuses, and offers no delete", async () => {
    await open(activity({ kind: "meeting" }), buttons({ delete: { type: "refused", reason: "send_pending" } }));
    button("Löschen")!.click();
    const dialog = await until(() => document.querySelector<HTMLElement>("[data-testid=delete-dialog]"));
    expect(dialog.textContent).toContain("Ein Versand dieser Besprechung hat Microsoft 365 vielleicht erreicht");
    expect(dialog.querySelector("[data-testid=confirm-delete]")).toBeNull();
  });
});

describe("an activity's contact, business partner and person (F2)", () => {
  const typeIn = async (input: HTMLInputElement, value: string) => {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
  };

  it("are changed through their lookup fields, by mouse or keyboard", async () => {
    rust.searchContacts.mockResolvedValue([contactRecord({ email: null })] as never);
    await open(
      activity({ kind: "visit", person: { kind: "person", id: 4, label: "Ole Hansen" } }),
      buttons({ action: { kind: "new_linked", enabled: true, reason: null } }),
    );
    const contact = document.querySelector<HTMLElement>("[data-testid=lookup-contact]")!;
    const search = contact.querySelector<HTMLInputElement>("input[type=search]")!;
    expect(search.getAttribute("aria-label")).toBe("Ansprechpartner suchen");
    await typeIn(search, "Vog");
    await until(() => contact.querySelector(".suggestion"));
    expect(rust.searchContacts).toHaveBeenCalledWith("Vog");
    expect(contact.querySelector(".suggestion")!.textContent).toBe("Lena Vogel (Contoso GmbH)");
    // Enter takes the first suggestion and does not save the page.
    search.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await until(() => contact.querySelector("[data-testid=lookup-link]"));
    expect(contact.querySelector("[data-testid=lookup-link]")!.textContent).toBe("Lena Vogel (Contoso GmbH)");
    expect(rust.updateActivity).not.toHaveBeenCalled();
    // The person is removed with its button.
    const person = document.querySelector<HTMLElement>("[data-testid=lookup-person]")!;
    const clear = person.querySelector<HTMLButtonElement>("[data-testid=lookup-clear]")!;
    expect(clear.getAttribute("aria-label")).toBe("Person entfernen");
    clear.click();
    await new Promise((r) => setTimeout(r, 0));

    rust.updateActivity.mockResolvedValue(activity({ kind: "visit", contact: { kind: "contact", id: 3, label: "Lena Vogel" }, business_partner: { kind: "business_partner", id: 2, label: "Contoso GmbH" } }));
    document.querySelector<HTMLButtonElement>("[data-testid=save-record]")!.click();
    await until(() => rust.updateActivity.mock.calls.length > 0);
    expect(rust.updateActivity.mock.calls[0][1]).toBe(1);
    expect(rust.updateActivity.mock.calls[0][2]).toMatchObject({ contact_id: 3, person_id: null, business_partner_id: null });
    // Rust filled in the contact's partner: the page shows what Rust stored.
    await until(() => document.querySelector("[data-testid=lookup-business_partner]")?.textContent?.includes("Contoso GmbH"));
  });

  it("show Rust's refusal of a contact of another partner at the contact field", async () => {
    const { CommandError } = await import("../api");
    await open(
      activity({ kind: "task", contact: { kind: "contact", id: 3, label: "Lena Vogel" }, business_partner: { kind: "business_partner", id: 9, label: "Fabrikam AG" } }),
      buttons({}),
    );
    rust.updateActivity.mockRejectedValue(new CommandError("validation", "", [{ field: "contact_id", code: "contact_not_of_partner" }]));
    document.querySelector<HTMLButtonElement>("[data-testid=save-record]")!.click();
    const error = await until(() => document.querySelector("[data-field=contact_id] [role=alert]"));
    expect(error.textContent).toContain("Der Ansprechpartner gehört zu einem anderen Geschäftspartner.");
  });

  it("are read-only on a sent meeting", async () => {
    await open(
      activity({ kind: "meeting", sent_at: "2026-11-30T09:00:00Z", contact: { kind: "contact", id: 3, label: "Lena Vogel" } }),
      buttons({ editable: false, cancel: true, delete: { type: "cancel_first" } }),
    );
    expect(document.querySelector("[data-testid=lookup-contact]")).toBeNull();
    expect(document.querySelector("input[type=search]")).toBeNull();
    expect(document.querySelector("[data-field=contact_id]")?.textContent).toContain("Lena Vogel");
  });
});

describe("a save refused because someone saved the activity meanwhile (T4, F2)", () => {
  const conflict = { changed_by: "Ben Wolf", changed_at: 1_796_100_000, changed_at_text: "30.11.2026, 08:20" };
  const stored = activity({ subject: "Messe Hannover", stamp: { version: 2, changed_by: "Ben Wolf", changed_at: 1_796_100_000 } });
  const subject = () => document.querySelector<HTMLInputElement>("[data-testid=record-activity] [data-field=subject] input")!;

  async function refusedSave() {
    const { CommandError } = await import("../api");
    await open(activity({}), buttons({}));
    rust.updateActivity.mockRejectedValueOnce(new CommandError("conflict", "", [], null, conflict));
    rust.getActivity.mockResolvedValue(stored);
    subject().value = "Messevorbereitung Kiel";
    subject().dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    document.querySelector<HTMLButtonElement>("[data-testid=save-record]")!.click();
    return until(() => document.querySelector("[data-testid=record-activity] [data-testid=conflict]"));
  }

  it("says who saved and when, shows the stored values beside the typed ones, and keeps the typing", async () => {
    const panel = await refusedSave();
    expect(rust.updateActivity.mock.calls[0][1]).toBe(1);
    const notice = document.querySelector("[data-testid=record-activity] [data-testid=notice]")!.textContent;
    expect(notice).toContain("inzwischen von Ben Wolf am 30.11.2026, 08:20 geändert");
    // Only the field that differs.
    const rows = panel.querySelectorAll("tbody tr");
    expect(rows.length).toBe(1);
    expect(rows[0].textContent).toBe("BetreffMessevorbereitung KielMesse Hannover");
    expect(subject().value).toBe("Messevorbereitung Kiel");
  });

  it("saves the typed values over the stored version only when the user says so", async () => {
    await refusedSave();
    rust.updateActivity.mockResolvedValueOnce(activity({ subject: "Messevorbereitung Kiel", stamp: { ...stored.stamp, version: 3 } }));
    document.querySelector<HTMLButtonElement>("[data-testid=conflict-keep-mine]")!.click();
    await until(() => rust.updateActivity.mock.calls.length === 2);
    expect(rust.updateActivity.mock.calls[1][1]).toBe(2);
    expect(rust.updateActivity.mock.calls[1][2]).toMatchObject({ subject: "Messevorbereitung Kiel" });
    await until(() => !document.querySelector("[data-testid=conflict]"));
  });

  it("takes the stored values into the form on request", async () => {
    await refusedSave();
    document.querySelector<HTMLButtonElement>("[data-testid=conflict-take-current]")!.click();
    await until(() => !document.querySelector("[data-testid=conflict]"));
    expect(subject().value).toBe("Messe Hannover");
    expect(rust.updateActivity).toHaveBeenCalledTimes(1);
  });
});
