// The UI's two languages (F4). Each dictionary must have every key of the German one: the type
// checker refuses a missing translation.
import { de } from "./de";
import { en } from "./en";
import type { ErrorCode, Language } from "../api/bindings";
import { limits } from "../limits";

export type Messages = typeof de;
export type MessageKey = keyof Messages;

const dictionaries: Record<Language, Messages> = { de, en };

/** The dictionary key of an error code's explanation. */
export type ErrorKey = `error.${ErrorCode}`;

// Every code Rust answers with (ErrorCode, src-tauri/src/crm/error_code.rs) has a German and an
// English text: this assignment does not type-check while one is missing.
const errorTexts: Record<Language, Record<ErrorKey, string>> = dictionaries;

let current: Language = "de";

export function setLanguage(language: Language): void {
  current = language;
  document.documentElement.lang = language;
}

export function language(): Language {
  return current;
}

/** `text` with its `{name}` placeholders filled in from `values`; unknown names stay. */
function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** The text for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return fill(dictionaries[current][key] ?? key, values);
}

/** A key built at run time (e.g. an error code); falls back when the dictionary lacks it. */
export function tDynamic(key: string, fallback: MessageKey): string {
  const dict = dictionaries[current] as Record<string, string>;
  return dict[key] ?? t(fallback);
}

/** The explanation of error code `code` in the current language. */
export function errorMessage(code: ErrorCode): string {
  const text = errorTexts[current][`error.${code}`] ?? t("error.unknown");
  // A bound in the text (e.g. how many calendars can be open) is the one Rust sent.
  const bounds = limits();
  return bounds ? fill(text, bounds) : text;
}
