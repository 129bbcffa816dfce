// @vitest-environment happy-dom
// F4: the German labels are the seed's words (the German documentation of the CURSOR-CRM MS Teams
// integration that Treffpunkt rebuilds). Each label the seed names is looked for by its exact
// text on the screen that shows it, and the German value of its key is compared with the seed's
// text, so that an edit of de.ts that strays from the seed fails here. docs/seed-labels.md lists
// them with their screens, and the seed's labels the UI does not show, with the reason.
// Rust is a stand-in: each screen gets the answers that make it show the label.
import type { DateClickArg } from "@fullcalendar/interaction";
import { render, type ComponentChild } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type {
  Activity,
  ActivityButtons,
  ActivityKind,
  AppInfo,
  Employee,
  MailConfiguration,
  Participant,
  SendSummary,
  SystemSettings,
} from "./api";
import { de } from "./i18n/de";
import { setLanguage } from "./i18n";
import { markCalendarReady } from "./startup";
import * as fixtures from "./testing/fixtures";
import { activity, activityButtons as buttons, draft, JOIN_URL as JOIN, NOT_SIGNED_IN, reminder } from "./testing/fixtures";
import { until } from "./testing/until";
import type { CalendarOptions } from "./views/calendar/fullCalendar";

// What the stand-in for Rust answers: a test's own answers, else these, else nothing (null).
// Every call is noted, so that a test can check what a click asked Rust for.
const rust = vi.hoisted(() => ({
  answers: {} as Record<string, (...args: never[]) => unknown>,
  defaults: {
    searchEmployees: [],
    calendarEntries: [],
    calendarActions: ["appointment", "meeting", "teams_meeting"],
    recordHistory: [],
    communicationsOf: [],
    contactsOfBusinessPartner: [],
    listMailConfigurations: [],
    phoneRegions: ["DE"],
    notifications: [],
    simulatorSwitches: [],
    searchActivities: [],
    searchParticipants: [],
    meetingSendCheck: null,
    teamsButtonsFor: { call: false, chat: false },
    teamsToolbarAction: null,
    emailCalls: { field: false, communications: [] },
    calltoCheck: { handler: { state: "unknown" }, offer_teams_link: false },
  } as Record<string, unknown>,
  asked: [] as [string, unknown[]][],
}));

vi.mock("./api", async (original) => {
  const real = await original<typeof import("./api")>();
  const api = new Proxy({} as Record<string, unknown>, {
    get: (_target, name) =>
      typeof name !== "string"
        ? undefined
        : (...args: unknown[]) => {
            rust.asked.push([name, args]);
            const own = rust.answers[name] as ((...a: unknown[]) => unknown) | undefined;
            return Promise.resolve(own ? own(...args) : (rust.defaults[name] ?? null));
          },
  });
  return { ...real, api };
});

// FullCalendar itself is not under test: the stand-in keeps its options, so that a test can click
// a day the way FullCalendar reports it.
const fullCalendar = vi.hoisted(() => ({ options: null as CalendarOptions | null }));
vi.mock("./views/calendar/fullCalendar", () => ({
  createCalendar: (_host: HTMLElement, options: CalendarOptions) => {
    fullCalendar.options = options;
    return { render: () => {}, destroy: () => {}, refetchEvents: () => {}, getDate: () => new Date() };
  },
}));

const { mountApp } = await import("./app");
const { ActivityDialog } = await import("./views/ActivityDialog");
const { ActivityPage } = await import("./views/ActivityPage");
const { ActivitiesList } = await import("./views/ActivitiesList");
const { CalendarView } = await import("./views/CalendarView");
const { RecordPage } = await import("./views/RecordPage");
const { SettingsView } = await import("./views/SettingsView");
const { NotificationCentre } = await import("./components/NotificationCentre");

// The rest of the window's start (the notification centre, the calendar list) waits for this.
markCalendarReady();

type Origin = "quoted" | "named" | "derived";
/**
 * The seed's labels the UI shows, with the key whose German value is the label.
 * - quoted: the seed has the label in quotation marks;
 * - named: the seed names it as a button, option, field, heading or setting, without quotes;
 * - derived: the seed names the action, the caption is built from its words (e.g. "Memofeld"
 *   gives the field "Memo").
 * `part`: the value is a sentence that carries the seed's words, not the words alone.
 */
