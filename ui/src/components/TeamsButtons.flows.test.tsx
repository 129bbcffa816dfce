// @vitest-environment happy-dom
// E1-E4 on the Teams buttons of a record and of a lookup field: they show where Rust says so and
// nowhere else; a call to a record with several numbers lets the user pick one and Rust gets its
// index; a chat goes to Rust; a refusal of Rust (no e-mail address, Teams not available, a number
// without E.164 form) is shown in the user's language. Rust is a stand-in whose answers are typed
// as the generated bindings.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import { CommandError, type CallOption, type RecordKind, type TeamsPlace } from "../api";
import { setLanguage } from "../i18n";

type Api = (typeof import("../api"))["api"];
const rust = vi.hoisted(() => ({
  teamsButtonsFor: vi.fn<Api["teamsButtonsFor"]>(),
  callOptions: vi.fn<Api["callOptions"]>(),
  startCall: vi.fn<Api["startCall"]>(async () => null),
  startChat: vi.fn<Api["startChat"]>(async () => null),
}));
vi.mock("../api", async (original) => ({ ...(await original<typeof import("../api")>()), api: rust }));

const { TeamsButtons } = await import("./TeamsButtons");

const numbers: CallOption[] = [
  { channel: "phone", value: "+49 30 1234567", label: "Zentrale" },
  { channel: "mobile", value: "0170 7654321", label: null },
  { channel: "email", value: "max@kunde.example", label: null },
];

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

async function show(kind: RecordKind, id: number, place: TeamsPlace) {
  const host = document.createElement("div");
  document.body.append(host);
  render(<TeamsButtons kind={kind} id={id} place={place} />, host);
  await until(() => rust.teamsButtonsFor.mock.calls.length > 0);
  await new Promise((r) => setTimeout(r, 10));
  return host;
}
/** The text a sighted user reads on a button: without the icon and the screen reader's words. */
function visible(b: Element): string {
  const copy = b.cloneNode(true) as Element;
  copy.querySelectorAll("[aria-hidden=true], .sr-only").forEach((e) => e.remove());
  return (copy.textContent ?? "").replace(/\s+/g, " ").trim();
}
const buttons = (host: Element) => [...host.querySelectorAll("button")].filter((b) => !b.closest("[data-testid=notice]"));
const notice = () => document.querySelector("[data-testid=notice]");

describe("where Rust hides the Teams buttons (E1, E2)", () => {
  it("shows nothing at all", async () => {
    setLanguage("de");
    rust.teamsButtonsFor.mockResolvedValue({ call: false, chat: false });
    const host = await show("business_partner", 4, "record");
    expect(rust.teamsButtonsFor).toHaveBeenCalledWith("business_partner", "record");
    expect(host.innerHTML).toBe("");
  });

  it("shows nothing when Rust cannot answer", async () => {
    setLanguage("de");
    rust.teamsButtonsFor.mockRejectedValue(new CommandError("database", "locked", []));
    const host = await show("contact", 9, "record");
    expect(host.innerHTML).toBe("");
  });

  it("shows only the button Rust offers", async () => {
    setLanguage("de");
    rust.teamsButtonsFor.mockResolvedValue({ call: false, chat: true });
    const host = await show("employee", 2, "record");
    expect(buttons(host).map(visible)).toEqual(["MS Teams Chat"]);
  });
});

