// @vitest-environment happy-dom
// F2 on a record's page: a new activity is made from the record, prefilled with it by Rust, and
// shows in the record's history; a communication entry is edited in place, and its history says
// who changed which field from what to what. Rust is a stand-in; the labels are the German ones.
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import type { ActivityDraft, ActivityKind, Communication, HistoryItem, Participant, RecordType } from "../api";
import { draft } from "../testing/fixtures";
import { setLanguage } from "../i18n";

const rust = vi.hoisted(() => ({
  getContact: vi.fn(),
  getBusinessPartner: vi.fn(),
  getEmployee: vi.fn(),
  getPerson: vi.fn(),
  communicationsOf: vi.fn(),
  saveCommunication: vi.fn(),
  deleteCommunication: vi.fn(async () => null),
  recordHistory: vi.fn(),
  newActivityKinds: vi.fn(),
  newActivityDraft: vi.fn(),
  createActivity: vi.fn(),
  contactMeeting: vi.fn(async () => null),
  meetingSendCheck: vi.fn(async () => null),
  emailCalls: vi.fn(async () => ({ field: false, communications: [] })),
  deleteContact: vi.fn(async () => null),
  saveContact: vi.fn(),
  getCommunication: vi.fn(),
}));
vi.mock("../api", async (original) => {
  const real = await original<typeof import("../api")>();
  const api = new Proxy(rust as Record<string, unknown>, {
    get: (target, name: string) => target[name] ?? (async () => (name === "teamsButtonsFor" ? null : [])),
  });
  return { ...real, api };
});

const { RecordPage } = await import("./RecordPage");
const { CommandError } = await import("../api");

const LENA = { kind: "contact", id: 3, label: "Lena Vogel" } as const;
const CONTOSO = { kind: "business_partner", id: 2, label: "Contoso GmbH" } as const;
const OLE = { kind: "person", id: 4, label: "Ole Hansen" } as const;
const BEN = { kind: "employee", id: 6, label: "Ben Wolf" } as const;

const RECORDS: Record<RecordType, { lookup: { kind: RecordType; id: number; label: string }; record: Record<string, unknown>; get: keyof typeof rust }> = {
  contact: {
    lookup: LENA,
    get: "getContact",
    record: { id: 3, stamp: { version: 4, changed_by: "Anna Schmidt", changed_at: 1_796_000_000 }, business_partner_id: 2, business_partner: CONTOSO, salutation: null, first_name: "Lena", last_name: "Vogel", position: null, email: "lena@contoso.example", phone: null, mobile: null },
  },
  business_partner: {
    lookup: CONTOSO,
    get: "getBusinessPartner",
    record: { id: 2, name: "Contoso GmbH", industry: null, street: null, postal_code: null, city: "Köln", country: "DE", phone: null, email: null, website: null },
  },
  person: { lookup: OLE, get: "getPerson", record: { id: 4, first_name: "Ole", last_name: "Hansen", email: null, phone: null, city: null } },
  employee: {
    lookup: BEN,
    get: "getEmployee",
    record: { id: 6, first_name: "Ben", last_name: "Wolf", email: null, phone: null, mobile: null, department: null, color: "#000000", mail_configuration_id: null, user_principal_name: null, mail_configuration: null },
  },
};

/** Rust's draft of `kind` from `type`'s record: the record in its lookup, as `draft_for` makes it. */
function draftFrom(kind: ActivityKind, type: RecordType): ActivityDraft {
  const contact = type === "contact" ? LENA : null;
  const partner = type === "contact" || type === "business_partner" ? CONTOSO : null;
  const person = type === "person" ? OLE : null;
  const participants: Participant[] = type === "employee" ? [{ participant: { type: "employee", id: 6 }, label: "Ben Wolf", email: null }] : [];
  return draft(kind, participants, {
    input: { business_partner_id: partner?.id ?? null, contact_id: contact?.id ?? null, person_id: person?.id ?? null },
    business_partner: partner,
    contact,
    person,
  });
}

