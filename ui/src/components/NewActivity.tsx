// F2: "Neue Aktivität" from the activity list or a record's page. Rust answers which kinds can be
// made there (no Teams meeting without Teams, C7) and the draft, prefilled from the record.
import { useState } from "preact/hooks";
import { api, type Activity, type ActivityDraft, type ActivityKind, type RecordRef } from "../api";
import { t, tDynamic } from "../i18n";
import { ActivityDialog } from "../views/ActivityDialog";
import { linksOf } from "./ActivityLookups";
import { Modal } from "./ui";

export function NewActivity(props: { record: RecordRef | null; onCreated: (a: Activity) => void; onError: (e: unknown) => void }) {
  const [kinds, setKinds] = useState<ActivityKind[] | null>(null);
  const [draft, setDraft] = useState<ActivityDraft | null>(null);
  const choose = async (kind: ActivityKind) => {
    try {
      setDraft(await api.newActivityDraft(kind, props.record));
      setKinds(null);
    } catch (e) {
      setKinds(null);
      props.onError(e);
    }
  };
  return (
    <>
      <button type="button" data-testid="new-activity" onClick={() => api.newActivityKinds(props.record).then(setKinds, props.onError)}>
        {t("activity.new")}
      </button>
      {kinds && (
        <Modal title={t("activity.new")} onClose={() => setKinds(null)} testId="new-activity-choice">
          <p class="muted">{t("activity.chooseKind")}</p>
          <div class="actions">
            {kinds.map((kind) => (
              <button key={kind} type="button" class="action" data-testid={`new-${kind}`} onClick={() => choose(kind)}>
                {tDynamic(`action.${kind}`, "activity.newTitle")}
                {kind === "teams_meeting" && <small class="hint">{t("calendar.teamsNote")}</small>}
              </button>
            ))}
          </div>
        </Modal>
      )}
      {draft && (
        <ActivityDialog
          draft={draft.input}
          wallClock={draft.wall_clock}
          participants={draft.participants}
          links={linksOf(draft)}
          onClose={() => setDraft(null)}
          onSaved={(a) => {
            setDraft(null);
            props.onCreated(a);
          }}
        />
      )}
    </>
  );
}
