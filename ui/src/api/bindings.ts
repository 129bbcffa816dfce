// Generated from the Rust types by `make bindings` (src-tauri/src/bindings.rs).
// Do not edit: a test fails when this file and the Rust types disagree.

export type RecordKind = "business_partner" | "contact" | "employee" | "person" | "communication" | "activity" | "mail_configuration";

export type Lookup = { kind: RecordKind, id: number, label: string, };

export type RecordRef = { kind: RecordKind, id: number, };

export type EmployeeFields = { first_name: string, last_name: string, email: string | null, phone: string | null, mobile: string | null, department: string | null, 
/**
 * The colour of the employee's calendar when it is opened beside others (C1).
 */
color: string, mail_configuration_id: number | null, 
/**
 * The user principal name of the employee's Microsoft 365 account, where it differs from
 * the mail address: Teams' chat and call links name users by it.
 */
user_principal_name: string | null, };

export type Employee = { id: number, mail_configuration: string | null, stamp: Stamp, first_name: string, last_name: string, email: string | null, phone: string | null, mobile: string | null, department: string | null, 
/**
 * The colour of the employee's calendar when it is opened beside others (C1).
 */
color: string, mail_configuration_id: number | null, 
/**
 * The user principal name of the employee's Microsoft 365 account, where it differs from
 * the mail address: Teams' chat and call links name users by it.
 */
user_principal_name: string | null, };

export type BusinessPartnerFields = { name: string, industry: string | null, street: string | null, postal_code: string | null, city: string | null, 
/**
 * ISO 3166-1 alpha-2; the default region for the partner's phone numbers.
 */
country: string, phone: string | null, email: string | null, website: string | null, };

export type BusinessPartner = { id: number, stamp: Stamp, name: string, industry: string | null, street: string | null, postal_code: string | null, city: string | null, 
/**
 * ISO 3166-1 alpha-2; the default region for the partner's phone numbers.
 */
country: string, phone: string | null, email: string | null, website: string | null, };

export type ContactFields = { business_partner_id: number | null, salutation: string | null, first_name: string, last_name: string, position: string | null, email: string | null, phone: string | null, mobile: string | null, };

export type Stamp = { 
/**
 * Starts at 1 and rises by one with each saved change.
 */
version: number, 
/**
 * The team database's login, or in the local workspace the current employee's name;
 * `None` where no one is known (a record not changed since it was made there).
 */
changed_by: string | null, 
/**
 * Unix seconds.
 */
changed_at: number, };

export type Contact = { id: number, 
/**
 * The lookup field to the business partner.
 */
business_partner: Lookup | null, stamp: Stamp, business_partner_id: number | null, salutation: string | null, first_name: string, last_name: string, position: string | null, email: string | null, phone: string | null, mobile: string | null, };

export type PersonFields = { first_name: string, last_name: string, email: string | null, phone: string | null, city: string | null, };

export type Person = { id: number, stamp: Stamp, first_name: string, last_name: string, email: string | null, phone: string | null, city: string | null, };

export type Channel = "email" | "phone" | "mobile" | "fax";

export type CommunicationFields = { 
/**
 * The record the entry belongs to: a business partner, contact, employee or person.
 */
owner_kind: RecordKind, owner_id: number, channel: Channel, value: string, label: string | null, };

export type Communication = { id: number, owner: Lookup, stamp: Stamp, 
/**
 * The record the entry belongs to: a business partner, contact, employee or person.
 */
owner_kind: RecordKind, owner_id: number, channel: Channel, value: string, label: string | null, };

export type ActivityKind = "appointment" | "meeting" | "teams_meeting" | "call" | "email" | "task" | "note" | "visit";

export type ActivityStatus = "open" | "done" | "cancelled";

export type ParticipantRef = { "type": "employee", id: number, } | { "type": "contact", id: number, } | { "type": "person", id: number, } | { "type": "email", address: string, };

