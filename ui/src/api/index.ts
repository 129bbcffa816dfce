// Typed calls of the Rust commands. The UI holds no rule of its own: it asks and shows.
import { invoke } from "@tauri-apps/api/core";
import type * as B from "./bindings";

export type * from "./bindings";
export { CLOUDS } from "./bindings";

/** A failed command: the stable code, the per-field problems, an English detail. */
export class CommandError extends Error {
  constructor(
    public code: string,
    message: string,
    public fields: B.FieldError[],
    /** Microsoft's own error code and message, where Microsoft 365 refused. */
    public microsoft: B.MicrosoftError | null = null,
  ) {
    super(message);
  }
}

async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    const err = e as Partial<B.IpcError> | string;
    if (typeof err === "object" && err && typeof err.code === "string") {
      throw new CommandError(err.code, err.message ?? "", err.fields ?? [], err.microsoft ?? null);
    }
    throw new CommandError("internal", String(e), []);
  }
}

export type RecordType = "business_partner" | "contact" | "employee" | "person";

export const api = {
  appInfo: () => call<B.AppInfo>("app_info"),
  firstPaint: (timeline: B.StartupTimeline | null) => call<null>("first_paint", { timeline }),
  calendarReady: (atMs: number) => call<null>("calendar_ready", { atMs }),
  openingView: (from: string, to: string) => call<B.OpeningView>("opening_view", { from, to }),
  setLanguage: (language: B.Language | null) => call<B.AppInfo>("set_language", { language }),
  getSettings: () => call<B.SystemSettings>("get_settings"),
  setSystemSetting: (setting: B.SystemSetting, enabled: boolean) =>
    call<B.SystemSettings>("set_system_setting", { setting, enabled }),

  calendarEntries: (employeeIds: number[], from: string, to: string) =>
    call<B.CalendarEntry[]>("calendar_entries", { employeeIds, from, to }),
  calendarActions: () => call<B.ActivityKind[]>("calendar_actions"),
  activityDraft: (kind: B.ActivityKind, slot: B.CalendarSlot, openedCalendars: number[]) =>
    call<B.ActivityDraft>("activity_draft", { kind, slot, openedCalendars }),
  // F2: the kinds a new activity can have from the list (`record` null) or a record's page, and
  // its draft, prefilled from that record.
  newActivityKinds: (record: B.RecordRef | null) => call<B.ActivityKind[]>("new_activity_kinds", { record }),
  newActivityDraft: (kind: B.ActivityKind, record: B.RecordRef | null) =>
    call<B.ActivityDraft>("new_activity_draft", { kind, record }),
  getActivity: (id: number) => call<B.Activity>("get_activity", { id }),
  // The wall-clock times the user typed; Rust reads them in the activity's zone (C9).
  createActivity: (input: B.ActivityInput, wallClock: B.WallClock | null = null) =>
    call<B.Activity>("create_activity", { input, wallClock }),
  updateActivity: (id: number, input: B.ActivityInput, wallClock: B.WallClock | null = null) =>
    call<B.Activity>("update_activity", { id, input, wallClock }),
  convertActivity: (id: number, kind: B.ActivityKind) =>
    call<B.Activity>("convert_activity", { id, kind }),
  deleteActivity: (id: number) => call<null>("delete_activity", { id }),
  searchActivities: (query: string) => call<B.Activity[]>("search_activities", { query }),
  recordHistory: (kind: B.RecordKind, id: number) =>
    call<B.HistoryItem[]>("record_history", { kind, id }),

  searchBusinessPartners: (query: string) =>
    call<B.BusinessPartner[]>("search_business_partners", { query }),
  getBusinessPartner: (id: number) => call<B.BusinessPartner>("get_business_partner", { id }),
  saveBusinessPartner: (id: number | null, fields: B.BusinessPartnerFields) =>
    call<B.BusinessPartner>("save_business_partner", { id, fields }),
  deleteBusinessPartner: (id: number) => call<null>("delete_business_partner", { id }),
  contactsOfBusinessPartner: (id: number) =>
    call<B.Contact[]>("contacts_of_business_partner", { id }),

  searchContacts: (query: string) => call<B.Contact[]>("search_contacts", { query }),
  getContact: (id: number) => call<B.Contact>("get_contact", { id }),
  saveContact: (id: number | null, fields: B.ContactFields) =>
    call<B.Contact>("save_contact", { id, fields }),
  deleteContact: (id: number) => call<null>("delete_contact", { id }),

  searchEmployees: (query: string) => call<B.Employee[]>("search_employees", { query }),
  getEmployee: (id: number) => call<B.Employee>("get_employee", { id }),
  saveEmployee: (id: number | null, fields: B.EmployeeFields) =>
    call<B.Employee>("save_employee", { id, fields }),
  deleteEmployee: (id: number) => call<null>("delete_employee", { id }),

  searchPersons: (query: string) => call<B.Person[]>("search_persons", { query }),
  getPerson: (id: number) => call<B.Person>("get_person", { id }),
  savePerson: (id: number | null, fields: B.PersonFields) =>
    call<B.Person>("save_person", { id, fields }),
  deletePerson: (id: number) => call<null>("delete_person", { id }),

  communicationsOf: (kind: B.RecordKind, id: number) =>
    call<B.Communication[]>("communications_of", { kind, id }),
  saveCommunication: (id: number | null, fields: B.CommunicationFields) =>
    call<B.Communication>("save_communication", { id, fields }),
  deleteCommunication: (id: number) => call<null>("delete_communication", { id }),
  searchParticipants: (query: string) => call<B.Participant[]>("search_participants", { query }),

  signInStatus: (owner: B.SignInOwner) => call<B.SignInStatus>("sign_in_status", { owner }),
  signIn: (owner: B.SignInOwner) => call<B.SignInStatus>("sign_in", { owner }),
  cancelSignIn: () => call<null>("cancel_sign_in"),
  signOut: (owner: B.SignInOwner) => call<B.SignInStatus>("sign_out", { owner }),
  ownSignIn: () => call<B.OwnSignIn | null>("own_sign_in"),
  testSignIn: (owner: B.SignInOwner) => call<B.ConnectionTest>("test_sign_in", { owner }),

  activityButtons: (id: number) => call<B.ActivityButtons>("activity_action_of", { id }),
  meetingSummary: (id: number) => call<B.SendSummary>("meeting_summary", { id }),
  sendMeetingRequest: (id: number) => call<B.SendOutcome>("send_meeting_request", { id }),
  signInAndSend: (id: number) => call<B.Activity>("sign_in_and_send", { id }),
  meetingSendCheck: (input: B.ActivityInput) => call<string | null>("meeting_send_check", { input }),
  joinMeeting: (id: number) => call<null>("join_meeting", { id }),
  linkedDraft: (id: number, kind: B.ActivityKind) => call<B.ActivityDraft>("linked_draft", { id, kind }),
  createLinkedActivity: (from: number, input: B.ActivityInput, wallClock: B.WallClock | null = null) =>
    call<B.Activity>("create_linked_activity", { from, input, wallClock }),

  cancelMeeting: (id: number, message: string) => call<B.Activity>("cancel_meeting", { id, message }),
  markMeetingCancelled: (id: number) => call<B.Activity>("mark_meeting_cancelled", { id }),
  sendWait: (id: number) => call<B.SendWait | null>("send_wait", { id }),
  cancelSendWait: (id: number) => call<boolean>("cancel_send_wait", { id }),
  simulatorSwitches: () => call<B.SimSwitchState[]>("simulator_switches"),
  setSimulatorSwitch: (simSwitch: B.SimSwitch, on: boolean) => call<B.SimSwitchState[]>("set_simulator_switch", { switch: simSwitch, on }),
  contactMeeting: (id: number) => call<B.ContactMeetingButtons | null>("contact_meeting", { id }),
  contactMeetingDraft: (id: number, kind: B.ActivityKind) =>
    call<B.ActivityDraft>("contact_meeting_draft", { id, kind }),

  notifications: () => call<B.Reminder[]>("notifications"),
  setReminder: (id: number, minutes: number) => call<null>("set_reminder", { id, minutes }),
  dismissNotification: (id: number) => call<null>("dismiss_notification", { id }),

  teamsButtonsFor: (kind: B.RecordKind, place: B.TeamsPlace) =>
    call<B.TeamsButtons>("teams_buttons_for", { kind, place }),
  callOptions: (kind: B.RecordKind, id: number) => call<B.CallOption[]>("call_options", { kind, id }),
  startCall: (kind: B.RecordKind, id: number, place: B.TeamsPlace, option: number) =>
    call<null>("start_call", { kind, id, place, option }),
  startChat: (kind: B.RecordKind, id: number) => call<null>("start_chat", { kind, id }),
  teamsToolbar: () => call<boolean>("teams_toolbar"),
  openTeams: () => call<null>("open_teams"),
  setCallLinkMode: (mode: B.CallLinkMode) => call<B.SystemSettings>("set_call_link_mode", { mode }),
  setCountry: (country: string) => call<B.SystemSettings>("set_country", { country }),
  phoneRegions: () => call<string[]>("phone_regions"),

  listMailConfigurations: () => call<B.MailConfiguration[]>("list_mail_configurations"),
  saveMailConfiguration: (id: number | null, input: B.MailConfigurationInput) =>
    call<B.SavedMailConfiguration>("save_mail_configuration", { id, input }),
  deleteMailConfiguration: (id: number) => call<null>("delete_mail_configuration", { id }),
  assignMailConfigurationToAll: (id: number) =>
    call<number>("assign_mail_configuration_to_all", { id }),
};
