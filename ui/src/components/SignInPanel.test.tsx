// @vitest-environment happy-dom
// With the keyring's key gone, Rust reports the stored secret and sign-in as
// unreadable; the panel says they must be entered again instead of "signed in".
import { afterEach, describe, expect, it, vi } from "vitest";
import { render } from "preact";
import { until } from "../testing/until";
import type { SignInStatus } from "../api";
import { signedIn } from "../testing/fixtures";

let answer: SignInStatus;
vi.mock("../api", async (original) => {
  const real = await original<typeof import("../api")>();
  const api = new Proxy({} as Record<string, unknown>, {
    get: (_target, name) => (name === "signInStatus" ? async () => answer : async () => null),
  });
  return { ...real, api };
});

const { SignInPanel } = await import("./SignInPanel");
const { setLanguage } = await import("../i18n");

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
});

const base = signedIn({ display_name: "Anna" });

async function stateText(status: SignInStatus): Promise<string> {
  answer = status;
  render(<SignInPanel owner={{ type: "employee", id: 1 }} />, document.body);
  return (await until(() => document.querySelector("[data-testid=signin-state]"))).textContent ?? "";
}

describe("a sign-in whose secrets can no longer be read", () => {
  it("asks for the tokens again, not 'signed in'", async () => {
    setLanguage("en");
    const text = await stateText({ ...base, state: "expired", expired_reason: "signin_unreadable" });
    expect(text).toContain("can no longer be read");
    expect(text).toContain("sign in again");
    expect(text).not.toContain("Signed in as");
  });

  it("asks for the client secret again, in German too", async () => {
    setLanguage("de");
    const text = await stateText({ ...base, available: false, secret_unreadable: true, state: null, account: null });
    expect(text).toContain("nicht mehr lesbar");
    expect(text).toContain("erneut eingegeben");
  });
});
