// B5 (beyond): a banner when the own Microsoft 365 sign-in has lapsed or is about to, with the
// sign-in right there.
import { useEffect, useState } from "preact/hooks";
import { api, type OwnSignIn } from "../api";
import { errorText } from "./ui";
import { language, t } from "../i18n";
import { afterCalendarReady } from "../startup";

export function SignInBanner(props: { refreshKey: unknown }) {
  const [own, setOwn] = useState<OwnSignIn | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = () => api.ownSignIn().then(setOwn, () => setOwn(null));
  useEffect(() => void afterCalendarReady().then(load), [props.refreshKey]);

  if (!own?.needs_attention) return null;
  const lapses = own.status.lapses_at ? new Date(own.status.lapses_at).toLocaleDateString(language() === "de" ? "de-DE" : "en-GB") : "";
  return (
    <div class="notice error banner" role="alert" data-testid="signin-banner">
      <span>
        {own.status.secret_unreadable
          ? t("m365.secretUnreadable")
          : own.status.state === "expired"
            ? `${t("banner.expired")} ${own.status.expired_reason === "signin_unreadable" ? t("error.signin_unreadable") : ""}`
            : t("banner.lapsing", { date: lapses })}
      </span>
      {error && <span>{error}</span>}
      {!own.status.secret_unreadable && (
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await api.signIn(own.owner);
            } catch (e) {
              setError(errorText(e));
            } finally {
              setBusy(false);
              load();
            }
          }}
        >
          {busy ? t("m365.signingIn") : t("banner.signIn")}
        </button>
      )}
    </div>
  );
}
