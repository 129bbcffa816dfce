// The team database lost while working: a banner while it is away, gone when it is back. Nothing
// typed is lost meanwhile: forms keep their values, and a save refused now can be repeated.
import { useTeamDatabaseLost } from "../live";
import { t } from "../i18n";

export function ConnectionBanner() {
  const retryIn = useTeamDatabaseLost();
  if (retryIn === null) return null;
  return (
    <div class="notice error banner" role="alert" data-testid="connection-banner">
      <span>{retryIn === "connecting" ? t("live.connecting") : t("live.lost", { seconds: retryIn })}</span>
    </div>
  );
}
