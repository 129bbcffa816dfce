// C5: the contact's toolbar sends a meeting request with the contact as participant and, beside it,
// joins the contact's next sent Teams meeting. Which of them show is decided in Rust.
import { useEffect, useState } from "preact/hooks";
import { api, type ActivityDraft, type ContactMeetingButtons } from "../api";
import { errorText, NoticeBar, type Notice } from "./ui";
import { t } from "../i18n";
import { ActivityDialog } from "../views/ActivityDialog";
import { linksOf } from "./ActivityLookups";

export function ContactMeetingButton(props: { contactId: number; onOpenActivity: (id: number) => void }) {
  const [action, setAction] = useState<ContactMeetingButtons | null>(null);
  const [draft, setDraft] = useState<ActivityDraft | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const load = () => api.contactMeeting(props.contactId).then(setAction, () => setAction(null));
  useEffect(() => void load(), [props.contactId]);
  const fail = (e: unknown) => setNotice({ kind: "error", text: errorText(e) });

  if (!action) return null;
  return (
    <>
      <button
        type="button"
        data-testid="contact-send-request"
        onClick={() => api.contactMeetingDraft(props.contactId, action.send_kind).then(setDraft, fail)}
      >
        {t("meeting.send")}
      </button>
      {action.join_activity_id !== null && (
        <button type="button" class="primary teams" data-testid="contact-join" onClick={() => api.joinMeeting(action.join_activity_id!).catch(fail)}>
          <span class="teams-icon" aria-hidden="true">T</span> {t("meeting.join")}
        </button>
      )}
      <NoticeBar notice={notice} onClose={() => setNotice(null)} />
      {draft && (
        <ActivityDialog
          draft={draft.input}
          wallClock={draft.wall_clock}
          participants={draft.participants}
          links={linksOf(draft)}
          onClose={() => setDraft(null)}
          onSaved={(a) => {
            setDraft(null);
            load();
            props.onOpenActivity(a.id);
          }}
        />
      )}
    </>
  );
}