export type Participant = { participant: ParticipantRef, label: string, email: string | null, };

export type ActivityInput = { kind: ActivityKind, subject: string, starts_at: string, ends_at: string, 
/**
 * The IANA zone the activity is planned in, e.g. "Europe/Berlin" (C9).
 */
time_zone: string, memo: string, 
/**
 * The text of the meeting request (C3).
 */
mail_text: string, status: ActivityStatus, 
/**
 * Whose calendar the activity is in.
 */
owner_employee_id: number, business_partner_id: number | null, contact_id: number | null, person_id: number | null, participants: Array<ParticipantRef>, reminder_minutes: number, };

export type WallClock = { starts: string, ends: string, };

export type Activity = { id: number, 
/**
 * The activity's global id; Graph's `transactionId` (C4).
 */
uid: string, kind: ActivityKind, subject: string, starts_at: string, ends_at: string, time_zone: string, memo: string, mail_text: string, status: ActivityStatus, owner: Lookup, business_partner: Lookup | null, contact: Lookup | null, person: Lookup | null, participants: Array<Participant>, reminder_minutes: number, sent_at: string | null, join_url: string | null, 
/**
 * A send may have reached Microsoft 365 and is not reconciled yet: the activity cannot be
 * changed or deleted until a send has found or made its one event.
 */
send_pending: boolean, 
/**
 * Start and end as wall-clock times in `time_zone`, as the time inputs show them (C9).
 */
wall_clock: WallClock, 
/**
 * The version read; its `changed_at` is the activity's last change.
 */
stamp: Stamp, };

export type CalendarEntry = { id: number, kind: ActivityKind, subject: string, starts_at: string, ends_at: string, 
/**
 * The opened calendar the entry is shown in (its colour); the owner's when that one is open.
 */
calendar_employee_id: number, sent: boolean, };

export type CalendarSlot = { "type": "day", date: string, } | { "type": "time", start: string, };

export type HistoryEvent = "activity" | "created" | "converted" | "linked" | "sent" | "cancelled" | "changed";

export type FieldChange = { field: string, old: string | null, new: string | null, };

export type HistoryItem = { event: HistoryEvent, occurred_at: string, 
/**
 * The record the line is about: the activity concerned (which the line opens), the linked
 * one, or the communication entry itself.
 */
target: Lookup, activity_kind: ActivityKind | null, detail: string, 
/**
 * Who did it, where the history records it (a communication entry's changes): the employee's
 * name as it was then.
 */
by: string | null, 
/**
 * What a change changed, field by field (a communication entry's "created" and "changed").
 */
changes: Array<FieldChange>, };

export type Language = "de" | "en";

export type CallLinkMode = "callto" | "teams_link";

export type SystemSetting = "teams_integration_enabled" | "external_calls_enabled";

export type SystemSettings = { teams_integration_enabled: boolean, external_calls_enabled: boolean, 
/**
 * The language chosen in the settings; `None` follows the OS locale.
 */
language: Language | null, 
/**
 * The employee who uses this installation ("the own employee").
 */
current_employee_id: number | null, call_link_mode: CallLinkMode, 
/**
 * The workspace's country (ISO 3166-1 alpha-2): the default region of phone numbers that no
 * business partner's country decides (E3). Set from the OS locale when the workspace opens.
 */
country: string, };

export type Groupware = "EWS" | "MSGRAPH";

export type Cloud = "global" | "us_gov_gcc" | "us_gov_gcc_high" | "us_gov_dod" | "china" | "custom";

export type SecretChange = { "action": "keep" } | { "action": "replace", value: string, } | { "action": "clear" };

export type MailConfigurationInput = { name: string, groupware: Groupware, client_id: string, tenant_id: string, cloud: Cloud, custom_authority_url: string, custom_graph_url: string, client_secret: SecretChange, };

