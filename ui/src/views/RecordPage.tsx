// The page of one business partner, contact, employee or person: toolbar, fields, lookup fields,
// communication entries (edited in place, each with its history) and history; new activities
// about the record (F2).
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { endMark } from "../perf/marks";
import { api, CommandError, type Channel, type Communication, type Contact, type EmailCalls, type Lookup, type MailConfiguration, type RecordType } from "../api";
import { EmailCallButton } from "../components/EmailCallButton";
import { StoredBeside, type Differing } from "../components/StoredBeside";
import { History } from "../components/History";
import { LookupField } from "../components/Lookup";
import { NewActivity } from "../components/NewActivity";
import { ContactMeetingButton } from "../components/ContactMeetingButton";
import { SignInPanel } from "../components/SignInPanel";
import { TeamsButtons } from "../components/TeamsButtons";
import { errorText, Field, Modal, NoticeBar, useSaveErrors } from "../components/ui";
import { t, tDynamic } from "../i18n";
import { editableFields, RECORDS, type FieldSpec } from "./records";
import { useLiveChanges } from "../live";

type Values = Record<string, string | number | null>;

/** The version a loaded record is at (`stamp.version`), null for a new one. */
const versionOf = (r: Values | null) => (r as { stamp?: { version?: number } } | null)?.stamp?.version ?? null;

/** Whether a save was refused because someone else saved the record meanwhile. */
const isConflict = (e: unknown) => e instanceof CommandError && e.code === "conflict";