const SEED_LABELS: { text: string; key: keyof typeof de; origin: Origin; part?: true }[] = [
  // Settings (A2, A3)
  { text: "Systemeinstellungen", key: "settings.system", origin: "named" },
  { text: "MS Teams Integration aktivieren", key: "settings.teamsIntegration", origin: "quoted" },
  { text: "Anbindung von MS Teams als Telefonanlage", key: "settings.teamsIntegrationHint", origin: "named", part: true },
  { text: "Externe Anrufe mit MS Teams aktivieren", key: "settings.externalCalls", origin: "quoted" },
  { text: "Blendet die Anrufen-Buttons von Teams auf Geschäftspartnern und Ansprechpartnern ein.", key: "settings.externalCallsHint", origin: "named" },
  { text: "Allen Mitarbeitern zuordnen", key: "settings.assignToAll", origin: "derived" },
  // Mail configuration (A1, B1, A6)
  { text: "Groupware-System", key: "mail.groupware", origin: "named" },
  { text: "Azure Anwendungs-ID (Client)", key: "mail.clientId", origin: "named" },
  { text: "Azure geheimer Clientschlüssel", key: "mail.clientSecret", origin: "named" },
  { text: "Azure Verzeichnis-ID (Mandant)", key: "mail.tenantId", origin: "named" },
  { text: "Anmeldung zu Office 365 durchführen und speichern", key: "m365.signIn", origin: "quoted" },
  { text: "Microsoft 365", key: "m365.title", origin: "named" },
  { text: "Test", key: "m365.test", origin: "named" },
  // Employee record (A2, B1)
  { text: "Mitarbeiter", key: "record.employee", origin: "named" },
  { text: "E-Mail-Konfiguration", key: "field.mail_configuration_id", origin: "named" },
  // Calendar and its action choice (C1)
  { text: "Kalender", key: "nav.calendar", origin: "named" },
  { text: "Geöffnete Kalender", key: "calendar.openedCalendars", origin: "derived" },
  { text: "Aktionsauswahl", key: "calendar.chooseAction", origin: "named" },
  { text: "Neuer Termin", key: "action.appointment", origin: "named" },
  { text: "Neue Besprechung", key: "action.meeting", origin: "named" },
  { text: "Neue MS Teams Besprechung", key: "action.teams_meeting", origin: "derived" },
  { text: "wenn die Besprechungsanfrage versendet wird", key: "calendar.teamsNote", origin: "named", part: true },
  // The activity dialog and the send (C2, C3, C4)
  { text: "Betreff", key: "activity.subject", origin: "named" },
  { text: "Beginn", key: "activity.start", origin: "named" },
  { text: "Ende", key: "activity.end", origin: "named" },
  { text: "Teilnehmer", key: "activity.participants", origin: "quoted" },
  { text: "Teilnehmer hinzufügen", key: "activity.addParticipant", origin: "derived", part: true },
  { text: "Mail-Inhalt", key: "activity.mailText", origin: "named" },
  { text: "Memo", key: "activity.memo", origin: "derived" },
  { text: "Speichern und Besprechungsanfrage versenden", key: "meeting.saveAndSend", origin: "derived" },
  { text: "kein Teilnehmer eingetragen", key: "error.no_participants", origin: "named", part: true },
  { text: "Besprechungsanfrage versenden?", key: "meeting.summaryTitle", origin: "derived" },
  { text: "Teilnehmer", key: "meeting.attendees", origin: "quoted" },
  { text: "im CRM nicht mehr", key: "meeting.summaryText", origin: "named", part: true },
  // The activity page per kind and state (C2, C6, D2)
  { text: "Termin", key: "kind.appointment", origin: "named" },
  { text: "Besprechung", key: "kind.meeting", origin: "named" },
  { text: "MS Teams Besprechung", key: "kind.teams_meeting", origin: "named" },
  { text: "Art", key: "activity.kind", origin: "named" },
  { text: "Termin bearbeiten", key: "activity.editAppointment", origin: "quoted" },
  { text: "In Besprechung umwandeln", key: "activity.convertToMeeting", origin: "derived" },
  { text: "In MS Teams Besprechung umwandeln", key: "activity.convertToTeams", origin: "derived" },
  { text: "Besprechungsanfrage versenden", key: "meeting.send", origin: "quoted" },
  { text: "Besprechungsanfrage versendet", key: "activity.sent", origin: "derived" },
  { text: "An Besprechung teilnehmen", key: "meeting.join", origin: "named" },
  { text: "Neuen Termin/Besprechung erstellen", key: "meeting.newLinked", origin: "quoted" },
  { text: "Verlauf", key: "history.title", origin: "named" },
  { text: "Aktivitäten", key: "nav.activities", origin: "named" },
  // Records and their Teams buttons (C5, E1, E2, E4)
  { text: "Geschäftspartner", key: "nav.business_partners", origin: "named" },
  { text: "Ansprechpartner", key: "nav.contacts", origin: "named" },
  { text: "Mitarbeiter", key: "nav.employees", origin: "named" },
  { text: "Geschäftspartner", key: "record.business_partner", origin: "named" },
  { text: "Ansprechpartner", key: "record.contact", origin: "named" },
  { text: "Person", key: "record.person", origin: "named" },
  { text: "Kommunikation", key: "communications.title", origin: "named" },
  { text: "E-Mail", key: "field.email", origin: "derived" },
  { text: "MS Teams Anruf", key: "teams.call", origin: "named" },
  { text: "MS Teams Chat", key: "teams.chat", origin: "derived" },
];