export type MailConfiguration = { id: number, name: string, groupware: Groupware, client_id: string | null, tenant_id: string | null, cloud: Cloud, custom_authority_url: string | null, custom_graph_url: string | null, 
/**
 * Set: a Web registration with a secret; not set: a public client with PKCE only.
 */
has_client_secret: boolean, employee_count: number, 
/**
 * A secret is stored but can no longer be read (the keyring's key is missing or another
 * one): it must be entered again.
 */
client_secret_unreadable: boolean, };

export type RegistrationChange = { 
/**
 * The cloud, a custom URL, the client ID or the tenant changed.
 */
registration_changed: boolean, 
/**
 * The stored client secret was removed: the new registration needs its own.
 */
secret_dropped: boolean, 
/**
 * How many sign-ins were ended (the configuration's own and its employees').
 */
sign_ins_expired: number, };

export type SavedMailConfiguration = { change: RegistrationChange, id: number, name: string, groupware: Groupware, client_id: string | null, tenant_id: string | null, cloud: Cloud, custom_authority_url: string | null, custom_graph_url: string | null, 
/**
 * Set: a Web registration with a secret; not set: a public client with PKCE only.
 */
has_client_secret: boolean, employee_count: number, 
/**
 * A secret is stored but can no longer be read (the keyring's key is missing or another
 * one): it must be entered again.
 */
client_secret_unreadable: boolean, };

export type TeamTls = "verified" | "plain";

export type TeamDatabaseInput = { host: string, port: number, database: string, user: string, password: SecretChange, tls: TeamTls, };

export type TeamDatabase = { host: string, port: number, database: string, user: string, has_password: boolean, tls: TeamTls, };

export type TeamDatabaseProbe = { server_version: string, round_trip_ms: number, };

export type TeamWorkspace = { 
/**
 * The database and its server, as [`TeamDatabase::label`] names them.
 */
label: string, 
/**
 * Why the team database refused this desktop at start (the login, the schema ...): nothing
 * shared can be used until that is mended and the app started again. `None` otherwise.
 */
unreachable: ErrorCode | null, 
/**
 * The server did not answer at start: the app keeps trying, and works as soon as it answers
 * (the window hears it as the live listener's "listening").
 */
connecting: boolean, };

export type MovedIn = { business_partners: number, contacts: number, persons: number, employees: number, activities: number, };

export type LiveRecord = "business_partner" | "contact" | "person" | "employee" | "communication" | "activity" | "mail_configuration" | "system_settings";

export type LiveMessage = { "event": "changed", record: LiveRecord, id: number, } | { "event": "lost", retry_in_secs: number, } | { "event": "listening" };

export type FieldError = { 
/**
 * The field's name as in the input type, e.g. "client_id".
 */
field: string, 
/**
 * A stable code the UI turns into a sentence, e.g. "invalid_guid".
 */
code: string, };

