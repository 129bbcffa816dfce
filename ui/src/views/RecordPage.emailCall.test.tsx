// @vitest-environment happy-dom
// The seed's "Der Anruf über MS Teams kann über ... am E-Mail-Feld initiiert werden": beside the
// record's e-mail field and beside each e-mail communication entry Rust names there is a Teams
// call button; where Rust names none (the integration off, or external calls off for a partner),
// there is none. Rust is a stand-in.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import type { Communication, EmailCalls } from "../api";
import { setLanguage } from "../i18n";

const rust = vi.hoisted(() => ({
  getBusinessPartner: vi.fn(async (id: number) => ({
    id,
    name: "Brauerei Vogel",
    industry: null,
    street: null,
    postal_code: null,
    city: "Berlin",
    country: "DE",
    phone: "030 1234567",
    email: "info@vogel.example",
    website: null,
  })),
  emailCalls: vi.fn<(kind: string, id: number) => Promise<EmailCalls>>(),
  communicationsOf: vi.fn(
    async (): Promise<Communication[]> => [
      { id: 7, owner_kind: "business_partner", owner_id: 3, channel: "email", value: "vertrieb@vogel.example", label: null, owner: { kind: "business_partner", id: 3, label: "Brauerei Vogel" }, stamp: { version: 1, changed_by: "Anna Schmidt", changed_at: 1_796_000_000 } },
      { id: 8, owner_kind: "business_partner", owner_id: 3, channel: "phone", value: "030 7654321", label: null, owner: { kind: "business_partner", id: 3, label: "Brauerei Vogel" }, stamp: { version: 1, changed_by: "Anna Schmidt", changed_at: 1_796_000_000 } },
    ],
  ),
  startEmailCall: vi.fn(async (_kind: string, _id: number) => null),
}));

vi.mock("../api", async (original) => {
  const real = await original<typeof import("../api")>();
  // Every other command answers with nothing (the history, the toolbar's Teams buttons).
  const api = new Proxy(rust as Record<string, unknown>, {
    get: (target, name: string) => target[name] ?? (async () => (name === "teamsButtonsFor" ? null : [])),
  });
  return { ...real, api };
});

const { RecordPage } = await import("./RecordPage");

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

async function partnerPage(calls: EmailCalls) {
  setLanguage("de");
  rust.emailCalls.mockResolvedValue(calls);
  render(<RecordPage type="business_partner" id={3} onOpen={() => {}} onOpenActivity={() => {}} onCreated={() => {}} onBack={() => {}} />, document.body);
  await until(() => document.querySelectorAll("[data-testid=communications] li").length === 2);
  await until(() => rust.emailCalls.mock.calls.length >= 2);
  await new Promise((r) => setTimeout(r, 0));
}

describe("the Teams call beside an e-mail field", () => {
  it("is beside the e-mail field and the e-mail entries Rust names, and calls them", async () => {
    await partnerPage({ field: true, communications: [7] });
    expect(rust.emailCalls).toHaveBeenCalledWith("business_partner", 3);
    const field = await until(() => document.querySelector<HTMLButtonElement>("[data-field=email] [data-testid=email-call]"));
    expect(field.title).toBe("MS Teams Anruf");
    const entries = [...document.querySelectorAll("[data-testid=communications] li")];
    expect(entries.map((li) => li.querySelector("[data-testid=communication-email-call]") !== null)).toEqual([true, false]);

    field.click();
    await until(() => rust.startEmailCall.mock.calls.length > 0);
    expect(rust.startEmailCall).toHaveBeenCalledWith("business_partner", 3);
    entries[0].querySelector<HTMLButtonElement>("[data-testid=communication-email-call]")!.click();
    await until(() => rust.startEmailCall.mock.calls.length > 1);
    expect(rust.startEmailCall).toHaveBeenLastCalledWith("communication", 7);
  });

  it("waits for an edited address to be saved", async () => {
    await partnerPage({ field: true, communications: [] });
    const input = document.querySelector<HTMLInputElement>("input[name=email]")!;
    input.value = "neu@vogel.example";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const button = await until(() => document.querySelector<HTMLButtonElement>("[data-testid=email-call]:disabled"));
    expect(button.title).toBe("Bitte zuerst speichern: Der MS Teams Anruf geht an die gespeicherte E-Mail-Adresse.");
  });

  it("is not there where Rust names no e-mail field", async () => {
    await partnerPage({ field: false, communications: [] });
    expect(document.querySelector("input[name=email]")).not.toBeNull();
    expect(document.querySelector("[data-testid=email-call]")).toBeNull();
    expect(document.querySelector("[data-testid=communication-email-call]")).toBeNull();
  });
});