describe("the German dictionary has the seed's words", () => {
  it.each(SEED_LABELS)("$key: $text", ({ text, key, part }) => {
    if (part) expect(de[key]).toContain(text);
    else expect(de[key]).toBe(text);
  });
});

// ---- Looking for a label on the screen -------------------------------------------------------

/** Every label some screen below showed, for the last test. */
const seen = new Set<string>();
const squash = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * The elements with a text of their own that reads exactly `label` (spaces around it aside):
 * the label whole, nothing added or missing. Text hidden from screen readers (an icon) does not count.
 */
function carriers(label: string, root: ParentNode = document.body): Element[] {
  const found: Element[] = [];
  const walk = (node: Node) => {
    for (const child of node.childNodes) {
      if (child.nodeType !== 3) walk(child);
      else if (squash(child.nodeValue ?? "") === label && child.parentElement && !child.parentElement.closest("[aria-hidden=true]")) {
        found.push(child.parentElement);
      }
    }
  };
  walk(root as Node);
  if (found.length) seen.add(label);
  return found;
}

/** The button whose caption is `label`. */
function button(label: string, root?: ParentNode): HTMLButtonElement | undefined {
  return carriers(label, root)
    .map((el) => el.closest("button"))
    .find((b): b is HTMLButtonElement => b !== null);
}

/** The checkbox whose label is `label`. */
function checkbox(label: string): HTMLInputElement | undefined {
  return carriers(label)
    .map((el) => el.closest("label")?.querySelector<HTMLInputElement>("input[type=checkbox]"))
    .find((i): i is HTMLInputElement => !!i);
}

/** The form field whose caption is `label`: the <label> that holds the caption and the field. */
function field(label: string, root?: ParentNode): HTMLLabelElement | undefined {
  return carriers(label, root)
    .filter((el) => el.tagName === "SPAN" && el.parentElement?.matches("label.field") && el.parentElement.firstElementChild === el)
    .map((el) => el.parentElement as HTMLLabelElement)[0];
}

function heading(label: string, root?: ParentNode): Element | undefined {
  return carriers(label, root).find((el) => /^H[1-6]$/.test(el.tagName));
}

/** The dialog named `label`, its heading saying so. */
function dialog(label: string): HTMLElement | undefined {
  return [...document.querySelectorAll<HTMLElement>("[role=dialog]")].find(
    (d) => d.getAttribute("aria-label") === label && heading(label, d) !== undefined,
  );
}

/** A sentence on the screen that carries the seed's words. */
function sentence(words: string, root: ParentNode = document.body): Element | undefined {
  const found = [...root.querySelectorAll("*")].reverse().find((el) => squash(el.textContent ?? "").includes(words));
  if (found) seen.add(words);
  return found;
}

/** The field's options as the user reads them. */
const options = (select: HTMLSelectElement | null | undefined) => [...(select?.options ?? [])].map((o) => o.textContent);

// ---- Rust's answers ------------------------------------------------------------------------

const asked = (name: string) => rust.asked.filter(([n]) => n === name).map(([, args]) => args);
const answer = (name: string, fn: (...args: never[]) => unknown) => (rust.answers[name] = fn);
const settle = () => new Promise((r) => setTimeout(r, 0));
const show = (node: ComponentChild) => render(node, document.body);