export function RecordPage(props: {
  type: RecordType;
  id: number | null;
  onOpen: (type: RecordType, id: number) => void;
  onOpenActivity: (id: number) => void;
  onCreated: (id: number) => void;
  onBack: () => void;
  /** The own employee's id: its record offers the Microsoft 365 sign-in (B1). */
  ownEmployeeId?: number;
}) {
  const config = RECORDS[props.type];
  const [record, setRecord] = useState<Values | null>(props.id === null ? config.empty() : null);
  const [values, setValues] = useState<Values>(config.empty());
  const [mailConfigurations, setMailConfigurations] = useState<MailConfiguration[]>([]);
  const [emailCall, setEmailCall] = useState(false);
  // A new activity about the record shows in its history at once.
  const [historyRefresh, setHistoryRefresh] = useState(0);
  const s = useSaveErrors();
  // "Löschen" asks in the app's own dialog (keyboard, language), not the webview's confirm().
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  // After a save refused over someone else's change: the record as stored now, shown beneath the
  // typed values (which stay), so the user decides which to keep.
  const [current, setCurrent] = useState<Values | null>(null);

  useEffect(() => {
    setCurrent(null);
    if (props.id === null) {
      setRecord(config.empty());
      setValues(config.empty());
      return;
    }
    config.get(props.id).then(
      (r) => (setRecord(r), setValues(editableFields(config, r))),
      (e) => s.setNotice({ kind: "error", text: errorText(e) }),
    );
  }, [props.type, props.id]);
  // The record's fields are in the DOM: an opening timed since its click ends here.
  useLayoutEffect(() => void (record && props.id !== null && endMark("open_record")), [record]);

  // Another desktop changed this record, its entries or its activities: what shows them reloads.
  // Typed, unsaved values stay; the page says the record changed meanwhile, and keeps the version
  // it loaded, so that a save is refused with who changed it instead of overwriting.
  const [communicationsRefresh, setCommunicationsRefresh] = useState(0);
  // What the page shows now. The change may be this page's own save, announced before the save's
  // answer came: the reloaded record is compared with what shows when it arrives (by then the
  // saved record), not when it was announced.
  const shownNow = useRef({ record, values });
  shownNow.current = { record, values };
  useLiveChanges([props.type, "communication", "activity"], (change) => {
    if (props.id === null || !record) return;
    if (change === null || change.record !== props.type) {
      setHistoryRefresh((n) => n + 1);
      setCommunicationsRefresh((n) => n + 1);
    }
    if (change !== null && (change.record !== props.type || change.id !== props.id)) return;
    config.get(props.id).then(
      (fresh) => {
        const { record: shown, values: typedValues } = shownNow.current;
        if (!shown || JSON.stringify(fresh) === JSON.stringify(shown)) return;
        if ((versionOf(fresh) ?? 0) < (versionOf(shown) ?? 0)) return;
        const typed = JSON.stringify(typedValues) !== JSON.stringify(editableFields(config, shown));
        if (typed) {
          s.setNotice({ kind: "info", text: t("live.changedMeanwhile") });
        } else {
          setRecord(fresh);
          setValues(editableFields(config, fresh));
        }
        setHistoryRefresh((n) => n + 1);
      },
      (e) => s.setNotice({ kind: "error", text: errorText(e) }),
    );
  });

  useEffect(() => {
    setEmailCall(false);
    if (props.id !== null) api.emailCalls(props.type, props.id).then((c) => setEmailCall(c.field), () => {});
  }, [props.type, props.id]);

  useEffect(() => {
    if (config.fields.some((f) => f.kind === "mail_configuration")) {
      api.listMailConfigurations().then(setMailConfigurations, () => {});
    }
  }, [props.type]);

  // `version` is the one the values were typed over: the loaded record's, or after a refusal the
  // stored record's once the user chose to save their entries over it.
  const submit = async (version: number | null) => {
    s.clear();
    try {
      const saved = await config.save(props.id, version, values);
      setRecord(saved);
      setValues(editableFields(config, saved));
      setCurrent(null);
      s.setNotice({ kind: "info", text: t("common.saved") });
      if (props.id === null) props.onCreated(Number(saved.id));
    } catch (err) {
      if (!isConflict(err) || props.id === null) return s.fail(err);
      s.fail(err);
      try {
        setCurrent(await config.get(props.id));
        s.setNotice({ kind: "error", text: errorText(err, { currentShown: true }) });
      } catch {
        // The refusal's own sentence stays: it asks to open the record again.
      }
    }
  };
  const save = (e: Event) => {
    e.preventDefault();
    // The version this form loaded goes back, so a change saved meanwhile by someone else is refused, not overwritten.
    return submit(versionOf(record));
  };
  const takeCurrent = () => {
    if (!current) return;
    setRecord(current);
    setValues(editableFields(config, current));
    setCurrent(null);
    s.clear();
  };
  const keepMine = () => {
    if (!current) return;
    // Saved over the version now stored, which the user has seen: a later change is refused again.
    setRecord({ ...current });
    return submit(versionOf(current));
  };

  const remove = async () => {
    setConfirmingDelete(false);
    if (props.id === null) return;
    try {
      await config.remove(props.id);
      props.onBack();
    } catch (err) {
      s.fail(err);
    }
  };

  if (!record) return <NoticeBar notice={s.notice} onClose={() => s.setNotice(null)} />;
  const set = (name: string, value: string | number | null) => setValues({ ...values, [name]: value });
  const input = (f: FieldSpec) => (
    <input
      name={f.name}
      type={f.kind === "color" ? "color" : f.kind === "email" ? "email" : f.kind === "tel" ? "tel" : "text"}
      maxLength={f.kind === "country" ? 2 : 200}
      placeholder={f.placeholder && t(f.placeholder)}
      value={String(values[f.name] ?? "")}
      onInput={(e) => set(f.name, e.currentTarget.value)}
    />
  );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const partner = (record as any).business_partner as Lookup | null | undefined;

  return (
    <div class="record-page" data-testid={`record-${props.type}`}>
      <form onSubmit={save}>
        <div class="toolbar">
          <button type="button" onClick={props.onBack}>
            ← {t("common.back")}
          </button>
          <h2>
            {t(config.recordTitle)}: {props.id === null ? t("common.new") : config.display(record)}
          </h2>
          <span class="spacer" />
          {props.id !== null && <TeamsButtons kind={props.type} id={props.id} place="record" />}
          {props.type === "contact" && props.id !== null && <ContactMeetingButton contactId={props.id} onOpenActivity={props.onOpenActivity} />}
          {props.id !== null && (
            <NewActivity
              record={{ kind: props.type, id: props.id }}
              onError={s.fail}
              onCreated={() => {
                setHistoryRefresh((n) => n + 1);
                s.setNotice({ kind: "info", text: t("common.saved") });
              }}
            />
          )}
          <button type="submit" class="primary" data-testid="save-record">
            {t("common.save")}
          </button>
          {props.id !== null && (
            <button type="button" class="danger" data-testid="delete-record" onClick={() => setConfirmingDelete(true)}>
              {t("common.delete")}
            </button>
          )}
        </div>
        <NoticeBar notice={s.notice} onClose={() => s.setNotice(null)} />
        {current && <StoredBeside rows={differing(config, values, current)} onTake={takeCurrent} onKeep={keepMine} />}
        {confirmingDelete && (
          <Modal title={t("common.delete")} onClose={() => setConfirmingDelete(false)} testId="delete-record-dialog">
            <p>{t("common.confirmDelete")}</p>
            <footer class="form-footer">
              <button type="button" onClick={() => setConfirmingDelete(false)}>
                {t("common.cancel")}
              </button>
              <button type="button" class="danger" data-testid="confirm-delete-record" onClick={remove}>
                {t("common.delete")}
              </button>
            </footer>
          </Modal>
        )}
        <div class="form grid">
          {config.fields.map((f) => (
            <Field key={f.name} label={t(f.label) + (f.required ? " *" : "")} name={f.name} errors={s.errors}>
              {f.kind === "partner" ? (
                <LookupField
                  value={values[f.name] ? { kind: "business_partner", id: Number(values[f.name]), label: partner?.id === values[f.name] ? partner.label : `#${values[f.name]}` } : null}
                  search={async (q) => (await api.searchBusinessPartners(q)).slice(0, 10).map((b) => ({ kind: "business_partner", id: b.id, label: b.name }))}
                  onChange={(l) => {
                    set(f.name, l?.id ?? null);
                    // eslint-disable-next-line @typescript-eslint/no-explicit-any
                    setRecord({ ...record, business_partner: l as any });
                  }}
                  onOpen={(l) => props.onOpen("business_partner", l.id)}
                />
              ) : f.kind === "mail_configuration" ? (
                <select name={f.name} value={String(values[f.name] ?? "")} onChange={(e) => set(f.name, e.currentTarget.value ? Number(e.currentTarget.value) : null)}>
                  <option value="">{t("common.none")}</option>
                  {mailConfigurations.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              ) : f.name === "email" && emailCall && props.id !== null ? (
                <span class="with-action">
                  {input(f)}
                  <EmailCallButton kind={props.type} id={props.id} testId="email-call" unsaved={(values.email ?? "") !== (record.email ?? "")} />
                </span>
              ) : (
                input(f)
              )}
            </Field>
          ))}
        </div>
      </form>
      {props.id !== null && (
        <div class="panels">
          {props.type === "employee" && props.id === props.ownEmployeeId && <SignInPanel owner={{ type: "employee", id: props.id }} />}
          {props.type === "business_partner" && <PartnerContacts id={props.id} onOpen={(id) => props.onOpen("contact", id)} />}
          <Communications kind={props.type} id={props.id} onOpenActivity={props.onOpenActivity} refresh={communicationsRefresh} />
          <History kind={props.type} id={props.id} onOpen={props.onOpenActivity} refresh={historyRefresh} />
        </div>
      )}
    </div>
  );
}

/** A field's value as the page shows it: a lookup's label, a mail configuration's name. */
function shown(f: FieldSpec, values: Values, record: Values | null): string {
  const v = values[f.name];
  if (v === null || v === undefined || v === "") return "";
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const r = record as any;
  if (f.kind === "partner") return r?.business_partner?.id === v ? r.business_partner.label : `#${v}`;
  if (f.kind === "mail_configuration") return r?.mail_configuration_id === v && r?.mail_configuration ? r.mail_configuration : `#${v}`;
  return String(v);
}

/** The fields whose typed value differs from the one stored now, as the page shows each. */
function differing(config: (typeof RECORDS)[RecordType], typed: Values, current: Values): Differing[] {
  const stored = editableFields(config, current);
  return config.fields
    .filter((f) => (typed[f.name] ?? "") !== (stored[f.name] ?? ""))
    .map((f) => ({ field: f.name, label: t(f.label), mine: shown(f, typed, null), stored: shown(f, stored, current) }));
}

function PartnerContacts(props: { id: number; onOpen: (id: number) => void }) {
  const [contacts, setContacts] = useState<Contact[]>([]);
  useEffect(() => void api.contactsOfBusinessPartner(props.id).then(setContacts, () => {}), [props.id]);
  return (
    <section>
      <h3>{t("contacts.title")}</h3>
      <ul>
        {contacts.map((c) => (
          <li key={c.id}>
            <a href="#" onClick={(e) => (e.preventDefault(), props.onOpen(c.id))}>
              {`${c.first_name} ${c.last_name}`.trim()}
            </a>{" "}
            <small class="muted">{c.position}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}

const CHANNELS: Channel[] = ["email", "phone", "mobile", "fax"];

function ChannelSelect(props: { value: Channel; onChange: (c: Channel) => void }) {
  return (
    <select value={props.value} aria-label={t("field.channel")} onChange={(e) => props.onChange(e.currentTarget.value as Channel)}>
      {CHANNELS.map((c) => (
        <option key={c} value={c}>
          {t(`channel.${c}`)}
        </option>
      ))}
    </select>
  );
}

function Communications(props: { kind: RecordType; id: number; onOpenActivity: (id: number) => void; refresh?: number }) {
  const [entries, setEntries] = useState<Communication[]>([]);
  const [emailCalls, setEmailCalls] = useState<EmailCalls | null>(null);
  const [channel, setChannel] = useState<Channel>("phone");
  const [value, setValue] = useState("");
  const [label, setLabel] = useState("");
  const [editing, setEditing] = useState<number | null>(null);
  const [historyOf, setHistoryOf] = useState<number | null>(null);
  const [historyRefresh, setHistoryRefresh] = useState(0);
  const [deleting, setDeleting] = useState<Communication | null>(null);
  const s = useSaveErrors();
  const load = () => {
    api.emailCalls(props.kind, props.id).then(setEmailCalls, () => setEmailCalls(null));
    return api.communicationsOf(props.kind, props.id).then(setEntries, (e) => s.fail(e));
  };
  useEffect(() => void load(), [props.kind, props.id, props.refresh]);

  const add = async (e: Event) => {
    e.preventDefault();
    s.clear();
    try {
      await api.saveCommunication(null, null, { owner_kind: props.kind, owner_id: props.id, channel, value, label: label || null });
      setValue("");
      setLabel("");
      load();
    } catch (err) {
      s.fail(err);
    }
  };
  const remove = async (c: Communication) => {
    try {
      await api.deleteCommunication(c.id);
      setDeleting(null);
      if (historyOf === c.id) setHistoryOf(null);
      load();
    } catch (err) {
      setDeleting(null);
      s.fail(err);
    }
  };

  return (
    <section class="communications" data-testid="communications">
      <h3>{t("communications.title")}</h3>
      <ul>
        {entries.map((c) => (
          <li key={c.id} data-testid={`communication-${c.id}`}>
            {editing === c.id ? (
              <CommunicationEditor
                entry={c}
                onCancel={() => setEditing(null)}
                onSaved={() => {
                  setEditing(null);
                  setHistoryRefresh((n) => n + 1);
                  load();
                }}
              />
            ) : (
              <>
                <span class="tag">{tDynamic(`channel.${c.channel}`, "record.communication")}</span> {c.value}{" "}
                {c.label && <small class="muted">({c.label})</small>}
                {emailCalls?.communications.includes(c.id) && <EmailCallButton kind="communication" id={c.id} testId="communication-email-call" />}
                <TeamsButtons kind="communication" id={c.id} place="record" />
                <button type="button" data-testid="edit-communication" aria-label={`${t("common.edit")}: ${c.value}`} onClick={() => setEditing(c.id)}>
                  {t("common.edit")}
                </button>
                <button
                  type="button"
                  data-testid="communication-history"
                  aria-expanded={historyOf === c.id}
                  aria-label={t("communications.history", { value: c.value })}
                  onClick={() => setHistoryOf(historyOf === c.id ? null : c.id)}
                >
                  {t("history.title")}
                </button>
                <button type="button" class="icon" aria-label={`${t("common.delete")}: ${c.value}`} data-testid="delete-communication" onClick={() => setDeleting(c)}>
                  ×
                </button>
              </>
            )}
            {historyOf === c.id && <History kind="communication" id={c.id} onOpen={props.onOpenActivity} refresh={historyRefresh} />}
          </li>
        ))}
      </ul>
      <form class="inline" onSubmit={add}>
        <ChannelSelect value={channel} onChange={setChannel} />
        <Field label={t("field.value")} name="value" errors={s.errors}>
          <input value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </Field>
        <input value={label} placeholder={t("field.label")} aria-label={t("field.label")} onInput={(e) => setLabel(e.currentTarget.value)} />
        <button type="submit">{t("common.add")}</button>
      </form>
      <NoticeBar notice={s.notice} onClose={() => s.setNotice(null)} />
      {deleting && (
        <Modal title={t("common.delete")} onClose={() => setDeleting(null)} testId="delete-communication-dialog">
          <p>{t("communications.confirmDelete", { value: deleting.value })}</p>
          <footer class="form-footer">
            <button type="button" onClick={() => setDeleting(null)}>
              {t("common.cancel")}
            </button>
            <button type="button" class="danger" data-testid="confirm-delete" onClick={() => remove(deleting)}>
              {t("common.delete")}
            </button>
          </footer>
        </Modal>
      )}
    </section>
  );
}

/** A communication entry edited in place; Rust checks it and records the change in its history.
 * A save refused over someone else's change keeps the typed values and shows the stored ones. */
function CommunicationEditor(props: { entry: Communication; onSaved: () => void; onCancel: () => void }) {
  const [channel, setChannel] = useState<Channel>(props.entry.channel);
  const [value, setValue] = useState(props.entry.value);
  const [label, setLabel] = useState(props.entry.label ?? "");
  // The version the typed values are saved over: the loaded entry's, or the stored one's once the
  // user chose to save over it.
  const [current, setCurrent] = useState<Communication | null>(null);
  const s = useSaveErrors();
  // The editor opens where the entry was, with the number or address ready to change.
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = async (version: number) => {
    s.clear();
    try {
      const { owner_kind, owner_id } = props.entry;
      await api.saveCommunication(props.entry.id, version, { owner_kind, owner_id, channel, value, label: label || null });
      props.onSaved();
    } catch (err) {
      s.fail(err);
      if (!isConflict(err)) return;
      try {
        setCurrent(await api.getCommunication(props.entry.id));
        s.setNotice({ kind: "error", text: errorText(err, { currentShown: true }) });
      } catch {
        // The refusal's own sentence stays.
      }
    }
  };
  const save = (e: Event) => {
    e.preventDefault();
    return submit(props.entry.stamp.version);
  };
  const takeCurrent = () => {
    if (!current) return;
    setChannel(current.channel);
    setValue(current.value);
    setLabel(current.label ?? "");
    s.clear();
  };
  return (
    <form
      class="inline"
      data-testid="communication-editor"
      aria-label={t("communications.edit")}
      onSubmit={save}
      onKeyDown={(e) => e.key === "Escape" && (e.stopPropagation(), props.onCancel())}
    >
      <ChannelSelect value={channel} onChange={setChannel} />
      <Field label={t("field.value")} name="value" errors={s.errors}>
        <input name="value" value={value} ref={first} onInput={(e) => setValue(e.currentTarget.value)} />
      </Field>
      <input name="label" value={label} placeholder={t("field.label")} aria-label={t("field.label")} onInput={(e) => setLabel(e.currentTarget.value)} />
      <button type="submit" class="primary" data-testid="save-communication">
        {t("common.save")}
      </button>
      <button type="button" onClick={props.onCancel}>
        {t("common.cancel")}
      </button>
      <NoticeBar notice={s.notice} onClose={() => s.setNotice(null)} />
      {current && (
        <div class="conflict" data-testid="conflict">
          <span>
            {t("conflict.current")}: <span class="tag">{tDynamic(`channel.${current.channel}`, "record.communication")}</span>{" "}
            <span data-testid="conflict-current">{current.value}</span> {current.label && <small class="muted">({current.label})</small>}
          </span>
          <button type="button" data-testid="conflict-take-current" onClick={takeCurrent}>
            {t("conflict.takeCurrent")}
          </button>
          <button type="button" class="primary" data-testid="conflict-keep-mine" onClick={() => submit(current.stamp.version)}>
            {t("conflict.keepMine")}
          </button>
        </div>
      )}
    </form>
  );
}