const q = <T extends Element = HTMLElement>(sel: string, root: ParentNode = document) => root.querySelector<T>(sel);
const tick = () => new Promise((r) => setTimeout(r, 0));
const type = async (input: HTMLInputElement, value: string) => {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await tick();
};

async function page(type: RecordType, entries: Communication[] = []) {
  const r = RECORDS[type];
  (rust[r.get] as ReturnType<typeof vi.fn>).mockResolvedValue(r.record);
  rust.communicationsOf.mockResolvedValue(entries);
  rust.recordHistory.mockResolvedValue([]);
  render(<RecordPage type={type} id={r.lookup.id} onOpen={() => {}} onOpenActivity={() => {}} onCreated={() => {}} onBack={() => {}} />, document.body);
  await until(() => q(`[data-testid=record-${type}]`));
  await until(() => rust.communicationsOf.mock.calls.length > 0);
  await tick();
}

beforeEach(() => setLanguage("de"));
afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

describe("saving a record someone else changed meanwhile", () => {
  // Ben saved meanwhile: the last name is now "Vogel-Berg" at version 5.
  const conflict = { changed_by: "Ben Wolf", changed_at: 1_796_100_000, changed_at_text: "30.11.2026, 08:20" };
  const stored = { ...RECORDS.contact.record, last_name: "Vogel-Berg", stamp: { version: 5, changed_by: "Ben Wolf", changed_at: 1_796_100_000 } };
  const lastName = () => q<HTMLInputElement>("[data-testid=record-contact] input[name=last_name]")!;

  async function refusedSave() {
    rust.saveContact.mockRejectedValueOnce(new CommandError("conflict", "", [], null, conflict));
    await page("contact");
    rust.getContact.mockResolvedValue(stored);
    await type(lastName(), "Fink");
    q<HTMLButtonElement>("[data-testid=save-record]")!.click();
    return until(() => q("[data-testid=record-contact] [data-testid=conflict]"));
  }

  it("sends back the version the form loaded, says who changed it and when, and shows the stored values beside the typed ones", async () => {
    const panel = await refusedSave();
    expect(rust.saveContact.mock.calls[0][0]).toBe(3);
    expect(rust.saveContact.mock.calls[0][1]).toBe(4);
    const notice = q("[data-testid=record-contact] [data-testid=notice]")!.textContent;
    expect(notice).toContain("inzwischen von Ben Wolf am 30.11.2026, 08:20 geändert");
    expect(notice).toContain("Ihre Eingaben bleiben im Formular");
    // Only the field that differs, the typed value beside the stored one; the input keeps what was typed.
    const rows = panel.querySelectorAll("tbody tr");
    expect(rows.length).toBe(1);
    expect(rows[0].textContent).toBe("NachnameFinkVogel-Berg");
    expect(lastName().value).toBe("Fink");
  });

  it("saves the typed values over the stored version only when the user says so", async () => {
    await refusedSave();
    rust.saveContact.mockResolvedValueOnce({ ...stored, last_name: "Fink", stamp: { ...stored.stamp, version: 6 } });
    q<HTMLButtonElement>("[data-testid=conflict-keep-mine]")!.click();
    await until(() => rust.saveContact.mock.calls.length === 2);
    expect(rust.saveContact.mock.calls[1][1]).toBe(5);
    expect(rust.saveContact.mock.calls[1][2].last_name).toBe("Fink");
    await until(() => !q("[data-testid=conflict]"));
    expect(q("[data-testid=record-contact] [data-testid=notice]")!.textContent).toBe("Gespeichert×");
  });

  it("takes the stored values into the form on request", async () => {
    await refusedSave();
    q<HTMLButtonElement>("[data-testid=conflict-take-current]")!.click();
    await until(() => !q("[data-testid=conflict]"));
    expect(lastName().value).toBe("Vogel-Berg");
    expect(rust.saveContact).toHaveBeenCalledTimes(1);
  });
});