const INFO = {
  demo: false,
  language: "de",
  language_setting: null,
  time_zone: "Europe/Berlin",
  current_employee: { kind: "employee", id: 1, label: "Anna Schmidt" },
  version: "0.1.0",
  secrets_sealed: true,
} as AppInfo;

const SETTINGS: SystemSettings = {
  teams_integration_enabled: true,
  external_calls_enabled: false,
  language: null,
  current_employee_id: 1,
  call_link_mode: "callto",
  country: "DE",
};

const MAIL_CONFIGURATION: MailConfiguration = {
  id: 7,
  name: "Office 365",
  groupware: "MSGRAPH",
  client_id: "11111111-2222-3333-4444-555555555555",
  tenant_id: "contoso.onmicrosoft.com",
  cloud: "global",
  custom_authority_url: null,
  custom_graph_url: null,
  has_client_secret: true,
  employee_count: 2,
  client_secret_unreadable: false,
};

const BEN: Participant = { participant: { type: "contact", id: 3 }, label: "Ben Weber", email: "ben@kunde.example" };

const SUMMARY: SendSummary = {
  subject: "Angebotsbesprechung",
  starts_at: "2026-12-01T09:00:00Z",
  ends_at: "2026-12-01T10:00:00Z",
  time_zone: "Europe/Berlin",
  starts_local: "2026-12-01 10:00 (UTC+01:00)",
  ends_local: "2026-12-01 11:00 (UTC+01:00)",
  organizer: "Anna Schmidt <anna@contoso.example>",
  attendees: ["Ben Weber <ben@kunde.example>"],
  teams: true,
};

beforeEach(() => setLanguage("de"));
afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  for (const name of Object.keys(rust.answers)) delete rust.answers[name];
  rust.asked.length = 0;
  fullCalendar.options = null;
});

// ---- The screens -----------------------------------------------------------------------------

describe("settings (A2, A3)", () => {
  it("shows both Teams system settings with the seed's names and the assignment to all employees", async () => {
    answer("getSettings", () => SETTINGS);
    answer("listMailConfigurations", () => [MAIL_CONFIGURATION]);
    answer("setSystemSetting", () => ({ ...SETTINGS, external_calls_enabled: true }));
    answer("assignMailConfigurationToAll", () => 3);
    show(<SettingsView info={INFO} onLanguage={() => {}} />);

    const integration = await until(() => checkbox("MS Teams Integration aktivieren"));
    expect(heading("Systemeinstellungen")).toBeDefined();
    expect(integration.checked).toBe(true);
    const external = checkbox("Externe Anrufe mit MS Teams aktivieren")!;
    expect(external.checked).toBe(false);
    expect(sentence("Anbindung von MS Teams als Telefonanlage")?.tagName).toBe("SMALL");
    expect(carriers("Blendet die Anrufen-Buttons von Teams auf Geschäftspartnern und Ansprechpartnern ein.")).toHaveLength(1);
    // The caption belongs to the setting it names.
    external.click();
    await until(() => asked("setSystemSetting").length > 0);
    expect(asked("setSystemSetting")[0]).toEqual(["external_calls_enabled", true]);

    button("Allen Mitarbeitern zuordnen")!.click();
    await until(() => carriers("Allen 3 Mitarbeitern zugeordnet").length > 0);
    expect(asked("assignMailConfigurationToAll")[0]).toEqual([7]);
  });
});

describe("the mail configuration form (A1, B1, A6)", () => {
  it("names the Azure fields and the groupware as the seed does, and signs the mailbox in", async () => {
    answer("listMailConfigurations", () => [MAIL_CONFIGURATION]);
    answer("signInStatus", () => NOT_SIGNED_IN);
    show(<SettingsView info={INFO} onLanguage={() => {}} />);
    (await until(() => carriers("Office 365").find((el) => el.tagName === "A")) as HTMLElement).click();
    const form = await until(() => document.querySelector("[data-testid=mail-configuration-form]"));

    expect(options(field("Groupware-System", form)?.querySelector("select"))).toEqual(["MSGRAPH", "EWS"]);
    expect(field("Azure Anwendungs-ID (Client)", form)?.querySelector("input")?.value).toBe(MAIL_CONFIGURATION.client_id);
    expect(field("Azure Verzeichnis-ID (Mandant)", form)?.querySelector("input")?.value).toBe(MAIL_CONFIGURATION.tenant_id);
    const secret = field("Azure geheimer Clientschlüssel", form)!;
    expect(secret.querySelector("select")?.getAttribute("aria-label")).toBe("Azure geheimer Clientschlüssel");

    // For a global mailbox, the sign-in is kept in the mail configuration (B3).
    const signIn = await until(() => button("Anmeldung zu Office 365 durchführen und speichern", form));
    expect(button("Test", form)).toBeDefined();
    signIn.click();
    await until(() => asked("signIn").length > 0);
    expect(asked("signIn")[0]).toEqual([{ type: "mail_configuration", id: 7 }]);
  });
});