export type ErrorCode = "validation" | "not_found" | "in_use" | "conflict" | "not_permitted" | "database" | "internal" | "query_too_long" | "secret_unreadable" | "own_employee" | "already_sent" | "meeting_cancelled" | "send_pending" | "conversion" | "delete_sent_meeting" | "no_activity_from_record" | "no_participants" | "not_a_meeting" | "teams_not_available" | "invalid_range" | "too_many_calendars" | "no_current_employee" | "invalid_timeline" | "invalid_country" | "not_demo" | "no_address" | "no_call_address" | "nothing_to_call" | "invalid_address" | "invalid_phone" | "no_such_option" | "no_join_url" | "launch_failed" | "participant_without_email" | "send_in_progress" | "unsupported_time_zone" | "teams_not_allowed" | "not_sent" | "event_gone" | "send_wait_cancelled" | "send_timed_out" | "message_too_long" | "graph_unauthenticated" | "graph_forbidden" | "graph_network" | "graph_response_too_large" | "graph_no_event_id" | "graph_throttled" | "graph_error" | "team_db_password_missing" | "team_db_unreachable" | "team_db_login_refused" | "team_db_no_such_database" | "team_db_tls" | "team_db_error" | "team_db_schema_older" | "team_db_schema_newer" | "team_db_connection_lost" | "team_db_outcome_unknown" | "team_db_not_saved" | "team_db_not_empty" | "move_in_demo" | "sign_in_not_own" | "signin_required" | "signin_expired" | "signin_issuer_changed" | "signin_unreadable" | "signin_expired_inactivity" | "signin_revoked" | "signin_mfa_required" | "signin_action_required" | "signin_additional_action" | "signin_message_only" | "signin_password_expired" | "signin_token_unusable" | "signin_device_authentication_failed" | "signin_protection_policy_required" | "signin_client_mismatch" | "signin_unavailable" | "signin_consent_missing" | "signin_frequency" | "signin_invalid_client_secret" | "signin_client_secret_expired" | "signin_client_secret_required" | "signin_public_client_with_secret" | "signin_code_redeemed" | "signin_pkce_mismatch" | "signin_access_denied" | "signin_personal_account" | "signin_timeout" | "signin_cancelled" | "signin_state_mismatch" | "signin_network" | "signin_response_too_large" | "signin_browser" | "signin_not_configured" | "signin_failed";

export type MicrosoftError = { code: string, message: string, };

export type ConflictInfo = { changed_by: string | null, changed_at: number, 
/**
 * `changed_at` as the user reads it, in the user's zone and language ("07.12.2026, 17:05"):
 * the webview's own clock and locale may be others.
 */
changed_at_text: string, };

export type IpcError = { code: ErrorCode, message: string, 
/**
 * Per-field problems when `code` is "validation".
 */
fields: Array<FieldError>, 
/**
 * Microsoft's own error code and message, where Microsoft 365 refused: shown beside the
 * app's explanation, so that an administrator can look it up.
 */
microsoft: MicrosoftError | null, 
/**
 * When `code` is "conflict": who saved the record meanwhile, and when.
 */
conflict: ConflictInfo | null, };

export type AppInfo = { 
/**
 * The demo workspace is open (F3); the UI marks it.
 */
demo: boolean, 
/**
 * The language the UI speaks: the setting's, else the OS locale's (F4).
 */
language: Language, 
/**
 * The language chosen in the settings, `None` to follow the OS.
 */
language_setting: Language | null, time_zone: string, 
/**
 * The own employee: whose calendar opens first and who owns new activities.
 */
current_employee: Lookup | null, version: string, 
/**
 * Client secrets and tokens are sealed under a key in the OS keyring; else the database
 * file's mode 0600 is their only protection, which the settings say.
 */
secrets_sealed: boolean, 
/**
 * How many calendars can be open beside each other (C1): the UI words its refusal with it.
 */
max_open_calendars: number, 
/**
 * The longest reminder lead time in minutes (D1): the reminder fields' upper bound.
 */
max_reminder_minutes: number, 
/**
 * The team workspace the window works in; `None` in a local workspace (the SQLite file).
 */
team_workspace: TeamWorkspace | null, 
/**
 * The benchmarks asked for the UI's measurements (`TREFFPUNKT_REPORT_FIRST_PAINT=1`): the UI
 * times its interactions and sends them (`interaction_mark`); else it does not time them.
 */
report_marks: boolean, };

export type StartupTimeline = { 
/**
 * `performance.timeOrigin`: when the page began loading, in ms since the Unix epoch.
 */
page_origin_epoch_ms: number, 
/**
 * The UI's code had been loaded and began to run.
 */
script: number, 
/**
 * The app's facts had arrived (`opening_view`).
 */
info: number, 
/**
 * The calendar's first range had arrived (with the facts, from `opening_view`).
 */
range: number, 
/**
 * The calendar's first view was in the DOM.
 */
rendered: number, 
/**
 * The frame with it had been painted.
 */
painted: number, };

export type Interaction = "next_week" | "open_record" | "list_search" | "meeting_dialog";