describe("the buttons' labels", () => {
  it("on a record: 'MS Teams Anruf' and 'MS Teams Chat'", async () => {
    setLanguage("de");
    rust.teamsButtonsFor.mockResolvedValue({ call: true, chat: true });
    const host = await show("contact", 9, "record");
    expect(buttons(host).map(visible)).toEqual(["MS Teams Anruf", "MS Teams Chat"]);
  });

  it("beside a lookup field: the call is the Teams icon, named by its title", async () => {
    setLanguage("de");
    rust.teamsButtonsFor.mockResolvedValue({ call: true, chat: false });
    const host = await show("employee", 2, "lookup");
    expect(rust.teamsButtonsFor).toHaveBeenCalledWith("employee", "lookup");
    const [call] = buttons(host);
    expect(buttons(host)).toHaveLength(1);
    expect(visible(call)).toBe("");
    expect(call.title).toBe("MS Teams Anruf");
    expect(call.querySelector(".sr-only")!.textContent).toBe("MS Teams Anruf");
  });

  it("in English", async () => {
    setLanguage("en");
    rust.teamsButtonsFor.mockResolvedValue({ call: true, chat: true });
    const host = await show("contact", 9, "record");
    expect(buttons(host).map(visible)).toEqual(["MS Teams call", "MS Teams chat"]);
  });

  it("on a record, a screen reader hears the call's name once", async () => {
    setLanguage("de");
    rust.teamsButtonsFor.mockResolvedValue({ call: true, chat: false });
    const host = await show("contact", 9, "record");
    const heard = (buttons(host)[0].textContent ?? "").replace("T", "").replace(/\s+/g, " ").trim();
    expect(heard).toBe("MS Teams Anruf");
  });
});

describe("the pick list of a call (E3)", () => {
  async function picking() {
    setLanguage("de");
    rust.teamsButtonsFor.mockResolvedValue({ call: true, chat: false });
    rust.callOptions.mockResolvedValue(numbers);
    const host = await show("contact", 9, "record");
    buttons(host)[0].click();
    const menu = await until(() => host.querySelector<HTMLElement>("[role=menu]"));
    return { host, menu };
  }

  it("takes the focus, and Escape closes it without a call", async () => {
    const { host, menu } = await picking();
    // The focus moves in an effect after the menu is drawn.
    await until(() => document.activeElement === menu.querySelector("[role=menuitem]") || null);
    menu.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await until(() => host.querySelector("[role=menu]") === null);
    expect(rust.startCall).not.toHaveBeenCalled();
  });

  it("closes on a click elsewhere without a call", async () => {
    const { host } = await picking();
    document.body.dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
    await until(() => host.querySelector("[role=menu]") === null);
    expect(rust.startCall).not.toHaveBeenCalled();
  });
});