describe("the employee record's sign-in panel (B1, A2, E1)", () => {
  const employee = (id: number): Employee => ({
    id,
    stamp: { version: 1, changed_by: "Anna Schmidt", changed_at: 1_796_000_000 },
    mail_configuration: "Office 365",
    first_name: id === 1 ? "Anna" : "Carl",
    last_name: id === 1 ? "Schmidt" : "Berg",
    email: "anna@contoso.example",
    phone: null,
    mobile: null,
    department: null,
    color: "#2563eb",
    mail_configuration_id: 7,
    user_principal_name: null,
  });

  it("offers the sign-in on the own employee, beside its mail configuration and Teams call", async () => {
    answer("getEmployee", (id: number) => employee(id));
    answer("listMailConfigurations", () => [MAIL_CONFIGURATION]);
    answer("signInStatus", () => NOT_SIGNED_IN);
    answer("teamsButtonsFor", () => ({ call: true, chat: true }));
    show(<RecordPage type="employee" id={1} ownEmployeeId={1} onOpen={() => {}} onOpenActivity={() => {}} onCreated={() => {}} onBack={() => {}} />);

    const signIn = await until(() => button("Anmeldung zu Office 365 durchführen und speichern"));
    expect(heading("Mitarbeiter")).toBeDefined();
    expect(signIn.closest("section")?.firstElementChild).toBe(heading("Microsoft 365"));
    expect(button("Test")).toBeDefined();
    const select = await until(() => {
      const s = field("E-Mail-Konfiguration")?.querySelector("select");
      return s && s.options.length === 2 ? s : null;
    });
    expect(options(select)).toEqual(["— keine —", "Office 365"]);
    expect(select.value).toBe("7");
    expect(await until(() => button("MS Teams Anruf"))).toBeDefined();
    signIn.click();
    await until(() => asked("signIn").length > 0);
    expect(asked("signIn")[0]).toEqual([{ type: "employee", id: 1 }]);
  });

  it("offers no sign-in on a colleague's record: each user signs in in the own employee", async () => {
    answer("getEmployee", (id: number) => employee(id));
    answer("signInStatus", () => NOT_SIGNED_IN);
    show(<RecordPage type="employee" id={2} ownEmployeeId={1} onOpen={() => {}} onOpenActivity={() => {}} onCreated={() => {}} onBack={() => {}} />);
    await until(() => heading("Verlauf"));
    await settle();
    expect(button("Anmeldung zu Office 365 durchführen und speichern")).toBeUndefined();
  });
});

