// The settings pane: language (F4), system settings (A3), mail configurations (A1, A2, A4).
import { useEffect, useState } from "preact/hooks";
import { api, CLOUDS, type AppInfo, type CallLinkMode, type CalltoCheck, type Cloud, type Groupware, type Language, type MailConfiguration, type MailConfigurationInput, type SavedMailConfiguration, type SecretChange, type SystemSettings } from "../api";
import { errorText, Field, NoticeBar, useSaveErrors, type Notice } from "../components/ui";
import { SignInPanel } from "../components/SignInPanel";
import { SimulatorPanel } from "../components/SimulatorPanel";
import { TeamDatabasePanel } from "../components/TeamDatabasePanel";
import { language, t, type MessageKey } from "../i18n";

export function SettingsView(props: { info: AppInfo; onLanguage: (info: AppInfo) => void }) {
  const [settings, setSettings] = useState<SystemSettings | null>(null);
  // E3: whether anything opens callto: here; Rust says when the settings offer the Teams call link.
  const [callto, setCallto] = useState<CalltoCheck | null>(null);
  const [regions, setRegions] = useState<string[]>([]);
  const [configs, setConfigs] = useState<MailConfiguration[]>([]);
  const [editing, setEditing] = useState<MailConfiguration | "new" | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const fail = (e: unknown) => setNotice({ kind: "error", text: errorText(e) });
  const loadConfigs = () => api.listMailConfigurations().then(setConfigs, fail);

  const checkCallto = () => api.calltoCheck().then(setCallto, () => setCallto(null));
  useEffect(() => {
    api.getSettings().then(setSettings, fail);
    checkCallto();
    api.phoneRegions().then(setRegions, fail);
    loadConfigs();
  }, []);

  const flag = async (setting: "teams_integration_enabled" | "external_calls_enabled", on: boolean) => {
    try {
      setSettings(await api.setSystemSetting(setting, on));
      checkCallto();
    } catch (e) {
      fail(e);
    }
  };

  const setCallLinkMode = async (mode: CallLinkMode) => {
    try {
      setSettings(await api.setCallLinkMode(mode));
      checkCallto();
    } catch (e) {
      fail(e);
    }
  };

  return (
    <div class="settings" data-testid="settings">
      <h2>{t("settings.title")}</h2>
      <NoticeBar notice={notice} onClose={() => setNotice(null)} />
      <section>
        <label class="field">
          <span>{t("settings.language")}</span>
          <select
            data-testid="language"
            value={props.info.language_setting ?? ""}
            onChange={async (e) => {
              const v = e.currentTarget.value;
              try {
                props.onLanguage(await api.setLanguage(v ? (v as Language) : null));
              } catch (err) {
                fail(err);
              }
            }}
          >
            <option value="">{t("settings.languageAuto")}</option>
            <option value="de">Deutsch</option>
            <option value="en">English</option>
          </select>
        </label>
      </section>
      {settings && (
        <section>
          <h3>{t("settings.system")}</h3>
          <label class="check">
            <input type="checkbox" data-testid="teams-integration" checked={settings.teams_integration_enabled} onChange={(e) => flag("teams_integration_enabled", e.currentTarget.checked)} />
            <span>
              {t("settings.teamsIntegration")}
              <small class="muted">{t("settings.teamsIntegrationHint")}</small>
            </span>
          </label>
          <label class="check">
            <input type="checkbox" data-testid="external-calls" checked={settings.external_calls_enabled} onChange={(e) => flag("external_calls_enabled", e.currentTarget.checked)} />
            <span>
              {t("settings.externalCalls")}
              <small class="muted">{t("settings.externalCallsHint")}</small>
            </span>
          </label>
          <label class="field">
            <span>{t("settings.callLinkMode")}</span>
            <select
              data-testid="call-link-mode"
              value={settings.call_link_mode}
              onChange={(e) => setCallLinkMode(e.currentTarget.value as CallLinkMode)}
            >
              <option value="callto">{t("settings.callLinkCallto")}</option>
              <option value="teams_link">{t("settings.callLinkTeams")}</option>
            </select>
          </label>
          {callto?.offer_teams_link && (
            <div class="notice error" role="alert" data-testid="callto-notice">
              <span>{t("settings.calltoNothing")}</span>
              <button type="button" data-testid="callto-use-teams-link" onClick={() => setCallLinkMode("teams_link")}>
                {t("settings.calltoUseTeamsLink")}
              </button>
            </div>
          )}
          <label class="field">
            <span>
              {t("settings.country")}
              <small class="muted">{t("settings.countryHint")}</small>
            </span>
            <select
              data-testid="country"
              value={settings.country}
              onChange={async (e) => {
                try {
                  setSettings(await api.setCountry(e.currentTarget.value));
                } catch (err) {
                  fail(err);
                }
              }}
            >
              {(regions.includes(settings.country) ? regions : [settings.country, ...regions]).map((code) => (
                <option key={code} value={code}>
                  {countryName(code)} ({code})
                </option>
              ))}
            </select>
          </label>
        </section>
      )}
      <section>
        <TeamDatabasePanel />
      </section>
      <section>
        <div class="toolbar">
          <h3>{t("settings.mailConfigurations")}</h3>
          <button class="primary" data-testid="new-mail-configuration" onClick={() => setEditing("new")}>
            {t("settings.newMailConfiguration")}
          </button>
        </div>
        <p class="muted" data-testid="secret-storage">
          {props.info.secrets_sealed ? t("settings.secretsSealed") : t("settings.secretsFileOnly")}
        </p>
        <table>
          <tbody>
            {configs.map((c) => (
              <tr key={c.id} data-testid="mail-configuration">
                <td>
                  <a href="#" onClick={(e) => (e.preventDefault(), setEditing(c))}>
                    {c.name}
                  </a>
                </td>
                <td>{c.groupware}</td>
                <td>{t(`mail.cloud.${c.cloud}` as MessageKey)}</td>
                <td>{c.client_id && c.tenant_id ? t("mail.azureConfigured") : ""}</td>
                <td>{t("settings.employeesUsing", { count: c.employee_count })}</td>
                <td>
                  <button
                    data-testid="assign-to-all"
                    onClick={async () => {
                      try {
                        const count = await api.assignMailConfigurationToAll(c.id);
                        setNotice({ kind: "info", text: t("settings.assigned", { count }) });
                        loadConfigs();
                      } catch (e) {
                        fail(e);
                      }
                    }}
                  >
                    {t("settings.assignToAll")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {editing && (
        <MailConfigurationForm
          config={editing === "new" ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            loadConfigs();
            const change = saved?.change;
            if (change?.registration_changed) {
              const parts = [t("settings.registrationChanged", { count: change.sign_ins_expired })];
              if (change.secret_dropped) parts.push(t("settings.secretDropped"));
              setNotice({ kind: "info", text: parts.join(" ") });
            }
          }}
        />
      )}
      {props.info.demo && <SimulatorPanel />}
    </div>
  );
}

function MailConfigurationForm(props: { config: MailConfiguration | null; onDone: (saved?: SavedMailConfiguration) => void }) {
  const c = props.config;
  const [input, setInput] = useState<MailConfigurationInput>({
    name: c?.name ?? "",
    groupware: c?.groupware ?? "MSGRAPH",
    client_id: c?.client_id ?? "",
    tenant_id: c?.tenant_id ?? "",
    cloud: c?.cloud ?? "global",
    custom_authority_url: c?.custom_authority_url ?? "",
    custom_graph_url: c?.custom_graph_url ?? "",
    client_secret: { action: "keep" },
  });
  // The secret is write-only (A4): it is typed here, sent once, and never comes back.
  const [secretMode, setSecretMode] = useState<SecretChange["action"]>("keep");
  const [secret, setSecret] = useState("");
  const s = useSaveErrors();
  const set = (patch: Partial<MailConfigurationInput>) => setInput({ ...input, ...patch });

  const save = async (e: Event) => {
    e.preventDefault();
    s.clear();
    const client_secret: SecretChange = secretMode === "replace" ? { action: "replace", value: secret } : { action: secretMode };
    try {
      const saved = await api.saveMailConfiguration(c?.id ?? null, { ...input, client_secret });
      setSecret("");
      props.onDone(saved);
    } catch (err) {
      s.fail(err);
    }
  };

  return (
    <form class="form mail-configuration" onSubmit={save} data-testid="mail-configuration-form">
      <h3>{c ? c.name : t("settings.newMailConfiguration")}</h3>
      <Field label={t("mail.name") + " *"} name="name" errors={s.errors}>
        <input name="name" value={input.name} onInput={(e) => set({ name: e.currentTarget.value })} />
      </Field>
      <Field label={t("mail.groupware")} name="groupware" errors={s.errors}>
        <select name="groupware" value={input.groupware} onChange={(e) => set({ groupware: e.currentTarget.value as Groupware })}>
          <option value="MSGRAPH">MSGRAPH</option>
          <option value="EWS">EWS</option>
        </select>
      </Field>
      <Field label={t("mail.clientId")} name="client_id" errors={s.errors}>
        <input name="client_id" value={input.client_id} placeholder="00000000-0000-0000-0000-000000000000" onInput={(e) => set({ client_id: e.currentTarget.value })} />
      </Field>
      <Field label={t("mail.tenantId")} name="tenant_id" errors={s.errors}>
        <input name="tenant_id" value={input.tenant_id} placeholder="contoso.onmicrosoft.com" onInput={(e) => set({ tenant_id: e.currentTarget.value })} />
      </Field>
      <Field label={t("mail.clientSecret")} name="client_secret" errors={s.errors}>
        <div class="secret">
          {c?.client_secret_unreadable ? (
            <span class="error" data-testid="secret-state">
              {t("mail.secretUnreadable")}
            </span>
          ) : (
            <span class="muted" data-testid="secret-state">
              {c?.has_client_secret ? t("mail.secretSet") : t("mail.secretNone")}
            </span>
          )}
          <select aria-label={t("mail.clientSecret")} value={secretMode} onChange={(e) => setSecretMode(e.currentTarget.value as SecretChange["action"])}>
            <option value="keep">{t("mail.secretKeep")}</option>
            <option value="replace">{t("mail.secretReplace")}</option>
            {c?.has_client_secret && <option value="clear">{t("mail.secretClear")}</option>}
          </select>
          {secretMode === "replace" && <input name="client_secret" type="password" autocomplete="off" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />}
        </div>
      </Field>
      <Field label={t("mail.cloud")} name="cloud" errors={s.errors}>
        <select name="cloud" value={input.cloud} onChange={(e) => set({ cloud: e.currentTarget.value as Cloud })}>
          {CLOUDS.map((cl) => (
            <option key={cl} value={cl}>
              {t(`mail.cloud.${cl}` as MessageKey)}
            </option>
          ))}
        </select>
      </Field>
      {input.cloud === "custom" && (
        <>
          <Field label={t("mail.authorityUrl") + " *"} name="custom_authority_url" errors={s.errors}>
            <input name="custom_authority_url" value={input.custom_authority_url} placeholder="https://login.example.com" onInput={(e) => set({ custom_authority_url: e.currentTarget.value })} />
          </Field>
          <Field label={t("mail.graphUrl") + " *"} name="custom_graph_url" errors={s.errors}>
            <input name="custom_graph_url" value={input.custom_graph_url} placeholder="https://graph.example.com" onInput={(e) => set({ custom_graph_url: e.currentTarget.value })} />
          </Field>
        </>
      )}
      <NoticeBar notice={s.notice} onClose={() => s.setNotice(null)} />
      {c && <SignInPanel owner={{ type: "mail_configuration", id: c.id }} />}
      <footer>
        <button type="button" onClick={() => props.onDone()}>
          {t("common.cancel")}
        </button>
        <button type="submit" class="primary" data-testid="save-mail-configuration">
          {t("common.save")}
        </button>
        {c && (
          <button type="button" class="danger" onClick={() => api.deleteMailConfiguration(c.id).then(() => props.onDone(), s.fail)}>
            {t("common.delete")}
          </button>
        )}
      </footer>
    </form>
  );
}

/** The name of a country (ISO 3166-1 alpha-2) in the UI's language; the code where none is known. */
function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([language() === "de" ? "de" : "en"], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}