describe("a new activity from a record", () => {
  const cases: [RecordType, ActivityKind][] = [
    ["contact", "call"],
    ["contact", "meeting"],
    ["business_partner", "visit"],
    ["person", "note"],
    ["employee", "task"],
    ["contact", "email"],
  ];
  for (const [type, kind] of cases) {
    it(`makes a ${kind} from a ${type}, prefilled with it, and shows it in its history`, async () => {
      rust.newActivityKinds.mockResolvedValue(["appointment", "meeting", "call", "email", "task", "note", "visit"]);
      rust.newActivityDraft.mockImplementation(async (k: ActivityKind, record: { kind: RecordType }) => draftFrom(k, record.kind));
      rust.createActivity.mockImplementation(async (input: unknown) => ({ id: 11, ...(input as object) }));
      await page(type);
      const id = RECORDS[type].lookup.id;
      q<HTMLButtonElement>("[data-testid=new-activity]")!.click();
      await until(() => q("[data-testid=new-activity-choice]"));
      expect(rust.newActivityKinds).toHaveBeenCalledWith({ kind: type, id });
      q<HTMLButtonElement>(`[data-testid=new-${kind}]`)!.click();
      const dialog = await until(() => q("[data-testid=activity-dialog]"));
      expect(rust.newActivityDraft).toHaveBeenCalledWith(kind, { kind: type, id });
      // The record shows in its lookup (the employee as a participant).
      const shown = dialog.textContent ?? "";
      if (type === "contact") expect(q("[data-testid=lookup-contact]", dialog)!.textContent).toContain("Lena Vogel");
      if (type !== "employee" && type !== "person") expect(q("[data-testid=lookup-business_partner]", dialog)!.textContent).toContain("Contoso GmbH");
      if (type === "person") expect(q("[data-testid=lookup-person]", dialog)!.textContent).toContain("Ole Hansen");
      if (type === "employee") expect(shown).toContain("Ben Wolf");

      const historyAsked = rust.recordHistory.mock.calls.length;
      await type_(dialog, "Rückruf");
      dialog.querySelector<HTMLButtonElement>("[data-testid=save-activity]")!.click();
      await until(() => rust.createActivity.mock.calls.length > 0);
      const input = rust.createActivity.mock.calls[0][0];
      expect(input).toMatchObject({ kind, subject: "Rückruf" });
      expect(input).toMatchObject(
        type === "contact"
          ? { contact_id: 3, business_partner_id: 2 }
          : type === "business_partner"
            ? { business_partner_id: 2, contact_id: null }
            : type === "person"
              ? { person_id: 4 }
              : { participants: [{ type: "employee", id: 6 }] },
      );
      // The record's history is asked again, so the new activity shows there.
      await until(() => rust.recordHistory.mock.calls.length > historyAsked);
      expect(rust.recordHistory).toHaveBeenLastCalledWith(type, id);
    });
  }
});

async function type_(dialog: ParentNode, subject: string) {
  await type(dialog.querySelector<HTMLInputElement>("input[name=subject]")!, subject);
}