describe("the calendar's action choice (C1, C2, C3)", () => {
  async function clickDay(): Promise<HTMLElement> {
    answer("searchEmployees", () => [{ id: 1, first_name: "Anna", last_name: "Schmidt", color: "#dc2626" }]);
    answer("activityDraft", (kind: ActivityKind) => draft(kind));
    show(<CalendarView info={INFO} onOpenActivity={() => {}} />);
    const calendar = await until(() => fullCalendar.options);
    calendar.onDateClick({ allDay: true, dateStr: "2026-12-01", date: new Date("2026-12-01T00:00:00") } as DateClickArg);
    return await until(() => dialog("Aktionsauswahl"));
  }

  it("offers the seed's three actions, the Teams one with its note", async () => {
    const choice = await clickDay();
    expect(heading("Geöffnete Kalender")).toBeDefined();
    expect(button("Neuer Termin", choice)).toBeDefined();
    expect(button("Neue Besprechung", choice)).toBeDefined();
    const teams = button("Neue MS Teams Besprechung", choice)!;
    expect(sentence("wenn die Besprechungsanfrage versendet wird", teams)?.tagName).toBe("SMALL");
  });

  it("'Neue MS Teams Besprechung' opens its dialog: subject, start, end, mail text, participants, and the send", async () => {
    answer("meetingSendCheck", () => "no_participants");
    button("Neue MS Teams Besprechung", await clickDay())!.click();
    const form = await until(() => dialog("Neue MS Teams Besprechung"));
    expect(asked("activityDraft")[0]).toEqual(["teams_meeting", { type: "day", date: "2026-12-01" }, [1]]);
    for (const label of ["Betreff", "Beginn", "Ende", "Teilnehmer", "Mail-Inhalt", "Memo"]) expect(field(label, form), label).toBeDefined();
    const placeholder = field("Teilnehmer", form)!.querySelector("input")!.placeholder;
    expect(placeholder).toContain("Teilnehmer hinzufügen");
    seen.add("Teilnehmer hinzufügen");
    // No participant: the request cannot be sent, and the dialog says why (C4).
    const send = await until(() => {
      const b = button("Speichern und Besprechungsanfrage versenden", form);
      return b?.disabled ? b : null;
    });
    expect(send.disabled).toBe(true);
    expect(sentence("kein Teilnehmer eingetragen", form)?.textContent).toBe(
      "Es ist kein Teilnehmer eingetragen: Die Besprechungsanfrage kann nicht versendet werden.",
    );
  });

  it("'Neuer Termin' opens the appointment's dialog, which sends nothing", async () => {
    button("Neuer Termin", await clickDay())!.click();
    const form = await until(() => dialog("Neuer Termin"));
    expect(field("Betreff", form)).toBeDefined();
    expect(field("Mail-Inhalt", form)).toBeUndefined();
    expect(button("Speichern und Besprechungsanfrage versenden", form)).toBeUndefined();
  });
});

describe("the meeting dialog's send (C3, C4)", () => {
  it("saves, then shows the summary and asks whether to send", async () => {
    answer("createActivity", () => activity({ id: 9, kind: "teams_meeting", participants: [BEN] }));
    answer("meetingSummary", () => SUMMARY);
    const d = draft("meeting", [BEN]);
    show(<ActivityDialog draft={d.input} wallClock={d.wall_clock} participants={d.participants} onSaved={() => {}} onClose={() => {}} />);
    const form = await until(() => dialog("Neue Besprechung"));
    const send = await until(() => {
      const b = button("Speichern und Besprechungsanfrage versenden", form);
      return b && !b.disabled ? b : null;
    });
    send.click();
    const summary = await until(() => dialog("Besprechungsanfrage versenden?"));
    expect(asked("createActivity")).toHaveLength(1);
    await until(() => carriers("Ben Weber <ben@kunde.example>", summary).length > 0);
    expect(carriers("Teilnehmer", summary).find((el) => el.tagName === "DT")).toBeDefined();
    expect(sentence("im CRM nicht mehr", summary)?.textContent).toBe(de["meeting.summaryText"]);
  });
});

