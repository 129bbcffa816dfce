// The Teams call button beside an e-mail field (the seed: "Der Anruf über MS Teams kann über den
// Schalter in der Toolbar oder am E-Mail-Feld initiiert werden"). Whether it shows is Rust's answer
// (`emailCalls`); the address called is the stored one, which Rust reads.
import { useState } from "preact/hooks";
import { api, type RecordKind } from "../api";
import { t } from "../i18n";
import { Toast } from "./Toast";
import { errorText, type Notice } from "./ui";

export function EmailCallButton(props: { kind: RecordKind; id: number; testId: string; unsaved?: boolean }) {
  const [notice, setNotice] = useState<Notice>(null);
  const call = () =>
    api.startEmailCall(props.kind, props.id).then(
      () => setNotice({ kind: "info", text: t("teams.started") }),
      (e) => setNotice({ kind: "error", text: errorText(e) }),
    );
  // An edited address is called once it is saved: the call goes to what Rust has stored.
  const title = props.unsaved ? t("teams.callSaveFirst") : t("teams.call");
  return (
    <span class="email-call">
      <button type="button" class="teams-small" data-testid={props.testId} title={title} disabled={props.unsaved} onClick={call}>
        <span class="teams-icon" aria-hidden="true">T</span>
        <span class="sr-only">{title}</span>
      </button>
      <Toast notice={notice} onClose={() => setNotice(null)} />
    </span>
  );
}
