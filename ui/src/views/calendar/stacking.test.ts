// @vitest-environment happy-dom
// The first view's placement of overlapping events is a port of FullCalendar's: checked
// here against FullCalendar's own code, taken from the installed package, on many random days.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { SegHierarchy, binarySearch, buildEntryKey, getEntrySpanEnd, groupIntersectingEntries } from "@fullcalendar/core/internal";
import { describe, expect, it } from "vitest";
import { stackSpans, type Span, type StackRect } from "./stacking";

type Rect = { index: number; levelCoord: number; thickness: number; stackDepth: number; stackForward: number };

/**
 * FullCalendar's `buildPositioning` (not exported by @fullcalendar/timegrid), cut from its source
 * with the helpers it calls, and given the core functions it imports.
 */
function fullCalendarPositioning(): (inputs: { index: number; thickness: number; span: Span }[]) => { segRects: Rect[] } {
  const timegrid = join(dirname(createRequire(import.meta.url).resolve("@fullcalendar/timegrid")), "internal.js");
  const source = readFileSync(timegrid, "utf8");
  const start = source.indexOf("function buildPositioning(");
  const cacheable = source.indexOf("function cacheable(");
  const end = source.indexOf("\n}\n", cacheable) + 3;
  expect(start).toBeGreaterThan(0);
  expect(cacheable).toBeGreaterThan(start);
  const code = `${source.slice(start, end)}\nreturn (inputs) => buildPositioning(inputs);`;
  return new Function("SegHierarchy", "groupIntersectingEntries", "binarySearch", "getEntrySpanEnd", "buildEntryKey", code)(
    SegHierarchy,
    groupIntersectingEntries,
    binarySearch,
    getEntrySpanEnd,
    buildEntryKey,
  );
}

/**
 * A day of up to 12 events as px spans, sorted as FullCalendar sorts them (start, longer first):
 * on a 5 px grid, so that events often meet end to start or end together, and now and then at
 * the least height of 15 px.
 */
function randomDay(random: () => number): Span[] {
  const count = 1 + Math.floor(random() * 12);
  const spans = Array.from({ length: count }, () => {
    const start = 5 * Math.floor(random() * 80);
    return { start, end: start + (random() < 0.2 ? 15 : 5 * (1 + Math.floor(random() * 24))) };
  });
  return spans.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
}

/** A small deterministic generator, so that a failure can be repeated. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const byIndex = (rects: (Rect | StackRect)[]) =>
  [...rects]
    .sort((a, b) => a.index - b.index)
    .map((r) => ({
      index: r.index,
      levelCoord: Number(r.levelCoord.toFixed(9)),
      thickness: Number(r.thickness.toFixed(9)),
      stackDepth: r.stackDepth,
    }));

describe("placing overlapping events", () => {
  const positioning = fullCalendarPositioning();

  it("gives every event the place FullCalendar's own code gives it, on 3000 random days", () => {
    const random = mulberry32(20261128);
    for (let day = 0; day < 3000; day++) {
      const spans = randomDay(random);
      const theirs = positioning(spans.map((span, index) => ({ index, thickness: 1, span })));
      expect(byIndex(stackSpans(spans)), JSON.stringify(spans)).toEqual(byIndex(theirs.segRects));
    }
  });

  it("meets events that end where another starts on those random days", () => {
    const random = mulberry32(20261128);
    let touching = 0;
    for (let day = 0; day < 3000; day++) {
      const spans = randomDay(random);
      if (spans.some((a) => spans.some((b) => a.end === b.start))) touching++;
    }
    expect(touching).toBeGreaterThan(1000);
  });

  it("places a lone event across the whole column", () => {
    expect(stackSpans([{ start: 10, end: 50 }])).toMatchObject([{ index: 0, levelCoord: 0, thickness: 1, stackDepth: 0 }]);
  });
});
