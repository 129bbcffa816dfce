// Small building blocks shared by the views: a modal dialog, a labelled field, a notice area.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { CommandError, type FieldError } from "../api";
import { errorMessage, t, tDynamic, type MessageKey } from "../i18n";

export function Modal(props: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The first field, else the first action (the close button comes first in the DOM).
    const first =
      ref.current?.querySelector<HTMLElement>("input, select, textarea") ??
      ref.current?.querySelector<HTMLElement>(".actions button, footer button") ??
      ref.current?.querySelector<HTMLElement>("button");
    first?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && props.onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class="modal" role="dialog" aria-modal="true" aria-label={props.title} ref={ref} data-testid={props.testId}>
        <header>
          <h2>{props.title}</h2>
          <button class="icon" aria-label={t("common.close")} onClick={props.onClose}>
            ×
          </button>
        </header>
        {props.children}
      </div>
    </div>
  );
}

/** The message for a field's error code, in the current language. */
export function fieldMessage(errors: FieldError[], field: string): string | null {
  const e = errors.find((x) => x.field === field);
  return e ? tDynamic(`field.${e.code}`, "error.validation") : null;
}

export function Field(props: {
  label: string;
  name: string;
  errors?: FieldError[];
  children: ComponentChildren;
}) {
  const error = fieldMessage(props.errors ?? [], props.name);
  return (
    <label class={error ? "field invalid" : "field"} data-field={props.name}>
      <span>{props.label}</span>
      {props.children}
      {error && <small class="error" role="alert">{error}</small>}
    </label>
  );
}

export type Notice = { kind: "error" | "info"; text: string } | null;

/** The sentence for a failed command; where Microsoft 365 refused, its own code and message
 * follow, so that an administrator can look them up. `currentShown`: a refused save's form shows
 * the values stored now beside the typed ones, and the sentence says so. */
export function errorText(e: unknown, opts: { currentShown?: boolean } = {}): string {
  if (!(e instanceof CommandError)) return t("error.internal");
  if (e.code === "conflict" && e.conflict) {
    // The time as Rust wrote it, in the user's zone and language (not the webview's).
    return t(opts.currentShown ? "conflict.currentShown" : "error.conflict", {
      who: e.conflict.changed_by ?? t("conflict.someone"),
      when: e.conflict.changed_at_text,
    });
  }
  const ours = errorMessage(e.code);
  if (!e.microsoft) return ours;
  return `${ours} ${t("error.microsoftSays")} ${e.microsoft.code}${e.microsoft.message ? `: ${e.microsoft.message}` : ""}`;
}

export function NoticeBar(props: { notice: Notice; onClose: () => void }) {
  if (!props.notice) return null;
  return (
    <div class={`notice ${props.notice.kind}`} role={props.notice.kind === "error" ? "alert" : "status"} data-testid="notice">
      <span>{props.notice.text}</span>
      <button class="icon" aria-label={t("common.close")} onClick={props.onClose}>
        ×
      </button>
    </div>
  );
}

/** Field errors of a failed save, and the notice to show for it. */
export function useSaveErrors() {
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>(null);
  return {
    errors,
    notice,
    setNotice,
    clear: () => {
      setErrors([]);
      setNotice(null);
    },
    fail: (e: unknown) => {
      setErrors(e instanceof CommandError ? e.fields : []);
      setNotice({ kind: "error", text: errorText(e) });
    },
  };
}

export function label(key: MessageKey): string {
  return t(key);
}
