// The first view's week must put events where FullCalendar's week view will put them.
// The zone is the user's with its DST switches: Europe/Berlin, set for all tests in vite.config.ts.
import { describe, expect, it } from "vitest";
import { placeEvents, weekOf, type PlacedEvent, type WeekEvent } from "./weekLayout";

/** A grid from 06:00 with a px per minute, so that the px below read as minutes after 06:00. */
const GRID = { firstMinute: 6 * 60, hourPx: 60, minPx: 0 };

function event(id: number, start: string, end: string): WeekEvent {
  return { id, title: `Event ${id}`, start: new Date(start), end: new Date(end), color: "#2563eb", kind: "appointment" };
}

const iso = (d: Date) => d.toISOString();

/** Each piece's left edge and width, as fractions of the column, by event id. */
const places = (pieces: PlacedEvent[]) =>
  Object.fromEntries(pieces.map((p) => [p.event.id, [Number(p.left.toFixed(4)), Number(p.width.toFixed(4))]]));

describe("the opening week", () => {
  it("runs from Monday's local midnight to the next Monday's, whatever the day", () => {
    for (const day of [23, 26, 29]) {
      const { days, end } = weekOf(new Date(2026, 10, day, 15, 30), 1);
      expect(days.map((d) => d.getDate())).toEqual([23, 24, 25, 26, 27, 28, 29]);
      expect(iso(days[0])).toBe("2026-11-22T23:00:00.000Z");
      expect(iso(end)).toBe("2026-11-29T23:00:00.000Z");
    }
  });

  it("has 7 local days in the week of the spring switch, though one of them is 23 hours long", () => {
    const { days, end } = weekOf(new Date(2026, 2, 29, 12), 1);
    expect(days[0].getDate()).toBe(23);
    expect(days[6].getDate()).toBe(29);
    expect(iso(days[6])).toBe("2026-03-28T23:00:00.000Z");
    expect(iso(end)).toBe("2026-03-29T22:00:00.000Z");
  });

  it("starts on Sunday when the week does", () => {
    expect(weekOf(new Date(2026, 10, 28), 0).days[0].getDate()).toBe(22);
  });
});

