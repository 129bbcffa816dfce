// The history ("Verlauf") of a record: each activity line opens the activity it names; a
// communication entry's lines say who changed which field from what to what (F2).
import { useEffect, useState } from "preact/hooks";
import { api, type FieldChange, type HistoryItem, type RecordKind } from "../api";
import { language, t, tDynamic } from "../i18n";
import { formatDateTime } from "../time";

/** The detail Rust records when a meeting was cancelled in the CRM only (`forget_event`). */
const NOT_IN_MICROSOFT_365 = "not_in_microsoft_365";

export function History(props: { kind: RecordKind; id: number; onOpen: (activityId: number) => void; refresh?: number }) {
  const [items, setItems] = useState<HistoryItem[] | null>(null);
  useEffect(() => {
    api.recordHistory(props.kind, props.id).then(setItems, () => setItems([]));
  }, [props.kind, props.id, props.refresh]);
  return (
    <section class="history" data-testid="history">
      <h3>{t("history.title")}</h3>
      {items === null && <p class="muted">{t("common.loading")}</p>}
      {items?.length === 0 && <p class="muted">{t("history.empty")}</p>}
      <ul>
        {items?.map((h, i) => (
          <li key={i}>
            <time>{formatDateTime(h.occurred_at, language())}</time>
            <span class="tag">{tDynamic(`history.${h.event}`, "history.activity")}</span>
            {h.activity_kind && <span class="muted">{tDynamic(`kind.${h.activity_kind}`, "record.activity")}</span>}
            {h.target.kind === "activity" && (
              <a href="#" onClick={(e) => (e.preventDefault(), props.onOpen(h.target.id))}>
                {h.target.label}
              </a>
            )}
            {h.changes.length > 0 && (
              <span class="history-changes" data-testid="history-changes">
                {h.changes.map((c) => (
                  <span key={c.field}>
                    {tDynamic(`field.${c.field}`, "history.changed")}: {c.old !== null && <>{shown(c, c.old)} → </>}
                    {c.new === null ? t("history.emptyValue") : shown(c, c.new)}
                  </span>
                ))}
              </span>
            )}
            {h.by && <span class="muted">{t("history.by", { name: h.by })}</span>}
            {h.event === "cancelled" && h.detail && (
              // The message the attendees got with the cancellation, as sent; or, where Microsoft
              // 365 no longer had the event, that nobody was notified.
              <span class="history-detail" data-testid="history-detail">
                {h.detail === NOT_IN_MICROSOFT_365 ? t("meeting.markedCancelled") : <q>{h.detail}</q>}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A value as a change shows it: a channel by its name, anything else as it was typed. */
function shown(change: FieldChange, value: string): string {
  return change.field === "channel" ? tDynamic(`channel.${value}`, "record.communication") : value;
}
