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
