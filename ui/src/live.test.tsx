// @vitest-environment happy-dom
// Live changes in a team workspace, as the window gets them from Rust (the DOM event
// `treffpunkt:live`): a list and the open record reload when another desktop changed what they
// show; a form with typed, unsaved values keeps them and says the record changed meanwhile; a
// banner says while the team database is away, and goes when it is back. Rust is a stand-in.
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { until } from "./testing/until";
import type { LiveMessage } from "./api";
import { setLanguage } from "./i18n";
import { activity, activityButtons } from "./testing/fixtures";

const rust = vi.hoisted(() => ({
  getContact: vi.fn(),
  saveContact: vi.fn(),
  communicationsOf: vi.fn(async () => []),
  recordHistory: vi.fn(async () => []),
  emailCalls: vi.fn(async () => ({ field: false, communications: [] })),
  getActivity: vi.fn(),
  updateActivity: vi.fn(),
  activityButtons: vi.fn(async () => activityButtons()),
}));
vi.mock("./api", async (original) => {
  const real = await original<typeof import("./api")>();
  const api = new Proxy(rust as Record<string, unknown>, {
    get: (target, name: string) => target[name] ?? (async () => (name === "teamsButtonsFor" ? null : [])),
  });
  return { ...real, api };
});

const { ListView } = await import("./views/ListView");
const { RecordPage } = await import("./views/RecordPage");
const { ActivityPage } = await import("./views/ActivityPage");
const { ConnectionBanner } = await import("./components/ConnectionBanner");
const { RECORDS } = await import("./views/records");

const live = (detail: LiveMessage) => window.dispatchEvent(new CustomEvent("treffpunkt:live", { detail }));
const q = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const LENA = {
  id: 3,
  stamp: { version: 4, changed_by: "Anna Schmidt", changed_at: 1_796_000_000 },
  business_partner_id: null,
  business_partner: null,
  salutation: null,
  first_name: "Lena",
  last_name: "Vogel",
  position: null,
  email: null,
  phone: null,
  mobile: null,
};
/** Lena as Ben saved her on his desktop: married, a new name, the next version. */
const LENA_BY_BEN = { ...LENA, last_name: "Fink", stamp: { version: 5, changed_by: "Ben Wolf", changed_at: 1_796_100_000 } };

