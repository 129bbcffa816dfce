// The week view's text, drawn by the first view and by FullCalendar alike.
import { describe, expect, it } from "vitest";
import { dayHeader, eventTime, hourLabel, wallTime, weekTitle } from "./calendarText";

const day = (y: number, m: number, d: number, h = 0, min = 0) => wallTime(new Date(y, m - 1, d, h, min));

describe("the week view's text", () => {
  it("names a week within one month, across months and across years", () => {
    expect(weekTitle(day(2026, 11, 23), day(2026, 11, 29), "de")).toBe("23. – 29. Nov. 2026");
    expect(weekTitle(day(2026, 11, 30), day(2026, 12, 6), "de")).toBe("30. Nov. – 6. Dez. 2026");
    expect(weekTitle(day(2025, 12, 29), day(2026, 1, 4), "de")).toBe("29. Dez. 2025 – 4. Jan. 2026");
    expect(weekTitle(day(2026, 11, 23), day(2026, 11, 29), "en")).toBe("23 – 29 Nov 2026");
    expect(weekTitle(day(2026, 3, 30), day(2026, 4, 5), "en")).toBe("30 Mar – 5 Apr 2026");
  });

  it("heads each day with its weekday and date", () => {
    expect(dayHeader(day(2026, 11, 23), "de")).toBe("Mo. 23.11.");
    expect(dayHeader(day(2026, 11, 29), "de")).toBe("So. 29.11.");
    expect(dayHeader(day(2026, 3, 29), "en")).toBe("Sun 29/3");
  });

  it("labels hours and events' times on the 24-hour clock", () => {
    expect(hourLabel(8, "de")).toBe("08 Uhr");
    expect(hourLabel(17, "en")).toBe("17:00");
    expect(eventTime(day(2026, 11, 23, 9), day(2026, 11, 23, 10, 30))).toBe("09:00 – 10:30");
    expect(eventTime(day(2026, 11, 23, 9, 5), null)).toBe("09:05");
  });
});
