// "Einstellungen -> Team-Datenbank": the connection to the team's PostgreSQL and its test. Rust
// checks every field (crm::team_database) and runs the test; the password is write-only.
import { useEffect, useState } from "preact/hooks";
import { api, type MovedIn, type SecretChange, type TeamDatabase, type TeamDatabaseInput, type TeamTls } from "../api";
import { t } from "../i18n";
import { Field, Modal, NoticeBar, useSaveErrors } from "./ui";

const DEFAULT_PORT = 5432;

export function TeamDatabasePanel() {
  const [saved, setSaved] = useState<TeamDatabase | null>(null);
  const [form, setForm] = useState<Omit<TeamDatabaseInput, "password">>({ host: "", port: DEFAULT_PORT, database: "", user: "", tls: "verified" });
  const [password, setPassword] = useState("");
  const [testing, setTesting] = useState(false);
  // "Lokalen Arbeitsbereich … übernehmen": offered as Rust decides, asked in the app's own dialog.
  const [moveInOffered, setMoveInOffered] = useState(false);
  const [confirmingMoveIn, setConfirmingMoveIn] = useState(false);
  const [movingIn, setMovingIn] = useState(false);
  const s = useSaveErrors();
  const set = (patch: Partial<Omit<TeamDatabaseInput, "password">>) => setForm({ ...form, ...patch });

  useEffect(() => {
    api.teamDatabase().then((db) => {
      setSaved(db);
      if (db) setForm({ host: db.host, port: db.port, database: db.database, user: db.user, tls: db.tls });
    }, s.fail);
    api.moveInOffered().then(setMoveInOffered, s.fail);
  }, []);

  const moveIn = async () => {
    setConfirmingMoveIn(false);
    s.clear();
    setMovingIn(true);
    s.setNotice({ kind: "info", text: t("team.movingIn") });
    try {
      const moved: MovedIn = await api.moveInToTeamDatabase();
      s.setNotice({
        kind: "info",
        text: t("team.movedIn", {
          partners: moved.business_partners,
          contacts: moved.contacts,
          persons: moved.persons,
          employees: moved.employees,
          activities: moved.activities,
        }),
      });
    } catch (err) {
      s.fail(err);
    } finally {
      setMovingIn(false);
    }
  };

  // A typed password replaces the stored one; an empty field keeps it.
  const input = (): TeamDatabaseInput => {
    const change: SecretChange = password ? { action: "replace", value: password } : { action: "keep" };
    return { ...form, password: change };
  };

  const save = async (e: Event) => {
    e.preventDefault();
    s.clear();
    try {
      setSaved(await api.saveTeamDatabase(input()));
      setPassword("");
      setMoveInOffered(await api.moveInOffered());
      s.setNotice({ kind: "info", text: t("team.saved") });
    } catch (err) {
      s.fail(err);
    }
  };

  const test = async () => {
    s.clear();
    setTesting(true);
    s.setNotice({ kind: "info", text: t("team.testing") });
    try {
      const probe = await api.testTeamDatabase(input());
      s.setNotice({ kind: "info", text: t("team.testOk", { version: probe.server_version, ms: String(probe.round_trip_ms) }) });
    } catch (err) {
      s.fail(err);
    } finally {
      setTesting(false);
    }
  };

  return (
    <form class="form team-database" onSubmit={save} data-testid="team-database-form">
      <h3>{t("team.title")}</h3>
      <p class="muted">{t("team.hint")}</p>
      <Field label={t("team.host") + " *"} name="host" errors={s.errors}>
        <input name="host" value={form.host} placeholder="db.firma.de" onInput={(e) => set({ host: e.currentTarget.value })} />
      </Field>
      <Field label={t("team.port")} name="port" errors={s.errors}>
        <input name="port" type="number" min={1} max={65535} value={form.port} onInput={(e) => set({ port: Number(e.currentTarget.value) || 0 })} />
      </Field>
      <Field label={t("team.database") + " *"} name="database" errors={s.errors}>
        <input name="database" value={form.database} onInput={(e) => set({ database: e.currentTarget.value })} />
      </Field>
      <Field label={t("team.user") + " *"} name="user" errors={s.errors}>
        <input name="user" autocomplete="username" value={form.user} onInput={(e) => set({ user: e.currentTarget.value })} />
      </Field>
      <Field label={t("team.password")} name="password" errors={s.errors}>
        <div class="secret">
          <span class="muted" data-testid="team-password-state">
            {saved?.has_password ? t("team.passwordSet") : t("team.passwordNone")}
          </span>
          <input name="password" type="password" autocomplete="off" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </div>
      </Field>
      <Field label={t("team.tls")} name="tls" errors={s.errors}>
        <select name="tls" value={form.tls} onChange={(e) => set({ tls: e.currentTarget.value as TeamTls })}>
          <option value="verified">{t("team.tlsVerified")}</option>
          <option value="plain">{t("team.tlsPlain")}</option>
        </select>
      </Field>
      <NoticeBar notice={s.notice} onClose={() => s.setNotice(null)} />
      <footer>
        <button type="button" onClick={test} disabled={testing} data-testid="test-team-database">
          {t("team.test")}
        </button>
        <button type="submit" class="primary" data-testid="save-team-database">
          {t("common.save")}
        </button>
      </footer>
      {moveInOffered && (
        <section class="move-in" aria-busy={movingIn}>
          <h4>{t("team.moveIn")}</h4>
          <p class="muted">{t("team.moveInHint")}</p>
          <button type="button" disabled={movingIn} onClick={() => setConfirmingMoveIn(true)} data-testid="move-in">
            {t("team.moveIn")}
          </button>
        </section>
      )}
      {confirmingMoveIn && (
        <Modal title={t("team.moveIn")} onClose={() => setConfirmingMoveIn(false)} testId="move-in-dialog">
          <p>{t("team.moveInConfirm")}</p>
          <footer class="form-footer">
            <button type="button" onClick={() => setConfirmingMoveIn(false)}>
              {t("common.cancel")}
            </button>
            <button type="button" class="primary" data-testid="confirm-move-in" onClick={moveIn}>
              {t("team.moveInNow")}
            </button>
          </footer>
        </Modal>
      )}
    </form>
  );
}
