// @vitest-environment happy-dom
// C5 with C7: the contact's toolbar shows "Besprechungsanfrage versenden" and, where Rust names the
// contact's next Teams meeting, "An Besprechung teilnehmen" beside it.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import type { ContactMeetingButtons } from "../api";
import { setLanguage } from "../i18n";

const rust = vi.hoisted(() => ({
  contactMeeting: vi.fn<(id: number) => Promise<ContactMeetingButtons | null>>(),
  contactMeetingDraft: vi.fn(async () => ({
    input: {},
    wall_clock: { starts: "2026-12-01T10:00", ends: "2026-12-01T11:00" },
    participants: [],
    linked_from: null,
  })),
  joinMeeting: vi.fn(async (_id: number) => null),
}));
vi.mock("../api", async (original) => ({ ...(await original<typeof import("../api")>()), api: rust }));

const { ContactMeetingButton } = await import("./ContactMeetingButton");

async function toolbar(answer: ContactMeetingButtons | null): Promise<string[]> {
  setLanguage("de");
  rust.contactMeeting.mockResolvedValue(answer);
  render(<ContactMeetingButton contactId={3} onOpenActivity={() => {}} />, document.body);
  await until(() => rust.contactMeeting.mock.calls.length > 0);
  await new Promise((r) => setTimeout(r, 0));
  return [...document.querySelectorAll("button")].map((b) => b.textContent?.trim() ?? "");
}

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

describe("the contact's meeting buttons", () => {
  it("offer a new request beside joining the next Teams meeting", async () => {
    expect(await toolbar({ send_kind: "teams_meeting", join_activity_id: 7 })).toEqual([
      "Besprechungsanfrage versenden",
      "T An Besprechung teilnehmen",
    ]);
    document.querySelector<HTMLButtonElement>("[data-testid=contact-join]")!.click();
    await until(() => rust.joinMeeting.mock.calls.length > 0);
    expect(rust.joinMeeting).toHaveBeenCalledWith(7);
    document.querySelector<HTMLButtonElement>("[data-testid=contact-send-request]")!.click();
    await until(() => rust.contactMeetingDraft.mock.calls.length > 0);
    expect(rust.contactMeetingDraft).toHaveBeenCalledWith(3, "teams_meeting");
  });

  it("offer only the request where Rust names no meeting to join", async () => {
    expect(await toolbar({ send_kind: "meeting", join_activity_id: null })).toEqual(["Besprechungsanfrage versenden"]);
  });

  it("are hidden where Rust hides them", async () => {
    expect(await toolbar(null)).toEqual([]);
  });
});
