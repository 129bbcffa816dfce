// The record of one activity: its fields, participants, lookups and history; an appointment
// can be converted into a meeting (C2); the activity can be deleted after a confirmation (F2).
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { endMark } from "../perf/marks";
import { api, CommandError, type Activity, type ActivityAction, type ActivityDraft, type ActivityKind, type DeleteOffer, type Participant, type RecordType } from "../api";
import { ActivityLookups, linkIds, linksOf, type ActivityLinks } from "../components/ActivityLookups";
import { DeleteActivity } from "../components/DeleteActivity";
import { ReadOnlyMemo } from "../components/ReadOnlyMemo";
import { SendMeeting } from "../components/SendMeeting";
import { TeamsButtons } from "../components/TeamsButtons";
import { Modal } from "../components/ui";
import { ActivityDialog } from "./ActivityDialog";
import { StoredBeside, type Differing } from "../components/StoredBeside";
import { History } from "../components/History";
import { ParticipantPicker } from "../components/ParticipantPicker";
import { errorText, Field, NoticeBar, useSaveErrors } from "../components/ui";
import { errorMessage, language, t, tDynamic } from "../i18n";
import { formatDateTime, formatWallClock } from "../time";
import { limits } from "../limits";
import { useLiveChanges } from "../live";

export function ActivityPage(props: {
  id: number;
  onOpen: (type: RecordType, id: number) => void;
  onOpenActivity: (id: number) => void;
  onBack: () => void;
}) {
  const [activity, setActivity] = useState<Activity | null>(null);
  const [subject, setSubject] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [memo, setMemo] = useState("");
  const [reminder, setReminder] = useState(15);
  const [participants, setParticipants] = useState<Participant[]>([]);
  const [links, setLinks] = useState<ActivityLinks>({ business_partner: null, contact: null, person: null });
  const [refresh, setRefresh] = useState(0);
  const [action, setAction] = useState<ActivityAction | null>(null);
  const [cancellable, setCancellable] = useState(false);
  // Rust says whether the fields can change (not once the request is sent, C4).
  const [editable, setEditable] = useState(false);
  // C2 with C7: the kinds an appointment converts into; D2: whether the memo's join link is a link.
  const [conversions, setConversions] = useState<ActivityKind[]>([]);
  const [joinable, setJoinable] = useState(false);
  // F2 with C4: what "Löschen" does, as Rust says.
  const [deleteOffer, setDeleteOffer] = useState<DeleteOffer | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [editing, setEditing] = useState(false);
  const [sending, setSending] = useState(false);
  const [linkKinds, setLinkKinds] = useState<ActivityKind[] | null>(null);
  const [linked, setLinked] = useState<ActivityDraft | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [cancelText, setCancelText] = useState("");
  const [eventGone, setEventGone] = useState(false);
  // After a save refused because someone saved meanwhile: the activity as stored now.
  const [current, setCurrent] = useState<Activity | null>(null);
  const s = useSaveErrors();

  const show = (a: Activity) => {
    setActivity(a);
    setCurrent(null);
    setSubject(a.subject);
    setStart(a.wall_clock.starts);
    setEnd(a.wall_clock.ends);
    setMemo(a.memo);
    setReminder(a.reminder_minutes);
    setParticipants(a.participants);
    setLinks(linksOf(a));
    setRefresh((n) => n + 1);
    api.activityButtons(a.id).then(
      (b) => (
        setAction(b.action),
        setCancellable(b.cancel),
        setEditable(b.editable),
        setConversions(b.convert),
        setJoinable(b.join),
        setDeleteOffer(b.delete)
      ),
      () => (setAction(null), setCancellable(false), setEditable(false), setConversions([]), setJoinable(false), setDeleteOffer(null)),
    );
  };
  useEffect(() => void api.getActivity(props.id).then(show, s.fail), [props.id]);
  // The activity's fields are in the DOM: an opening timed since its click ends here.
  useLayoutEffect(() => void (activity && endMark("open_record")), [activity]);
  // What the page shows now: the activity as loaded or saved, and whether the form holds typed,
  // unsaved values.
  const shownNow = useRef<{ activity: Activity | null; typed: boolean }>({ activity: null, typed: false });
  shownNow.current = {
    activity,
    typed:
      activity !== null &&
      (subject !== activity.subject ||
        start !== activity.wall_clock.starts ||
        end !== activity.wall_clock.ends ||
        memo !== activity.memo ||
        reminder !== activity.reminder_minutes ||
        JSON.stringify(participants) !== JSON.stringify(activity.participants) ||
        JSON.stringify(links) !== JSON.stringify(linksOf(activity))),
  };
  // Another desktop changed this activity: it reloads, unless the form holds typed, unsaved
  // values; those stay, the page says the activity changed meanwhile, and a save is refused with
  // who changed it (the version loaded goes back) instead of overwriting. The change may be this
  // page's own save, announced before the save's answer came: the reloaded version is compared
  // with what the page shows when it arrives (by then the saved one), not when it was announced.
  useLiveChanges(["activity"], (change) => {
    if (!activity || (change !== null && change.id !== props.id)) return;
    api.getActivity(props.id).then((fresh) => {
      const { activity: shown, typed } = shownNow.current;
      if (!shown || fresh.stamp.version <= shown.stamp.version) return;
      if (typed) s.setNotice({ kind: "info", text: t("live.changedMeanwhile") });
      else show(fresh);
    }, s.fail);
  });
  if (!activity) return <NoticeBar notice={s.notice} onClose={() => s.setNotice(null)} />;

  const sent = activity.sent_at !== null;
  // The typed values saved over `base`, the version they were typed over: the loaded activity,
  // or after a refusal the one stored now, once the user chose to save theirs over it.
  const submit = async (base: Activity) => {
    s.clear();
    try {
      const input = {
        ...activityInput(base),
        subject,
        memo,
        reminder_minutes: reminder,
        ...linkIds(links),
        participants: participants.map((p) => p.participant),
      };
      show(await api.updateActivity(base.id, base.stamp.version, input, { starts: start, ends: end }));
      s.setNotice({ kind: "info", text: t("common.saved") });
    } catch (err) {
      s.fail(err);
      if (!(err instanceof CommandError && err.code === "conflict")) return;
      try {
        setCurrent(await api.getActivity(base.id));
        s.setNotice({ kind: "error", text: errorText(err, { currentShown: true }) });
      } catch {
        // The refusal's own sentence stays: it asks to open the record again.
      }
    }
  };
  // The version this page loaded goes back, so a change saved meanwhile is refused, not overwritten.
  const save = (e: Event) => (e.preventDefault(), submit(activity));
  const convert = async (kind: ActivityKind) => {
    try {
      show(await api.convertActivity(activity.id, kind));
    } catch (err) {
      s.fail(err);
    }
  };

  return (
    <div class="record-page" data-testid="record-activity">
      <form onSubmit={save}>
        <div class="toolbar">
          <button type="button" onClick={props.onBack}>
            ← {t("common.back")}
          </button>
          <h2>
            <span class={`kind-badge kind-${activity.kind}`}>{tDynamic(`kind.${activity.kind}`, "record.activity")}</span> {activity.subject}
          </h2>
          <span class="spacer" />
          {editable && (
            <button type="submit" class="primary" data-testid="save-record">
              {t("common.save")}
            </button>
          )}
          {action?.kind === "edit_appointment" && (
            <button type="button" data-testid="edit-appointment" onClick={() => setEditing(true)}>
              {t("activity.editAppointment")}
            </button>
          )}
          {action?.kind === "send_request" && (
            <button
              type="button"
              class="primary"
              data-testid="send-request"
              disabled={!action.enabled}
              title={action.reason ? errorMessage(action.reason) : undefined}
              onClick={() => setSending(true)}
            >
              {t("meeting.send")}
            </button>
          )}
          {action?.kind === "join" && (
            <button type="button" class="primary teams" data-testid="join-meeting" onClick={() => api.joinMeeting(activity.id).catch(s.fail)}>
              <span class="teams-icon" aria-hidden="true">T</span> {t("meeting.join")}
            </button>
          )}
          {cancellable && (
            <button type="button" class="danger" data-testid="cancel-meeting" onClick={() => setCancelling(true)}>
              {t("meeting.cancel")}
            </button>
          )}
          {action?.kind === "new_linked" && (
            <button type="button" data-testid="new-linked" onClick={() => api.calendarActions().then(setLinkKinds, s.fail)}>
              {t("meeting.newLinked")}
            </button>
          )}
          {deleteOffer && (
            <button type="button" class="danger" data-testid="delete-activity" onClick={() => setDeleting(true)}>
              {t("common.delete")}
            </button>
          )}
          {conversions.map((kind) => (
            <button key={kind} type="button" data-testid={`convert-${kind}`} onClick={() => convert(kind)}>
              {kind === "teams_meeting" ? t("activity.convertToTeams") : t("activity.convertToMeeting")}
            </button>
          ))}
        </div>
        <NoticeBar notice={s.notice} onClose={() => s.setNotice(null)} />
        {current && (
          <StoredBeside
            rows={differing({ subject, start, end, memo, reminder, participants, links }, current)}
            onTake={() => (show(current), s.clear())}
            onKeep={() => submit(current)}
          />
        )}
        {sent && <p class="hint">{t("activity.sent")}: {formatDateTime(activity.sent_at!, language())}</p>}
        {activity.send_pending && (
          <p class="notice info" role="status" data-testid="send-pending">
            {t("meeting.sendPending")}
          </p>
        )}
        {sent && activity.kind === "teams_meeting" && !activity.join_url && activity.status !== "cancelled" && (
          <p class="notice error" role="status" data-testid="sent-without-link">
            {t("meeting.sentWithoutLink")}
          </p>
        )}
        <div class="form grid">
          <Field label={t("activity.subject")} name="subject" errors={s.errors}>
            {editable ? (
              <input value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
            ) : (
              <span class="readonly" data-testid="readonly-subject">{activity.subject}</span>
            )}
          </Field>
          <Field label={t("activity.owner")} name="owner_employee_id" errors={s.errors}>
            <span>
              <a href="#" onClick={(e) => (e.preventDefault(), props.onOpen("employee", activity.owner.id))}>
                {activity.owner.label}
              </a>{" "}
              <TeamsButtons kind="employee" id={activity.owner.id} place="lookup" />
            </span>
          </Field>
          <Field label={t("activity.start")} name="starts_at" errors={s.errors}>
            {editable ? (
              <input type="datetime-local" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
            ) : (
              <span class="readonly" data-testid="readonly-start">{formatWallClock(activity.wall_clock.starts, language())}</span>
            )}
          </Field>
          <Field label={t("activity.end")} name="ends_at" errors={s.errors}>
            {editable ? (
              <input type="datetime-local" value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
            ) : (
              <span class="readonly" data-testid="readonly-end">{formatWallClock(activity.wall_clock.ends, language())}</span>
            )}
          </Field>
          {editable && <ActivityLookups value={links} onChange={setLinks} onOpen={props.onOpen} errors={s.errors} teams />}
          {!editable && activity.business_partner && (
            <Field label={t("record.business_partner")} name="business_partner_id">
              <a href="#" data-testid="lookup-link" onClick={(e) => (e.preventDefault(), props.onOpen("business_partner", activity.business_partner!.id))}>
                {activity.business_partner.label}
              </a>
            </Field>
          )}
          {!editable && activity.contact && (
            <Field label={t("record.contact")} name="contact_id">
              <span>
                <a href="#" data-testid="lookup-link" onClick={(e) => (e.preventDefault(), props.onOpen("contact", activity.contact!.id))}>
                  {activity.contact.label}
                </a>{" "}
                <TeamsButtons kind="contact" id={activity.contact.id} place="lookup" />
              </span>
            </Field>
          )}
          {!editable && activity.person && (
            <Field label={t("record.person")} name="person_id">
              <a href="#" onClick={(e) => (e.preventDefault(), props.onOpen("person", activity.person!.id))}>
                {activity.person.label}
              </a>
            </Field>
          )}
          <Field label={t("activity.reminder")} name="reminder_minutes" errors={s.errors}>
            <input
              type="number"
              min={0}
              max={limits()?.max_reminder_minutes}
              value={reminder}
              onInput={(e) => setReminder(Number(e.currentTarget.value))}
              // A sent meeting is read-only, but its reminder stays the user's (D1).
              onChange={(e) => !editable && api.setReminder(activity.id, Number(e.currentTarget.value)).catch(s.fail)}
            />
          </Field>
          <Field label={t("activity.status")} name="status">
            <span>{tDynamic(`status.${activity.status}`, "activity.status")}</span>
          </Field>
        </div>
        <Field label={t("activity.participants")} name="participants" errors={s.errors}>
          <ParticipantPicker value={participants} onChange={setParticipants} disabled={!editable} />
        </Field>
        <Field label={t("activity.memo")} name="memo" errors={s.errors}>
          {sent ? (
            <ReadOnlyMemo
              memo={activity.memo}
              joinUrl={joinable ? activity.join_url : null}
              onJoin={() => api.joinMeeting(activity.id).catch(s.fail)}
            />
          ) : (
            <textarea rows={5} value={memo} disabled={!editable} onInput={(e) => setMemo(e.currentTarget.value)} />
          )}
        </Field>
        {action && !action.enabled && action.reason && <p class="muted small">{errorMessage(action.reason)}</p>}
      </form>
      {deleting && deleteOffer && (
        <DeleteActivity
          activity={activity}
          offer={deleteOffer}
          onClose={() => setDeleting(false)}
          onCancelMeeting={() => (setDeleting(false), setCancelling(true))}
          onDeleted={() => {
            setDeleting(false);
            props.onBack();
          }}
        />
      )}
      {editing && (
        // C6: "Termin bearbeiten" edits the appointment in the dialog it was made in.
        <ActivityDialog
          draft={activityInput(activity)}
          wallClock={activity.wall_clock}
          participants={activity.participants}
          links={linksOf(activity)}
          editing={activity.id}
          editingVersion={activity.stamp.version}
          onClose={() => setEditing(false)}
          onSaved={(a) => {
            setEditing(false);
            show(a);
            s.setNotice({ kind: "info", text: t("common.saved") });
          }}
        />
      )}
      {sending && (
        <SendMeeting
          activityId={activity.id}
          onClose={() => setSending(false)}
          onSent={(a) => {
            setSending(false);
            show(a);
            s.setNotice({ kind: "info", text: t("meeting.sent") });
          }}
        />
      )}
      {cancelling && (
        <Modal title={t("meeting.cancel")} onClose={() => setCancelling(false)} testId="cancel-dialog">
          <label class="field">
            <span>{t("meeting.cancelMessage")}</span>
            <textarea rows={4} maxLength={2000} value={cancelText} onInput={(e) => setCancelText(e.currentTarget.value)} />
          </label>
          <footer class="form-footer">
            <button type="button" onClick={() => setCancelling(false)}>
              {t("common.cancel")}
            </button>
            <button
              type="button"
              class="danger"
              data-testid="confirm-cancel"
              onClick={async () => {
                try {
                  show(await api.cancelMeeting(activity.id, cancelText).catch((e) => {
                    if (e instanceof CommandError && e.code === "event_gone") setEventGone(true);
                    throw e;
                  }));
                  setCancelling(false);
                  s.setNotice({ kind: "info", text: t("meeting.cancelled") });
                } catch (e) {
                  setCancelling(false);
                  s.fail(e);
                }
              }}
            >
              {t("meeting.cancelConfirm")}
            </button>
          </footer>
        </Modal>
      )}
      {eventGone && (
        // A 404 on cancel: Microsoft 365 no longer has the event; nobody would be told.
        <Modal title={t("meeting.cancel")} onClose={() => setEventGone(false)} testId="event-gone">
          <p>{t("error.event_gone")}</p>
          <footer class="form-footer">
            <button type="button" onClick={() => setEventGone(false)}>
              {t("meeting.keepMeeting")}
            </button>
            <button
              type="button"
              class="danger"
              data-testid="mark-cancelled"
              onClick={async () => {
                setEventGone(false);
                try {
                  show(await api.markMeetingCancelled(activity.id));
                  s.setNotice({ kind: "info", text: t("meeting.markedCancelled") });
                } catch (e) {
                  s.fail(e);
                }
              }}
            >
              {t("meeting.markCancelled")}
            </button>
          </footer>
        </Modal>
      )}
      {linkKinds && (
        <Modal title={t("meeting.newLinked")} onClose={() => setLinkKinds(null)} testId="link-choice">
          <div class="actions">
            {linkKinds.map((kind) => (
              <button
                key={kind}
                class="action"
                data-testid={`link-${kind}`}
                onClick={async () => {
                  try {
                    setLinked(await api.linkedDraft(activity.id, kind));
                    setLinkKinds(null);
                  } catch (e) {
                    s.fail(e);
                  }
                }}
              >
                {tDynamic(`action.${kind}`, "activity.newTitle")}
              </button>
            ))}
          </div>
        </Modal>
      )}
      {linked && (
        <ActivityDialog
          draft={linked.input}
          wallClock={linked.wall_clock}
          participants={linked.participants}
          links={linksOf(linked)}
          linkedFrom={linked.linked_from}
          onClose={() => setLinked(null)}
          onSaved={(a) => {
            setLinked(null);
            props.onOpenActivity(a.id);
          }}
        />
      )}
      <History kind="activity" id={activity.id} onOpen={props.onOpenActivity} refresh={refresh} />
    </div>
  );
}

