// The dialog of a new activity: an appointment or meeting from the calendar's action choice (C2,
// C3), any kind from the activity list or a record's page (F2); also "Termin bearbeiten" (C6).
import { useEffect, useLayoutEffect, useState } from "preact/hooks";
import { endMark } from "../perf/marks";
import { api, type Activity, type ActivityInput, type ErrorCode, type Participant, type WallClock } from "../api";
import { ActivityLookups, linkIds, type ActivityLinks } from "../components/ActivityLookups";
import { Field, Modal, NoticeBar, useSaveErrors } from "../components/ui";
import { ParticipantPicker } from "../components/ParticipantPicker";
import { SendMeeting } from "../components/SendMeeting";
import { errorMessage, t, tDynamic } from "../i18n";
import { shiftWallClock } from "../time";
import { limits } from "../limits";

export function ActivityDialog(props: {
  draft: ActivityInput;
  /** The draft's start and end as Rust shows them in the draft's zone (C9). */
  wallClock: WallClock;
  participants: Participant[];
  /** The business partner, contact and person the draft's ids point to, with their labels (F2). */
  links?: ActivityLinks;
  /** C6: the activity the new one is linked to. */
  linkedFrom?: number | null;
  /** C6 ("Termin bearbeiten"): the activity whose values the dialog edits, instead of a new one. */
  editing?: number;
  /** The version of the edited activity this dialog was opened on: a save over a later one is refused. */
  editingVersion?: number;
  onSaved: (a: Activity) => void;
  onClose: () => void;
}) {
  const [saved, setSaved] = useState<Activity | null>(null);
  const [input, setInput] = useState<ActivityInput>(props.draft);
  const [participants, setParticipants] = useState<Participant[]>(props.participants);
  // Without the labels of the lookups, the dialog keeps the draft's ids and shows no lookup fields.
  const [links, setLinks] = useState<ActivityLinks | null>(props.links ?? null);
  const [start, setStart] = useState(props.wallClock.starts);
  const [end, setEnd] = useState(props.wallClock.ends);
  const [busy, setBusy] = useState(false);
  const s = useSaveErrors();
  // The dialog is in the DOM: a meeting dialog timed since its choice ends here.
  useLayoutEffect(() => endMark("meeting_dialog"), []);
  const meeting = input.kind === "meeting" || input.kind === "teams_meeting";
  // C4: Rust says why the meeting cannot be sent yet (e.g. "no_participants"), or nothing.
  const [sendBlocker, setSendBlocker] = useState<ErrorCode | null>(null);
  useEffect(() => {
    if (!meeting) return setSendBlocker(null);
    let current = true;
    api
      .meetingSendCheck({ ...input, participants: participants.map((p) => p.participant) })
      .then((b) => current && setSendBlocker(b), () => current && setSendBlocker(null));
    return () => void (current = false);
  }, [meeting, input.kind, input.owner_employee_id, participants]);

  // Moving the start keeps the duration, as calendar users expect.
  const changeStart = (value: string) => {
    const moved = shiftWallClock(end, start, value);
    setStart(value);
    if (moved) setEnd(moved);
  };

  const save = async (e: Event, thenSend = false) => {
    e.preventDefault();
    // The dialog may sit inside a record's form (a contact's toolbar): its submit is its own.
    e.stopPropagation();
    if (busy) return;
    s.clear();
    setBusy(true);
    try {
      const fields = { ...input, ...(links ? linkIds(links) : {}), participants: participants.map((p) => p.participant) };
      // Rust reads the typed times in the activity's zone and names a time that does not exist there.
      const times = { starts: start, ends: end };
      const created = props.editing
        ? await api.updateActivity(props.editing, props.editingVersion ?? null, fields, times)
        : props.linkedFrom
          ? await api.createLinkedActivity(props.linkedFrom, fields, times)
          : await api.createActivity(fields, times);
      if (thenSend) setSaved(created);
      else props.onSaved(created);
    } catch (err) {
      s.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={props.editing ? t("activity.editAppointment") : tDynamic(`action.${input.kind}`, "activity.newTitle")} onClose={props.onClose} testId="activity-dialog">
      <form onSubmit={save} class="form">
        {input.kind === "teams_meeting" && <p class="hint">{t("calendar.teamsNote")}</p>}
        <Field label={t("activity.subject")} name="subject" errors={s.errors}>
          <input
            name="subject"
            value={input.subject}
            required
            maxLength={255}
            onInput={(e) => setInput({ ...input, subject: e.currentTarget.value })}
          />
        </Field>
        <div class="row">
          <Field label={t("activity.start")} name="starts_at" errors={s.errors}>
            <input name="starts_at" type="datetime-local" value={start} onInput={(e) => changeStart(e.currentTarget.value)} />
          </Field>
          <Field label={t("activity.end")} name="ends_at" errors={s.errors}>
            <input name="ends_at" type="datetime-local" value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
          </Field>
        </div>
        <p class="muted small">
          {t("activity.timeZone")}: {input.time_zone}
        </p>
        {links && <ActivityLookups value={links} onChange={setLinks} errors={s.errors} />}
        <Field label={t("activity.participants")} name="participants" errors={s.errors}>
          <ParticipantPicker value={participants} onChange={setParticipants} />
        </Field>
        {meeting && (
          <Field label={t("activity.mailText")} name="mail_text" errors={s.errors}>
            <textarea name="mail_text" rows={4} value={input.mail_text} onInput={(e) => setInput({ ...input, mail_text: e.currentTarget.value })} />
          </Field>
        )}
        <Field label={t("activity.reminder")} name="reminder_minutes" errors={s.errors}>
          <input
            name="reminder_minutes"
            type="number"
            min={0}
            max={limits()?.max_reminder_minutes}
            value={input.reminder_minutes}
            onInput={(e) => setInput({ ...input, reminder_minutes: Number(e.currentTarget.value) })}
          />
        </Field>
        <Field label={t("activity.memo")} name="memo" errors={s.errors}>
          <textarea name="memo" rows={3} value={input.memo} onInput={(e) => setInput({ ...input, memo: e.currentTarget.value })} />
        </Field>
        <NoticeBar notice={s.notice} onClose={() => s.setNotice(null)} />
        <footer>
          <button type="button" onClick={props.onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" class={meeting ? "" : "primary"} disabled={busy} data-testid="save-activity">
            {t("common.save")}
          </button>
          {meeting && (
            <button
              type="button"
              class="primary"
              disabled={busy || sendBlocker !== null}
              title={sendBlocker ? errorMessage(sendBlocker) : undefined}
              data-testid="save-and-send"
              onClick={(e) => save(e, true)}
            >
              {t("meeting.saveAndSend")}
            </button>
          )}
        </footer>
        {meeting && sendBlocker && (
          <p class="muted small" data-testid="send-blocker">
            {errorMessage(sendBlocker)}
          </p>
        )}
      </form>
      {saved && (
        <SendMeeting
          activityId={saved.id}
          onSent={(a) => props.onSaved(a)}
          // Saved but not sent: the activity exists and can be sent from its record later.
          onClose={() => props.onSaved(saved)}
        />
      )}
    </Modal>
  );
}
