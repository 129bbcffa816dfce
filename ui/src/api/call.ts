// The one place the UI invokes a Rust command; the generated `commands` (commands.ts) call it
// with Rust's command names, argument names and result types.
import { invoke } from "@tauri-apps/api/core";
import type { ConflictInfo, ErrorCode, FieldError, IpcError, MicrosoftError } from "./bindings";

/** A failed command: the stable code, the per-field problems, an English detail. */
export class CommandError extends Error {
  constructor(
    public code: ErrorCode,
    message: string,
    public fields: FieldError[],
    /** Microsoft's own error code and message, where Microsoft 365 refused. */
    public microsoft: MicrosoftError | null = null,
    /** Who saved the record meanwhile, and when, where the code is "conflict". */
    public conflict: ConflictInfo | null = null,
  ) {
    super(message);
  }
}

/** Invokes `command`; a refusal is thrown as a `CommandError`. */
export async function call<T>(command: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    const err = e as Partial<IpcError> | string;
    if (typeof err === "object" && err && typeof err.code === "string") {
      throw new CommandError(err.code, err.message ?? "", err.fields ?? [], err.microsoft ?? null, err.conflict ?? null);
    }
    throw new CommandError("internal", String(e), []);
  }
}
