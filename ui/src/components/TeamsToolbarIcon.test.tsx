// @vitest-environment happy-dom
// E1 and the seed's "Der Anruf über MS Teams kann über den Schalter in der Toolbar ... initiiert
// werden": the main toolbar's Teams icon does what Rust answers for the record on screen: a call
// to it (picking the number or address where it has several), or opening Teams; nothing where
// Rust hides it. Rust is a stand-in.
import { render } from "preact";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import type { CallOption, ToolbarTeams } from "../api";
import { setLanguage } from "../i18n";

const rust = vi.hoisted(() => ({
  teamsToolbarAction: vi.fn<(kind: string | null, id: number | null) => Promise<ToolbarTeams | null>>(),
  openTeams: vi.fn(async () => null),
  startCall: vi.fn(async (_kind: string, _id: number, _place: string, _option: number) => null),
}));
vi.mock("../api", async (original) => ({ ...(await original<typeof import("../api")>()), api: rust }));

const { TeamsToolbarIcon } = await import("./TeamsToolbarIcon");
const { markCalendarReady } = await import("../startup");

beforeAll(() => markCalendarReady());

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

const email: CallOption = { channel: "email", value: "ben.kurz@contoso.example", label: null };
const phone: CallOption = { channel: "phone", value: "089 4520 101", label: null };

async function icon(open: { kind: "employee" | "activity"; id: number } | null, answer: ToolbarTeams | null) {
  setLanguage("de");
  rust.teamsToolbarAction.mockResolvedValue(answer);
  render(<TeamsToolbarIcon open={open} refreshKey={1} />, document.body);
  await until(() => rust.teamsToolbarAction.mock.calls.length > 0);
  await new Promise((r) => setTimeout(r, 0));
  return document.querySelector<HTMLButtonElement>("[data-testid=teams-toolbar]");
}

describe("the main toolbar's Teams icon", () => {
  it("opens Teams without an open record", async () => {
    const button = await icon(null, { action: "open_teams" });
    expect(rust.teamsToolbarAction).toHaveBeenCalledWith(null, null);
    expect(button!.title).toBe("MS Teams öffnen");
    button!.click();
    await until(() => rust.openTeams.mock.calls.length > 0);
    expect(rust.startCall).not.toHaveBeenCalled();
  });

  it("calls the open record where Rust names it, at its only address", async () => {
    const call: ToolbarTeams = { action: "call", kind: "employee", id: 4, name: "Ben Kurz", options: [email] };
    const button = await icon({ kind: "employee", id: 4 }, call);
    expect(rust.teamsToolbarAction).toHaveBeenCalledWith("employee", 4);
    expect(button!.title).toBe("MS Teams Anruf: Ben Kurz");
    button!.click();
    await until(() => rust.startCall.mock.calls.length > 0);
    expect(rust.startCall).toHaveBeenCalledWith("employee", 4, "toolbar", 0);
    expect(rust.openTeams).not.toHaveBeenCalled();
    await until(() => document.querySelector("[data-testid=notice]"));
    expect(document.querySelector("[data-testid=notice]")!.textContent).toContain("An MS Teams übergeben.");
  });

  it("calls whom Rust names for an open activity, at the number picked", async () => {
    const call: ToolbarTeams = { action: "call", kind: "contact", id: 9, name: "Max Vogel", options: [phone, email] };
    const button = await icon({ kind: "activity", id: 12 }, call);
    expect(rust.teamsToolbarAction).toHaveBeenCalledWith("activity", 12);
    button!.click();
    const options = await until(() => {
      const o = document.querySelectorAll<HTMLButtonElement>("[data-testid=call-option]");
      return o.length ? [...o] : null;
    });
    expect(options.map((o) => o.textContent)).toEqual(["Telefon: 089 4520 101", "E-Mail: ben.kurz@contoso.example"]);
    expect(rust.startCall).not.toHaveBeenCalled();
    options[1].click();
    await until(() => rust.startCall.mock.calls.length > 0);
    expect(rust.startCall).toHaveBeenCalledWith("contact", 9, "toolbar", 1);
  });

  it("opens Teams where Rust says the open record cannot be called", async () => {
    const button = await icon({ kind: "employee", id: 4 }, { action: "open_teams" });
    expect(button!.title).toBe("MS Teams öffnen");
    button!.click();
    await until(() => rust.openTeams.mock.calls.length > 0);
    expect(rust.startCall).not.toHaveBeenCalled();
  });

  it("is not there where Rust hides it", async () => {
    expect(await icon({ kind: "employee", id: 4 }, null)).toBeNull();
  });
});