describe("placing events", () => {
  const { days, end } = weekOf(new Date(2026, 10, 25), 1);

  it("puts an event in its day's column, from the grid's first hour", () => {
    // Wednesday 09:00-10:30 Berlin.
    const [p] = placeEvents(days, end, [event(1, "2026-11-25T08:00:00Z", "2026-11-25T09:30:00Z")], GRID);
    expect(p).toMatchObject({ day: 2, top: 180, height: 90, left: 0, width: 1, cutTop: false, cutBottom: false });
  });

  it("cuts an event at midnight into a piece for each day", () => {
    // Thursday 22:00 to Friday 08:00 Berlin.
    const pieces = placeEvents(days, end, [event(1, "2026-11-26T21:00:00Z", "2026-11-27T07:00:00Z")], GRID);
    expect(pieces.map(({ day, top, height, cutTop, cutBottom }) => ({ day, top, height, cutTop, cutBottom }))).toEqual([
      { day: 3, top: 16 * 60, height: 120, cutTop: false, cutBottom: true },
      { day: 4, top: 0, height: 120, cutTop: true, cutBottom: false },
    ]);
  });

  it("leaves out what lies before the grid's first hour or outside the week", () => {
    const pieces = placeEvents(
      days,
      end,
      [
        event(1, "2026-11-24T03:00:00Z", "2026-11-24T04:30:00Z"), // 04:00-05:30
        event(2, "2026-11-24T04:00:00Z", "2026-11-24T06:00:00Z"), // 05:00-07:00: from 06:00
        event(3, "2026-11-30T08:00:00Z", "2026-11-30T09:00:00Z"), // next week
      ],
      GRID,
    );
    expect(pieces.map((p) => [p.event.id, p.top, p.height])).toEqual([[2, 0, 60]]);
  });

  it("places by wall-clock time on the day the clocks go forward", () => {
    const spring = weekOf(new Date(2026, 2, 29), 1);
    // Sunday 29 March, 10:00-11:00 summer time: 4 hours of the grid after 06:00, though only 3
    // hours have passed since 06:00 winter time.
    const [p] = placeEvents(spring.days, spring.end, [event(1, "2026-03-29T08:00:00Z", "2026-03-29T09:00:00Z")], GRID);
    expect(p).toMatchObject({ day: 6, top: 240, height: 60 });
  });

  it("puts overlapping events side by side and lets the rest of the day use the whole width", () => {
    const pieces = placeEvents(
      days,
      end,
      [
        event(1, "2026-11-23T08:00:00Z", "2026-11-23T10:00:00Z"), // 09-11
        event(2, "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z"), // 10-11
        event(3, "2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z"), // 11-12: after both
        event(4, "2026-11-23T10:30:00Z", "2026-11-23T11:30:00Z"), // 11:30-12:30
        event(5, "2026-11-23T13:00:00Z", "2026-11-23T14:00:00Z"), // 14-15: alone
      ],
      GRID,
    );
    expect(places(pieces)).toEqual({ 1: [0, 0.5], 2: [0.5, 0.5], 3: [0, 0.5], 4: [0.5, 0.5], 5: [0, 1] });
  });

  it("reuses a lane that has become free inside a group", () => {
    const pieces = placeEvents(
      days,
      end,
      [
        event(1, "2026-11-23T08:00:00Z", "2026-11-23T12:00:00Z"), // 09-13
        event(2, "2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z"), // 09-10
        event(3, "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z"), // 10-11: lane of 2
      ],
      GRID,
    );
    expect(places(pieces)).toEqual({ 1: [0, 0.5], 2: [0.5, 0.5], 3: [0.5, 0.5] });
  });

  it("draws an event that ends when or before it begins an hour long, with no end time", () => {
    const pieces = placeEvents(
      days,
      end,
      [
        event(1, "2026-11-24T09:00:00Z", "2026-11-24T09:00:00Z"), // 10:00, no length
        event(2, "2026-11-25T10:00:00Z", "2026-11-25T09:00:00Z"), // 11:00, ends before it begins
      ],
      GRID,
    );
    expect(pieces.map((p) => [p.event.id, p.day, p.top, p.height, p.time?.end ?? null])).toEqual([
      [1, 1, 240, 60, null],
      [2, 2, 300, 60, null],
    ]);
    expect(pieces[0].time!.start).toBe(pieces[0].event.start);
  });

  it("gives a piece its times by FullCalendar's rule: cut at the grid's first hour and at midnight", () => {
    // Tuesday 09:00 to Thursday 17:00 Berlin.
    const pieces = placeEvents(days, end, [event(1, "2026-11-24T08:00:00Z", "2026-11-26T16:00:00Z")], GRID);
    const times = pieces.map((p) => p.time && [iso(p.time.start), p.time.end && iso(p.time.end)]);
    expect(times).toEqual([
      ["2026-11-24T08:00:00.000Z", "2026-11-24T23:00:00.000Z"], // 09:00 - 00:00
      null, // Wednesday: none
      ["2026-11-26T05:00:00.000Z", "2026-11-26T16:00:00.000Z"], // 06:00 - 17:00
    ]);
  });

  it("makes short events at least the least height, rounded to px as FullCalendar does, and lets them overlap by it", () => {
    // 42 px an hour: 0.7 px a minute.
    const grid = { firstMinute: 6 * 60, hourPx: 42, minPx: 15 };
    const pieces = placeEvents(
      days,
      end,
      [
        event(1, "2026-11-23T08:00:00Z", "2026-11-23T08:05:00Z"), // 09:00-09:05: 126 px, 15 px tall
        event(2, "2026-11-23T08:10:00Z", "2026-11-23T08:15:00Z"), // 09:10-09:15: within the 15 px
        event(3, "2026-11-23T08:21:00Z", "2026-11-23T08:26:00Z"), // 09:21: 140.7 -> 141, just after 1
        event(4, "2026-11-24T08:03:00Z", "2026-11-24T08:45:00Z"), // 09:03-09:45: 128 to 158, 30 px
        event(5, "2026-11-24T08:15:00Z", "2026-11-24T08:30:00Z"), // 09:15: 136.5 rounds to 137
      ],
      grid,
    );
    expect(pieces.map((p) => [p.event.id, p.top, p.height])).toEqual([
      [1, 126, 15],
      [2, 133, 15],
      [3, 141, 15],
      [4, 128, 30],
      [5, 137, 15],
    ]);
    expect(places(pieces.filter((p) => p.day === 0))).toEqual({ 1: [0, 0.5], 2: [0.5, 0.5], 3: [0, 0.5] });
  });

  it("stretches an event beside fewer others into the room to its right, as FullCalendar does", () => {
    const pieces = placeEvents(
      days,
      end,
      [
        event(1, "2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z"), // A 09-10
        event(2, "2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z"), // B 09-10
        event(3, "2026-11-23T08:30:00Z", "2026-11-23T10:00:00Z"), // C 09:30-11
        event(4, "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z"), // D 10-11: beside C only
      ],
      GRID,
    );
    const third = Number((1 / 3).toFixed(4));
    expect(places(pieces)).toEqual({ 1: [0, third], 2: [third, third], 3: [Number((2 / 3).toFixed(4)), third], 4: [0, Number((2 / 3).toFixed(4))] });
    // Later levels are drawn over earlier ones.
    expect(pieces.map((p) => [p.event.id, p.depth])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 0],
    ]);
  });

  it("orders events that start together by length, then by title", () => {
    const named = (id: number, title: string, endsAt: string): WeekEvent => ({
      ...event(id, "2026-11-23T08:00:00Z", endsAt),
      title,
    });
    const pieces = placeEvents(
      days,
      end,
      [
        named(1, "Zeppelin", "2026-11-23T09:00:00Z"),
        named(2, "Angebot", "2026-11-23T09:00:00Z"),
        named(3, "Zulieferer", "2026-11-23T10:00:00Z"),
      ],
      GRID,
    );
    expect(pieces.map((p) => [p.event.title, p.depth])).toEqual([
      ["Zulieferer", 0],
      ["Angebot", 1],
      ["Zeppelin", 2],
    ]);
  });
});
