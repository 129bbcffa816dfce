// @vitest-environment happy-dom
// The history shows what happened: a cancelled meeting's line carries the message its attendees got.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { until } from "../testing/until";
import type { HistoryItem } from "../api";
import { setLanguage } from "../i18n";

const rust = vi.hoisted(() => ({ recordHistory: vi.fn<() => Promise<HistoryItem[]>>() }));
vi.mock("../api", async (original) => ({ ...(await original<typeof import("../api")>()), api: rust }));

const { History } = await import("./History");

const line = (event: HistoryItem["event"], detail: string): HistoryItem => ({
  event,
  occurred_at: "2026-11-30T09:00:00Z",
  target: { kind: "activity", id: 5, label: "Review" },
  activity_kind: "teams_meeting",
  detail,
  by: null,
  changes: [],
});

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
});

async function lines(items: HistoryItem[]): Promise<string[]> {
  setLanguage("de");
  rust.recordHistory.mockResolvedValue(items);
  render(<History kind="activity" id={5} onOpen={() => {}} />, document.body);
  const found = await until(() => {
    const li = document.querySelectorAll("li");
    return li.length === items.length && li;
  });
  return [...found].map((li) => li.textContent ?? "");
}

describe("the history", () => {
  it("shows a cancelled meeting's message", async () => {
    const [cancelled, converted] = await lines([line("cancelled", "Leider müssen wir verschieben."), line("converted", "teams_meeting")]);
    expect(cancelled).toContain("Abgesagt");
    expect(cancelled).toContain("Leider müssen wir verschieben.");
    expect(converted).toContain("Umgewandelt");
    expect(converted).not.toContain("teams_meeting");
  });

  it("says that nobody was told where Microsoft 365 no longer had the meeting", async () => {
    const [cancelled] = await lines([line("cancelled", "not_in_microsoft_365")]);
    expect(cancelled).toContain("Die Besprechung ist im CRM als abgesagt markiert; niemand wurde benachrichtigt.");
    expect(cancelled).not.toContain("not_in_microsoft_365");
  });
});
