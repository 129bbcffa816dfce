import { describe, expect, it } from "vitest";
import { fromLocalInput, localDate, toLocalInput } from "./time";

describe("local input values", () => {
  it("round-trips a local wall-clock time through UTC", () => {
    for (const local of ["2026-03-29T10:00", "2026-10-25T10:00", "2026-12-31T23:45"]) {
      const iso = fromLocalInput(local);
      expect(iso).not.toBeNull();
      expect(toLocalInput(iso!)).toBe(local);
    }
  });

  it("refuses incomplete values instead of guessing", () => {
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("2026-03-29")).toBeNull();
    expect(fromLocalInput("2026-03-29T1:00")).toBeNull();
  });

  it("names the local date", () => {
    expect(localDate(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});
