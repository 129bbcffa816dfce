// The Microsoft 365 sign-in of the own employee or of a mail configuration (B1, B5, B6, A6).
import { useEffect, useState } from "preact/hooks";
import { api, type SignInOwner, type SignInStatus } from "../api";
import { errorText, NoticeBar, type Notice } from "./ui";
import { t, tDynamic } from "../i18n";

export function SignInPanel(props: { owner: SignInOwner }) {
  const [status, setStatus] = useState<SignInStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const fail = (e: unknown) => setNotice({ kind: "error", text: errorText(e) });

  useEffect(() => void api.signInStatus(props.owner).then(setStatus, fail), [props.owner.type, props.owner.id]);

  const signIn = async () => {
    setBusy(true);
    setNotice(null);
    try {
      setStatus(await api.signIn(props.owner));
    } catch (e) {
      fail(e);
      api.signInStatus(props.owner).then(setStatus, () => {});
    } finally {
      setBusy(false);
    }
  };
  const test = async () => {
    try {
      const me = await api.testSignIn(props.owner);
      // Rust tests the sign-in a send would use: on the own employee, the mail configuration's
      // where that one leads (B3).
      const ok = t("m365.testOk", { account: me.user_principal_name });
      setNotice({ kind: "info", text: me.owner.type !== props.owner.type ? `${ok} ${t("m365.testedMailbox")}` : ok });
    } catch (e) {
      fail(e);
      api.signInStatus(props.owner).then(setStatus, () => {});
    }
  };

  if (!status) return null;
  return (
    <section class="signin" data-testid="signin-panel">
      <h3>{t("m365.title")}</h3>
      <p data-testid="signin-state">
        {status.secret_unreadable
          ? t("m365.secretUnreadable")
          : !status.available
            ? t("m365.unavailable")
            : status.state === "active"
              ? t("m365.active", { account: status.account ?? "" })
              : status.state === "expired"
                ? `${t("m365.expired")} ${status.expired_reason ? tDynamic(`error.${status.expired_reason}`, "m365.expired") : ""}`
                : t("m365.notSignedIn")}
      </p>
      {busy && <p class="hint">{t("m365.signingIn")}</p>}
      <NoticeBar notice={notice} onClose={() => setNotice(null)} />
      <div class="toolbar">
        <button type="button" class="primary" data-testid="signin" disabled={!status.available || busy} onClick={signIn}>
          {t("m365.signIn")}
        </button>
        {busy && (
          <button type="button" data-testid="signin-cancel" onClick={() => api.cancelSignIn()}>
            {t("m365.cancel")}
          </button>
        )}
        <button type="button" data-testid="signin-test" disabled={!status.testable || busy} onClick={test}>
          {t("m365.test")}
        </button>
        <button
          type="button"
          data-testid="signout"
          disabled={!status.state || busy}
          onClick={() => api.signOut(props.owner).then(setStatus, fail)}
        >
          {t("m365.signOut")}
        </button>
      </div>
    </section>
  );
}
