// @vitest-environment happy-dom
// The calendar in a team workspace: an activity saved on another desktop (the DOM event
// `treffpunkt:live` from Rust) has the opened calendars fetch their week again; another kind of
// change does not. Rust and FullCalendar are stand-ins, as in CalendarView.test.tsx.
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

function mount(): HTMLElement {
  const host = document.createElement("div");
  document.body.append(host);
  render(<CalendarView info={INFO} onOpenActivity={() => {}} />, host);
  return host;
}

const live = (detail: LiveMessage) => window.dispatchEvent(new CustomEvent("treffpunkt:live", { detail }));

afterEach(() => {
  document.body.innerHTML = "";
  fullCalendar.created.length = 0;
  fullCalendar.refetched.length = 0;
  vi.mocked(markCalendarReady).mockClear();
  rust.calendarEntries.mockReset();
  rust.searchEmployees.mockReset();
});

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