describe("a call (E3)", () => {
  it("to a record with several numbers lists them, and calls the one picked by its index", async () => {
    setLanguage("de");
    rust.teamsButtonsFor.mockResolvedValue({ call: true, chat: true });
    rust.callOptions.mockResolvedValue(numbers);
    const host = await show("contact", 9, "record");
    buttons(host)[0].click();
    const menu = await until(() => host.querySelector<HTMLElement>("[role=menu]"));
    expect(rust.callOptions).toHaveBeenCalledWith("contact", 9);
    expect(menu.getAttribute("aria-label")).toBe("Welche Nummer oder Adresse?");
    const items = [...menu.querySelectorAll<HTMLButtonElement>("[role=menuitem]")];
    expect(items.map(visible)).toEqual(["Telefon: +49 30 1234567 (Zentrale)", "Mobil: 0170 7654321", "E-Mail: max@kunde.example"]);
    expect(rust.startCall).not.toHaveBeenCalled();

    items[1].click();
    await until(() => rust.startCall.mock.calls.length > 0);
    expect(rust.startCall).toHaveBeenCalledWith("contact", 9, "record", 1);
    await until(() => notice());
    expect(notice()!.querySelector("span")!.textContent).toBe("An MS Teams übergeben.");
    expect(notice()!.getAttribute("role")).toBe("status");
    expect(host.querySelector("[role=menu]")).toBeNull();
  });

  it("lists the options in English", async () => {
    setLanguage("en");
    rust.teamsButtonsFor.mockResolvedValue({ call: true, chat: false });
    rust.callOptions.mockResolvedValue(numbers);
    const host = await show("contact", 9, "record");
    buttons(host)[0].click();
    const menu = await until(() => host.querySelector<HTMLElement>("[role=menu]"));
    expect(menu.getAttribute("aria-label")).toBe("Which number or address?");
    expect([...menu.querySelectorAll("[role=menuitem]")].map(visible)).toEqual([
      "Phone: +49 30 1234567 (Zentrale)",
      "Mobile: 0170 7654321",
      "E-mail: max@kunde.example",
    ]);
  });

  it("to a record with one number calls it at once, from the lookup field", async () => {
    setLanguage("de");
    rust.teamsButtonsFor.mockResolvedValue({ call: true, chat: false });
    rust.callOptions.mockResolvedValue([{ channel: "phone", value: "+49 30 555", label: null }]);
    const host = await show("employee", 2, "lookup");
    buttons(host)[0].click();
    await until(() => rust.startCall.mock.calls.length > 0);
    expect(rust.startCall).toHaveBeenCalledWith("employee", 2, "lookup", 0);
    expect(host.querySelector("[role=menu]")).toBeNull();
    await until(() => notice());
    expect(notice()!.textContent).toContain("An MS Teams übergeben.");
  });

  it("shows Rust's refusal of a number and starts nothing else", async () => {
    setLanguage("de");
    rust.teamsButtonsFor.mockResolvedValue({ call: true, chat: false });
    rust.callOptions.mockResolvedValue(numbers);
    rust.startCall.mockRejectedValue(new CommandError("invalid_phone", "not E.164", []));
    const host = await show("contact", 9, "record");
    buttons(host)[0].click();
    const menu = await until(() => host.querySelector<HTMLElement>("[role=menu]"));
    menu.querySelector<HTMLButtonElement>("[role=menuitem]")!.click();
    await until(() => notice());
    expect(rust.startCall).toHaveBeenCalledWith("contact", 9, "record", 0);
    expect(notice()!.querySelector("span")!.textContent).toBe(
      "Die Telefonnummer lässt sich nicht in das internationale Format (E.164) bringen. Bitte die Nummer prüfen.",
    );
    expect(notice()!.getAttribute("role")).toBe("alert");
    expect(rust.startCall).toHaveBeenCalledTimes(1);
  });

  it("shows that Teams is not available when Rust refuses the numbers", async () => {
    setLanguage("de");
    rust.teamsButtonsFor.mockResolvedValue({ call: true, chat: false });
    rust.callOptions.mockRejectedValue(new CommandError("teams_not_available", "off", []));
    const host = await show("business_partner", 4, "record");
    buttons(host)[0].click();
    await until(() => notice());
    expect(notice()!.querySelector("span")!.textContent).toBe(
      "MS Teams ist hier nicht verfügbar (Systemeinstellungen oder E-Mail-Konfiguration).",
    );
    expect(rust.startCall).not.toHaveBeenCalled();
    expect(host.querySelector("[role=menu]")).toBeNull();
  });
});

describe("a chat (E4)", () => {
  it("goes to Rust with the record", async () => {
    setLanguage("de");
    rust.teamsButtonsFor.mockResolvedValue({ call: true, chat: true });
    const host = await show("person", 12, "record");
    buttons(host)[1].click();
    await until(() => notice());
    expect(rust.startChat).toHaveBeenCalledWith("person", 12);
    expect(rust.callOptions).not.toHaveBeenCalled();
    expect(notice()!.querySelector("span")!.textContent).toBe("An MS Teams übergeben.");
  });

  it("says that there is no e-mail address when Rust refuses", async () => {
    setLanguage("de");
    rust.teamsButtonsFor.mockResolvedValue({ call: false, chat: true });
    rust.startChat.mockRejectedValue(new CommandError("no_address", "no address", []));
    const host = await show("contact", 9, "record");
    buttons(host)[0].click();
    await until(() => notice());
    expect(notice()!.querySelector("span")!.textContent).toBe(
      "Keine E-Mail-Adresse hinterlegt: Der Teams-Chat kann nicht geöffnet werden.",
    );
    expect(notice()!.getAttribute("role")).toBe("alert");
  });

  it("says so in English", async () => {
    setLanguage("en");
    rust.teamsButtonsFor.mockResolvedValue({ call: false, chat: true });
    rust.startChat.mockRejectedValue(new CommandError("no_address", "no address", []));
    const host = await show("contact", 9, "record");
    buttons(host)[0].click();
    await until(() => notice());
    expect(notice()!.querySelector("span")!.textContent).toBe("No e-mail address: the Teams chat cannot be opened.");
  });
});
