// @vitest-environment happy-dom
// B1, B5, B6, A6 on the sign-in panel, as a user goes through them: signing in (the browser runs,
// the sign-in can be cancelled), "Test" with its answer or Microsoft's refusal, the expired state
// with the reason Rust recorded, signing out. Rust is a stand-in whose answers are typed as the
// generated bindings, so that a change of the Rust types fails the type check here.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import { CommandError, type ConnectionTest, type SignInOwner, type SignInStatus } from "../api";
import { NOT_SIGNED_IN as notSignedIn, signedIn } from "../testing/fixtures";
import { setLanguage } from "../i18n";

type Api = (typeof import("../api"))["api"];
const rust = vi.hoisted(() => ({
  signInStatus: vi.fn<Api["signInStatus"]>(),
  signIn: vi.fn<Api["signIn"]>(),
  cancelSignIn: vi.fn<Api["cancelSignIn"]>(async () => null),
  signOut: vi.fn<Api["signOut"]>(),
  testSignIn: vi.fn<Api["testSignIn"]>(),
}));
vi.mock("../api", async (original) => ({ ...(await original<typeof import("../api")>()), api: rust }));

const { SignInPanel } = await import("./SignInPanel");

const employee: SignInOwner = { type: "employee", id: 1 };
const mailbox: SignInOwner = { type: "mail_configuration", id: 3 };

const active = signedIn({ lapses_at: "2027-03-01T09:00:00Z" });
const expired = (reason: string | null): SignInStatus => ({
  ...notSignedIn,
  state: "expired",
  account: "anna@contoso.example",
  display_name: "Anna Schmidt",
  expired_reason: reason,
});

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

async function panel(owner: SignInOwner, status: SignInStatus): Promise<HTMLElement> {
  rust.signInStatus.mockResolvedValue(status);
  render(<SignInPanel owner={owner} />, document.body);
  return until(() => document.querySelector<HTMLElement>("[data-testid=signin-panel]"));
}
const stateText = () => document.querySelector("[data-testid=signin-state]")!.textContent;
const noticeText = () => document.querySelector("[data-testid=notice] span")?.textContent ?? null;
const button = (testId: string) => document.querySelector<HTMLButtonElement>(`[data-testid=${testId}]`);
const hint = () => document.querySelector(".signin .hint")?.textContent ?? null;

