// @vitest-environment happy-dom
// Every error code Rust answers with is explained in German and in English, and no text is left
// for a code Rust no longer has. (That each code has a key is the type checker's job; this also
// catches an empty text.)
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../api";
import { de } from "./de";
import { en } from "./en";
import { errorMessage, setLanguage } from "./index";

/** `error.*` keys that explain no code of Rust's. */
const NOT_CODES = ["error.unknown", "error.microsoftSays"];

describe("error texts", () => {
  for (const [language, dictionary] of [["de", de], ["en", en]] as const) {
    it(`explain every code in ${language}`, () => {
      setLanguage(language);
      expect(ERROR_CODES.length).toBeGreaterThan(50);
      for (const code of ERROR_CODES) {
        const text = errorMessage(code);
        expect(text.trim(), code).not.toBe("");
        expect(text, code).toBe(dictionary[`error.${code}`]);
        expect(text, code).not.toBe(dictionary["error.unknown"]);
      }
    });

    it(`name no code Rust does not have in ${language}`, () => {
      const codes = new Set<string>(ERROR_CODES.map((c) => `error.${c}`));
      const stale = Object.keys(dictionary).filter((k) => k.startsWith("error.") && !codes.has(k) && !NOT_CODES.includes(k));
      expect(stale).toEqual([]);
    });
  }

  it("are in the user's language", () => {
    setLanguage("de");
    expect(errorMessage("not_found")).toBe("Der Datensatz existiert nicht mehr.");
    setLanguage("en");
    expect(errorMessage("not_found")).not.toBe("Der Datensatz existiert nicht mehr.");
  });
});
