// The window benchmark's marks: the time from an input to the frame with its result, sent to
// Rust once that frame has been painted (two animation frames after the result was put in the
// DOM), not before; and nothing at all when the run does not report.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const rust = vi.hoisted(() => ({
  interactionMark: vi.fn<(interaction: string, ms: number) => Promise<null>>(async () => null),
}));
vi.mock("../api", async (original) => ({
  ...(await original<typeof import("../api")>()),
  api: rust,
}));
import { beginMark, endMark, setMarksReporting } from "./marks";

/** Animation frames run by hand: each `frame()` runs the callbacks asked for before it. */
let frames: FrameRequestCallback[] = [];
function frame() {
  const now = frames;
  frames = [];
  for (const f of now) f(performance.now());
}

beforeEach(() => {
  frames = [];
  rust.interactionMark.mockClear();
  vi.stubGlobal("requestAnimationFrame", (f: FrameRequestCallback) => (frames.push(f), frames.length));
});
afterEach(() => {
  setMarksReporting(false);
  vi.unstubAllGlobals();
});

/** An input event that happened `ago` ms before now, on the page's clock. */
function inputAgo(ago: number): Event {
  const event = new Event("click");
  Object.defineProperty(event, "timeStamp", { value: performance.now() - ago });
  return event;
}

describe("an interaction's mark", () => {
  it("is reported once the frame with the result has been painted, not before", () => {
    setMarksReporting(true);
    beginMark("next_week", inputAgo(30));
    endMark("next_week");
    expect(rust.interactionMark).not.toHaveBeenCalled();
    frame(); // the frame with the result is about to be painted
    expect(rust.interactionMark).not.toHaveBeenCalled();
    frame(); // ... and has been
    expect(rust.interactionMark).toHaveBeenCalledTimes(1);
    const [name, ms] = rust.interactionMark.mock.calls[0];
    expect(name).toBe("next_week");
    // Measured from the input event's time, not from when a handler ran.
    expect(ms).toBeGreaterThanOrEqual(30);
    expect(ms).toBeLessThan(1000);
    frame();
    frame();
    expect(rust.interactionMark).toHaveBeenCalledTimes(1);
  });

  it("ends only the interaction begun: another's result, or a second one, reports nothing", () => {
    setMarksReporting(true);
    beginMark("list_search", inputAgo(5));
    endMark("open_record");
    endMark("list_search");
    endMark("list_search");
    frame();
    frame();
    expect(rust.interactionMark.mock.calls.map((c) => c[0])).toEqual(["list_search"]);
  });

  it("costs nothing when the run does not report: no frame asked for, nothing sent", () => {
    setMarksReporting(false);
    beginMark("meeting_dialog", inputAgo(5));
    endMark("meeting_dialog");
    expect(frames).toHaveLength(0);
    frame();
    expect(rust.interactionMark).not.toHaveBeenCalled();
  });
});
