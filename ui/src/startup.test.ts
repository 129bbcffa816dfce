import { describe, expect, it } from "vitest";
import { markStep, startupTimeline } from "./startup";

describe("the start's time line", () => {
  it("is reported only once every step has been reached, each at its first time", () => {
    markStep("script");
    markStep("info");
    markStep("range");
    markStep("rendered");
    expect(startupTimeline()).toBeNull();
    markStep("painted");
    const first = startupTimeline();
    expect(first).not.toBeNull();
    markStep("script");
    expect(startupTimeline()?.script).toBe(first?.script);
    const t = first!;
    expect(t.script).toBeLessThanOrEqual(t.info);
    expect(t.rendered).toBeLessThanOrEqual(t.painted);
    expect(t.page_origin_epoch_ms).toBe(performance.timeOrigin);
  });
});
