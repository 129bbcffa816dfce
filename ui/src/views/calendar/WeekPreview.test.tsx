// @vitest-environment happy-dom
// The calendar's first view as the user sees it before FullCalendar takes over: the
// opening week, its events with their times in their days' columns, today marked, nothing usable.
import { renderToString } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import { HOUR_PX, WeekPreview } from "./WeekPreview";
import { weekOf, type WeekEvent } from "./weekLayout";

const week = weekOf(new Date(2026, 10, 25), 1);

const events: WeekEvent[] = [
  // Tuesday 09:00-10:30 Berlin.
  { id: 1, title: "Quartalsplanung", start: new Date("2026-11-24T08:00:00Z"), end: new Date("2026-11-24T09:30:00Z"), color: "#dc2626", kind: "teams_meeting" },
  // Friday 14:00-15:00 Berlin.
  { id: 2, title: "Angebot <Müller & Co>", start: new Date("2026-11-27T13:00:00Z"), end: new Date("2026-11-27T14:00:00Z"), color: "#16a34a", kind: "appointment" },
];

const LABELS = {
  de: { today: "Heute", day: "Tag", week: "Woche", month: "Monat", allDay: "Ganztägig" },
  en: { today: "Today", day: "Day", week: "Week", month: "Month", allDay: "All day" },
};

function draw(language: "de" | "en", drawn: WeekEvent[] = events) {
  const html = renderToString(
    <WeekPreview
      days={week.days}
      end={week.end}
      events={drawn}
      language={language}
      firstHour={6}
      scrollHour={8}
      labels={LABELS[language]}
      now={new Date(2026, 10, 25, 11, 30)}
      onShown={() => {}}
    />,
  );
  const host = new DOMParser().parseFromString(html, "text/html").body.firstElementChild!;
  return host;
}

/** The column (0 = Monday) an element is in. */
const columnOf = (el: Element) => [...el.parentElement!.parentElement!.children].indexOf(el.parentElement!);