export type OpeningView = { info: AppInfo, 
/**
 * The employees, whose colours the calendar draws in (as `search_employees("")`, with its
 * limit).
 */
employees: Array<Employee>, 
/**
 * The own calendar's entries in the opening range; none while there is no own employee.
 */
entries: Array<CalendarEntry>, };

export type ActivityDraft = { input: ActivityInput, 
/**
 * The input's start and end as wall-clock times in its zone (C9).
 */
wall_clock: WallClock, participants: Array<Participant>, linked_from: number | null, 
/**
 * The lookup fields the input's ids point to, with their labels (F2).
 */
business_partner: Lookup | null, contact: Lookup | null, person: Lookup | null, };

export type SignInOwner = { "type": "employee", "id": number } | { "type": "mail_configuration", "id": number };

export type SignInState = "active" | "expired";

export type SignInStatus = { 
/**
 * The mail configuration carries the Azure fields, so signing in is possible.
 */
available: boolean, 
/**
 * The mail configuration's client secret is stored but can no longer be read (the
 * keyring's key is missing or another one): it must be entered again before signing in.
 */
secret_unreadable: boolean, 
/**
 * `None`: not signed in. `Expired` with the reason `signin_unreadable` when the stored
 * tokens can no longer be read: the user signs in again.
 */
state: SignInState | null, account: string | null, display_name: string | null, 
/**
 * The code of the failure that ended the sign-in (B5).
 */
expired_reason: string | null, 
/**
 * When an active sign-in lapses unless it is used before (90 days after the last tokens).
 */
lapses_at: string | null, 
/**
 * "Test" has an active sign-in to test: the one a send would use (B3), which on the own
 * employee is the mail configuration's where that one leads.
 */
testable: boolean, };

export type ConnectionTest = { 
/**
 * The sign-in that was tested: a mail configuration's where it leads the employee's (B3).
 */
owner: SignInOwner, user_principal_name: string, display_name: string | null, mail: string | null, };

export type OwnSignIn = { owner: SignInOwner, status: SignInStatus, 
/**
 * Lapsed, or lapsing within `LAPSE_WARNING`: the banner asks for a sign-in.
 */
needs_attention: boolean, };

export type ActivityActionKind = "edit_appointment" | "send_request" | "join" | "new_linked";

export type ActivityAction = { kind: ActivityActionKind, enabled: boolean, 
/**
 * Why it is disabled: a code the UI explains.
 */
reason: ErrorCode | null, };

export type DeleteOffer = { "type": "allowed" } | { "type": "cancel_first" } | { "type": "refused", reason: ErrorCode, };

export type ActivityButtons = { action: ActivityAction | null, cancel: boolean, editable: boolean, convert: Array<ActivityKind>, join: boolean, delete: DeleteOffer, };

export type SendSummary = { subject: string, starts_at: string, ends_at: string, time_zone: string, 
/**
 * Start and end in `time_zone` with their UTC offset, e.g. "2026-10-25 02:30 (UTC+02:00)":
 * the times the attendees are invited to, whatever the zone of this computer (C9).
 */
starts_local: string, ends_local: string, 
/**
 * "Name <address>" of the mailbox that organizes the meeting and sends the invitations.
 */
organizer: string, 
/**
 * "Name <address>" of each invited participant.
 */
attendees: Array<string>, teams: boolean, };

export type SendOutcome = { "type": "sent", activity: Activity, } | { "type": "needs_sign_in", owner: SignInOwner, reason: ErrorCode, };

export type SendWait = { activity: number, 
/**
 * When the next try is made.
 */
until: string, };

export type SimSwitch = "throttling" | "graph_unreachable" | "sign_in_revoked" | "mailbox_without_teams";

export type SimSwitchState = { switch: SimSwitch, on: boolean, };