describe("the activity page per kind and state (C2, C4, C6, D2)", () => {
  async function page(a: Activity, b: ActivityButtons) {
    answer("getActivity", () => a);
    answer("activityButtons", () => b);
    answer("meetingSummary", () => SUMMARY);
    answer("teamsButtonsFor", (_kind: string, place: string) => ({ call: place === "lookup", chat: false }));
    show(<ActivityPage id={a.id} onOpen={() => {}} onOpenActivity={() => {}} onBack={() => {}} />);
    await until(() => asked("activityButtons").length > 0);
    await until(() => heading("Verlauf"));
    await settle();
  }

  it("appointment: 'Termin bearbeiten' opens its dialog; it converts into a meeting or a Teams meeting", async () => {
    answer("convertActivity", () => activity({ kind: "teams_meeting" }));
    await page(activity(), buttons({ action: { kind: "edit_appointment", enabled: true, reason: null }, convert: ["meeting", "teams_meeting"] }));
    expect(carriers("Termin").some((el) => el.classList.contains("kind-badge"))).toBe(true);
    for (const label of ["Betreff", "Beginn", "Ende", "Teilnehmer", "Memo"]) expect(field(label), label).toBeDefined();
    // The Teams call beside the owner's lookup field (E1): its name, for a screen reader.
    expect(button("MS Teams Anruf", field("Mitarbeiter"))).toBeDefined();
    expect(button("In Besprechung umwandeln")).toBeDefined();
    button("In MS Teams Besprechung umwandeln")!.click();
    await until(() => asked("convertActivity").length > 0);
    expect(asked("convertActivity")[0]).toEqual([5, "teams_meeting"]);

    button("Termin bearbeiten")!.click();
    const edit = await until(() => dialog("Termin bearbeiten"));
    expect(field("Betreff", edit)?.querySelector("input")?.value).toBe("Messevorbereitung");
  });

  it("meeting: 'Besprechungsanfrage versenden' opens the summary", async () => {
    await page(activity({ kind: "meeting", participants: [BEN] }), buttons({ action: { kind: "send_request", enabled: true, reason: null } }));
    expect(carriers("Besprechung").some((el) => el.classList.contains("kind-badge"))).toBe(true);
    expect(button("Termin bearbeiten")).toBeUndefined();
    const send = button("Besprechungsanfrage versenden")!;
    expect(send.disabled).toBe(false);
    send.click();
    expect(await until(() => dialog("Besprechungsanfrage versenden?"))).toBeDefined();
  });

  it("meeting without participant: the request cannot be sent, and the page says why", async () => {
    await page(activity({ kind: "meeting" }), buttons({ action: { kind: "send_request", enabled: false, reason: "no_participants" } }));
    expect(button("Besprechungsanfrage versenden")!.disabled).toBe(true);
    expect(sentence("kein Teilnehmer eingetragen")).toBeDefined();
  });

  it("sent meeting: the button is greyed out", async () => {
    const sent = activity({ kind: "meeting", participants: [BEN], sent_at: "2026-11-30T09:00:00Z" });
    await page(sent, buttons({ action: { kind: "send_request", enabled: false, reason: "already_sent" }, editable: false }));
    expect(button("Besprechungsanfrage versenden")!.disabled).toBe(true);
    expect(carriers("Besprechungsanfrage versendet")).toHaveLength(1);
    expect(button("An Besprechung teilnehmen")).toBeUndefined();
  });

  it("sent Teams meeting: the button joins, and so does the memo's link", async () => {
    const sent = activity({ kind: "teams_meeting", participants: [BEN], sent_at: "2026-11-30T09:00:00Z", memo: `Agenda\n\n${JOIN}`, join_url: JOIN });
    await page(sent, buttons({ action: { kind: "join", enabled: true, reason: null }, editable: false, join: true }));
    expect(carriers("MS Teams Besprechung").some((el) => el.classList.contains("kind-badge"))).toBe(true);
    const join = button("An Besprechung teilnehmen")!;
    expect(join.querySelector(".teams-icon")).not.toBeNull();
    expect(button("Besprechungsanfrage versenden")).toBeUndefined();
    expect(document.querySelector("[data-testid=memo-join-link]")?.getAttribute("title")).toBe("An Besprechung teilnehmen");
    join.click();
    await until(() => asked("joinMeeting").length > 0);
    expect(asked("joinMeeting")[0]).toEqual([5]);
  });

  it("any other kind: 'Neuen Termin/Besprechung erstellen' offers the calendar's choice", async () => {
    await page(activity({ kind: "call" }), buttons({ action: { kind: "new_linked", enabled: true, reason: null } }));
    button("Neuen Termin/Besprechung erstellen")!.click();
    const choice = await until(() => dialog("Neuen Termin/Besprechung erstellen"));
    for (const label of ["Neuer Termin", "Neue Besprechung", "Neue MS Teams Besprechung"]) expect(button(label, choice), label).toBeDefined();
  });
});

describe("the activity list (F2)", () => {
  it("names the kind column 'Art' and each kind as the seed does", async () => {
    answer("searchActivities", () => [activity({ id: 1 }), activity({ id: 2, kind: "meeting" }), activity({ id: 3, kind: "teams_meeting" })]);
    show(<ActivitiesList onOpen={() => {}} />);
    await until(() => document.querySelectorAll("tbody tr").length === 3);
    expect(heading("Aktivitäten")).toBeDefined();
    expect(carriers("Art").map((el) => el.tagName)).toEqual(["TH"]);
    expect([...document.querySelectorAll("tbody tr td:nth-child(2)")].map((td) => td.textContent)).toEqual(["Termin", "Besprechung", "MS Teams Besprechung"]);
  });
});

