// Typed calls of the Rust commands. The UI holds no rule of its own: it asks and shows.
import { commands } from "./commands";

export type * from "./bindings";
export { CLOUDS, ERROR_CODES } from "./bindings";
export { CommandError } from "./call";

export type RecordType = "business_partner" | "contact" | "employee" | "person";

/** Every command, generated from its Rust signature (commands.ts): `api.appInfo()` calls
 * `app_info`. */
export const api = commands;
