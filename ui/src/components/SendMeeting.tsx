// C4 and B5: the summary, the confirmation, the send with its progress. Where Rust answers that
// the send needs a sign-in, Rust also names whose (B3) and signs that one in before sending once
// more (`signInAndSend`); a second failure is shown, never retried. A long wait that
// Microsoft 365 asks for (Retry-After) shows the time left and can be cancelled.
import { useEffect, useState } from "preact/hooks";
import { api, type Activity, type SendSummary, type SendWait, type SignInOwner } from "../api";
import { errorText, Modal } from "./ui";
import { t } from "../i18n";

export function SendMeeting(props: { activityId: number; onSent: (a: Activity) => void; onClose: () => void }) {
  const [summary, setSummary] = useState<SendSummary | null>(null);
  const [phase, setPhase] = useState<"confirm" | "signing-in" | "sending">("confirm");
  const [error, setError] = useState<string | null>(null);
  const [wait, setWait] = useState<SendWait | null>(null);
  const [signInOwner, setSignInOwner] = useState<SignInOwner | null>(null);
  const [now, setNow] = useState(Date.now());

  // While sending, asks once a second whether the send waits for Microsoft 365.
  useEffect(() => {
    if (phase !== "sending") return setWait(null);
    const timer = setInterval(() => {
      setNow(Date.now());
      api.sendWait(props.activityId).then(setWait, () => setWait(null));
    }, 1000);
    return () => clearInterval(timer);
  }, [phase, props.activityId]);
  const secondsLeft = wait ? Math.max(0, Math.ceil((Date.parse(wait.until) - now) / 1000)) : 0;

  useEffect(() => void api.meetingSummary(props.activityId).then(setSummary, (e) => setError(errorText(e))), [props.activityId]);

  const send = async () => {
    setError(null);
    setPhase("sending");
    try {
      const outcome = await api.sendMeetingRequest(props.activityId);
      if (outcome.type === "sent") return props.onSent(outcome.activity);
      setSignInOwner(outcome.owner);
      setPhase("signing-in");
      props.onSent(await api.signInAndSend(props.activityId));
    } catch (e) {
      setError(errorText(e));
      setPhase("confirm");
    }
  };

  return (
    <Modal title={t("meeting.summaryTitle")} onClose={props.onClose} testId="send-summary">
      {summary && (
        <dl class="summary">
          <dt>{t("activity.subject")}</dt>
          <dd data-testid="summary-subject">{summary.subject}</dd>
          <dt>{t("activity.start")}</dt>
          <dd>
            <span data-testid="summary-times">
              {summary.starts_local} – {summary.ends_local} ({summary.time_zone})
            </span>
          </dd>
          <dt>{t("meeting.organizer")}</dt>
          <dd data-testid="summary-organizer">{summary.organizer}</dd>
          <dt>{t("meeting.attendees")}</dt>
          <dd>
            <ul>
              {summary.attendees.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </dd>
          <dd class="hint">{summary.teams ? t("meeting.teams") : t("meeting.noTeams")}</dd>
        </dl>
      )}
      <p class="muted">{t("meeting.summaryText")}</p>
      {phase === "sending" && !wait && <p class="hint" role="status">{t("meeting.sending")}</p>}
      {phase === "sending" && wait && (
        <p class="hint" role="status" data-testid="send-wait">
          {t("meeting.waiting", { seconds: secondsLeft })}{" "}
          <button type="button" data-testid="cancel-wait" onClick={() => void api.cancelSendWait(props.activityId)}>
            {t("meeting.stopWaiting")}
          </button>
        </p>
      )}
      {phase === "signing-in" && (
        <p class="hint" role="status" data-testid="send-sign-in">
          {signInOwner?.type === "mail_configuration" ? t("meeting.signInMailbox") : t("meeting.signInFirst")}
        </p>
      )}
      {error && <p class="notice error" role="alert" data-testid="send-error">{error}</p>}
      <footer class="form-footer">
        <button type="button" onClick={props.onClose} disabled={phase !== "confirm"}>
          {t("common.cancel")}
        </button>
        <button type="button" class="primary" data-testid="confirm-send" disabled={!summary || phase !== "confirm"} onClick={send}>
          {t("meeting.confirm")}
        </button>
      </footer>
    </Modal>
  );
}