describe("the contact's toolbar (C5, E2, E4)", () => {
  const contact = fixtures.contact({
    business_partner: null,
    business_partner_id: null,
    first_name: "Ben",
    last_name: "Weber",
    email: "ben@kunde.example",
  });

  it("offers the meeting request, joining the next Teams meeting, and the Teams call and chat", async () => {
    answer("getContact", () => contact);
    answer("contactMeeting", () => ({ send_kind: "teams_meeting", join_activity_id: 12 }));
    answer("contactMeetingDraft", (_id: number, kind: ActivityKind) => draft(kind, [BEN]));
    answer("teamsButtonsFor", () => ({ call: true, chat: true }));
    show(<RecordPage type="contact" id={3} onOpen={() => {}} onOpenActivity={() => {}} onCreated={() => {}} onBack={() => {}} />);

    const request = await until(() => button("Besprechungsanfrage versenden"));
    const toolbar = request.closest(".toolbar")!;
    expect(heading("Ansprechpartner")).toBeDefined();
    expect(button("An Besprechung teilnehmen", toolbar)).toBeDefined();
    expect(button("MS Teams Anruf", toolbar)).toBeDefined();
    expect(button("MS Teams Chat", toolbar)).toBeDefined();
    expect(field("E-Mail")?.querySelector("input")?.value).toBe("ben@kunde.example");
    expect(heading("Kommunikation")).toBeDefined();
    // The same dialog as the calendar's, with the contact as participant.
    request.click();
    const form = await until(() => dialog("Neue MS Teams Besprechung"));
    expect(asked("contactMeetingDraft")[0]).toEqual([3, "teams_meeting"]);
    expect(form.textContent).toContain("Ben Weber");
  });
});

describe("the Teams buttons of business partners and persons (E2, E4)", () => {
  it("shows the call and the chat on a business partner", async () => {
    answer("getBusinessPartner", () => ({ id: 4, name: "Kunde GmbH", industry: null, street: null, postal_code: null, city: null, country: "DE", phone: "+49 30 1234567", email: null, website: null }));
    answer("teamsButtonsFor", () => ({ call: true, chat: true }));
    show(<RecordPage type="business_partner" id={4} onOpen={() => {}} onOpenActivity={() => {}} onCreated={() => {}} onBack={() => {}} />);
    const call = await until(() => button("MS Teams Anruf"));
    expect(heading("Geschäftspartner")).toBeDefined();
    expect(call.closest(".toolbar")).not.toBeNull();
    expect(button("MS Teams Chat")).toBeDefined();
  });

  it("shows the chat on a person", async () => {
    answer("getPerson", () => ({ id: 6, first_name: "Eva", last_name: "Lang", email: "eva@privat.example", phone: null, city: null }));
    answer("teamsButtonsFor", () => ({ call: false, chat: true }));
    show(<RecordPage type="person" id={6} onOpen={() => {}} onOpenActivity={() => {}} onCreated={() => {}} onBack={() => {}} />);
    await until(() => button("MS Teams Chat"));
    expect(heading("Person")).toBeDefined();
  });
});

describe("the notification centre (D1)", () => {
  it("offers 'An Besprechung teilnehmen' on a Teams meeting's reminder", async () => {
    answer("notifications", () => [
      reminder({ id: 1, activity_id: 10, subject: "Review" }),
    ]);
    show(<NotificationCentre onOpenActivity={() => {}} />);
    const join = await until(() => button("An Besprechung teilnehmen"));
    expect(join.closest("[data-testid=reminder]")).not.toBeNull();
    join.click();
    await until(() => asked("joinMeeting").length > 0);
    expect(asked("joinMeeting")[0]).toEqual([10]);
  });
});

describe("the window's navigation", () => {
  it("names the calendar, the records and the activities as the seed does", async () => {
    answer("openingView", () => ({ info: INFO, employees: [], entries: [] }));
    const host = document.createElement("div");
    document.body.append(host);
    mountApp(host);
    const nav = await until(() => host.querySelector("nav"));
    for (const label of ["Kalender", "Geschäftspartner", "Ansprechpartner", "Mitarbeiter", "Aktivitäten"]) expect(button(label, nav), label).toBeDefined();
    render(null, host);
  });
});

describe("every seed label", () => {
  // Vitest runs a file's tests in order: by now each screen above has been looked at.
  it("was found on a screen above by its exact text", () => {
    expect(SEED_LABELS.map((l) => l.text).filter((text) => !seen.has(text))).toEqual([]);
  });
});
