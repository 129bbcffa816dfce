// @vitest-environment happy-dom
// A refusal by Microsoft 365 is shown with the app's explanation and Microsoft's own code and
// message, so that the administrator can look it up; other errors stay the app's sentence alone.
import { describe, expect, it } from "vitest";
import { CommandError } from "../api";
import { setLanguage } from "../i18n";
import { errorText } from "./ui";

describe("errorText", () => {
  it("adds Microsoft's code and message to the explanation", () => {
    setLanguage("de");
    const e = new CommandError("unsupported_time_zone", "", [], {
      code: "TimeZoneNotSupportedException",
      message: "A valid TimeZone value must be specified.",
    });
    const text = errorText(e);
    expect(text).toContain("Zeitzone");
    expect(text).toContain("Microsoft 365 meldet: TimeZoneNotSupportedException: A valid TimeZone value must be specified.");
  });

  it("names the code even when Microsoft gave no message", () => {
    setLanguage("en");
    const text = errorText(new CommandError("graph_forbidden", "", [], { code: "ErrorAccessDenied", message: "" }));
    expect(text).toMatch(/Microsoft 365 says: ErrorAccessDenied$/);
  });

  it("is the app's sentence alone where Microsoft said nothing", () => {
    setLanguage("en");
    expect(errorText(new CommandError("no_participants", "", []))).not.toContain("Microsoft 365 says");
  });

  it("says who changed a record meanwhile and when (as Rust wrote it, in the user's zone), and that nothing was saved", () => {
    setLanguage("de");
    // Rust's text of the time in the user's zone and language; the webview's clock plays no part.
    const conflict = { changed_by: "Anna Schmidt", changed_at: 1_780_000_000, changed_at_text: "28.05.2026, 22:26" };
    const text = errorText(new CommandError("conflict", "", [], null, conflict));
    expect(text).toContain("wurde inzwischen von Anna Schmidt am 28.05.2026, 22:26 geändert");
    expect(text).toContain("nicht gespeichert");
    setLanguage("en");
    const shown = errorText(new CommandError("conflict", "", [], null, { ...conflict, changed_by: null, changed_at_text: "28 May 2026, 21:26" }), { currentShown: true });
    expect(shown).toContain("changed meanwhile by someone else on 28 May 2026, 21:26");
    expect(shown).toContain("the values stored now are shown below");
  });
});
