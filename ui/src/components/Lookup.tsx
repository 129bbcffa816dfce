// A lookup field ("Nachschlagefeld"): shows the record it points to, opens it, and can point
// elsewhere through a search. Keyboard: type, Down or Enter takes to the suggestions (buttons),
// Escape closes them.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Lookup } from "../api";
import { t } from "../i18n";

export function LookupField(props: {
  value: Lookup | null;
  search: (q: string) => Promise<Lookup[]>;
  onChange: (value: Lookup | null) => void;
  /** Opens the record pointed to; without it, the label is plain text. */
  onOpen?: (value: Lookup) => void;
  /** What the field points to ("Ansprechpartner"), for the search's and the remove button's names. */
  label?: string;
  testId?: string;
}) {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<Lookup[]>([]);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (query.trim().length < 2) return setFound([]);
    let current = true;
    const timer = setTimeout(() => props.search(query.trim()).then((f) => current && setFound(f), () => current && setFound([])), 150);
    return () => ((current = false), clearTimeout(timer));
  }, [query]);
  const pick = (f: Lookup) => (props.onChange(f), setQuery(""), setFound([]));
  const field = props.label ?? "";
  return (
    <div class="lookup" data-testid={props.testId}>
      {props.value ? (
        <span class="chip">
          {props.onOpen ? (
            <a href="#" onClick={(e) => (e.preventDefault(), props.onOpen!(props.value!))} data-testid="lookup-link">
              {props.value.label}
            </a>
          ) : (
            <span data-testid="lookup-label">{props.value.label}</span>
          )}
          <button
            type="button"
            class="icon"
            aria-label={field ? t("lookup.clear", { field }) : t("common.delete")}
            data-testid="lookup-clear"
            onClick={() => props.onChange(null)}
          >
            ×
          </button>
        </span>
      ) : (
        <span class="muted">{t("common.none")}</span>
      )}
      <input
        type="search"
        maxLength={200}
        placeholder={t("common.search")}
        aria-label={field ? t("lookup.search", { field }) : t("common.search")}
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          // Inside a record's form, Enter would save it: here it takes the first suggestion.
          if (e.key === "Enter") {
            e.preventDefault();
            if (found.length > 0) pick(found[0]);
          } else if (e.key === "ArrowDown" && found.length > 0) {
            e.preventDefault();
            list.current?.querySelector("button")?.focus();
          } else if (e.key === "Escape" && found.length > 0) {
            e.stopPropagation();
            setFound([]);
          }
        }}
      />
      {found.length > 0 && (
        <ul class="suggestions" ref={list}>
          {found.map((f) => (
            <li key={`${f.kind}-${f.id}`}>
              <button type="button" class="suggestion" onClick={() => pick(f)}>
                {f.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
