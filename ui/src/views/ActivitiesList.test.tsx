// @vitest-environment happy-dom
// F2 on the activity list: "Neue Aktivität" offers the kinds Rust answers (no Teams meeting where
// Rust offers none, C7) and makes each of them; "Löschen" asks first and deletes only on "Löschen",
// and a sent meeting is not deleted but opened to be cancelled first (C4). Rust is a stand-in.
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import type { Activity, ActivityKind, DeleteOffer } from "../api";
import * as fixtures from "../testing/fixtures";
import { draft } from "../testing/fixtures";
import { setLanguage } from "../i18n";

const rust = vi.hoisted(() => ({
  searchActivities: vi.fn(),
  newActivityKinds: vi.fn(),
  newActivityDraft: vi.fn(),
  createActivity: vi.fn(),
  activityButtons: vi.fn(),
  deleteActivity: vi.fn(async () => null),
  meetingSendCheck: vi.fn(async () => null),
}));
vi.mock("../api", async (original) => {
  const real = await original<typeof import("../api")>();
  const api = new Proxy(rust as Record<string, unknown>, {
    get: (target, name: string) => target[name] ?? (async () => (name === "teamsButtonsFor" ? null : [])),
  });
  return { ...real, api };
});

const { ActivitiesList } = await import("./ActivitiesList");

const ALL: ActivityKind[] = ["appointment", "meeting", "teams_meeting", "call", "email", "task", "note", "visit"];
const TITLES: Record<ActivityKind, string> = {
  appointment: "Neuer Termin",
  meeting: "Neue Besprechung",
  teams_meeting: "Neue MS Teams Besprechung",
  call: "Neues Telefonat",
  email: "Neue E-Mail",
  task: "Neue Aufgabe",
  note: "Neue Notiz",
  visit: "Neuer Besuch",
};

/** The list's activity: an open task "Angebot prüfen". */
function activity(over: Partial<Activity>): Activity {
  return fixtures.activity({ kind: "task", subject: "Angebot prüfen", memo: "", ...over });
}

const q = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const tick = () => new Promise((r) => setTimeout(r, 0));
const type = async (input: HTMLInputElement, value: string) => {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await tick();
};

async function list(rows: Activity[]) {
  rust.searchActivities.mockResolvedValue(rows);
  const opened: number[] = [];
  render(<ActivitiesList onOpen={(id) => opened.push(id)} />, document.body);
  await until(() => rust.searchActivities.mock.calls.length > 0);
  await tick();
  return opened;
}

beforeEach(() => setLanguage("de"));
afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

describe("a new activity from the list", () => {
  it("makes every kind Rust offers, each in its own dialog", async () => {
    rust.newActivityKinds.mockResolvedValue(ALL);
    rust.newActivityDraft.mockImplementation(async (kind: ActivityKind) => draft(kind));
    rust.createActivity.mockImplementation(async (input: { kind: ActivityKind }) => activity({ id: 9, kind: input.kind }));
    await list([]);
    for (const kind of ALL) {
      q<HTMLButtonElement>("[data-testid=new-activity]")!.click();
      const choice = await until(() => q("[data-testid=new-activity-choice]"));
      expect(choice.textContent).toContain("Welche Aktivitätsart?");
      expect([...choice.querySelectorAll(".action")].map((b) => b.firstChild?.textContent)).toEqual(ALL.map((k) => TITLES[k]));
      q<HTMLButtonElement>(`[data-testid=new-${kind}]`)!.click();
      const dialog = await until(() => q("[data-testid=activity-dialog]"));
      expect(rust.newActivityDraft).toHaveBeenLastCalledWith(kind, null);
      expect(dialog.querySelector("h2")?.textContent).toBe(TITLES[kind]);
      // The lookups can be set in the dialog (F2).
      expect(dialog.querySelector("[data-testid=lookup-contact]")).not.toBeNull();
      await type(dialog.querySelector<HTMLInputElement>("input[name=subject]")!, `${kind} aus der Liste`);
      dialog.querySelector<HTMLButtonElement>("[data-testid=save-activity]")!.click();
      await until(() => !q("[data-testid=activity-dialog]"));
      expect(rust.createActivity).toHaveBeenLastCalledWith(
        expect.objectContaining({ kind, subject: `${kind} aus der Liste`, contact_id: null }),
        { starts: "2026-12-01T10:00", ends: "2026-12-01T11:00" },
      );
    }
    expect(rust.createActivity).toHaveBeenCalledTimes(ALL.length);
    expect(rust.newActivityKinds).toHaveBeenCalledWith(null);
    await until(() => q("[data-testid=notice]")?.textContent?.includes("Gespeichert"));
  });

  it("offers no Teams meeting where Rust offers none (C7)", async () => {
    rust.newActivityKinds.mockResolvedValue(ALL.filter((k) => k !== "teams_meeting"));
    await list([]);
    q<HTMLButtonElement>("[data-testid=new-activity]")!.click();
    const choice = await until(() => q("[data-testid=new-activity-choice]"));
    expect(choice.textContent).toContain("Neues Telefonat");
    expect(choice.textContent).not.toContain("MS Teams");
    expect(q("[data-testid=new-teams_meeting]")).toBeNull();
  });
});

