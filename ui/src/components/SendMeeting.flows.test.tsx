// @vitest-environment happy-dom
// C4 and B5 in the send dialog: a send that needs no sign-in (Rust answers "sent" at once), a send
// that needs the employee's own sign-in, and the errors a send can meet, each in German. Rust is a
// stand-in whose answers are typed as the generated bindings.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import { CommandError, type Activity, type SendOutcome, type SendSummary } from "../api";
import { activity, MAX } from "../testing/fixtures";
import { setLanguage } from "../i18n";

type Api = (typeof import("../api"))["api"];
const rust = vi.hoisted(() => ({
  meetingSummary: vi.fn<Api["meetingSummary"]>(),
  sendMeetingRequest: vi.fn<Api["sendMeetingRequest"]>(),
  signInAndSend: vi.fn<Api["signInAndSend"]>(),
  signIn: vi.fn<Api["signIn"]>(),
  sendWait: vi.fn<Api["sendWait"]>(async () => null),
  cancelSendWait: vi.fn<Api["cancelSendWait"]>(async () => true),
}));
vi.mock("../api", async (original) => ({ ...(await original<typeof import("../api")>()), api: rust }));

const { SendMeeting } = await import("./SendMeeting");

const summary: SendSummary = {
  subject: "Angebotsbesprechung",
  starts_at: "2026-12-01T09:00:00Z",
  ends_at: "2026-12-01T10:00:00Z",
  time_zone: "Europe/Berlin",
  starts_local: "2026-12-01 10:00 (UTC+01:00)",
  ends_local: "2026-12-01 11:00 (UTC+01:00)",
  organizer: "Anna Schmidt <anna@contoso.example>",
  attendees: ["Max Muster <max@kunde.example>", "Eva Berg <eva@kunde.example>"],
  teams: false,
};

const sentMeeting = activity({
  id: 7,
  uid: "7f0c2a52-2b7e-4d59-9a55-0d5e1f1e7a01",
  kind: "meeting",
  subject: "Angebotsbesprechung",
  memo: "",
  mail_text: "Guten Tag, anbei die Einladung.",
  business_partner: { kind: "business_partner", id: 4, label: "Kunde GmbH" },
  participants: [
    MAX,
    { participant: { type: "email", address: "eva@kunde.example" }, label: "eva@kunde.example", email: "eva@kunde.example" },
  ],
  sent_at: "2026-11-30T10:00:00Z",
});

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

async function dialog(onSent: (a: Activity) => void = () => {}, onClose: () => void = () => {}) {
  render(<SendMeeting activityId={7} onSent={onSent} onClose={onClose} />, document.body);
  return until(() => document.querySelector<HTMLElement>("[data-testid=send-summary]"));
}
const confirm = () => document.querySelector<HTMLButtonElement>("[data-testid=confirm-send]")!;
const status = () => document.querySelector("[role=status]")?.textContent ?? null;
const error = () => document.querySelector("[data-testid=send-error]")?.textContent ?? null;
const settle = () => new Promise((r) => setTimeout(r, 50));

describe("a send that needs no sign-in", () => {
  it("shows the summary, sends once, hands the sent meeting back once and never signs in", async () => {
    setLanguage("de");
    rust.meetingSummary.mockResolvedValue(summary);
    let answer: (o: SendOutcome) => void = () => {};
    rust.sendMeetingRequest.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const onSent = vi.fn<(a: Activity) => void>();
    const box = await dialog(onSent);

    expect(box.getAttribute("aria-label")).toBe("Besprechungsanfrage versenden?");
    await until(() => box.querySelector("[data-testid=summary-subject]"));
    expect(rust.meetingSummary).toHaveBeenCalledWith(7);
    expect(box.querySelector("[data-testid=summary-subject]")!.textContent).toBe("Angebotsbesprechung");
    expect([...box.querySelectorAll("dd li")].map((li) => li.textContent)).toEqual([
      "Max Muster <max@kunde.example>",
      "Eva Berg <eva@kunde.example>",
    ]);
    expect(box.textContent).toContain("Besprechung ohne MS Teams");
    expect(box.textContent).toContain("Nach dem Versenden kann die Besprechung im CRM nicht mehr geändert werden.");
    expect(confirm().textContent).toBe("Versenden");

    confirm().click();
    await until(() => status());
    expect(status()).toBe("Die Besprechungsanfrage wird versendet …");
    expect(confirm().disabled).toBe(true);
    expect(rust.sendMeetingRequest).toHaveBeenCalledWith(7);

    answer({ type: "sent", activity: sentMeeting });
    await until(() => onSent.mock.calls.length > 0);
    await settle();
    expect(onSent).toHaveBeenCalledTimes(1);
    expect(onSent).toHaveBeenCalledWith(sentMeeting);
    expect(rust.sendMeetingRequest).toHaveBeenCalledTimes(1);
    expect(rust.signInAndSend).not.toHaveBeenCalled();
    expect(rust.signIn).not.toHaveBeenCalled();
    expect(document.querySelector("[data-testid=send-sign-in]")).toBeNull();
    expect(error()).toBeNull();
  });
});

