// @vitest-environment happy-dom
// C4 with Microsoft's throttling: while a send waits for Microsoft 365 (Retry-After), the dialog
// names the organizer, shows the seconds left, and a button ends the wait. Rust is a stand-in:
// what is checked is what the user sees and what the dialog asks Rust for.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import { CommandError, type Activity, type SendOutcome, type SendSummary, type SendWait } from "../api";
import { setLanguage } from "../i18n";

const rust = vi.hoisted(() => ({
  meetingSummary: vi.fn<(id: number) => Promise<SendSummary>>(),
  sendMeetingRequest: vi.fn<(id: number) => Promise<SendOutcome>>(),
  signInAndSend: vi.fn<(id: number) => Promise<Activity>>(),
  signIn: vi.fn(),
  sendWait: vi.fn<(id: number) => Promise<SendWait | null>>(),
  cancelSendWait: vi.fn<(id: number) => Promise<boolean>>(async () => true),
}));

vi.mock("../api", async (original) => ({
  ...(await original<typeof import("../api")>()),
  api: rust,
}));

import { SendMeeting } from "./SendMeeting";

const summary: SendSummary = {
  subject: "Angebotsbesprechung",
  starts_at: "2026-12-01T09:00:00Z",
  ends_at: "2026-12-01T10:00:00Z",
  time_zone: "Europe/Vienna",
  starts_local: "2026-12-01 10:00 (UTC+01:00)",
  ends_local: "2026-12-01 11:00 (UTC+01:00)",
  organizer: "Vertrieb <vertrieb@contoso.example>",
  attendees: ["Anna Schmidt <anna@contoso.example>"],
  teams: true,
};

afterEach(() => {
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

describe("SendMeeting", () => {
  it("shows the organizer, then the time left of a long wait, and ends the wait on request", async () => {
    setLanguage("de");
    rust.meetingSummary.mockResolvedValue(summary);
    // C9: the times as Rust gave them in the meeting's zone, not converted by the webview.
    rust.sendMeetingRequest.mockReturnValue(new Promise(() => {}));
    rust.sendWait.mockResolvedValue({ activity: 7, until: new Date(Date.now() + 30_000).toISOString() });
    const host = document.createElement("div");
    document.body.append(host);
    render(<SendMeeting activityId={7} onSent={() => {}} onClose={() => {}} />, host);

    const organizer = await until(() => host.querySelector("[data-testid=summary-organizer]"));
    expect(host.querySelector("[data-testid=summary-times]")!.textContent).toBe("2026-12-01 10:00 (UTC+01:00) – 2026-12-01 11:00 (UTC+01:00) (Europe/Vienna)");
    expect(organizer.textContent).toBe("Vertrieb <vertrieb@contoso.example>");
    (host.querySelector("[data-testid=confirm-send]") as HTMLButtonElement).click();

    const wait = await until(() => host.querySelector("[data-testid=send-wait]"));
    expect(wait.textContent).toMatch(/nächster Versuch in (29|30) s/);
    (host.querySelector("[data-testid=cancel-wait]") as HTMLButtonElement).click();
    expect(rust.cancelSendWait).toHaveBeenCalledWith(7);
  }, 5000);

  const sentActivity = { id: 7, sent_at: "2026-11-30T10:00:00Z" } as Activity;

  it("signs in the sign-in Rust names (the mail configuration's) and sends once more", async () => {
    setLanguage("de");
    rust.meetingSummary.mockResolvedValue(summary);
    rust.sendWait.mockResolvedValue(null);
    rust.sendMeetingRequest.mockResolvedValue({ type: "needs_sign_in", owner: { type: "mail_configuration", id: 3 }, reason: "signin_expired" });
    let finish: (a: Activity) => void = () => {};
    rust.signInAndSend.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    const onSent = vi.fn();
    const host = document.createElement("div");
    document.body.append(host);
    render(<SendMeeting activityId={7} onSent={onSent} onClose={() => {}} />, host);
    (await until(() => host.querySelector("[data-testid=confirm-send]:not([disabled])")) as HTMLButtonElement).click();

    const asking = await until(() => host.querySelector("[data-testid=send-sign-in]"));
    expect(asking.textContent).toContain("Anmeldung der E-Mail-Konfiguration");
    expect(rust.signInAndSend).toHaveBeenCalledWith(7);
    // The UI names no owner of its own: Rust signs in the one the send uses.
    expect(rust.signIn).not.toHaveBeenCalled();
    finish(sentActivity);
    await until(() => onSent.mock.calls.length > 0 || null);
    expect(onSent).toHaveBeenCalledWith(sentActivity);
    expect(rust.sendMeetingRequest).toHaveBeenCalledTimes(1);
  }, 5000);

  it("shows a send that still fails after the sign-in and does not try again", async () => {
    setLanguage("en");
    rust.meetingSummary.mockResolvedValue(summary);
    rust.sendWait.mockResolvedValue(null);
    rust.sendMeetingRequest.mockResolvedValue({ type: "needs_sign_in", owner: { type: "employee", id: 1 }, reason: "signin_required" });
    rust.signInAndSend.mockRejectedValue(new CommandError("signin_expired", "expired", []));
    const host = document.createElement("div");
    document.body.append(host);
    render(<SendMeeting activityId={7} onSent={() => {}} onClose={() => {}} />, host);
    (await until(() => host.querySelector("[data-testid=confirm-send]:not([disabled])")) as HTMLButtonElement).click();

    await until(() => host.querySelector("[data-testid=send-error]"));
    await new Promise((r) => setTimeout(r, 50));
    expect(rust.sendMeetingRequest).toHaveBeenCalledTimes(1);
    expect(rust.signInAndSend).toHaveBeenCalledTimes(1);
    expect(host.querySelector("[data-testid=confirm-send]")).not.toBeNull();
  }, 5000);
});
