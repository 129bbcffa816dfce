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
