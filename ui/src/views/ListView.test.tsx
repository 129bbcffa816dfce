// @vitest-environment happy-dom
// A list's search shows the answer to the text in the field, never a late answer to an older text
// (a letter typed while the previous search is still on its way), and says it is busy meanwhile.
import { afterEach, describe, expect, it } from "vitest";
import { render } from "preact";
import { until } from "../testing/until";
import { RECORDS, type RecordConfig } from "./records";
import { ListView } from "./ListView";

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = "";
});

/** A contact list whose search for "a" answers late, after the one for "ab". */
function slowForA(): RecordConfig {
  const row = (id: number, last_name: string) => ({ id, first_name: "Lena", last_name, email: null, business_partner_name: null });
  return {
    ...RECORDS.contact,
    search: (q: string) =>
      new Promise((resolve) => {
        if (q === "a") setTimeout(() => resolve([row(1, "Alt")]), 400);
        else if (q === "ab") setTimeout(() => resolve([row(2, "Abel")]), 10);
        else resolve([]);
      }),
  };
}

function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

describe("a list's search", () => {
  it("keeps the newest text's answer when an older one arrives late", async () => {
    render(<ListView config={slowForA()} onOpen={() => {}} />, document.body);
    const list = document.querySelector<HTMLElement>("[data-testid=list-contact]")!;
    const input = list.querySelector<HTMLInputElement>("input[type=search]")!;
    await until(() => (list.getAttribute("aria-busy") === "false" ? true : null));
    type(input, "a");
    await new Promise((r) => setTimeout(r, 200)); // the search for "a" is on its way
    type(input, "ab");
    expect(list.getAttribute("aria-busy")).toBe("true");
    await until(() => (list.querySelector("tbody")?.textContent?.includes("Abel") ? true : null));
    expect(list.getAttribute("aria-busy")).toBe("false");
    await new Promise((r) => setTimeout(r, 400)); // the late answer for "a" arrives
    expect(list.querySelector("tbody")?.textContent).toContain("Abel");
    expect(list.querySelector("tbody")?.textContent).not.toContain("Alt");
  });
});

describe("a letter typed into a list's search", () => {
  /** A contact list that records what it is asked, answering each text after `ms`. */
  function recording(ms: (q: string) => number) {
    const asked: string[] = [];
    const row = (id: number, last_name: string) => ({ id, first_name: "Lena", last_name, email: null, business_partner_name: null });
    const config: RecordConfig = {
      ...RECORDS.contact,
      search: (q: string) => {
        asked.push(q);
        return new Promise((resolve) => setTimeout(() => resolve([row(asked.length, `${q.toUpperCase()}-name`)]), ms(q)));
      },
    };
    return { asked, config };
  }

  it("is looked for at once, without waiting for a pause in the typing", async () => {
    const { asked, config } = recording(() => 5);
    render(<ListView config={config} onOpen={() => {}} />, document.body);
    const list = document.querySelector<HTMLElement>("[data-testid=list-contact]")!;
    await until(() => (list.getAttribute("aria-busy") === "false" ? true : null));
    type(list.querySelector<HTMLInputElement>("input[type=search]")!, "m");
    // In the input's own task: no timer, no effect after the next frame.
    expect(asked).toEqual(["", "m"]);
    await until(() => (list.querySelector("tbody")?.textContent?.includes("M-name") ? true : null));
  });

  it("while a search is on its way, only the newest text waits, and its rows are the ones shown", async () => {
    const { asked, config } = recording((q) => (q === "a" ? 300 : 5));
    render(<ListView config={config} onOpen={() => {}} />, document.body);
    const list = document.querySelector<HTMLElement>("[data-testid=list-contact]")!;
    const input = list.querySelector<HTMLInputElement>("input[type=search]")!;
    await until(() => (list.getAttribute("aria-busy") === "false" ? true : null));
    // Every text the list shows meanwhile.
    const seen: string[] = [];
    const watch = new MutationObserver(() => seen.push(list.querySelector("tbody")?.textContent ?? ""));
    watch.observe(list, { childList: true, subtree: true, characterData: true });
    type(input, "a");
    type(input, "ab");
    type(input, "abc");
    expect(asked).toEqual(["", "a"]);
    await until(() => (list.querySelector("tbody")?.textContent?.includes("ABC-name") ? true : null));
    expect(asked).toEqual(["", "a", "abc"]);
    expect(list.getAttribute("aria-busy")).toBe("false");
    watch.disconnect();
    // The late answer for "a" was never shown.
    expect(seen.some((text) => text.includes("A-name"))).toBe(false);
  });
});
