// @vitest-environment happy-dom
// A1: the mail configuration offers the clouds Microsoft lists, in Rust's order (the generated
// CLOUDS), each with its German and English name.
import { afterEach, describe, expect, it, vi } from "vitest";
import { render } from "preact";
import { until } from "../testing/until";

// Answers a test sets for itself; every other command answers nothing.
const answers = vi.hoisted(() => ({}) as Record<string, unknown>);

vi.mock("../api", async (original) => {
  const real = await original<typeof import("../api")>();
  const api = new Proxy({} as Record<string, unknown>, {
    get: (_target, name: string) => answers[name] ?? (name === "getSettings" ? async () => null : async () => []),
  });
  return { ...real, api };
});

const { SettingsView } = await import("./SettingsView");
const { setLanguage } = await import("../i18n");

afterEach(() => {
  for (const k of Object.keys(answers)) delete answers[k];
  render(null, document.body);
  document.body.innerHTML = "";
});

async function cloudChoices(): Promise<string[][]> {
  const info = { secrets_sealed: true, language_setting: null } as never;
  render(<SettingsView info={info} onLanguage={() => {}} />, document.body);
  (await until(() => document.querySelector<HTMLButtonElement>("[data-testid=new-mail-configuration]"))).click();
  const select = await until(() => document.querySelector<HTMLSelectElement>("select[name=cloud]"));
  return [...select.options].map((o) => [o.value, o.textContent ?? ""]);
}

describe("the cloud of a mail configuration", () => {
  it("offers Microsoft's clouds in English", async () => {
    setLanguage("en");
    expect(await cloudChoices()).toEqual([
      ["global", "Global (Microsoft 365 worldwide)"],
      ["us_gov_gcc", "US Government GCC (worldwide endpoints)"],
      ["us_gov_gcc_high", "US Government GCC High"],
      ["us_gov_dod", "US Government DoD"],
      ["china", "China (operated by 21Vianet)"],
      ["custom", "Custom"],
    ]);
  });

  it("offers Microsoft's clouds in German", async () => {
    setLanguage("de");
    expect((await cloudChoices()).map(([, label]) => label)).toEqual([
      "Global (Microsoft 365 weltweit)",
      "US Government GCC (weltweite Endpunkte)",
      "US Government GCC High",
      "US Government DoD",
      "China (betrieben von 21Vianet)",
      "Benutzerdefiniert",
    ]);
  });
});

describe("the workspace's country (E3)", () => {
  it("shows Rust's country by name and sends the chosen one to Rust", async () => {
    setLanguage("de");
    const setCountry = vi.fn(async (country: string) => ({ country }));
    answers.getSettings = async () => ({ country: "AT", call_link_mode: "callto" });
    answers.phoneRegions = async () => ["AT", "CH", "DE"];
    answers.setCountry = setCountry;
    render(<SettingsView info={{ secrets_sealed: true, language_setting: null } as never} onLanguage={() => {}} />, document.body);
    const select = await until(() => {
      const s = document.querySelector<HTMLSelectElement>("select[data-testid=country]");
      return s && s.options.length === 3 ? s : null;
    });
    expect(document.body.textContent).toContain("Land des Arbeitsbereichs");
    expect(select.value).toBe("AT");
    expect([...select.options].map((o) => o.textContent)).toEqual(["Österreich (AT)", "Schweiz (CH)", "Deutschland (DE)"]);
    select.value = "CH";
    select.dispatchEvent(new Event("change"));
    await until(() => (setCountry.mock.calls.length ? true : null));
    expect(setCountry).toHaveBeenCalledWith("CH");
  });
});

describe("callto: without a handler (E3)", () => {
  const settings = { country: "DE", call_link_mode: "callto", teams_integration_enabled: true, external_calls_enabled: true };
  const show = async () => {
    render(<SettingsView info={{ secrets_sealed: true, language_setting: null } as never} onLanguage={() => {}} />, document.body);
    await until(() => document.querySelector("[data-testid=call-link-mode]"));
    await new Promise((r) => setTimeout(r, 0));
  };

  it("says so where Rust offers the Teams call link, and switches to it", async () => {
    setLanguage("de");
    let offer = true;
    const setCallLinkMode = vi.fn(async (mode: string) => {
      offer = false;
      return { ...settings, call_link_mode: mode };
    });
    answers.getSettings = async () => settings;
    answers.calltoCheck = async () => ({ handler: { state: "nothing" }, offer_teams_link: offer });
    answers.setCallLinkMode = setCallLinkMode;
    await show();
    const notice = await until(() => document.querySelector("[data-testid=callto-notice]"));
    expect(notice.querySelector("span")!.textContent).toBe(
      "Auf diesem Computer ist kein Programm mit dem callto-Protokoll verknüpft: Anrufe über callto: kämen nirgends an. Das callto-Protokoll muss im Betriebssystem mit MS Teams verknüpft sein, oder Anrufe werden als MS Teams Anruf-Link übergeben.",
    );
    const use = notice.querySelector<HTMLButtonElement>("[data-testid=callto-use-teams-link]")!;
    expect(use.textContent).toBe("MS Teams Anruf-Link verwenden");
    use.click();
    await until(() => (setCallLinkMode.mock.calls.length ? true : null));
    expect(setCallLinkMode).toHaveBeenCalledWith("teams_link");
    await until(() => document.querySelector("[data-testid=callto-notice]") === null);
    expect(document.querySelector<HTMLSelectElement>("[data-testid=call-link-mode]")!.value).toBe("teams_link");
  });

  it("says so in English", async () => {
    setLanguage("en");
    answers.getSettings = async () => settings;
    answers.calltoCheck = async () => ({ handler: { state: "nothing" }, offer_teams_link: true });
    await show();
    const notice = await until(() => document.querySelector("[data-testid=callto-notice]"));
    expect(notice.textContent).toContain("No program on this computer is linked to the callto protocol");
    expect(notice.querySelector("button")!.textContent).toBe("Use the MS Teams call link");
  });

  it("says nothing where Rust offers nothing", async () => {
    setLanguage("de");
    answers.getSettings = async () => settings;
    const check = vi.fn(async () => ({ handler: { state: "handled", handler: "teams-for-linux.desktop" }, offer_teams_link: false }));
    answers.calltoCheck = check;
    await show();
    await until(() => (check.mock.calls.length ? true : null));
    await new Promise((r) => setTimeout(r, 0));
    expect(document.querySelector("[data-testid=call-link-mode]")).not.toBeNull();
    expect(document.querySelector("[data-testid=callto-notice]")).toBeNull();
  });
});
