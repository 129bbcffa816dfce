// The UI's two languages (F4). Each dictionary must have every key of the German one: the type
// checker refuses a missing translation.
import { de } from "./de";
import { en } from "./en";
import type { ErrorCode, Language } from "../api/bindings";

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

/** The text for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  const text: string = dictionaries[current][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** A key built at run time (e.g. an error code); falls back when the dictionary lacks it. */
export function tDynamic(key: string, fallback: MessageKey): string {
  const dict = dictionaries[current] as Record<string, string>;
  return dict[key] ?? t(fallback);
}

/** The explanation of error code `code` in the current language. */
export function errorMessage(code: ErrorCode): string {
  return errorTexts[current][`error.${code}`] ?? t("error.unknown");
}
