// The list of activities, newest first, with search (F2).
import { useEffect, useState } from "preact/hooks";
import { api, type Activity } from "../api";
import { errorText, NoticeBar, type Notice } from "../components/ui";
import { language, t, tDynamic } from "../i18n";
import { formatDateTime } from "../time";

export function ActivitiesList(props: { onOpen: (id: number) => void }) {
  const [query, setQuery] = useState("");
  const [rows, setRows] = useState<Activity[] | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  useEffect(() => {
    const timer = setTimeout(() => api.searchActivities(query).then(setRows, (e) => setNotice({ kind: "error", text: errorText(e) })), 150);
    return () => clearTimeout(timer);
  }, [query]);
  return (
    <div class="list-view" data-testid="list-activity">
      <div class="toolbar">
        <h2>{t("nav.activities")}</h2>
        <input type="search" maxLength={200} placeholder={t("common.search")} aria-label={t("common.search")} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
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
          </tr>
        </thead>
        <tbody>
          {rows?.map((a) => (
            <tr key={a.id} tabIndex={0} onClick={() => props.onOpen(a.id)} onKeyDown={(e) => e.key === "Enter" && props.onOpen(a.id)}>
              <td>{formatDateTime(a.starts_at, language())}</td>
              <td>{tDynamic(`kind.${a.kind}`, "record.activity")}</td>
              <td>{a.subject}</td>
              <td>{a.contact?.label}</td>
              <td>{a.business_partner?.label}</td>
              <td>{a.owner.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
