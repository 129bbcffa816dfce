import { describe, expect, it } from "vitest";
import { formatWallClock, localDate, shiftWallClock } from "./time";

describe("wall-clock helpers", () => {
  it("moves an end with its start by the typed distance", () => {
    expect(shiftWallClock("2026-10-25T03:30", "2026-10-25T02:30", "2026-10-25T09:00")).toBe("2026-10-25T10:00");
    expect(shiftWallClock("2026-12-31T23:30", "2026-12-31T23:00", "2027-01-01T00:00")).toBe("2027-01-01T00:30");
    expect(shiftWallClock("", "2026-10-25T02:30", "2026-10-25T09:00")).toBeNull();
  });

  it("shows a wall-clock value as it is, whatever the webview's zone", () => {
    expect(formatWallClock("2026-10-25T02:30", "de")).toBe("25.10.2026, 02:30");
  });

  it("formats a local date", () => {
    expect(localDate(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});
