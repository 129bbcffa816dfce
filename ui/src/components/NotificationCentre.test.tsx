// @vitest-environment happy-dom
// D1 with C7: a reminder offers "An Besprechung teilnehmen" exactly where Rust's answer carries the
// join link (Rust leaves it out where Teams is not available).
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import type { Reminder } from "../api";
import * as fixtures from "../testing/fixtures";
import { setLanguage } from "../i18n";

const rust = vi.hoisted(() => ({
  notifications: vi.fn<() => Promise<Reminder[]>>(),
  joinMeeting: vi.fn(async (_id: number) => null),
  dismissNotification: vi.fn(async (_id: number) => null),
}));
vi.mock("../api", async (original) => ({ ...(await original<typeof import("../api")>()), api: rust }));
vi.mock("../startup", () => ({ afterCalendarReady: async () => {} }));

const { NotificationCentre } = await import("./NotificationCentre");

const reminder = (id: number, subject: string, join_url: string | null): Reminder =>
  fixtures.reminder({ id, activity_id: id * 10, subject, join_url });

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

describe("the notification centre", () => {
  it("offers the join only on the reminder whose answer carries a join link", async () => {
    setLanguage("de");
    rust.notifications.mockResolvedValue([
      reminder(1, "Review", "https://teams.microsoft.com/l/meetup-join/x"),
      reminder(2, "Planung", null),
    ]);
    render(<NotificationCentre onOpenActivity={() => {}} />, document.body);
    const items = await until(() => {
      const found = document.querySelectorAll<HTMLElement>("[data-testid=reminder]");
      return found.length === 2 && found;
    });
    const join = (li: HTMLElement) => [...li.querySelectorAll("button")].filter((b) => b.textContent === "An Besprechung teilnehmen");
    expect(join(items[0])).toHaveLength(1);
    expect(join(items[1])).toHaveLength(0);
    join(items[0])[0].click();
    await until(() => rust.joinMeeting.mock.calls.length > 0);
    expect(rust.joinMeeting).toHaveBeenCalledWith(10);
  });
});