describe("a communication entry", () => {
  const entry: Communication = { id: 21, owner_kind: "contact", owner_id: 3, channel: "phone", value: "+49 221 1234", label: null, owner: LENA, stamp: { version: 2, changed_by: "Anna Schmidt", changed_at: 1_796_000_000 } };
  const changed: HistoryItem = {
    event: "changed",
    occurred_at: "2026-11-30T09:15:00Z",
    target: { kind: "communication", id: 21, label: "+49 170 5555" },
    activity_kind: null,
    detail: "",
    by: "Anna Schmidt",
    changes: [
      { field: "channel", old: "phone", new: "mobile" },
      { field: "value", old: "+49 221 1234", new: "+49 170 5555" },
      { field: "label", old: null, new: "Zentrale" },
    ],
  };

  it("is edited in place and its history says who changed what", async () => {
    await page("contact", [entry]);
    const line = await until(() => q("[data-testid=communication-21]"));
    const edit = q<HTMLButtonElement>("[data-testid=edit-communication]", line)!;
    expect(edit.textContent).toBe("Bearbeiten");
    expect(edit.getAttribute("aria-label")).toBe("Bearbeiten: +49 221 1234");
    edit.click();
    const editor = await until(() => q<HTMLFormElement>("[data-testid=communication-editor]"));
    const value = q<HTMLInputElement>("input[name=value]", editor)!;
    expect(value.value).toBe("+49 221 1234");
    await until(() => document.activeElement === value);
    const channel = q<HTMLSelectElement>("select", editor)!;
    channel.value = "mobile";
    channel.dispatchEvent(new Event("change", { bubbles: true }));
    await type(value, "+49 170 5555");
    await type(q<HTMLInputElement>("input[name=label]", editor)!, "Zentrale");
    rust.saveCommunication.mockResolvedValue({ ...entry, channel: "mobile", value: "+49 170 5555", label: "Zentrale" });
    rust.communicationsOf.mockResolvedValue([{ ...entry, channel: "mobile", value: "+49 170 5555", label: "Zentrale" }]);
    q<HTMLButtonElement>("[data-testid=save-communication]", editor)!.click();
    await until(() => rust.saveCommunication.mock.calls.length > 0);
    expect(rust.saveCommunication).toHaveBeenCalledWith(21, 2, { owner_kind: "contact", owner_id: 3, channel: "mobile", value: "+49 170 5555", label: "Zentrale" });
    await until(() => !q("[data-testid=communication-editor]"));
    await until(() => q("[data-testid=communication-21]")?.textContent?.includes("+49 170 5555"));

    rust.recordHistory.mockResolvedValue([changed]);
    q<HTMLButtonElement>("[data-testid=communication-history]")!.click();
    const history = await until(() => q("[data-testid=communication-21] [data-testid=history] li"));
    expect(rust.recordHistory).toHaveBeenLastCalledWith("communication", 21);
    const text = history.textContent ?? "";
    expect(text).toContain("Geändert");
    expect(text).toContain("von Anna Schmidt");
    expect(text).toContain("Art: Telefon → Mobil");
    expect(text).toContain("Adresse/Nummer: +49 221 1234 → +49 170 5555");
    expect(text).toContain("Bezeichnung: Zentrale");
  });

  it("shows Rust's refusal at the field and keeps the editor open", async () => {
    await page("contact", [entry]);
    q<HTMLButtonElement>("[data-testid=edit-communication]")!.click();
    const editor = await until(() => q<HTMLFormElement>("[data-testid=communication-editor]"));
    await type(q<HTMLInputElement>("input[name=value]", editor)!, "ruf mich an");
    const { CommandError } = await import("../api");
    rust.saveCommunication.mockRejectedValue(new CommandError("validation", "", [{ field: "value", code: "invalid_phone" }]));
    q<HTMLButtonElement>("[data-testid=save-communication]", editor)!.click();
    await until(() => q("[data-testid=communication-editor] [role=alert]"));
    expect(q("[data-testid=communication-editor]")!.textContent).toContain("Keine gültige Telefonnummer");
    // Escape leaves the editor without saving again.
    q<HTMLInputElement>("input[name=value]", editor)!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await until(() => !q("[data-testid=communication-editor]"));
    expect(rust.saveCommunication).toHaveBeenCalledTimes(1);
  });

  it("refused over a change made meanwhile, keeps the typed values and shows the stored ones; saved over them on request", async () => {
    await page("contact", [entry]);
    q<HTMLButtonElement>("[data-testid=edit-communication]")!.click();
    const editor = await until(() => q<HTMLFormElement>("[data-testid=communication-editor]"));
    await type(q<HTMLInputElement>("input[name=value]", editor)!, "+49 170 5555");
    rust.saveCommunication.mockRejectedValueOnce(new CommandError("conflict", "", [], null, { changed_by: "Ben Wolf", changed_at: 1_796_100_000, changed_at_text: "30.11.2026, 08:20" }));
    rust.getCommunication.mockResolvedValue({ ...entry, value: "+49 221 9999", label: "Zentrale", stamp: { version: 3, changed_by: "Ben Wolf", changed_at: 1_796_100_000 } });
    q<HTMLButtonElement>("[data-testid=save-communication]", editor)!.click();
    const stored = await until(() => q("[data-testid=communication-editor] [data-testid=conflict]"));
    expect(rust.saveCommunication.mock.calls[0][1]).toBe(2);
    expect(rust.getCommunication).toHaveBeenCalledWith(21);
    expect(q("[data-testid=communication-editor] [data-testid=notice]")!.textContent).toContain("von Ben Wolf am 30.11.2026, 08:20 geändert");
    expect(stored.textContent).toContain("Jetzt gespeichert: Telefon +49 221 9999 (Zentrale)");
    expect(q<HTMLInputElement>("input[name=value]", editor)!.value).toBe("+49 170 5555");

    rust.saveCommunication.mockResolvedValueOnce({ ...entry, value: "+49 170 5555" });
    q<HTMLButtonElement>("[data-testid=conflict-keep-mine]", stored)!.click();
    await until(() => rust.saveCommunication.mock.calls.length === 2);
    expect(rust.saveCommunication.mock.calls[1].slice(0, 2)).toEqual([21, 3]);
    expect(rust.saveCommunication.mock.calls[1][2].value).toBe("+49 170 5555");
    await until(() => !q("[data-testid=communication-editor]"));
  });

  it("is deleted only after a confirmation", async () => {
    await page("contact", [entry]);
    q<HTMLButtonElement>("[data-testid=delete-communication]")!.click();
    const dialog = await until(() => q("[data-testid=delete-communication-dialog]"));
    expect(dialog.textContent).toContain("Den Kommunikationseintrag „+49 221 1234“ wirklich löschen?");
    expect(rust.deleteCommunication).not.toHaveBeenCalled();
    q<HTMLButtonElement>("[data-testid=confirm-delete]", dialog)!.click();
    await until(() => rust.deleteCommunication.mock.calls.length > 0);
    expect(rust.deleteCommunication).toHaveBeenCalledWith(21);
  });
});