describe("deleting from the list", () => {
  const offer = (o: DeleteOffer) => rust.activityButtons.mockResolvedValue({ action: null, cancel: false, editable: true, convert: [], join: false, delete: o });

  it("asks first, and deletes only on 'Löschen'", async () => {
    offer({ type: "allowed" });
    await list([activity({})]);
    const remove = await until(() => q<HTMLButtonElement>("[data-testid=delete-activity]"));
    expect(remove.getAttribute("aria-label")).toBe("Aktivität löschen: Angebot prüfen");
    remove.click();
    const dialog = await until(() => q("[data-testid=delete-dialog]"));
    expect(dialog.textContent).toContain("Die Aktivität „Angebot prüfen“ wirklich löschen?");
    // "Abbrechen" keeps it.
    [...dialog.querySelectorAll("button")].find((b) => b.textContent === "Abbrechen")!.click();
    await until(() => !q("[data-testid=delete-dialog]"));
    expect(rust.deleteActivity).not.toHaveBeenCalled();

    remove.click();
    const again = await until(() => q("[data-testid=delete-dialog]"));
    rust.searchActivities.mockResolvedValue([]);
    again.querySelector<HTMLButtonElement>("[data-testid=confirm-delete]")!.click();
    await until(() => rust.deleteActivity.mock.calls.length > 0);
    expect(rust.deleteActivity).toHaveBeenCalledWith(5);
    await until(() => q("[data-testid=notice]")?.textContent?.includes("Die Aktivität wurde gelöscht."));
    await until(() => !q("[data-testid=activity-row-5]"));
  });

  it("does not delete a sent meeting but opens it to be cancelled first (C4)", async () => {
    offer({ type: "cancel_first" });
    const opened = await list([activity({ kind: "teams_meeting", sent_at: "2026-11-30T09:00:00Z" })]);
    (await until(() => q<HTMLButtonElement>("[data-testid=delete-activity]"))).click();
    const dialog = await until(() => q("[data-testid=delete-dialog]"));
    expect(dialog.textContent).toContain("Sie muss zuerst abgesagt werden („Besprechung absagen“)");
    expect(dialog.querySelector("[data-testid=confirm-delete]")).toBeNull();
    dialog.querySelector<HTMLButtonElement>("[data-testid=open-to-cancel]")!.click();
    expect(opened).toEqual([5]);
    expect(rust.deleteActivity).not.toHaveBeenCalled();
  });

  it("opens the row with Enter, but Enter on its delete button does not open it", async () => {
    offer({ type: "allowed" });
    const opened = await list([activity({})]);
    const row = await until(() => q<HTMLElement>("[data-testid=activity-row-5]"));
    row.querySelector("button")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(opened).toEqual([]);
    row.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(opened).toEqual([5]);
  });
});