describe("the calendar's first view", () => {
  it("shows the week's title, days and hours in German", () => {
    const view = draw("de");
    expect(view.querySelector(".wp-title")!.textContent).toBe("23. – 29. Nov. 2026");
    expect([...view.querySelectorAll(".wp-head .wp-cell")].map((c) => c.textContent)).toEqual([
      "Mo. 23.11.", "Di. 24.11.", "Mi. 25.11.", "Do. 26.11.", "Fr. 27.11.", "Sa. 28.11.", "So. 29.11.",
    ]);
    const hours = [...view.querySelectorAll(".wp-hour")].map((h) => h.textContent);
    expect(hours[0]).toBe("06 Uhr");
    expect(hours).toHaveLength(18);
    expect(view.querySelector(".wp-all-day .wp-axis")!.textContent).toBe("Ganztägig");
  });

  it("draws each event in its day's column at its time, in its calendar's colour", () => {
    const view = draw("de");
    const drawn = [...view.querySelectorAll<HTMLElement>(".wp-event")];
    expect(drawn.map((e) => [columnOf(e), e.querySelector(".wp-event-time")!.textContent, e.querySelector(".wp-event-title")!.textContent])).toEqual([
      [1, "09:00 – 10:30", "Quartalsplanung"],
      [4, "14:00 – 15:00", "Angebot <Müller & Co>"],
    ]);
    const [tuesday, friday] = drawn;
    expect(tuesday.style.top).toBe(`${3 * HOUR_PX}px`);
    expect(tuesday.style.height).toBe(`${1.5 * HOUR_PX - 1}px`);
    expect(tuesday.classList).toContain("kind-teams_meeting");
    expect(tuesday.style.background).toMatch(/#dc2626|rgb\(220, 38, 38\)/);
    expect(friday.style.top).toBe(`${8 * HOUR_PX}px`);
  });

  it("marks today and the time now, and cannot be used yet", () => {
    const view = draw("en");
    // Hidden from screen readers: a week they cannot act on yet (the calendar view says it loads).
    expect(view.getAttribute("aria-hidden")).toBe("true");
    const columns = [...view.querySelectorAll(".wp-col")];
    expect(columns.map((c) => c.classList.contains("wp-is-today"))).toEqual([false, false, true, false, false, false, false]);
    expect(columns[2].querySelector<HTMLElement>(".wp-now")!.style.top).toBe(`${5.5 * HOUR_PX}px`);
    const buttons = [...view.querySelectorAll("button")];
    expect(buttons.map((b) => b.textContent)).toEqual(["", "", "Today", "Day", "Week", "Month"]);
    expect(buttons.every((b) => b.hasAttribute("disabled"))).toBe(true);
    expect(view.querySelector(".wp-title")!.textContent).toBe("23 – 29 Nov 2026");
  });

  it("shows an event over midnight with its times on its first and last day only, as FullCalendar does", () => {
    const view = draw("de", [
      // Tuesday 09:00 to Thursday 17:00 Berlin.
      { id: 3, title: "Messe", start: new Date("2026-11-24T08:00:00Z"), end: new Date("2026-11-26T16:00:00Z"), color: "#2563eb", kind: "appointment" },
    ]);
    const pieces = [...view.querySelectorAll(".wp-event")].map((e) => [columnOf(e), e.querySelector(".wp-event-time")?.textContent ?? null]);
    // Cut at midnight, and at the grid's first hour (06:00) on the last day.
    expect(pieces).toEqual([
      [1, "09:00 – 00:00"],
      [2, null],
      [3, "06:00 – 17:00"],
    ]);
  });

  it("draws an event without a length an hour long with its start time, and a very short one 15px tall", () => {
    const view = draw("de", [
      // Monday 10:00, no length.
      { id: 4, title: "Rückruf", start: new Date("2026-11-23T09:00:00Z"), end: new Date("2026-11-23T09:00:00Z"), color: "#2563eb", kind: "call" },
      // Wednesday 10:00-10:05.
      { id: 5, title: "Kurz", start: new Date("2026-11-25T09:00:00Z"), end: new Date("2026-11-25T09:05:00Z"), color: "#2563eb", kind: "call" },
    ]);
    const [noLength, short] = [...view.querySelectorAll<HTMLElement>(".wp-event")];
    expect(noLength.querySelector(".wp-event-time")!.textContent).toBe("10:00");
    expect(noLength.style.height).toBe(`${HOUR_PX - 1}px`);
    expect(short.querySelector(".wp-event-time")!.textContent).toBe("10:00 – 10:05");
    expect(short.style.height).toBe(`${15 - 1}px`);
  });

  it("draws cut pieces open at the cut, later overlapping events over earlier ones, short ones on one line", () => {
    const view = draw("de", [
      // Tuesday 09:00 to Thursday 17:00: cut at two midnights.
      { id: 3, title: "Messe", start: new Date("2026-11-24T08:00:00Z"), end: new Date("2026-11-26T16:00:00Z"), color: "#2563eb", kind: "appointment" },
      // Friday 09:00-10:00 and 09:30-09:50 beside it.
      { id: 4, title: "Planung", start: new Date("2026-11-27T08:00:00Z"), end: new Date("2026-11-27T09:00:00Z"), color: "#2563eb", kind: "meeting" },
      { id: 5, title: "Rückruf", start: new Date("2026-11-27T08:30:00Z"), end: new Date("2026-11-27T08:50:00Z"), color: "#2563eb", kind: "call" },
    ]);
    const drawn = [...view.querySelectorAll<HTMLElement>(".wp-event")];
    const cuts = (e: HTMLElement) => ["wp-cut-top", "wp-cut-bottom"].filter((c) => e.classList.contains(c));
    expect(drawn.slice(0, 3).map(cuts)).toEqual([["wp-cut-bottom"], ["wp-cut-top", "wp-cut-bottom"], ["wp-cut-top"]]);
    const [planning, callBack] = drawn.slice(3);
    expect([planning.style.zIndex, callBack.style.zIndex]).toEqual(["1", "2"]);
    expect(planning.style.width).toBe("calc(0.5 * (100% - 2px - 2.5%))");
    expect(callBack.style.left).toBe("calc(2px + 0.5 * (100% - 2px - 2.5%))");
    // 20 minutes are 14 px: under FullCalendar's 30 px for a short event.
    expect([planning.classList.contains("wp-short"), callBack.classList.contains("wp-short")]).toEqual([false, true]);
  });
});
