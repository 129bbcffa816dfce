// For the UI's tests: the objects Rust answers with, typed by the IPC bindings, so that a field
// added in Rust fails the type check here once instead of in every test that built one by hand.
// Each builder gives a plain, valid object; a test passes only the fields it is about.

import type {
  Activity,
  ActivityButtons,
  ActivityDraft,
  ActivityInput,
  ActivityKind,
  Contact,
  Participant,
  Notification,
  SignInStatus,
} from "../api";

/** A Teams join URL as Graph gives it (percent-encoded). */
export const JOIN_URL = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9v%40thread.v2/0";

/** The own employee as a participant. */
export const ANNA: Participant = { participant: { type: "employee", id: 1 }, label: "Anna Schmidt", email: "anna@contoso.example" };
/** A customer's contact as a participant. */
export const MAX: Participant = { participant: { type: "contact", id: 9 }, label: "Max Muster", email: "max@kunde.example" };

/** Activity 5: Anna's open appointment "Messevorbereitung" on 1 December 2026, 10:00-11:00 in
 * Berlin, not sent, with `over` changed. */
export function activity(over: Partial<Activity> = {}): Activity {
  return {
    id: 5,
    uid: "u",
    stamp: { version: 1, changed_by: "Anna Schmidt", changed_at: 1_796_000_000 },
    kind: "appointment",
    subject: "Messevorbereitung",
    starts_at: "2026-12-01T09:00:00Z",
    ends_at: "2026-12-01T10:00:00Z",
    wall_clock: { starts: "2026-12-01T10:00", ends: "2026-12-01T11:00" },
    time_zone: "Europe/Berlin",
    memo: "Stand besprechen",
    mail_text: "",
    status: "open",
    owner: { kind: "employee", id: 1, label: "Anna Schmidt" },
    business_partner: null,
    contact: null,
    person: null,
    participants: [],
    reminder_minutes: 15,
    sent_at: null,
    join_url: null,
    send_pending: false,
    ...over,
  };
}

/** Rust's draft of a new activity of `kind` with `participants` at the time of `activity()`,
 * owned by Anna; `over` changes the input's fields and the draft's own. */
export function draft(
  kind: ActivityKind,
  participants: Participant[] = [],
  over: { input?: Partial<ActivityInput> } & Partial<Omit<ActivityDraft, "input">> = {},
): ActivityDraft {
  const { input, ...rest } = over;
  return {
    input: {
      kind,
      subject: "",
      starts_at: "2026-12-01T09:00:00Z",
      ends_at: "2026-12-01T10:00:00Z",
      time_zone: "Europe/Berlin",
      memo: "",
      mail_text: "",
      status: "open",
      owner_employee_id: 1,
      business_partner_id: null,
      contact_id: null,
      person_id: null,
      participants: participants.map((p) => p.participant),
      reminder_minutes: 15,
      ...input,
    },
    wall_clock: { starts: "2026-12-01T10:00", ends: "2026-12-01T11:00" },
    participants,
    linked_from: null,
    business_partner: null,
    contact: null,
    person: null,
    ...rest,
  };
}

/** The activity page's buttons as Rust decides them: editable, deletable, nothing else. */
export function activityButtons(over: Partial<ActivityButtons> = {}): ActivityButtons {
  return { action: null, cancel: false, editable: true, convert: [], join: false, delete: { type: "allowed" }, ...over };
}

/** A sign-in that can be made but is not (no account, nothing to test). */
export const NOT_SIGNED_IN: SignInStatus = {
  available: true,
  secret_unreadable: false,
  state: null,
  account: null,
  display_name: null,
  expired_reason: null,
  lapses_at: null,
  testable: false,
};

/** Anna's active sign-in, which "Test" can test. */
export function signedIn(over: Partial<SignInStatus> = {}): SignInStatus {
  return {
    ...NOT_SIGNED_IN,
    state: "active",
    account: "anna@contoso.example",
    display_name: "Anna Schmidt",
    testable: true,
    ...over,
  };
}

/** The reminder of Teams meeting 310 "Angebotsbesprechung" on 1 December 2026, 10:00 in Berlin. */
export function reminder(over: Partial<Notification> = {}): Notification {
  return {
    id: 31,
    activity_id: 310,
    subject: "Angebotsbesprechung",
    kind: "teams_meeting",
    starts_at: "2026-12-01T09:00:00Z",
    starts_local: "01.12.2026, 10:00",
    join_url: JOIN_URL,
    ...over,
  };
}

/** Contact 3, Lena Vogel of Contoso GmbH (business partner 2), with `over` changed. */
export function contact(over: Partial<Contact> = {}): Contact {
  return {
    id: 3,
    stamp: { version: 1, changed_by: "Anna Schmidt", changed_at: 1_796_000_000 },
    business_partner_id: 2,
    business_partner: { kind: "business_partner", id: 2, label: "Contoso GmbH" },
    salutation: null,
    first_name: "Lena",
    last_name: "Vogel",
    position: null,
    email: "lena@contoso.example",
    phone: null,
    mobile: null,
    ...over,
  };
}
