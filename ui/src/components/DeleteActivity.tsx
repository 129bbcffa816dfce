// F2 with C4: "Löschen" of an activity asks first. What it can do is Rust's answer: delete, or, for
// a sent meeting, cancel it at Microsoft 365 first, or not now (with the reason).
import { useState } from "preact/hooks";
import { api, type DeleteOffer } from "../api";
import { t, tDynamic } from "../i18n";
import { errorText, Modal } from "./ui";

export function DeleteActivity(props: {
  activity: { id: number; subject: string };
  offer: DeleteOffer;
  onDeleted: () => void;
  onClose: () => void;
  /** Where the meeting can be cancelled right here (its page): opens "Besprechung absagen". */
  onCancelMeeting?: () => void;
  /** Elsewhere (the list): opens the activity, where it can be cancelled. */
  onOpen?: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const offer = props.offer;
  const remove = async () => {
    setBusy(true);
    try {
      await api.deleteActivity(props.activity.id);
      props.onDeleted();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={t("activity.delete")} onClose={props.onClose} testId="delete-dialog">
      {offer.type === "allowed" && <p>{t("activity.confirmDelete", { subject: props.activity.subject })}</p>}
      {offer.type === "cancel_first" && <p data-testid="cancel-first">{t("activity.cancelFirst")}</p>}
      {offer.type === "refused" && <p role="alert">{tDynamic(`error.${offer.reason}`, "error.unknown")}</p>}
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <footer class="form-footer">
        <button type="button" onClick={props.onClose}>
          {offer.type === "refused" ? t("common.close") : t("common.cancel")}
        </button>
        {offer.type === "allowed" && (
          <button type="button" class="danger" data-testid="confirm-delete" disabled={busy} onClick={remove}>
            {t("common.delete")}
          </button>
        )}
        {offer.type === "cancel_first" && props.onCancelMeeting && (
          <button type="button" class="danger" data-testid="cancel-instead" onClick={props.onCancelMeeting}>
            {t("meeting.cancel")}
          </button>
        )}
        {offer.type === "cancel_first" && !props.onCancelMeeting && props.onOpen && (
          <button type="button" class="primary" data-testid="open-to-cancel" onClick={props.onOpen}>
            {t("common.open")}
          </button>
        )}
      </footer>
    </Modal>
  );
}
