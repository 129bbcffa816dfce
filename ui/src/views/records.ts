// How each record type is listed, edited and saved. The rules behind saving live in Rust.
import { api, type RecordType } from "../api";
import type { MessageKey } from "../i18n";

export type FieldKind = "text" | "email" | "tel" | "color" | "country" | "partner" | "mail_configuration";
export type FieldSpec = { name: string; label: MessageKey; kind?: FieldKind; required?: boolean; placeholder?: MessageKey };
type Values = Record<string, string | number | null>;

export interface RecordConfig {
  type: RecordType;
  listTitle: MessageKey;
  recordTitle: MessageKey;
  fields: FieldSpec[];
  columns: { label: MessageKey; value: (r: Values) => string }[];
  empty: () => Values;
  display: (r: Values) => string;
  search: (q: string) => Promise<Values[]>;
  get: (id: number) => Promise<Values>;
  /** `version`: the one the form loaded (`stamp.version`), so that Rust refuses a save over a change made meanwhile. */
  save: (id: number | null, version: number | null, fields: Values) => Promise<Values>;
  remove: (id: number) => Promise<null>;
}

const name = (r: Values) => `${r.first_name ?? ""} ${r.last_name ?? ""}`.trim();
const text = (key: string) => (r: Values) => String(r[key] ?? "");
// The generated types are exact; the generic record page works on plain field maps.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const untyped = (f: any) => f as (...args: any[]) => Promise<any>;

export const RECORDS: Record<RecordType, RecordConfig> = {
  business_partner: {
    type: "business_partner",
    listTitle: "nav.business_partners",
    recordTitle: "record.business_partner",
    fields: [
      { name: "name", label: "field.name", required: true },
      { name: "industry", label: "field.industry" },
      { name: "street", label: "field.street" },
      { name: "postal_code", label: "field.postal_code" },
      { name: "city", label: "field.city" },
      { name: "country", label: "field.country", kind: "country", required: true },
      { name: "phone", label: "field.phone", kind: "tel" },
      { name: "email", label: "field.email", kind: "email" },
      { name: "website", label: "field.website" },
    ],
    columns: [
      { label: "field.name", value: text("name") },
      { label: "field.city", value: text("city") },
      { label: "field.phone", value: text("phone") },
      { label: "field.email", value: text("email") },
    ],
    empty: () => ({ name: "", industry: null, street: null, postal_code: null, city: null, country: "DE", phone: null, email: null, website: null }),
    display: text("name"),
    search: untyped(api.searchBusinessPartners),
    get: untyped(api.getBusinessPartner),
    save: untyped(api.saveBusinessPartner),
    remove: api.deleteBusinessPartner,
  },
  contact: {
    type: "contact",
    listTitle: "nav.contacts",
    recordTitle: "record.contact",
    fields: [
      { name: "salutation", label: "field.salutation" },
      { name: "first_name", label: "field.first_name" },
      { name: "last_name", label: "field.last_name", required: true },
      { name: "business_partner_id", label: "field.business_partner_id", kind: "partner" },
      { name: "position", label: "field.position" },
      { name: "email", label: "field.email", kind: "email" },
      { name: "phone", label: "field.phone", kind: "tel" },
      { name: "mobile", label: "field.mobile", kind: "tel" },
    ],
    columns: [
      { label: "field.name", value: name },
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      { label: "record.business_partner", value: (r) => (r as any).business_partner?.label ?? "" },
      { label: "field.email", value: text("email") },
      { label: "field.phone", value: text("phone") },
    ],
    empty: () => ({ business_partner_id: null, salutation: null, first_name: "", last_name: "", position: null, email: null, phone: null, mobile: null }),
    display: name,
    search: untyped(api.searchContacts),
    get: untyped(api.getContact),
    save: untyped(api.saveContact),
    remove: api.deleteContact,
  },
  employee: {
    type: "employee",
    listTitle: "nav.employees",
    recordTitle: "record.employee",
    fields: [
      { name: "first_name", label: "field.first_name", required: true },
      { name: "last_name", label: "field.last_name", required: true },
      { name: "email", label: "field.email", kind: "email" },
      { name: "phone", label: "field.phone", kind: "tel" },
      { name: "mobile", label: "field.mobile", kind: "tel" },
      { name: "department", label: "field.department" },
      { name: "color", label: "field.color", kind: "color" },
      { name: "mail_configuration_id", label: "field.mail_configuration_id", kind: "mail_configuration" },
      { name: "user_principal_name", label: "field.user_principal_name", kind: "email", placeholder: "field.user_principal_name.placeholder" },
    ],
    columns: [
      { label: "field.name", value: name },
      { label: "field.department", value: text("department") },
      { label: "field.email", value: text("email") },
      { label: "field.mail_configuration_id", value: text("mail_configuration") },
    ],
    empty: () => ({ first_name: "", last_name: "", email: null, phone: null, mobile: null, department: null, color: "#2563eb", mail_configuration_id: null, user_principal_name: null }),
    display: name,
    search: untyped(api.searchEmployees),
    get: untyped(api.getEmployee),
    save: untyped(api.saveEmployee),
    remove: api.deleteEmployee,
  },
  person: {
    type: "person",
    listTitle: "nav.persons",
    recordTitle: "record.person",
    fields: [
      { name: "first_name", label: "field.first_name" },
      { name: "last_name", label: "field.last_name", required: true },
      { name: "email", label: "field.email", kind: "email" },
      { name: "phone", label: "field.phone", kind: "tel" },
      { name: "city", label: "field.city" },
    ],
    columns: [
      { label: "field.name", value: name },
      { label: "field.city", value: text("city") },
      { label: "field.email", value: text("email") },
    ],
    empty: () => ({ first_name: "", last_name: "", email: null, phone: null, city: null }),
    display: name,
    search: untyped(api.searchPersons),
    get: untyped(api.getPerson),
    save: untyped(api.savePerson),
    remove: api.deletePerson,
  },
};

/** The editable fields of a loaded record, as the save command takes them. */
export function editableFields(config: RecordConfig, record: Values): Values {
  return Object.fromEntries(config.fields.map((f) => [f.name, record[f.name] ?? null]));
}
