import { describe, expect, it } from "vitest";
import { currentWeek } from "./prefetch";

describe("the week the calendar opens on", () => {
  // A Sunday, a Monday just after midnight, the week Germany changes to summer time, New Year.
  for (const now of [
    new Date(2026, 10, 29, 23, 30),
    new Date(2026, 10, 30, 0, 5),
    new Date(2026, 2, 26, 12, 0),
    new Date(2026, 11, 31, 18, 0),
  ]) {
    it(`runs from Monday 00:00 to the next Monday around ${now.toString()}`, () => {
      const { from, to } = currentWeek(now);
      const [start, end] = [new Date(from), new Date(to)];
      expect(start.getDay()).toBe(1);
      expect(end.getDay()).toBe(1);
      expect([start.getHours(), start.getMinutes(), end.getHours(), end.getMinutes()]).toEqual([0, 0, 0, 0]);
      expect(start <= now && now < end).toBe(true);
      // Seven calendar days, whatever the clock change makes of the hours.
      const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
      expect(days).toBe(7);
    });
  }
});