function activityInput(a: Activity) {
  return {
    kind: a.kind,
    subject: a.subject,
    starts_at: a.starts_at,
    ends_at: a.ends_at,
    time_zone: a.time_zone,
    memo: a.memo,
    mail_text: a.mail_text,
    status: a.status,
    owner_employee_id: a.owner.id,
    business_partner_id: a.business_partner?.id ?? null,
    contact_id: a.contact?.id ?? null,
    person_id: a.person?.id ?? null,
    participants: a.participants.map((p) => p.participant),
    reminder_minutes: a.reminder_minutes,
  };
}

type Typed = {
  subject: string;
  start: string;
  end: string;
  memo: string;
  reminder: number;
  participants: Participant[];
  links: ActivityLinks;
};

/** The fields whose typed value differs from the one stored now, as the page shows each. */
function differing(typed: Typed, c: Activity): Differing[] {
  const people = (ps: Participant[]) => ps.map((p) => p.label).join(", ");
  const stored = linksOf(c);
  const label = (l: { label: string } | null) => l?.label ?? "";
  return [
    { field: "subject", label: t("activity.subject"), mine: typed.subject, stored: c.subject },
    { field: "starts_at", label: t("activity.start"), mine: formatWallClock(typed.start, language()), stored: formatWallClock(c.wall_clock.starts, language()) },
    { field: "ends_at", label: t("activity.end"), mine: formatWallClock(typed.end, language()), stored: formatWallClock(c.wall_clock.ends, language()) },
    { field: "reminder_minutes", label: t("activity.reminder"), mine: String(typed.reminder), stored: String(c.reminder_minutes) },
    { field: "participants", label: t("activity.participants"), mine: people(typed.participants), stored: people(c.participants) },
    { field: "business_partner_id", label: t("record.business_partner"), mine: label(typed.links.business_partner), stored: label(stored.business_partner) },
    { field: "contact_id", label: t("record.contact"), mine: label(typed.links.contact), stored: label(stored.contact) },
    { field: "person_id", label: t("record.person"), mine: label(typed.links.person), stored: label(stored.person) },
    { field: "memo", label: t("activity.memo"), mine: typed.memo, stored: c.memo },
  ].filter((r) => r.mine !== r.stored);
}
