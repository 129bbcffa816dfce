// @vitest-environment happy-dom
// The window's start: when the one answer the first view waits for (`opening_view`)
// fails, the window opens all the same, in the user's language, and the calendar asks for its
// week itself; only when the app's facts cannot be had either does it show nothing but the error.
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "./testing/until";

const rust = vi.hoisted(() => ({
  openingView: vi.fn(),
  appInfo: vi.fn(),
  calendarEntries: vi.fn(async () => []),
  getActivity: vi.fn(() => new Promise(() => {})),
}));

vi.mock("./api", async (original) => {
  const real = await original<typeof import("./api")>();
  // Any other command answers with nothing.
  const api = new Proxy(rust, { get: (target, name) => (target as Record<string | symbol, unknown>)[name] ?? (async () => []) });
  return { ...real, api };
});

// FullCalendar itself is not under test here.
vi.mock("./views/calendar/fullCalendar", () => ({
  createCalendar: () => ({ render: () => {}, destroy: () => {}, refetchEvents: () => {}, getDate: () => new Date() }),
}));

const { mountApp } = await import("./app");
const { render } = await import("preact");
const { CommandError } = await import("./api");
const { de } = await import("./i18n/de");
const TEXT_OF_NEWER = de["error.team_db_schema_newer"];

const hosts: HTMLElement[] = [];
function host(): HTMLElement {
  const el = document.createElement("div");
  document.body.append(el);
  hosts.push(el);
  return el;
}

afterEach(() => {
  // Unmounted, not only removed: a window of an earlier test must not hear this one's events.
  hosts.splice(0).forEach((el) => render(null, el));
  document.body.innerHTML = "";
  vi.restoreAllMocks();
});

describe("the window's start", () => {
  it("opens without the opening view's answer, and the calendar fetches its week itself", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    rust.openingView.mockRejectedValue(new CommandError("database", "database is locked", []));
    rust.appInfo.mockResolvedValue({ demo: false, language: "en", current_employee: { id: 3, label: "Lea Braun" } });
    const el = host();
    mountApp(el);
    const nav = await until(() => el.querySelector("[data-testid=nav-calendar]"));
    expect(nav.textContent).toBe("Calendar");
    expect(el.querySelector("[data-testid=own-employee]")!.textContent).toBe("Lea Braun");
    await until(() => rust.calendarEntries.mock.calls.length > 0);
    expect((rust.calendarEntries.mock.calls[0] as unknown[])[0]).toEqual([3]);
  });

  it("shows the error and what to do when the app's facts cannot be had either", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    rust.openingView.mockRejectedValue(new CommandError("database", "database is locked", []));
    rust.appInfo.mockRejectedValue(new CommandError("database", "database is locked", []));
    vi.spyOn(navigator, "language", "get").mockReturnValue("en-GB");
    const el = host();
    mountApp(el);
    const error = await until(() => el.querySelector("[role=alert]"));
    // In the system's language, with the cause and what to do.
    expect(error.textContent).toBe(
      "Treffpunkt could not start: The database reports an error. The log has the details. Please restart Treffpunkt. " +
        'If it happens again, send the log (the folder "logs" in Treffpunkt\'s data) to your administrator.',
    );
    expect(el.querySelector("[data-testid=nav-calendar]")).toBeNull();
  });
});

describe("the workspace the window works in (T1, T5)", () => {
  it("names the team database, and says when it refused this desktop and that nothing is saved in its place", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    rust.openingView.mockRejectedValue(new CommandError("team_db_schema_newer", "newer", []));
    rust.appInfo.mockResolvedValue({
      demo: false,
      language: "de",
      current_employee: null,
      team_workspace: { label: "crm (db.firma.de:5432)", unreachable: "team_db_schema_newer", connecting: false },
    });
    const el = host();
    mountApp(el);
    const badge = await until(() => el.querySelector("[data-testid=team-badge]"));
    expect(badge.textContent).toBe("Team: crm (db.firma.de:5432)");
    expect(el.querySelector("[data-testid=demo-badge]")).toBeNull();
    const banner = el.querySelector("[data-testid=team-unreachable]")!;
    expect(banner.textContent).toContain("Die Team-Datenbank crm (db.firma.de:5432) hat diesen Arbeitsplatz beim Start abgewiesen.");
    expect(banner.textContent).toContain(TEXT_OF_NEWER);
    expect(banner.textContent).toContain("auch nicht lokal an ihrer Stelle");
    expect(el.querySelector("[data-testid=connection-banner]")).toBeNull();
  });

  it("shows no banner while the team database is open, and no team mark in a local workspace", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    rust.openingView.mockRejectedValue(new CommandError("database", "x", []));
    rust.appInfo.mockResolvedValue({ demo: false, language: "en", current_employee: null, team_workspace: { label: "crm (db:5432)", unreachable: null, connecting: false } });
    const el = host();
    mountApp(el);
    await until(() => el.querySelector("[data-testid=team-badge]"));
    expect(el.querySelector("[data-testid=team-unreachable]")).toBeNull();
    document.body.innerHTML = "";
    rust.appInfo.mockResolvedValue({ demo: false, language: "en", current_employee: null, team_workspace: null });
    const local = host();
    mountApp(local);
    await until(() => local.querySelector("[data-testid=nav-calendar]"));
    expect(local.querySelector("[data-testid=team-badge]")).toBeNull();
  });
});

describe("a start whose team database does not answer yet (T5)", () => {
  it("says it keeps trying, and works on the team database once it answers, without a restart", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    rust.openingView.mockRejectedValue(new CommandError("team_db_connection_lost", "lost", []));
    rust.appInfo.mockResolvedValue({
      demo: false,
      language: "de",
      current_employee: null,
      team_workspace: { label: "crm (db.firma.de:5432)", unreachable: null, connecting: true },
    });
    const el = host();
    mountApp(el);
    const banner = await until(() => el.querySelector("[data-testid=connection-banner]"));
    expect(banner.textContent).toBe(de["live.connecting"]);
    expect(el.querySelector("[data-testid=team-unreachable]")).toBeNull();
    const asked = rust.appInfo.mock.calls.length;

    // The server answers: the listener says so, the banner goes and the facts are read again.
    rust.appInfo.mockResolvedValue({
      demo: false,
      language: "de",
      current_employee: { id: 3, label: "Lea Braun" },
      team_workspace: { label: "crm (db.firma.de:5432)", unreachable: null, connecting: true },
    });
    window.dispatchEvent(new CustomEvent("treffpunkt:live", { detail: { event: "listening" } }));
    await until(() => el.querySelector("[data-testid=connection-banner]") === null);
    const own = await until(() => el.querySelector("[data-testid=own-employee]"));
    expect(own.textContent).toBe("Lea Braun");
    expect(rust.appInfo.mock.calls.length).toBe(asked + 1);
  });
});

describe("a click on a reminder's OS notification (D1)", () => {
  it("opens the activity Rust names", async () => {
    rust.openingView.mockRejectedValue(new CommandError("database", "database is locked", []));
    rust.appInfo.mockResolvedValue({ demo: false, language: "de", current_employee: { id: 3, label: "Lea Braun" } });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const el = host();
    mountApp(el);
    await until(() => el.querySelector("[data-testid=nav-calendar]"));
    window.dispatchEvent(new CustomEvent("treffpunkt:open-activity", { detail: 42 }));
    await until(() => rust.getActivity.mock.calls.length > 0 || null);
    expect(rust.getActivity).toHaveBeenCalledWith(42);
  });
});
