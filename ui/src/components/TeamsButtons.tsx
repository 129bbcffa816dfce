// E1-E4: Teams call and chat buttons of a record's toolbar or beside a lookup field. Whether they
// show is decided in Rust; the URI is built there too.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, type CallOption, type RecordKind, type TeamsButtons as Buttons, type TeamsPlace } from "../api";
import { errorText, NoticeBar, type Notice } from "./ui";
import { t, tDynamic } from "../i18n";

export function TeamsButtons(props: { kind: RecordKind; id: number; place: TeamsPlace }) {
  const [buttons, setButtons] = useState<Buttons | null>(null);
  const [options, setOptions] = useState<CallOption[] | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  useEffect(() => void api.teamsButtonsFor(props.kind, props.place).then(setButtons, () => setButtons(null)), [props.kind, props.place]);
  if (!buttons || (!buttons.call && !buttons.chat)) return null;

  const done = (p: Promise<unknown>) =>
    p.then(
      () => setNotice({ kind: "info", text: t("teams.started") }),
      (e) => setNotice({ kind: "error", text: errorText(e) }),
    );
  const call = async () => {
    try {
      const list = await api.callOptions(props.kind, props.id);
      if (list.length === 1) done(api.startCall(props.kind, props.id, props.place, 0));
      else setOptions(list);
    } catch (e) {
      setNotice({ kind: "error", text: errorText(e) });
    }
  };
  const suffix = `${props.kind}-${props.place}`;
  return (
    <span class="teams-buttons">
      {buttons.call && (
        <button type="button" class="teams-small" data-testid={`teams-call-${suffix}`} title={t("teams.call")} onClick={call}>
          <span class="teams-icon" aria-hidden="true">T</span>
          {/* Named once: by its text on a record, for screen readers only beside a field. */}
          {props.place === "record" ? ` ${t("teams.call")}` : <span class="sr-only">{t("teams.call")}</span>}
        </button>
      )}
      {buttons.chat && (
        <button type="button" class="teams-small" data-testid={`teams-chat-${suffix}`} onClick={() => done(api.startChat(props.kind, props.id))}>
          <span class="teams-icon" aria-hidden="true">T</span> {t("teams.chat")}
        </button>
      )}
      {options && (
        <CallOptionsMenu
          options={options}
          onClose={() => setOptions(null)}
          onPick={(i) => {
            setOptions(null);
            done(api.startCall(props.kind, props.id, props.place, i));
          }}
        />
      )}
      <NoticeBar notice={notice} onClose={() => setNotice(null)} />
    </span>
  );
}

/** The numbers and addresses Rust offers for a call, for the user to pick one. It takes the focus;
 * Escape or a click elsewhere closes it without calling. */
export function CallOptionsMenu(props: { options: CallOption[]; onPick: (index: number) => void; onClose: () => void }) {
  const menu = useRef<HTMLSpanElement>(null);
  const close = useRef(props.onClose);
  close.current = props.onClose;
  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>("button")?.focus();
    const outside = (e: MouseEvent) => {
      if (menu.current && !menu.current.contains(e.target as Node)) close.current();
    };
    document.addEventListener("mousedown", outside);
    return () => document.removeEventListener("mousedown", outside);
  }, []);
  return (
    <span
      class="call-options"
      role="menu"
      aria-label={t("teams.pick")}
      ref={menu}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      {props.options.map((o, i) => (
        <button key={i} type="button" role="menuitem" data-testid="call-option" data-channel={o.channel} onClick={() => props.onPick(i)}>
          {tDynamic(`channel.${o.channel}`, "teams.call")}: {o.value}
          {o.label ? ` (${o.label})` : ""}
        </button>
      ))}
    </span>
  );
}