describe("a send that needs the employee's own sign-in (B5)", () => {
  it("says a sign-in in the browser comes first, and lets Rust sign in and send", async () => {
    setLanguage("de");
    rust.meetingSummary.mockResolvedValue(summary);
    rust.sendMeetingRequest.mockResolvedValue({ type: "needs_sign_in", owner: { type: "employee", id: 1 }, reason: "signin_required" });
    rust.signInAndSend.mockReturnValue(new Promise(() => {}));
    await dialog();
    (await until(() => document.querySelector<HTMLButtonElement>("[data-testid=confirm-send]:not([disabled])")))!.click();
    const asking = await until(() => document.querySelector("[data-testid=send-sign-in]"));
    expect(asking.textContent).toBe(
      "Für das Versenden ist eine Anmeldung bei Microsoft 365 nötig. Die Anmeldung läuft im Browser; danach wird die Anfrage automatisch versendet.",
    );
    expect(rust.signInAndSend).toHaveBeenCalledWith(7);
    expect(rust.signIn).not.toHaveBeenCalled();
    expect(confirm().disabled).toBe(true);
  });
});

describe("errors of a send, in German", () => {
  const cases: { name: string; refusal: unknown; text: string }[] = [
    {
      name: "no participant",
      refusal: new CommandError("no_participants", "no participants", []),
      text: "Es ist kein Teilnehmer eingetragen: Die Besprechungsanfrage kann nicht versendet werden.",
    },
    {
      name: "a participant without address",
      refusal: new CommandError("participant_without_email", "no address", []),
      text: "Ein Teilnehmer hat keine E-Mail-Adresse.",
    },
    {
      name: "Microsoft 365 refuses Teams, with its own code",
      refusal: new CommandError("teams_not_allowed", "teams", [], {
        code: "ErrorInvalidOnlineMeetingProvider",
        message: "The online meeting provider is not allowed.",
      }),
      text:
        "Das Postfach des Organisators darf keine Teams-Besprechungen erstellen (allowedOnlineMeetingProviders ohne teamsForBusiness). " +
        "Es wurde nichts versendet. Administrator: dem Postfach eine Teams-Lizenz zuweisen und Teams als Besprechungsanbieter in Exchange Online zulassen. " +
        "Microsoft 365 meldet: ErrorInvalidOnlineMeetingProvider: The online meeting provider is not allowed.",
    },
    {
      name: "Microsoft Graph unreachable",
      refusal: new CommandError("graph_network", "unreachable", []),
      text: "Microsoft Graph ist nicht erreichbar.",
    },
    {
      name: "an error that is no command error",
      refusal: new Error("ipc broke"),
      text: "Ein interner Fehler ist aufgetreten.",
    },
  ];

  for (const c of cases) {
    it(`shows ${c.name}, and the send can be tried again`, async () => {
      setLanguage("de");
      rust.meetingSummary.mockResolvedValue(summary);
      rust.sendMeetingRequest.mockRejectedValue(c.refusal);
      const onSent = vi.fn<(a: Activity) => void>();
      await dialog(onSent);
      (await until(() => document.querySelector<HTMLButtonElement>("[data-testid=confirm-send]:not([disabled])")))!.click();
      await until(() => error());
      expect(error()).toBe(c.text);
      expect(document.querySelector("[data-testid=send-error]")!.getAttribute("role")).toBe("alert");
      expect(confirm().disabled).toBe(false);
      expect(status()).toBeNull();
      expect(onSent).not.toHaveBeenCalled();
      expect(rust.signInAndSend).not.toHaveBeenCalled();
    });
  }

  it("shows a summary Rust cannot give, and offers no send", async () => {
    setLanguage("de");
    rust.meetingSummary.mockRejectedValue(new CommandError("not_found", "gone", []));
    await dialog();
    await until(() => error());
    expect(error()).toBe("Der Datensatz existiert nicht mehr.");
    expect(confirm().disabled).toBe(true);
    expect(rust.sendMeetingRequest).not.toHaveBeenCalled();
  });

  it("shows the sign-in's failure after Rust signed in, without sending again", async () => {
    setLanguage("de");
    rust.meetingSummary.mockResolvedValue(summary);
    rust.sendMeetingRequest.mockResolvedValue({ type: "needs_sign_in", owner: { type: "employee", id: 1 }, reason: "signin_expired" });
    rust.signInAndSend.mockRejectedValue(new CommandError("signin_access_denied", "denied", []));
    await dialog();
    (await until(() => document.querySelector<HTMLButtonElement>("[data-testid=confirm-send]:not([disabled])")))!.click();
    await until(() => error());
    expect(error()).toBe("Die Anmeldung wurde im Browser abgebrochen oder abgelehnt.");
    expect(document.querySelector("[data-testid=send-sign-in]")).toBeNull();
    await settle();
    expect(rust.sendMeetingRequest).toHaveBeenCalledTimes(1);
    expect(rust.signInAndSend).toHaveBeenCalledTimes(1);
  });
});
