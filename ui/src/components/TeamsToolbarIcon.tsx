// E1: the Teams icon of the main toolbar, shown while the integration is on and configured.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { t } from "../i18n";
import { afterCalendarReady } from "../startup";

export function TeamsToolbarIcon(props: { refreshKey: unknown }) {
  const [shown, setShown] = useState(false);
  useEffect(
    () =>
      void afterCalendarReady()
        .then(() => api.teamsToolbar())
        .then(setShown, () => setShown(false)),
    [props.refreshKey],
  );
  if (!shown) return null;
  return (
    <button type="button" class="teams-small" data-testid="teams-toolbar" title={t("teams.open")} onClick={() => api.openTeams().catch(() => {})}>
      <span class="teams-icon" aria-hidden="true">T</span>
      <span class="sr-only">{t("teams.open")}</span>
    </button>
  );
}
