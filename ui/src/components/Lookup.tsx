// A lookup field ("Nachschlagefeld"): shows the record it points to, opens it, and can point
// elsewhere through a search.
import { useEffect, useState } from "preact/hooks";
import type { Lookup } from "../api";
import { t } from "../i18n";

export function LookupField(props: {
  value: Lookup | null;
  search: (q: string) => Promise<Lookup[]>;
  onChange: (value: Lookup | null) => void;
  onOpen: (value: Lookup) => void;
}) {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<Lookup[]>([]);
  useEffect(() => {
    if (query.trim().length < 2) return setFound([]);
    const timer = setTimeout(() => props.search(query.trim()).then(setFound, () => setFound([])), 150);
    return () => clearTimeout(timer);
  }, [query]);
  return (
    <div class="lookup">
      {props.value ? (
        <span class="chip">
          <a href="#" onClick={(e) => (e.preventDefault(), props.onOpen(props.value!))} data-testid="lookup-link">
            {props.value.label}
          </a>
          <button type="button" class="icon" aria-label={t("common.delete")} onClick={() => props.onChange(null)}>
            ×
          </button>
        </span>
      ) : (
        <span class="muted">{t("common.none")}</span>
      )}
      <input type="search" maxLength={200} placeholder={t("common.search")} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      {found.length > 0 && (
        <ul class="suggestions" role="listbox">
          {found.map((f) => (
            <li key={f.id} role="option" onClick={() => (props.onChange(f), setQuery(""), setFound([]))}>
              {f.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
