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

  it("says who changed a record meanwhile and when, and that nothing was saved", () => {
    setLanguage("de");
    const at = 1_796_000_000;
    const text = errorText(new CommandError("conflict", "", [], null, { changed_by: "Anna Schmidt", changed_at: at }));
    expect(text).toContain("wurde inzwischen von Anna Schmidt am ");
    expect(text).toContain(new Date(at * 1000).toLocaleString());
    expect(text).toContain("nicht gespeichert");
  });
});