/** A promise whose outcome the test decides, as a sign-in waits for the browser. */
function deferred<T>() {
  let resolve: (v: T) => void = () => {};
  let reject: (e: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("signing in (B1)", () => {
  it("shows the browser running with a cancel button, then whom it signed in", async () => {
    setLanguage("de");
    await panel(employee, notSignedIn);
    expect(stateText()).toBe("Nicht angemeldet");
    expect(button("signin")!.textContent).toBe("Anmeldung zu Office 365 durchführen und speichern");
    expect(button("signin-test")!.disabled).toBe(true);
    expect(button("signout")!.disabled).toBe(true);
    expect(button("signin-cancel")).toBeNull();

    const browser = deferred<SignInStatus>();
    rust.signIn.mockReturnValue(browser.promise);
    button("signin")!.click();
    await until(() => button("signin-cancel"));
    expect(rust.signIn).toHaveBeenCalledWith(employee);
    expect(hint()).toBe("Die Anmeldung läuft im Browser … Bitte dort anmelden.");
    expect(button("signin-cancel")!.textContent).toBe("Anmeldung abbrechen");
    expect(button("signin")!.disabled).toBe(true);

    browser.resolve(active);
    await until(() => stateText() === "Angemeldet als anna@contoso.example");
    expect(button("signin-cancel")).toBeNull();
    expect(hint()).toBeNull();
    expect(button("signin-test")!.disabled).toBe(false);
    expect(button("signout")!.disabled).toBe(false);
    expect(rust.cancelSignIn).not.toHaveBeenCalled();
  });

  it("cancels through Rust and says that the sign-in was cancelled", async () => {
    setLanguage("de");
    await panel(mailbox, notSignedIn);
    const browser = deferred<SignInStatus>();
    rust.signIn.mockReturnValue(browser.promise);
    button("signin")!.click();
    (await until(() => button("signin-cancel")))!.click();
    expect(rust.cancelSignIn).toHaveBeenCalledTimes(1);
    expect(rust.signIn).toHaveBeenCalledWith(mailbox);

    // Rust ends the waiting sign-in with its code once it is cancelled.
    browser.reject(new CommandError("signin_cancelled", "cancelled", []));
    await until(() => noticeText() === "Die Anmeldung wurde abgebrochen.");
    expect(button("signin-cancel")).toBeNull();
    expect(stateText()).toBe("Nicht angemeldet");
  });

  it("shows why a sign-in failed, with Microsoft's own code, and asks Rust for the state again", async () => {
    setLanguage("de");
    await panel(employee, notSignedIn);
    rust.signIn.mockRejectedValue(
      new CommandError("signin_consent_missing", "consent", [], {
        code: "AADSTS65001",
        message: "The user or administrator has not consented to use the application.",
      }),
    );
    button("signin")!.click();
    await until(() => noticeText());
    expect(noticeText()).toBe(
      "Der App fehlt die Zustimmung zu den Berechtigungen. Administrator: im Azure-Portal „Administratorzustimmung erteilen“. " +
        "Microsoft 365 meldet: AADSTS65001: The user or administrator has not consented to use the application.",
    );
    expect(document.querySelector("[data-testid=notice]")!.getAttribute("role")).toBe("alert");
    await until(() => rust.signInStatus.mock.calls.length === 2);
    expect(rust.signInStatus).toHaveBeenLastCalledWith(employee);
    expect(button("signin")!.disabled).toBe(false);
    expect(stateText()).toBe("Nicht angemeldet");
  });

  it("says so in English too", async () => {
    setLanguage("en");
    await panel(employee, notSignedIn);
    expect(button("signin")!.textContent).toBe("Sign in to Microsoft 365 and save");
    rust.signIn.mockRejectedValue(new CommandError("signin_access_denied", "denied", []));
    button("signin")!.click();
    await until(() => noticeText());
    expect(noticeText()).toBe("The sign-in was cancelled or declined in the browser.");
  });
});

describe("'Test' (B6)", () => {
  it("names the account Microsoft 365 answered for", async () => {
    setLanguage("de");
    await panel(employee, active);
    const me: ConnectionTest = {
      owner: employee,
      user_principal_name: "anna@contoso.onmicrosoft.com",
      display_name: "Anna Schmidt",
      mail: "anna@contoso.example",
    };
    rust.testSignIn.mockResolvedValue(me);
    expect(button("signin-test")!.textContent).toBe("Test");
    button("signin-test")!.click();
    await until(() => noticeText());
    expect(rust.testSignIn).toHaveBeenCalledWith(employee);
    expect(noticeText()).toBe("Verbindung in Ordnung: anna@contoso.onmicrosoft.com");
    expect(document.querySelector("[data-testid=notice]")!.getAttribute("role")).toBe("status");
  });

  it("adds that the mail configuration's sign-in was tested where Rust tested that one (B3)", async () => {
    setLanguage("de");
    // The employee has no sign-in of its own; the mailbox's leads, so Rust says there is one to test.
    await panel(employee, { ...notSignedIn, testable: true });
    expect(stateText()).toBe("Nicht angemeldet");
    expect(button("signin-test")!.disabled).toBe(false);
    rust.testSignIn.mockResolvedValue({
      owner: mailbox,
      user_principal_name: "vertrieb@contoso.onmicrosoft.com",
      display_name: "Vertrieb",
      mail: "vertrieb@contoso.example",
    });
    button("signin-test")!.click();
    await until(() => noticeText());
    expect(noticeText()).toBe(
      "Verbindung in Ordnung: vertrieb@contoso.onmicrosoft.com Getestet wurde die führende Anmeldung der E-Mail-Konfiguration.",
    );
  });

  it("on the mail configuration's own panel, says nothing more", async () => {
    setLanguage("en");
    await panel(mailbox, active);
    rust.testSignIn.mockResolvedValue({
      owner: mailbox,
      user_principal_name: "vertrieb@contoso.onmicrosoft.com",
      display_name: null,
      mail: null,
    });
    button("signin-test")!.click();
    await until(() => noticeText());
    expect(rust.testSignIn).toHaveBeenCalledWith(mailbox);
    expect(noticeText()).toBe("Connection works: vertrieb@contoso.onmicrosoft.com");
  });

  it("shows Microsoft's own code and message beside the explanation, then the state Rust now reports (A6, B5)", async () => {
    setLanguage("de");
    await panel(employee, active);
    rust.testSignIn.mockRejectedValue(
      new CommandError("graph_forbidden", "forbidden", [], {
        code: "Authorization_RequestDenied",
        message: "Insufficient privileges to complete the operation.",
      }),
    );
    button("signin-test")!.click();
    await until(() => noticeText());
    expect(noticeText()).toBe(
      "Microsoft Graph verweigert den Zugriff: der App fehlt eine Berechtigung (User.Read oder Calendars.ReadWrite). " +
        "Administrator: Berechtigungen und Administratorzustimmung prüfen (siehe Administratorhandbuch). " +
        "Microsoft 365 meldet: Authorization_RequestDenied: Insufficient privileges to complete the operation.",
    );
    expect(rust.signInStatus).toHaveBeenCalledTimes(2);
  });

  it("a revoked sign-in turns the panel to 'expired' with the reason", async () => {
    setLanguage("de");
    await panel(employee, active);
    rust.testSignIn.mockRejectedValue(
      new CommandError("signin_revoked", "revoked", [], { code: "invalid_grant", message: "AADSTS50173: The provided grant has expired." }),
    );
    rust.signInStatus.mockResolvedValue(expired("signin_revoked"));
    button("signin-test")!.click();
    await until(() => stateText().startsWith("Die Anmeldung ist abgelaufen."));
    expect(noticeText()).toBe(
      "Die Anmeldung wurde widerrufen (z. B. nach einer Kennwortänderung). Bitte erneut anmelden. " +
        "Microsoft 365 meldet: invalid_grant: AADSTS50173: The provided grant has expired.",
    );
    expect(button("signin-test")!.disabled).toBe(true);
  });
});

describe("an expired sign-in (B5)", () => {
  it("says it expired and why; signing in and out stay possible, 'Test' does not", async () => {
    setLanguage("de");
    await panel(employee, expired("signin_expired_inactivity"));
    expect(stateText()).toBe(
      "Die Anmeldung ist abgelaufen. Bitte erneut anmelden. Die Anmeldung ist wegen Inaktivität abgelaufen. Bitte erneut anmelden.",
    );
    expect(stateText()).not.toContain("Angemeldet als");
    expect(button("signin")!.disabled).toBe(false);
    expect(button("signin-test")!.disabled).toBe(true);
    expect(button("signout")!.disabled).toBe(false);
  });

  it("in English, with the reason's English text", async () => {
    setLanguage("en");
    await panel(employee, expired("signin_expired_inactivity"));
    expect(stateText()).toBe("The sign-in has expired. Please sign in again. The sign-in expired through inactivity. Please sign in again.");
  });
});

describe("signing out", () => {
  it("asks Rust to sign out this owner and shows 'not signed in'", async () => {
    setLanguage("de");
    await panel(mailbox, active);
    rust.signOut.mockResolvedValue(notSignedIn);
    expect(button("signout")!.textContent).toBe("Abmelden");
    button("signout")!.click();
    await until(() => stateText() === "Nicht angemeldet");
    expect(rust.signOut).toHaveBeenCalledWith(mailbox);
    expect(button("signout")!.disabled).toBe(true);
    expect(button("signin-test")!.disabled).toBe(true);
  });

  it("shows a refused sign-out and keeps the state", async () => {
    setLanguage("de");
    await panel(employee, active);
    rust.signOut.mockRejectedValue(new CommandError("database", "locked", []));
    button("signout")!.click();
    await until(() => noticeText());
    expect(noticeText()).toBe("Die Datenbank meldet einen Fehler. Details stehen im Protokoll.");
    expect(stateText()).toBe("Angemeldet als anna@contoso.example");
  });
});