beforeEach(() => setLanguage("de"));
afterEach(() => {
  live({ event: "listening" });
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

describe("a list", () => {
  it("searches again when a record of its kind changed, and not for other kinds", async () => {
    const row = (last_name: string) => ({ id: 3, first_name: "Lena", last_name, email: null, business_partner_name: null });
    let answer = [row("Vogel")];
    const search = vi.fn(async () => answer);
    render(<ListView config={{ ...RECORDS.contact, search }} onOpen={() => {}} />, document.body);
    await until(() => q("tbody")?.textContent?.includes("Vogel"));

    live({ event: "changed", record: "person", id: 8 });
    await pause(300);
    expect(search).toHaveBeenCalledTimes(1);

    answer = [row("Fink")];
    live({ event: "changed", record: "contact", id: 3 });
    await until(() => q("tbody")?.textContent?.includes("Fink"));
    expect(search).toHaveBeenCalledTimes(2);
  });
});

describe("the open record", () => {
  async function open() {
    rust.getContact.mockResolvedValue(LENA);
    render(<RecordPage type="contact" id={3} onOpen={() => {}} onOpenActivity={() => {}} onCreated={() => {}} onBack={() => {}} />, document.body);
    return until(() => q<HTMLInputElement>("[data-testid=record-contact] input[name=last_name]"));
  }

  it("shows another desktop's change at once when nothing is typed", async () => {
    const lastName = await open();
    expect(lastName.value).toBe("Vogel");
    rust.getContact.mockResolvedValue(LENA_BY_BEN);
    live({ event: "changed", record: "contact", id: 3 });
    await until(() => q<HTMLInputElement>("[data-testid=record-contact] input[name=last_name]")?.value === "Fink");
  });

  it("keeps typed, unsaved values and says the record changed meanwhile", async () => {
    await open();
    const first = q<HTMLInputElement>("[data-testid=record-contact] input[name=first_name]")!;
    first.value = "Lenchen";
    first.dispatchEvent(new Event("input", { bubbles: true }));
    await pause(0);

    rust.getContact.mockResolvedValue(LENA_BY_BEN);
    live({ event: "changed", record: "contact", id: 3 });
    await until(() => q("[data-testid=record-contact] [data-testid=notice]")?.textContent?.includes("inzwischen geändert"));
    expect(rust.getContact).toHaveBeenCalledTimes(2);
    expect(q<HTMLInputElement>("[data-testid=record-contact] input[name=first_name]")!.value).toBe("Lenchen");
    expect(q<HTMLInputElement>("[data-testid=record-contact] input[name=last_name]")!.value).toBe("Vogel");
  });

  it("says nothing changed meanwhile after its own save, announced before the save's answer", async () => {
    await open();
    const first = q<HTMLInputElement>("[data-testid=record-contact] input[name=first_name]")!;
    first.value = "Lenchen";
    first.dispatchEvent(new Event("input", { bubbles: true }));
    await pause(0);
    const saved = { ...LENA, first_name: "Lenchen", stamp: { ...LENA.stamp, version: 5 } };
    // The team database announces the save before its answer reaches the page; the reload
    // answers after it.
    rust.getContact.mockImplementation(async () => (await pause(50), saved));
    rust.saveContact.mockImplementation(async () => (live({ event: "changed", record: "contact", id: 3 }), saved));
    q<HTMLButtonElement>("[data-testid=record-contact] [data-testid=save-record]")!.click();
    await until(() => rust.getContact.mock.calls.length === 2);
    await pause(100);
    expect(q("[data-testid=record-contact] [data-testid=notice] span")?.textContent).toBe("Gespeichert");
  });

  it("ignores another record's change", async () => {
    await open();
    live({ event: "changed", record: "contact", id: 99 });
    await pause(50);
    expect(rust.getContact).toHaveBeenCalledTimes(1);
  });
});

describe("the open activity", () => {
  async function open() {
    rust.getActivity.mockResolvedValue(activity());
    render(<ActivityPage id={5} onOpen={() => {}} onOpenActivity={() => {}} onBack={() => {}} />, document.body);
    return until(() => [...document.querySelectorAll<HTMLInputElement>("[data-testid=record-activity] input")].find((i) => i.value === "Messevorbereitung"));
  }
  const moved = () => activity({ subject: "Messevorbereitung (verschoben)", stamp: { version: 2, changed_by: "Ben Wolf", changed_at: 1_796_100_000 } });

  it("shows another desktop's change when nothing is typed", async () => {
    await open();
    rust.getActivity.mockResolvedValue(moved());
    live({ event: "changed", record: "activity", id: 5 });
    await until(() => [...document.querySelectorAll<HTMLInputElement>("[data-testid=record-activity] input")].some((i) => i.value === "Messevorbereitung (verschoben)"));
  });

  it("keeps a typed subject and says the activity changed meanwhile", async () => {
    const subject = await open();
    subject.value = "Messe Köln";
    subject.dispatchEvent(new Event("input", { bubbles: true }));
    await pause(0);
    rust.getActivity.mockResolvedValue(moved());
    live({ event: "changed", record: "activity", id: 5 });
    await until(() => q("[data-testid=record-activity] [data-testid=notice]")?.textContent?.includes("inzwischen geändert"));
    expect(subject.value).toBe("Messe Köln");
  });
  it("says nothing changed meanwhile after its own save, announced before the save's answer", async () => {
    const subject = await open();
    subject.value = "Messe Köln";
    subject.dispatchEvent(new Event("input", { bubbles: true }));
    await pause(0);
    const saved = activity({ subject: "Messe Köln", stamp: { version: 2, changed_by: "Anna Schmidt", changed_at: 1_796_100_000 } });
    // The team database announces the save before its answer reaches the page; the reload
    // answers after it.
    rust.getActivity.mockImplementation(async () => (await pause(50), saved));
    rust.updateActivity.mockImplementation(async () => (live({ event: "changed", record: "activity", id: 5 }), saved));
    q<HTMLButtonElement>("[data-testid=record-activity] [data-testid=save-record]")!.click();
    await until(() => rust.getActivity.mock.calls.length === 2);
    await pause(100);
    expect(q("[data-testid=record-activity] [data-testid=notice] span")?.textContent).toBe("Gespeichert");
  });
});

describe("the team database lost while working", () => {
  it("shows a banner with the next attempt while it is away, and reloads what shows when it is back", async () => {
    const search = vi.fn(async () => []);
    render(
      <div>
        <ConnectionBanner />
        <ListView config={{ ...RECORDS.contact, search }} onOpen={() => {}} />
      </div>,
      document.body,
    );
    await until(() => search.mock.calls.length === 1);
    expect(q("[data-testid=connection-banner]")).toBeNull();

    live({ event: "lost", retry_in_secs: 4 });
    const banner = await until(() => q("[data-testid=connection-banner]"));
    expect(banner.textContent).toBe(
      "Keine Verbindung zur Team-Datenbank – neuer Versuch in 4 s. Ihre Eingaben bleiben erhalten.",
    );
    expect(banner.getAttribute("role")).toBe("alert");

    live({ event: "listening" });
    await until(() => q("[data-testid=connection-banner]") === null);
    // What changed while it was away was not heard: the list searches again.
    await until(() => search.mock.calls.length === 2);
  });
});
