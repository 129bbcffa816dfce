// A searchable list of one record type (F2).
import { useEffect, useLayoutEffect, useState } from "preact/hooks";
import { beginMark, endMark } from "../perf/marks";
import { errorText, NoticeBar, type Notice } from "../components/ui";
import { t } from "../i18n";
import { useLiveChanges } from "../live";
import type { RecordConfig } from "./records";

export function ListView(props: { config: RecordConfig; onOpen: (id: number | null) => void }) {
  const { config } = props;
  const [query, setQuery] = useState("");
  const [rows, setRows] = useState<Record<string, string | number | null>[] | null>(null);
  // The query the rows shown answer: an answer to an older query that arrives late is dropped,
  // and until the newest has come the list says it is busy.
  const [shown, setShown] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  // A record of this kind changed (here or on another desktop): the same search again. A contact
  // list shows its partners' names, so their changes count too.
  const [fresh, setFresh] = useState(0);
  useLiveChanges(config.type === "contact" ? ["contact", "business_partner"] : [config.type], () => setFresh((n) => n + 1));

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      config.search(query).then(
        (found) => {
          if (!current) return;
          setRows(found);
          setShown(query);
        },
        (e) => current && setNotice({ kind: "error", text: errorText(e) }),
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, config, fresh]);
  // The rows answering the text typed are in the DOM: a search timed since its key ends here.
  useLayoutEffect(() => void (shown === query && endMark("list_search")), [shown, rows]);

  return (
    <div class="list-view" data-testid={`list-${config.type}`} aria-busy={shown !== query}>
      <div class="toolbar">
        <h2>{t(config.listTitle)}</h2>
        <input type="search" maxLength={200} placeholder={t("common.search")} value={query} aria-label={t("common.search")} onInput={(e) => (beginMark("list_search", e), setQuery(e.currentTarget.value))} />
        <button class="primary" onClick={() => props.onOpen(null)}>
          {t("common.new")}
        </button>
      </div>
      <NoticeBar notice={notice} onClose={() => setNotice(null)} />
      {rows === null ? (
        <p class="muted">{t("common.loading")}</p>
      ) : rows.length === 0 ? (
        <p class="muted">{t("common.noResults")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {config.columns.map((c) => (
                <th key={c.label}>{t(c.label)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} tabIndex={0} onClick={(e) => (beginMark("open_record", e), props.onOpen(Number(r.id)))} onKeyDown={(e) => e.key === "Enter" && props.onOpen(Number(r.id))}>
                {config.columns.map((c) => (
                  <td key={c.label}>{c.value(r)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
