// E1: the Teams icon of the main toolbar, shown while the integration is on and configured. With a
// record open it starts a call to that record (the seed: "über den Schalter in der Toolbar"),
// otherwise it opens Teams; Rust decides which, and whom the call goes to.
import { useEffect, useState } from "preact/hooks";
import { api, type RecordKind, type ToolbarTeams } from "../api";
import { t } from "../i18n";
import { afterCalendarReady } from "../startup";
import { CallOptionsMenu } from "./TeamsButtons";
import { Toast } from "./Toast";
import { errorText, type Notice } from "./ui";

/** The record on screen, whose call the icon starts. */
export type OpenRecord = { kind: RecordKind; id: number } | null;

type Call = Extract<ToolbarTeams, { action: "call" }>;

export function TeamsToolbarIcon(props: { open: OpenRecord; refreshKey: unknown }) {
  const [action, setAction] = useState<ToolbarTeams | null>(null);
  const [picking, setPicking] = useState<Call | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const ask = () => api.teamsToolbarAction(props.open?.kind ?? null, props.open?.id ?? null);
  useEffect(() => {
    setPicking(null);
    setNotice(null);
    void afterCalendarReady()
      .then(ask)
      .then(setAction, () => setAction(null));
  }, [props.refreshKey, props.open?.kind, props.open?.id]);
  if (!action) return null;

  const started = (p: Promise<unknown>) =>
    p.then(
      () => setNotice({ kind: "info", text: t("teams.started") }),
      (e) => setNotice({ kind: "error", text: errorText(e) }),
    );
  const call = (c: Call, option: number) => started(api.startCall(c.kind, c.id, "toolbar", option));
  const click = async () => {
    setNotice(null);
    try {
      // Asked again: the record may have changed since it was opened (a number added or removed).
      const now = await ask();
      setAction(now);
      if (!now) return;
      if (now.action === "open_teams") await api.openTeams();
      else if (now.options.length === 1) await call(now, 0);
      else setPicking(now);
    } catch (e) {
      setNotice({ kind: "error", text: errorText(e) });
    }
  };
  const label = action.action === "call" ? t("teams.callTo", { name: action.name }) : t("teams.open");
  return (
    <span class="teams-toolbar">
      <button type="button" class="teams-small" data-testid="teams-toolbar" data-action={action.action} title={label} onClick={click}>
        <span class="teams-icon" aria-hidden="true">T</span>
        <span class="sr-only">{label}</span>
      </button>
      {picking && (
        <span class="teams-toolbar-popover">
          <CallOptionsMenu
            options={picking.options}
            onClose={() => setPicking(null)}
            onPick={(i) => {
              setPicking(null);
              call(picking, i);
            }}
          />
        </span>
      )}
      <Toast notice={notice} onClose={() => setNotice(null)} />
    </span>
  );
}
