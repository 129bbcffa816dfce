// @vitest-environment happy-dom
// A mail configuration saved with another cloud, URL, application or tenant: the settings pane says
// what Rust's answer reports (sign-ins ended, the secret dropped), in German and English.
import { afterEach, describe, expect, it, vi } from "vitest";
import { render } from "preact";
import { until } from "../testing/until";
import type { MailConfiguration, SavedMailConfiguration } from "../api";

const config: MailConfiguration = {
  id: 7,
  name: "Contoso",
  groupware: "MSGRAPH",
  client_id: "22222222-2222-4222-8222-222222222222",
  tenant_id: "contoso.onmicrosoft.com",
  cloud: "custom",
  custom_authority_url: "https://login.contoso.example",
  custom_graph_url: "https://graph.contoso.example",
  has_client_secret: true,
  client_secret_unreadable: false,
  employee_count: 3,
};
const answer = vi.hoisted(() => ({ change: { registration_changed: true, secret_dropped: true, sign_ins_expired: 2 } }));

vi.mock("../api", async (original) => {
  const real = await original<typeof import("../api")>();
  const api = new Proxy({} as Record<string, unknown>, {
    get: (_target, name) => {
      if (name === "getSettings" || name === "signInStatus") return async () => null;
      if (name === "listMailConfigurations") return async () => [config];
      if (name === "saveMailConfiguration")
        return async (): Promise<SavedMailConfiguration> => ({ ...config, has_client_secret: !answer.change.secret_dropped, change: answer.change });
      return async () => [];
    },
  });
  return { ...real, api };
});

const { SettingsView } = await import("./SettingsView");
const { setLanguage } = await import("../i18n");

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
});

async function saveAndReadNotice(): Promise<string | null> {
  const info = { secrets_sealed: true, language_setting: null } as never;
  render(<SettingsView info={info} onLanguage={() => {}} />, document.body);
  (await until(() => document.querySelector<HTMLAnchorElement>("[data-testid=mail-configuration] a"))).click();
  (await until(() => document.querySelector<HTMLButtonElement>("[data-testid=save-mail-configuration]"))).click();
  await until(() => !document.querySelector("[data-testid=mail-configuration-form]"));
  await new Promise((r) => setTimeout(r, 0));
  return document.querySelector("[data-testid=notice]")?.textContent ?? null;
}

describe("saving a mail configuration with another registration", () => {
  it("says in German that sign-ins ended and the secret was dropped", async () => {
    setLanguage("de");
    answer.change = { registration_changed: true, secret_dropped: true, sign_ins_expired: 2 };
    const text = await saveAndReadNotice();
    expect(text).toContain("2 Anmeldung(en)");
    expect(text).toContain("geheime Clientschlüssel");
  });

  it("says in English that sign-ins ended, and nothing of a secret that came with the save", async () => {
    setLanguage("en");
    answer.change = { registration_changed: true, secret_dropped: false, sign_ins_expired: 1 };
    const text = await saveAndReadNotice();
    expect(text).toContain("1 sign-in(s) made under the previous registration were ended");
    expect(text).not.toContain("client secret");
  });

  it("says nothing when only the name changed", async () => {
    answer.change = { registration_changed: false, secret_dropped: false, sign_ins_expired: 0 };
    expect(await saveAndReadNotice()).toBeNull();
  });
});
