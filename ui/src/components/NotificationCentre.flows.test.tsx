// @vitest-environment happy-dom
// D1 in the notification centre, as a user goes through it: due reminders open the centre by
// themselves, each shows its subject and start time in the user's language; "Öffnen" opens the
// reminder's activity, "Erledigt" dismisses the reminder (by its own id) and the list follows Rust.
// Rust is a stand-in whose answers are typed as the generated bindings.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import { CommandError } from "../api";
import { reminder } from "../testing/fixtures";
import { setLanguage } from "../i18n";

type Api = (typeof import("../api"))["api"];
const rust = vi.hoisted(() => ({
  notifications: vi.fn<Api["notifications"]>(),
  joinMeeting: vi.fn<Api["joinMeeting"]>(async () => null),
  dismissNotification: vi.fn<Api["dismissNotification"]>(async () => null),
}));
vi.mock("../api", async (original) => ({ ...(await original<typeof import("../api")>()), api: rust }));
vi.mock("../startup", () => ({ afterCalendarReady: async () => {} }));

const { NotificationCentre } = await import("./NotificationCentre");

// Winter and summer time in Europe/Berlin, the zone every test runs in (vite.config.ts).
const review = reminder();
const visit = reminder({
  id: 32,
  activity_id: 320,
  subject: "Besuch Kunde GmbH",
  kind: "visit",
  starts_at: "2026-07-01T12:30:00Z",
  join_url: null,
});

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

async function centre(onOpenActivity: (id: number) => void = () => {}) {
  render(<NotificationCentre onOpenActivity={onOpenActivity} />, document.body);
  await until(() => rust.notifications.mock.calls.length > 0);
  await new Promise((r) => setTimeout(r, 10));
}
const list = () => document.querySelector<HTMLElement>("[data-testid=notifications]");
const reminders = () => [...document.querySelectorAll<HTMLElement>("[data-testid=reminder]")];
const buttonIn = (li: HTMLElement, label: string) => [...li.querySelectorAll("button")].find((b) => b.textContent === label);
const bell = () => document.querySelector<HTMLButtonElement>("[data-testid=notifications-button]")!;

describe("due reminders", () => {
  it("open the centre by themselves, each with its subject and start time", async () => {
    setLanguage("de");
    rust.notifications.mockResolvedValue([review, visit]);
    await centre();
    expect(list()).not.toBeNull();
    expect(list()!.querySelector("h3")!.textContent).toBe("Benachrichtigungen");
    expect(bell().querySelector(".count")!.textContent).toBe("2");
    expect(bell().getAttribute("aria-expanded")).toBe("true");
    expect(reminders().map((li) => li.querySelector("strong")!.textContent)).toEqual(["Angebotsbesprechung", "Besuch Kunde GmbH"]);
    expect(reminders().map((li) => li.querySelector("small")!.textContent!.trim())).toEqual(["01.12.2026, 10:00", "01.07.2026, 14:30"]);
    expect(reminders().map((li) => [...li.querySelectorAll("button")].map((b) => b.textContent))).toEqual([
      ["An Besprechung teilnehmen", "Öffnen", "Erledigt"],
      ["Öffnen", "Erledigt"],
    ]);
  });

  it("in English, with the English date", async () => {
    setLanguage("en");
    rust.notifications.mockResolvedValue([review]);
    await centre();
    expect(list()!.querySelector("h3")!.textContent).toBe("Notifications");
    expect(reminders()[0].querySelector("small")!.textContent!.trim()).toBe("1 Dec 2026, 10:00");
    expect([...reminders()[0].querySelectorAll("button")].map((b) => b.textContent)).toEqual(["Join meeting", "Open", "Done"]);
  });

  it("none: the centre stays closed, and opened it says there are none", async () => {
    setLanguage("de");
    rust.notifications.mockResolvedValue([]);
    await centre();
    expect(list()).toBeNull();
    expect(bell().querySelector(".count")!.textContent).toBe("0");
    bell().click();
    await until(() => list());
    expect(rust.notifications).toHaveBeenCalledTimes(2);
    expect(list()!.textContent).toContain("Keine Erinnerungen");
  });
});

describe("a reminder's buttons", () => {
  it("'Öffnen' opens the reminder's activity and closes the centre", async () => {
    setLanguage("de");
    rust.notifications.mockResolvedValue([review, visit]);
    const onOpenActivity = vi.fn<(id: number) => void>();
    await centre(onOpenActivity);
    buttonIn(reminders()[1], "Öffnen")!.click();
    expect(onOpenActivity).toHaveBeenCalledTimes(1);
    expect(onOpenActivity).toHaveBeenCalledWith(320);
    await until(() => list() === null);
    expect(rust.dismissNotification).not.toHaveBeenCalled();
  });

  it("'Erledigt' dismisses the reminder by its id, and the list is Rust's new one", async () => {
    setLanguage("de");
    rust.notifications.mockResolvedValue([review, visit]);
    await centre();
    rust.notifications.mockResolvedValue([visit]);
    buttonIn(reminders()[0], "Erledigt")!.click();
    await until(() => reminders().length === 1);
    expect(rust.dismissNotification).toHaveBeenCalledTimes(1);
    expect(rust.dismissNotification).toHaveBeenCalledWith(31);
    expect(reminders()[0].querySelector("strong")!.textContent).toBe("Besuch Kunde GmbH");
    expect(bell().querySelector(".count")!.textContent).toBe("1");

    rust.notifications.mockResolvedValue([]);
    buttonIn(reminders()[0], "Erledigt")!.click();
    await until(() => reminders().length === 0);
    expect(rust.dismissNotification).toHaveBeenLastCalledWith(32);
    expect(list()!.textContent).toContain("Keine Erinnerungen");
  });

  it("shows a dismiss Rust refuses, and keeps the reminder", async () => {
    setLanguage("de");
    rust.notifications.mockResolvedValue([review]);
    await centre();
    rust.dismissNotification.mockRejectedValue(new CommandError("not_found", "gone", []));
    buttonIn(reminders()[0], "Erledigt")!.click();
    await until(() => list()!.querySelector(".error"));
    expect(list()!.querySelector(".error")!.textContent).toBe("Der Datensatz existiert nicht mehr.");
    expect(reminders()).toHaveLength(1);
  });

  it("shows a join Rust refuses", async () => {
    setLanguage("de");
    rust.notifications.mockResolvedValue([review]);
    await centre();
    rust.joinMeeting.mockRejectedValue(new CommandError("launch_failed", "no opener", []));
    buttonIn(reminders()[0], "An Besprechung teilnehmen")!.click();
    await until(() => list()!.querySelector(".error"));
    expect(rust.joinMeeting).toHaveBeenCalledWith(310);
    expect(list()!.querySelector(".error")!.textContent).toBe("Der Link konnte nicht geöffnet werden.");
  });
});
