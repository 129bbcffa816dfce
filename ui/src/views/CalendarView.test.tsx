// @vitest-environment happy-dom
// The calendar's start (C1): the opening week drawn first from the start's data, handed to
// FullCalendar without asking Rust again, and fetched anew when the user changes the opened
// calendars before FullCalendar has taken over; in a team workspace, an activity saved on another
// desktop (the DOM event `treffpunkt:live` from Rust) has the opened calendars fetch their week
// again, another kind of change does not. Rust and FullCalendar are stand-ins here: what is
// checked is what the view asks for and what the user sees.
import type { EventInput, EventSourceFuncArg } from "@fullcalendar/core";
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import type { AppInfo, CalendarEntry, Employee, LiveMessage } from "../api";
import { markCalendarReady } from "../startup";

// The rest of the start waits for this (or for its patience to run out).
vi.mock("../startup", async (original) => {
  const startup = await original<typeof import("../startup")>();
  return { ...startup, markCalendarReady: vi.fn(startup.markCalendarReady) };
});
import { CalendarView } from "./CalendarView";
import type { CalendarOptions } from "./calendar/fullCalendar";
import { keepOpening } from "./calendar/opening";
import { weekOf } from "./calendar/weekLayout";

const rust = vi.hoisted(() => ({
  searchEmployees: vi.fn<(query: string) => Promise<Employee[]>>(),
  calendarEntries: vi.fn<(ids: number[], from: string, to: string) => Promise<CalendarEntry[]>>(),
}));

vi.mock("../api", async (original) => ({
  ...(await original<typeof import("../api")>()),
  api: {
    ...rust,
    firstPaint: async () => null,
    calendarReady: async () => null,
    calendarActions: async () => [],
  },
}));

/**
 * Each FullCalendar the view created: its options and its first range's events, which the real
 * one asks for while it is created (before the view holds it); how often one was rendered, and
 * whether rendering fails.
 */
const fullCalendar = vi.hoisted(() => ({
  created: [] as { options: CalendarOptions; firstWeek: Promise<EventInput[]> }[],
  renders: 0,
  renderFails: false,
  refetched: [] as Promise<EventInput[]>[],
  destroyed: 0,
}));

vi.mock("./calendar/fullCalendar", () => ({
  createCalendar: (_host: HTMLElement, options: CalendarOptions) => {
    const firstWeek = options.events({ start: week.days[0], end: week.end } as EventSourceFuncArg);
    firstWeek.catch(() => {});
    fullCalendar.created.push({ options, firstWeek });
    return {
      render: () => {
        if (fullCalendar.renderFails) throw new Error("render failed");
        fullCalendar.renders++;
      },
      destroy: () => fullCalendar.destroyed++,
      refetchEvents: () => fullCalendar.refetched.push(options.events({ start: week.days[0], end: week.end } as EventSourceFuncArg)),
      getDate: () => new Date(),
    };
  },
}));

const week = weekOf(new Date(), 1);
const employee = (id: number, first_name: string, color: string) => ({ id, first_name, last_name: "Test", color }) as Employee;
const EMPLOYEES = [employee(1, "Anna", "#dc2626"), employee(2, "Ben", "#16a34a")];
const ENTRY = {
  id: 7,
  kind: "appointment",
  subject: "Angebot besprechen",
  starts_at: new Date(week.days[2].getTime() + 10 * 3_600_000).toISOString(),
  ends_at: new Date(week.days[2].getTime() + 11 * 3_600_000).toISOString(),
  calendar_employee_id: 1,
} as CalendarEntry;
const INFO = { demo: false, language: "de", current_employee: { id: 1, label: "Anna Test" } } as unknown as AppInfo;

const mounted: HTMLElement[] = [];

function mount(): HTMLElement {
  const host = document.createElement("div");
  document.body.append(host);
  render(<CalendarView info={INFO} onOpenActivity={() => {}} />, host);
  mounted.push(host);
  return host;
}

afterEach(() => {
  // Unmounted, not only removed: a calendar left mounted would still hear the window's events.
  for (const host of mounted.splice(0)) render(null, host);
  document.body.innerHTML = "";
  fullCalendar.created.length = 0;
  fullCalendar.renderFails = false;
  fullCalendar.refetched.length = 0;
  fullCalendar.destroyed = 0;
  vi.mocked(markCalendarReady).mockClear();
  vi.restoreAllMocks();
  rust.calendarEntries.mockReset();
  rust.searchEmployees.mockReset();
});