export type ContactMeetingButtons = { 
/**
 * "Besprechungsanfrage versenden": the meeting dialog with the contact as participant, for a
 * request of this kind. Offered also while a meeting is planned: a contact can have several.
 */
send_kind: ActivityKind, 
/**
 * "An Besprechung teilnehmen": the contact's next sent Teams meeting, where Teams is available.
 */
join_activity_id: number | null, };

export type Notification = { id: number, activity_id: number, subject: string, kind: ActivityKind, starts_at: string, 
/**
 * The start in the user's zone and language ("25.10.2026, 02:30"): the webview's zone is
 * not the user's (C9).
 */
starts_local: string, 
/**
 * Set where "An Besprechung teilnehmen" is offered: a sent Teams meeting, with Teams
 * available (C7).
 */
join_url: string | null, };

export type TeamsPlace = "record" | "lookup" | "toolbar" | "email_field";

export type TeamsButtons = { call: boolean, chat: boolean, };

export type CallOption = { channel: Channel, value: string, label: string | null, };

export type ToolbarTeams = { "action": "open_teams" } | { "action": "call", kind: RecordKind, id: number, name: string, options: Array<CallOption>, };

export type EmailCalls = { 
/**
 * The record's own e-mail field.
 */
field: boolean, 
/**
 * Its e-mail communication entries, by id.
 */
communications: number[], };

export type CalltoHandler = { "state": "handled", handler: string, } | { "state": "nothing" } | { "state": "unknown" };

export type CalltoCheck = { handler: CalltoHandler, 
/**
 * The notice that nothing opens `callto:`, with the offer to hand calls over as Teams call
 * links: shown while calls are on ("MS Teams Integration aktivieren") and would go out as
 * `callto:` to an OS that is known to open nothing for it.
 */
offer_teams_link: boolean, };

/** Every cloud, in the order the settings offer them (`Cloud::ALL`). */
export const CLOUDS: readonly Cloud[] = ["global","us_gov_gcc","us_gov_gcc_high","us_gov_dod","china","custom"];

/** Every error code Rust answers with (`ErrorCode::ALL`). */
export const ERROR_CODES: readonly ErrorCode[] = ["validation","not_found","in_use","conflict","not_permitted","database","internal","query_too_long","secret_unreadable","own_employee","already_sent","meeting_cancelled","send_pending","conversion","delete_sent_meeting","no_activity_from_record","no_participants","not_a_meeting","teams_not_available","invalid_range","too_many_calendars","no_current_employee","invalid_timeline","invalid_country","not_demo","no_address","no_call_address","nothing_to_call","invalid_address","invalid_phone","no_such_option","no_join_url","launch_failed","participant_without_email","send_in_progress","unsupported_time_zone","teams_not_allowed","not_sent","event_gone","send_wait_cancelled","send_timed_out","message_too_long","graph_unauthenticated","graph_forbidden","graph_network","graph_response_too_large","graph_no_event_id","graph_throttled","graph_error","team_db_password_missing","team_db_unreachable","team_db_login_refused","team_db_no_such_database","team_db_tls","team_db_error","team_db_schema_older","team_db_schema_newer","team_db_connection_lost","team_db_outcome_unknown","team_db_not_saved","team_db_not_empty","move_in_demo","sign_in_not_own","signin_required","signin_expired","signin_issuer_changed","signin_unreadable","signin_expired_inactivity","signin_revoked","signin_mfa_required","signin_action_required","signin_additional_action","signin_message_only","signin_password_expired","signin_token_unusable","signin_device_authentication_failed","signin_protection_policy_required","signin_client_mismatch","signin_unavailable","signin_consent_missing","signin_frequency","signin_invalid_client_secret","signin_client_secret_expired","signin_client_secret_required","signin_public_client_with_secret","signin_code_redeemed","signin_pkce_mismatch","signin_access_denied","signin_personal_account","signin_timeout","signin_cancelled","signin_state_mismatch","signin_network","signin_response_too_large","signin_browser","signin_not_configured","signin_failed"];
