// The list of activities, newest first, with search (F2): a new activity of any kind Rust offers,
// and deleting one after a confirmation.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { beginMark, endMark } from "../perf/marks";
import { api, type Activity, type DeleteOffer } from "../api";
import { DeleteActivity } from "../components/DeleteActivity";
import { NewActivity } from "../components/NewActivity";
import { errorText, NoticeBar, type Notice } from "../components/ui";
import { language, t, tDynamic } from "../i18n";
import { formatDateTime } from "../time";
import { useLatestSearch } from "./latestSearch";

export function ActivitiesList(props: { onOpen: (id: number) => void }) {
  const [query, setQuery] = useState("");
  const [rows, setRows] = useState<Activity[] | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [deleting, setDeleting] = useState<{ activity: Activity; offer: DeleteOffer } | null>(null);
  const fail = (e: unknown) => setNotice({ kind: "error", text: errorText(e) });
  // The query the rows shown answer: a late answer to an older query is dropped, and until the
  // newest has come the list says it is busy.
  const [shown, setShown] = useState<string | null>(null);
  const look = useLatestSearch(api.searchActivities, (text, found: Activity[]) => (setRows(found), setShown(text)), fail);
  // The text in the field, for a search started outside its input handler.
  const typed = useRef(query);
  typed.current = query;
  const reload = () => look(typed.current);
  useEffect(reload, []);
  // The rows answering the text typed are in the DOM: a search timed since its key ends here.
  useLayoutEffect(() => void (shown === query && endMark("list_search")), [shown, rows]);
  const askDelete = async (activity: Activity) => {
    try {
      setDeleting({ activity, offer: (await api.activityButtons(activity.id)).delete });
    } catch (e) {
      fail(e);
    }
  };
  return (
    <div class="list-view" data-testid="list-activity" aria-busy={shown !== query}>
      <div class="toolbar">
        <h2>{t("nav.activities")}</h2>
        <input
          type="search"
          maxLength={200}
          placeholder={t("common.search")}
          aria-label={t("common.search")}
          value={query}
          onInput={(e) => {
            beginMark("list_search", e);
            // Looked for in the input's own task: an effect would wait for the next frame.
            setQuery(e.currentTarget.value);
            look(e.currentTarget.value);
          }}
        />
        <NewActivity
          record={null}
          onError={fail}
          onCreated={() => {
            setNotice({ kind: "info", text: t("common.saved") });
            reload();
          }}
        />
      </div>
      <NoticeBar notice={notice} onClose={() => setNotice(null)} />
      {rows?.length === 0 && <p class="muted">{t("common.noResults")}</p>}
      <table>
        <thead>
          <tr>
            <th>{t("activity.start")}</th>
            <th>{t("activity.kind")}</th>
            <th>{t("activity.subject")}</th>
            <th>{t("record.contact")}</th>
            <th>{t("record.business_partner")}</th>
            <th>{t("activity.owner")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows?.map((a) => (
            <tr key={a.id} tabIndex={0} data-testid={`activity-row-${a.id}`} onClick={(e) => (beginMark("open_record", e), props.onOpen(a.id))} onKeyDown={(e) => e.key === "Enter" && e.target === e.currentTarget && props.onOpen(a.id)}>
              <td>{formatDateTime(a.starts_at, language())}</td>
              <td>{tDynamic(`kind.${a.kind}`, "record.activity")}</td>
              <td>{a.subject}</td>
              <td>{a.contact?.label}</td>
              <td>{a.business_partner?.label}</td>
              <td>{a.owner.label}</td>
              <td>
                <button
                  type="button"
                  class="icon"
                  aria-label={`${t("activity.delete")}: ${a.subject}`}
                  title={t("activity.delete")}
                  data-testid="delete-activity"
                  onClick={(e) => (e.stopPropagation(), askDelete(a))}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {deleting && (
        <DeleteActivity
          activity={deleting.activity}
          offer={deleting.offer}
          onClose={() => setDeleting(null)}
          onOpen={() => (setDeleting(null), props.onOpen(deleting.activity.id))}
          onDeleted={() => {
            setDeleting(null);
            setNotice({ kind: "info", text: t("activity.deleted") });
            reload();
          }}
        />
      )}
    </div>
  );
}