describe("the calendar's start", () => {
  it("draws the start's week at once and hands it to FullCalendar without asking again", async () => {
    keepOpening({ week, employees: EMPLOYEES, entries: [ENTRY] });
    const host = mount();
    // The first view, before FullCalendar: the event in Anna's colour.
    const drawn = host.querySelector<HTMLElement>("[data-testid=calendar-preview] .wp-event")!;
    expect(drawn.textContent).toContain("Angebot besprechen");
    expect(drawn.style.background).toMatch(/#dc2626|rgb\(220, 38, 38\)/);

    // Screen readers hear that it is loading; the week itself is hidden from them.
    const stage = host.querySelector(".calendar-stage")!;
    expect(stage.getAttribute("aria-busy")).toBe("true");
    // Not in the task that made the live region: that text would not be announced.
    const status = host.querySelector("[role=status]")!;
    expect(status.textContent).toBe("");
    const said: string[] = [];
    new MutationObserver(() => said.push(status.textContent!)).observe(status, { childList: true, characterData: true, subtree: true });

    const { firstWeek } = await until(() => fullCalendar.created[0]);
    const events = await firstWeek;
    expect(events).toMatchObject([{ id: "7", title: "Angebot besprechen", backgroundColor: "#dc2626" }]);
    expect(rust.calendarEntries).not.toHaveBeenCalled();
    // FullCalendar rendered, the first view gone.
    await until(() => !host.querySelector("[data-testid=calendar-preview]"));
    expect(fullCalendar.renders).toBe(1);
    expect(stage.hasAttribute("aria-busy")).toBe(false);
    await until(() => said.length >= 2);
    expect(said).toEqual(["Kalender wird geladen …", ""]);

    // Opening Ben's calendar afterwards has FullCalendar fetch the week for both.
    rust.calendarEntries.mockResolvedValue([ENTRY, { ...ENTRY, id: 8, calendar_employee_id: 2 }]);
    const ben = await until(() => host.querySelector<HTMLInputElement>("[data-testid=calendar-2]"));
    ben.click();
    expect(fullCalendar.refetched).toHaveLength(1);
    expect(rust.calendarEntries.mock.calls[0][0]).toEqual([1, 2]);
    expect((await fullCalendar.refetched[0]).map((e) => [e.id, e.backgroundColor])).toEqual([
      ["7", "#dc2626"],
      ["8", "#16a34a"],
    ]);
  });

  it("fetches the opening week anew when the opened calendars change before FullCalendar took over", async () => {
    // A later mount: the start is over, the view asks for its week itself.
    markCalendarReady();
    rust.searchEmployees.mockResolvedValue(EMPLOYEES);
    let answerFirst!: (entries: CalendarEntry[]) => void;
    let answerSecond!: (entries: CalendarEntry[]) => void;
    rust.calendarEntries
      .mockReturnValueOnce(new Promise((resolve) => (answerFirst = resolve)))
      .mockReturnValueOnce(new Promise((resolve) => (answerSecond = resolve)));
    const host = mount();

    // The list of calendars is there while the week is still on its way: Ben's is opened.
    const ben = await until(() => host.querySelector<HTMLInputElement>("[data-testid=calendar-2]"));
    ben.click();
    expect(rust.calendarEntries).toHaveBeenCalledTimes(1);
    expect(rust.calendarEntries.mock.calls[0][0]).toEqual([1]);
    answerFirst([ENTRY]);

    const { firstWeek } = await until(() => fullCalendar.created[0]);
    // The week for Anna alone, fetched before the change, was not drawn ...
    expect(host.querySelector("[data-testid=calendar-preview]")).toBeNull();
    answerSecond([ENTRY, { ...ENTRY, id: 8, calendar_employee_id: 2 }]);
    const events = await firstWeek;
    // ... nor handed to FullCalendar: it has the week for both.
    expect(rust.calendarEntries).toHaveBeenCalledTimes(2);
    expect(rust.calendarEntries.mock.calls[1][0]).toEqual([1, 2]);
    expect(events.map((e) => e.id)).toEqual(["7", "8"]);
  });

  it("says so when FullCalendar fails to draw, takes the first view away and lets the start go on", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    fullCalendar.renderFails = true;
    keepOpening({ week, employees: EMPLOYEES, entries: [ENTRY] });
    const host = mount();
    expect(markCalendarReady).not.toHaveBeenCalled();
    const notice = await until(() => host.querySelector("[data-testid=notice]"));
    expect(notice.textContent).toContain("Der Kalender konnte nicht geladen werden. Bitte starten Sie Treffpunkt neu");
    expect(host.querySelector("[data-testid=calendar-preview]")).toBeNull();
    expect(errors).toHaveBeenCalledWith("FullCalendar could not be loaded", expect.objectContaining({ message: "render failed" }));
    expect(markCalendarReady).toHaveBeenCalled();
    // The broken calendar is gone: opening a calendar asks nothing of it.
    expect(fullCalendar.destroyed).toBe(1);
    const ben = await until(() => host.querySelector<HTMLInputElement>("[data-testid=calendar-2]"));
    ben.click();
    expect(fullCalendar.refetched).toHaveLength(0);
  });
});

const live = (detail: LiveMessage) => window.dispatchEvent(new CustomEvent("treffpunkt:live", { detail }));


describe("the calendar in a team workspace", () => {
  it("fetches the week again when an activity changed on another desktop", async () => {
    keepOpening({ week, employees: EMPLOYEES, entries: [ENTRY] });
    const host = mount();
    await until(() => fullCalendar.created[0]);
    await until(() => !host.querySelector("[data-testid=calendar-preview]"));

    live({ event: "changed", record: "contact", id: 3 });
    await new Promise((r) => setTimeout(r, 50));
    expect(fullCalendar.refetched).toHaveLength(0);

    const moved = { ...ENTRY, subject: "Angebot besprechen (verschoben)" };
    rust.calendarEntries.mockResolvedValue([moved]);
    live({ event: "changed", record: "activity", id: 7 });
    expect(fullCalendar.refetched).toHaveLength(1);
    expect((await fullCalendar.refetched[0]).map((e) => e.title)).toEqual(["Angebot besprechen (verschoben)"]);
    expect(rust.calendarEntries.mock.calls[0][0]).toEqual([1]);
  });
});