describe("deleting a record (F2)", () => {
  it("asks in the app's dialog first; 'Abbrechen' keeps the record, 'Löschen' deletes it and goes back", async () => {
    const back = vi.fn();
    rust.getContact.mockResolvedValue(RECORDS.contact.record);
    rust.communicationsOf.mockResolvedValue([]);
    rust.recordHistory.mockResolvedValue([]);
    render(<RecordPage type="contact" id={3} onOpen={() => {}} onOpenActivity={() => {}} onCreated={() => {}} onBack={back} />, document.body);
    await until(() => q("[data-testid=delete-record]"));

    q<HTMLButtonElement>("[data-testid=delete-record]")!.click();
    let dialog = await until(() => q("[data-testid=delete-record-dialog]"));
    expect(dialog.textContent).toContain("Diesen Datensatz wirklich löschen?");
    [...dialog.querySelectorAll("button")].find((b) => b.textContent === "Abbrechen")!.click();
    await until(() => q("[data-testid=delete-record-dialog]") === null);
    expect(rust.deleteContact).not.toHaveBeenCalled();

    q<HTMLButtonElement>("[data-testid=delete-record]")!.click();
    dialog = await until(() => q("[data-testid=delete-record-dialog]"));
    q<HTMLButtonElement>("[data-testid=confirm-delete-record]", dialog)!.click();
    await until(() => back.mock.calls.length > 0);
    expect(rust.deleteContact).toHaveBeenCalledWith(3);
  });
});
