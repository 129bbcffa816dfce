// An activity's lookup fields (F2): its business partner, contact and person, set and changed
// through a search. Whether a contact fits the partner is Rust's rule: a refusal comes back as the
// contact field's error.
import { api, type FieldError, type Lookup, type RecordType } from "../api";
import { t } from "../i18n";
import { LookupField } from "./Lookup";
import { TeamsButtons } from "./TeamsButtons";
import { Field } from "./ui";

export type ActivityLinks = { business_partner: Lookup | null; contact: Lookup | null; person: Lookup | null };

const name = (first: string, last: string) => `${first} ${last}`.trim();
const FIRST = 10;

const search = {
  business_partner: async (q: string): Promise<Lookup[]> =>
    (await api.searchBusinessPartners(q)).slice(0, FIRST).map((b) => ({ kind: "business_partner", id: b.id, label: b.name })),
  contact: async (q: string): Promise<Lookup[]> =>
    (await api.searchContacts(q)).slice(0, FIRST).map((c) => ({
      kind: "contact",
      id: c.id,
      label: name(c.first_name, c.last_name) + (c.business_partner ? ` (${c.business_partner.label})` : ""),
    })),
  person: async (q: string): Promise<Lookup[]> =>
    (await api.searchPersons(q)).slice(0, FIRST).map((p) => ({ kind: "person", id: p.id, label: name(p.first_name, p.last_name) })),
};

const FIELDS = [
  { key: "business_partner", field: "business_partner_id", label: "record.business_partner" },
  { key: "contact", field: "contact_id", label: "record.contact" },
  { key: "person", field: "person_id", label: "record.person" },
] as const;

export function ActivityLookups(props: {
  value: ActivityLinks;
  onChange: (value: ActivityLinks) => void;
  /** Opens a record the field points to (not inside a dialog). */
  onOpen?: (type: RecordType, id: number) => void;
  errors: FieldError[];
  /** E2: the Teams call button beside the contact, where Rust shows it (on the activity's page). */
  teams?: boolean;
}) {
  return (
    <>
      {FIELDS.map((f) => (
        <Field key={f.key} label={t(f.label)} name={f.field} errors={props.errors}>
          <LookupField
            value={props.value[f.key]}
            label={t(f.label)}
            testId={`lookup-${f.key}`}
            search={search[f.key]}
            onChange={(l) => props.onChange({ ...props.value, [f.key]: l })}
            onOpen={props.onOpen && ((l) => props.onOpen!(f.key, l.id))}
          />
          {props.teams && f.key === "contact" && props.value.contact && (
            <TeamsButtons kind="contact" id={props.value.contact.id} place="lookup" />
          )}
        </Field>
      ))}
    </>
  );
}

/** The ids the activity's input takes. */
export function linkIds(links: ActivityLinks) {
  return {
    business_partner_id: links.business_partner?.id ?? null,
    contact_id: links.contact?.id ?? null,
    person_id: links.person?.id ?? null,
  };
}

/** The lookups of a draft or an activity, as the fields show them. */
export function linksOf(a: ActivityLinks): ActivityLinks {
  return { business_partner: a.business_partner, contact: a.contact, person: a.person };
}
