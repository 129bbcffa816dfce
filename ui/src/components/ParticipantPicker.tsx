// Participants of an activity: employees, contacts, persons or a free e-mail address (C3).
import { useEffect, useState } from "preact/hooks";
import { api, type Participant, type ParticipantRef } from "../api";
import { t } from "../i18n";

/** Same participant? (Records by kind and id, addresses ignoring case.) */
export function sameParticipant(a: ParticipantRef, b: ParticipantRef): boolean {
  if (a.type === "email" && b.type === "email") return a.address.toLowerCase() === b.address.toLowerCase();
  return a.type === b.type && a.type !== "email" && b.type !== "email" && a.id === b.id;
}

export function ParticipantPicker(props: {
  value: Participant[];
  onChange: (value: Participant[]) => void;
  disabled?: boolean;
}) {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<Participant[]>([]);

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) return setFound([]);
    const timer = setTimeout(() => api.searchParticipants(q).then(setFound, () => setFound([])), 150);
    return () => clearTimeout(timer);
  }, [query]);

  const add = (p: Participant) => {
    if (!props.value.some((v) => sameParticipant(v.participant, p.participant))) {
      props.onChange([...props.value, p]);
    }
    setQuery("");
    setFound([]);
  };
  // A typed address is offered as a free participant; the Rust side validates it on save.
  const typed = query.trim();
  const offerAddress = typed.includes("@") && !found.some((f) => f.email === typed);

  return (
    <div class="participants" data-testid="participants">
      <ul>
        {props.value.length === 0 && <li class="muted">{t("activity.noParticipants")}</li>}
        {props.value.map((p, i) => (
          <li key={i} class="chip" data-testid="participant">
            {p.label}
            {p.email && p.email !== p.label && <small> &lt;{p.email}&gt;</small>}
            {!props.disabled && (
              <button
                class="icon"
                aria-label={`${t("common.delete")}: ${p.label}`}
                onClick={() => props.onChange(props.value.filter((_, j) => j !== i))}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {!props.disabled && (
        <div class="picker">
          <input
            type="search" maxLength={200}
            placeholder={t("activity.addParticipant")}
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                if (found[0]) add(found[0]);
                else if (offerAddress) add({ participant: { type: "email", address: typed }, label: typed, email: typed });
              }
            }}
          />
          {(found.length > 0 || offerAddress) && (
            <ul class="suggestions" role="listbox">
              {found.map((f, i) => (
                <li key={i} role="option" onClick={() => add(f)}>
                  {f.label} <small>{f.email}</small>
                </li>
              ))}
              {offerAddress && (
                <li role="option" onClick={() => add({ participant: { type: "email", address: typed }, label: typed, email: typed })}>
                  {typed}
                </li>
              )}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
