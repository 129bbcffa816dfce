// @vitest-environment happy-dom
// The calendar when FullCalendar's code cannot be loaded: a broken installation. The user
// is told so and what to do, the busy first view goes, and the rest of the window goes on.
import { render } from "preact";
import { describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import type { AppInfo } from "../api";
import { markCalendarReady } from "../startup";
import { CalendarView } from "./CalendarView";
import { keepOpening } from "./calendar/opening";
import { weekOf } from "./calendar/weekLayout";

vi.mock("../api", async (original) => ({
  ...(await original<typeof import("../api")>()),
  api: { firstPaint: async () => null, calendarReady: async () => null },
}));

// The rest of the start waits for this, or for its patience to run out.
vi.mock("../startup", async (original) => {
  const startup = await original<typeof import("../startup")>();
  return { ...startup, markCalendarReady: vi.fn(startup.markCalendarReady) };
});

vi.mock("./calendar/fullCalendar", () => {
  throw new Error("the chunk is missing");
});

describe("the calendar without FullCalendar", () => {
  it("says it could not be loaded and what to do, takes the first view away and lets the start go on", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    keepOpening({ week: weekOf(new Date(), 1), employees: [], entries: [] });
    const host = document.createElement("div");
    document.body.append(host);
    const info = { demo: false, language: "de", current_employee: null } as unknown as AppInfo;
    render(<CalendarView info={info} onOpenActivity={() => {}} />, host);
    expect(host.querySelector("[data-testid=calendar-preview]")).not.toBeNull();

    expect(markCalendarReady).not.toHaveBeenCalled();
    const notice = await until(() => host.querySelector("[data-testid=notice]"));
    expect(notice.textContent).toContain(
      "Der Kalender konnte nicht geladen werden. Bitte starten Sie Treffpunkt neu",
    );
    expect(host.querySelector("[data-testid=calendar-preview]")).toBeNull();
    expect(errors).toHaveBeenCalledWith("FullCalendar could not be loaded", expect.anything());
    expect(markCalendarReady).toHaveBeenCalled();
  });
});
