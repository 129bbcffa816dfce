// A searchable list of one record type (F2).
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { beginMark, endMark } from "../perf/marks";
import { errorText, NoticeBar, type Notice } from "../components/ui";
import { t } from "../i18n";
import { useLiveChanges } from "../live";
import type { RecordConfig } from "./records";
import { useLatestSearch } from "./latestSearch";

export function ListView(props: { config: RecordConfig; onOpen: (id: number | null) => void }) {
  const { config } = props;
  const [query, setQuery] = useState("");
  const [rows, setRows] = useState<Record<string, string | number | null>[] | null>(null);
  // The query the rows shown answer: an answer to an older query that arrives late is dropped,
  // and until the newest has come the list says it is busy.
  const [shown, setShown] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const look = useLatestSearch(
    config.search,
    (text, found) => (setRows(found), setShown(text)),
    (e) => setNotice({ kind: "error", text: errorText(e) }),
  );
  // The text in the field, for a search started outside its input handler.
  const typed = useRef(query);
  typed.current = query;
  // A record of this kind changed (here or on another desktop): the same search again. A contact
  // list shows its partners' names, so their changes count too.
  useLiveChanges(config.type === "contact" ? ["contact", "business_partner"] : [config.type], () => look(typed.current));
  // The list's first rows, and the rows of another type's list.
  useEffect(() => look(typed.current), [config]);
  // The rows answering the text typed are in the DOM: a search timed since its key ends here.
  useLayoutEffect(() => void (shown === query && endMark("list_search")), [shown, rows]);

  return (
    <div class="list-view" data-testid={`list-${config.type}`} aria-busy={shown !== query}>
      <div class="toolbar">
        <h2>{t(config.listTitle)}</h2>
        <input
          type="search"
          maxLength={200}
          placeholder={t("common.search")}
          value={query}
          aria-label={t("common.search")}
          onInput={(e) => {
            beginMark("list_search", e);
            // Looked for in the input's own task: an effect would wait for the next frame.
            setQuery(e.currentTarget.value);
            look(e.currentTarget.value);
          }}
        />
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
