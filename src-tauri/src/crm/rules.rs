//! Which actions the UI offers, decided once, here (C1, C7).

use serde::Serialize;
use ts_rs::TS;

use super::activity::{Activity, ActivityKind};
use super::mail_configuration::MailConfiguration;
use super::model::RecordKind;
use super::settings::SystemSettings;
use super::ErrorCode;

/// Whether Teams can be used by an employee with `mail_configuration`: the integration is on
/// and the configuration carries the Azure fields (C7). Otherwise every Teams button is hidden.
pub fn teams_available(
    settings: &SystemSettings,
    mail_configuration: Option<&MailConfiguration>,
) -> bool {
    settings.teams_integration_enabled
        && mail_configuration.is_some_and(MailConfiguration::has_azure_fields)
}

/// The entries of the action choice after a click on a day or a time slot (C1).
pub fn calendar_actions(
    settings: &SystemSettings,
    mail_configuration: Option<&MailConfiguration>,
) -> Vec<ActivityKind> {
    let mut kinds = vec![ActivityKind::Appointment, ActivityKind::Meeting];
    if teams_available(settings, mail_configuration) {
        kinds.push(ActivityKind::TeamsMeeting);
    }
    kinds
}

/// Where a Teams call or chat button could show (E1, E2, E4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TeamsPlace {
    /// The toolbar of a record of this kind.
    Record,
    /// Beside a lookup field pointing to a record of this kind.
    Lookup,
    /// The Teams icon of the main toolbar while a record of this kind is open (the seed: "über den
    /// Schalter in der Toolbar").
    Toolbar,
    /// Beside the e-mail field of a record of this kind, or beside one of its e-mail
    /// communication entries (the seed: "am E-Mail-Feld").
    EmailField,
}

/// The Teams buttons at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct TeamsButtons {
    pub call: bool,
    pub chat: bool,
}

/// E1, E2, E4 with C7: calls on employees (records and lookups) with the integration on; on
/// business partners and contacts (records, and lookups to contacts) only with external calls on
/// too; chats from the toolbars of contacts, partners, employees, persons and communication
/// entries. The main toolbar's icon and the e-mail fields call whom the record's own call
/// button calls, and persons too: a person is outside the company like a contact, so external
/// calls decide. A communication entry's e-mail field is decided by its owner's kind. Nothing
/// without Teams configured and enabled.
pub fn teams_buttons(
    kind: RecordKind,
    place: TeamsPlace,
    settings: &SystemSettings,
    teams_available: bool,
) -> TeamsButtons {
    if !teams_available {
        return TeamsButtons {
            call: false,
            chat: false,
        };
    }
    let external = settings.external_calls_enabled;
    let call = match (kind, place) {
        (RecordKind::Employee, _) => true,
        (RecordKind::Contact, _) => external,
        (RecordKind::BusinessPartner, TeamsPlace::Record) => external,
        (
            RecordKind::BusinessPartner | RecordKind::Person,
            TeamsPlace::Toolbar | TeamsPlace::EmailField,
        ) => external,
        _ => false,
    };
    let chat = place == TeamsPlace::Record
        && matches!(
            kind,
            RecordKind::Contact
                | RecordKind::BusinessPartner
                | RecordKind::Employee
                | RecordKind::Person
                | RecordKind::Communication
        );
    TeamsButtons { call, chat }
}

/// Whom the main toolbar's Teams icon calls while the record `open` is on screen (the seed: "Der
/// Anruf über MS Teams kann über den Schalter in der Toolbar ... initiiert werden"): that record,
/// or for an activity (`activity`, loaded) the one it concerns: its contact, else its person,
/// else its business partner. `None` where that one cannot be called here (E1, E2, C7): the icon
/// then opens Teams, as it does with no record open.
pub fn toolbar_call_target(
    open: (RecordKind, i64),
    activity: Option<&Activity>,
    settings: &SystemSettings,
    teams_available: bool,
) -> Option<(RecordKind, i64)> {
    let target = match open.0 {
        RecordKind::Activity => {
            let a = activity.filter(|a| a.id == open.1)?;
            let concerned = [
                (RecordKind::Contact, &a.contact),
                (RecordKind::Person, &a.person),
                (RecordKind::BusinessPartner, &a.business_partner),
            ];
            concerned
                .into_iter()
                .find_map(|(kind, lookup)| lookup.as_ref().map(|l| (kind, l.id)))?
        }
        _ => open,
    };
    teams_buttons(target.0, TeamsPlace::Toolbar, settings, teams_available)
        .call
        .then_some(target)
}

/// The variable button of an activity record (C6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActivityActionKind {
    /// "Termin bearbeiten"
    EditAppointment,
    /// "Besprechungsanfrage versenden"
    SendRequest,
    /// The Teams icon: join the sent Teams meeting.
    Join,
    /// "Neuen Termin/Besprechung erstellen": a new linked activity.
    NewLinked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ActivityAction {
    pub kind: ActivityActionKind,
    pub enabled: bool,
    /// Why it is disabled: a code the UI explains.
    pub reason: Option<ErrorCode>,
}

/// What decides the variable button besides the activity itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionContext {
    /// The user's mail configuration carries the Azure fields: Graph can be used.
    pub graph_configured: bool,
    /// ... and "MS Teams Integration aktivieren" is on (C7).
    pub teams_available: bool,
}

impl ActionContext {
    pub fn new(settings: &SystemSettings, mail_configuration: Option<&MailConfiguration>) -> Self {
        ActionContext {
            graph_configured: mail_configuration.is_some_and(MailConfiguration::has_azure_fields),
            teams_available: teams_available(settings, mail_configuration),
        }
    }
}

/// C6's variable button, or `None` where it is hidden (C7: no Teams without configuration).
pub fn activity_action(activity: &Activity, ctx: ActionContext) -> Option<ActivityAction> {
    let action = |kind, reason: Option<ErrorCode>| {
        Some(ActivityAction {
            kind,
            enabled: reason.is_none(),
            reason,
        })
    };
    let sent = activity.sent_at.is_some();
    let teams = activity.kind == ActivityKind::TeamsMeeting;
    match activity.kind {
        ActivityKind::Appointment => action(ActivityActionKind::EditAppointment, None),
        ActivityKind::Meeting | ActivityKind::TeamsMeeting => {
            if teams && !ctx.teams_available || !ctx.graph_configured {
                return None;
            }
            if sent && activity.status == super::activity::ActivityStatus::Cancelled {
                // Nothing to join or send once the attendees were told it is off (C8).
                return action(
                    ActivityActionKind::SendRequest,
                    Some(ErrorCode::MeetingCancelled),
                );
            }
            if sent {
                return match (teams, activity.join_url.is_some()) {
                    (true, true) => action(ActivityActionKind::Join, None),
                    _ => action(
                        ActivityActionKind::SendRequest,
                        Some(ErrorCode::AlreadySent),
                    ),
                };
            }
            let has_attendee = activity.participants.iter().any(|p| {
                p.participant
                    != (super::activity::ParticipantRef::Employee {
                        id: activity.owner.id,
                    })
            });
            action(
                ActivityActionKind::SendRequest,
                (!has_attendee).then_some(ErrorCode::NoParticipants),
            )
        }
        _ => action(ActivityActionKind::NewLinked, None),
    }
}

/// C8: a sent meeting that is not cancelled can be cancelled, where its button shows at all (C7).
pub fn can_cancel(activity: &Activity, ctx: ActionContext) -> bool {
    activity.kind.is_meeting()
        && activity.sent_at.is_some()
        && activity.status != super::activity::ActivityStatus::Cancelled
        && activity_action(activity, ctx).is_some()
}

/// C4: whether the activity's fields can be changed: not once its request is sent or a send of
/// it may have reached Microsoft 365 (the reminder stays the user's, D1).
pub fn fields_editable(activity: &Activity) -> bool {
    activity.sent_at.is_none() && !activity.send_pending
}

/// C7: an activity of `kind` may be created, drafted or converted to only where its kind is
/// available: a Teams meeting needs Teams. The refusal is a code the UI explains.
pub fn check_kind_available(kind: ActivityKind, teams_available: bool) -> Result<(), ErrorCode> {
    if kind == ActivityKind::TeamsMeeting && !teams_available {
        return Err(ErrorCode::TeamsNotAvailable);
    }
    Ok(())
}

/// C2 with C7: what an appointment can be turned into ("In Besprechung umwandeln", and "In MS
/// Teams Besprechung umwandeln" where Teams is available). Nothing else converts.
pub fn conversions(activity: &Activity, ctx: ActionContext) -> Vec<ActivityKind> {
    if activity.kind != ActivityKind::Appointment || activity.send_pending {
        return Vec::new();
    }
    [ActivityKind::Meeting, ActivityKind::TeamsMeeting]
        .into_iter()
        .filter(|k| check_kind_available(*k, ctx.teams_available).is_ok())
        .collect()
}

/// D2, D3 with C7: whether the sent Teams meeting's join link is offered (the memo's link, the
/// reminder's "An Besprechung teilnehmen"): where its join button shows, unless it was cancelled.
pub fn can_join(activity: &Activity, ctx: ActionContext) -> bool {
    activity.status != super::activity::ActivityStatus::Cancelled
        && activity_action(activity, ctx).is_some_and(|a| a.kind == ActivityActionKind::Join)
}

/// What "Löschen" does on an activity (F2 with C4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DeleteOffer {
    /// Deleted after the user confirms.
    Allowed,
    /// A sent meeting: its event is in the attendees' calendars, so it is cancelled at Microsoft
    /// 365 first ("Besprechung absagen"); once cancelled, it can be deleted.
    CancelFirst,
    /// Not now; the code says why.
    Refused { reason: ErrorCode },
}

/// F2 with C4: an activity is deleted unless a send of it may have reached Microsoft 365 and is
/// not reconciled, or it is a sent meeting not cancelled: that one is cancelled first where the
/// cancel is offered (C8), else refused. The same rule `activities::delete` enforces.
pub fn delete_offer(activity: &Activity, ctx: ActionContext) -> DeleteOffer {
    let refused = |reason| DeleteOffer::Refused { reason };
    if activity.send_pending {
        return refused(ErrorCode::SendPending);
    }
    if activity.sent_at.is_some() && activity.status != super::activity::ActivityStatus::Cancelled {
        return if can_cancel(activity, ctx) {
            DeleteOffer::CancelFirst
        } else {
            refused(ErrorCode::DeleteSentMeeting)
        };
    }
    DeleteOffer::Allowed
}

/// F2 with C7: the kinds of activity that can be made from the activity list or from a record's
/// page: every kind, a Teams meeting only where Teams is available.
pub fn new_activity_kinds(teams_available: bool) -> Vec<ActivityKind> {
    ActivityKind::ALL
        .into_iter()
        .filter(|k| check_kind_available(*k, teams_available).is_ok())
        .collect()
}

/// The buttons of an activity record: C6's variable one, C8's cancel, C2's conversions and
/// whether the memo's join link is a link (D2), whether its fields are shown editable (C4), and
/// what deleting it does (F2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ActivityButtons {
    pub action: Option<ActivityAction>,
    pub cancel: bool,
    pub editable: bool,
    pub convert: Vec<ActivityKind>,
    pub join: bool,
    pub delete: DeleteOffer,
}

impl ActivityButtons {
    pub fn of(activity: &Activity, ctx: ActionContext) -> Self {
        ActivityButtons {
            action: activity_action(activity, ctx),
            cancel: can_cancel(activity, ctx),
            convert: conversions(activity, ctx),
            join: can_join(activity, ctx),
            editable: fields_editable(activity),
            delete: delete_offer(activity, ctx),
        }
    }
}

/// The meeting buttons of a contact's toolbar (C5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ContactMeetingButtons {
    /// "Besprechungsanfrage versenden": the meeting dialog with the contact as participant, for a
    /// request of this kind. Offered also while a meeting is planned: a contact can have several.
    pub send_kind: ActivityKind,
    /// "An Besprechung teilnehmen": the contact's next sent Teams meeting, where Teams is available.
    #[ts(type = "number | null")]
    pub join_activity_id: Option<i64>,
}

/// C5 with C7: hidden without Graph; a request (a Teams meeting where Teams is available) and,
/// beside it, joining the contact's next sent Teams meeting where Teams is available.
pub fn contact_meeting_buttons(
    ctx: ActionContext,
    next_teams_meeting: Option<i64>,
) -> Option<ContactMeetingButtons> {
    if !ctx.graph_configured {
        return None;
    }
    Some(ContactMeetingButtons {
        send_kind: if ctx.teams_available {
            ActivityKind::TeamsMeeting
        } else {
            ActivityKind::Meeting
        },
        join_activity_id: next_teams_meeting.filter(|_| ctx.teams_available),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::mail_configuration::{Cloud, Groupware};

    fn config(azure: bool) -> MailConfiguration {
        MailConfiguration {
            id: 1,
            name: "O365".into(),
            groupware: Groupware::MsGraph,
            client_id: azure.then(|| "6731de76-14a6-49ae-97bc-6eba6914391e".into()),
            tenant_id: azure.then(|| "contoso.onmicrosoft.com".into()),
            cloud: Cloud::Global,
            custom_authority_url: None,
            custom_graph_url: None,
            has_client_secret: false,
            employee_count: 1,
            client_secret_unreadable: false,
        }
    }

    fn activity(kind: ActivityKind, sent: bool, join: bool, attendees: bool) -> Activity {
        use crate::crm::activity::{ActivityStatus, Participant, ParticipantRef};
        use crate::crm::model::{Lookup, RecordKind};
        let mut participants = vec![Participant {
            participant: ParticipantRef::Employee { id: 1 },
            label: "me".into(),
            email: Some("me@x.de".into()),
        }];
        if attendees {
            participants.push(Participant {
                participant: ParticipantRef::Email {
                    address: "a@b.de".into(),
                },
                label: "a@b.de".into(),
                email: Some("a@b.de".into()),
            });
        }
        Activity {
            id: 1,
            uid: "u".into(),
            stamp: Default::default(),
            kind,
            subject: "s".into(),
            starts_at: chrono::Utc::now(),
            ends_at: chrono::Utc::now(),
            time_zone: "Europe/Berlin".into(),
            memo: String::new(),
            mail_text: String::new(),
            status: ActivityStatus::Open,
            owner: Lookup {
                kind: RecordKind::Employee,
                id: 1,
                label: "me".into(),
            },
            business_partner: None,
            contact: None,
            person: None,
            participants,
            reminder_minutes: 15,
            sent_at: sent.then(chrono::Utc::now),
            join_url: join.then(|| "https://teams.microsoft.com/l/meetup-join/x".into()),
            send_pending: false,
            wall_clock: crate::crm::wall_clock::WallClock {
                starts: String::new(),
                ends: String::new(),
            },
        }
    }

    /// The whole matrix of C6/C7: every kind x sent or not x Teams or not x configured or not.
    #[test]
    fn the_variable_button_matrix() {
        use ActivityActionKind::*;
        let contexts = [
            (true, true),   // configured, integration on
            (true, false),  // configured, integration off
            (false, false), // not configured
        ];
        for kind in ActivityKind::ALL {
            for sent in [false, true] {
                for attendees in [false, true] {
                    for (graph_configured, teams_available) in contexts {
                        let ctx = ActionContext {
                            graph_configured,
                            teams_available,
                        };
                        let join = sent && kind == ActivityKind::TeamsMeeting;
                        let a = activity_action(&activity(kind, sent, join, attendees), ctx);
                        let got = a.as_ref().map(|a| (a.kind, a.enabled, a.reason));
                        let expected = match kind {
                            ActivityKind::Appointment => Some((EditAppointment, true, None)),
                            ActivityKind::TeamsMeeting if !teams_available => None,
                            ActivityKind::Meeting if !graph_configured => None,
                            ActivityKind::TeamsMeeting if sent => Some((Join, true, None)),
                            ActivityKind::Meeting if sent => {
                                Some((SendRequest, false, Some(ErrorCode::AlreadySent)))
                            }
                            ActivityKind::Meeting | ActivityKind::TeamsMeeting if !attendees => {
                                Some((SendRequest, false, Some(ErrorCode::NoParticipants)))
                            }
                            ActivityKind::Meeting | ActivityKind::TeamsMeeting => {
                                Some((SendRequest, true, None))
                            }
                            _ => Some((NewLinked, true, None)),
                        };
                        assert_eq!(
                            got, expected,
                            "{kind:?} sent={sent} attendees={attendees} {ctx:?}"
                        );
                    }
                }
            }
        }
    }

    /// E1, E2, E4, C7: every record kind and lookup x both settings x configured or not.
    #[test]
    fn the_teams_button_matrix() {
        let kinds = [
            RecordKind::BusinessPartner,
            RecordKind::Contact,
            RecordKind::Employee,
            RecordKind::Person,
            RecordKind::Communication,
            RecordKind::Activity,
            RecordKind::MailConfiguration,
        ];
        for kind in kinds {
            for place in [
                TeamsPlace::Record,
                TeamsPlace::Lookup,
                TeamsPlace::Toolbar,
                TeamsPlace::EmailField,
            ] {
                for integration in [false, true] {
                    for external in [false, true] {
                        for configured in [false, true] {
                            let s = SystemSettings {
                                teams_integration_enabled: integration,
                                external_calls_enabled: external,
                                ..Default::default()
                            };
                            let available = integration && configured;
                            let got = teams_buttons(kind, place, &s, available);
                            // The main toolbar and the e-mail fields call everyone a
                            // record's own button calls, and persons.
                            let direct =
                                matches!(place, TeamsPlace::Toolbar | TeamsPlace::EmailField);
                            let call = available
                                && match kind {
                                    RecordKind::Employee => true,
                                    RecordKind::Contact => external,
                                    RecordKind::BusinessPartner => {
                                        external && (place == TeamsPlace::Record || direct)
                                    }
                                    RecordKind::Person => external && direct,
                                    _ => false,
                                };
                            let chat = available
                                && place == TeamsPlace::Record
                                && !matches!(
                                    kind,
                                    RecordKind::Activity | RecordKind::MailConfiguration
                                );
                            assert_eq!(got, TeamsButtons { call, chat }, "{kind:?} {place:?} integration={integration} external={external} configured={configured}");
                        }
                    }
                }
            }
        }
    }

    /// The seed's "Schalter in der Toolbar": the main toolbar's icon calls the open employee with
    /// the integration on; the open contact, partner or person only with external calls on too;
    /// an open activity's contact, else its person, else its partner; nothing where Teams is not
    /// available, and nothing for a record no call can reach (the icon then opens Teams).
    #[test]
    fn the_toolbar_icon_calls_the_open_record_or_whom_the_activity_concerns() {
        use crate::crm::model::Lookup;
        let on = |external| SystemSettings {
            teams_integration_enabled: true,
            external_calls_enabled: external,
            ..Default::default()
        };
        let (internal, external) = (on(false), on(true));
        let target =
            |open, a: Option<&Activity>, s: &SystemSettings| toolbar_call_target(open, a, s, true);
        let employee = (RecordKind::Employee, 4);
        assert_eq!(target(employee, None, &internal), Some(employee));
        assert_eq!(toolbar_call_target(employee, None, &external, false), None);
        for kind in [
            RecordKind::Contact,
            RecordKind::BusinessPartner,
            RecordKind::Person,
        ] {
            assert_eq!(
                target((kind, 5), None, &external),
                Some((kind, 5)),
                "{kind:?}"
            );
            assert_eq!(target((kind, 5), None, &internal), None, "{kind:?}");
        }
        for kind in [RecordKind::Communication, RecordKind::MailConfiguration] {
            assert_eq!(target((kind, 5), None, &external), None, "{kind:?}");
        }

        let lookup = |kind, id| {
            Some(Lookup {
                kind,
                id,
                label: String::new(),
            })
        };
        let mut a = activity(ActivityKind::Call, false, false, false);
        let open = (RecordKind::Activity, a.id);
        assert_eq!(
            target(open, Some(&a), &external),
            None,
            "it concerns no one"
        );
        a.business_partner = lookup(RecordKind::BusinessPartner, 7);
        assert_eq!(
            target(open, Some(&a), &external),
            Some((RecordKind::BusinessPartner, 7))
        );
        a.person = lookup(RecordKind::Person, 8);
        assert_eq!(
            target(open, Some(&a), &external),
            Some((RecordKind::Person, 8))
        );
        a.contact = lookup(RecordKind::Contact, 9);
        assert_eq!(
            target(open, Some(&a), &external),
            Some((RecordKind::Contact, 9))
        );
        assert_eq!(target(open, Some(&a), &internal), None);
        assert_eq!(target(open, None, &external), None, "not loaded");
        assert_eq!(
            target((RecordKind::Activity, 2), Some(&a), &external),
            None,
            "another activity than the one loaded"
        );
    }

    /// C5: a contact with a sent Teams meeting still gets a new request, and the join beside it.
    #[test]
    fn the_contact_toolbar_offers_a_request_and_joins_the_next_teams_meeting() {
        let on = ActionContext {
            graph_configured: true,
            teams_available: true,
        };
        let off = ActionContext {
            graph_configured: true,
            teams_available: false,
        };
        let none = ActionContext {
            graph_configured: false,
            teams_available: false,
        };
        let buttons = |send_kind, join_activity_id| {
            Some(ContactMeetingButtons {
                send_kind,
                join_activity_id,
            })
        };
        assert_eq!(
            contact_meeting_buttons(on, Some(7)),
            buttons(ActivityKind::TeamsMeeting, Some(7))
        );
        assert_eq!(
            contact_meeting_buttons(on, None),
            buttons(ActivityKind::TeamsMeeting, None)
        );
        assert_eq!(
            contact_meeting_buttons(off, Some(7)),
            buttons(ActivityKind::Meeting, None),
            "no join without Teams (C7)"
        );
        assert_eq!(contact_meeting_buttons(none, Some(7)), None);
    }

    /// C2, C7: an appointment converts into a meeting, into a Teams meeting only with Teams;
    /// nothing else converts; a Teams meeting cannot be made where Teams is not available.
    #[test]
    fn conversions_and_teams_kinds_need_teams() {
        let on = ActionContext {
            graph_configured: true,
            teams_available: true,
        };
        let off = ActionContext {
            graph_configured: true,
            teams_available: false,
        };
        let appointment = activity(ActivityKind::Appointment, false, false, false);
        assert_eq!(
            conversions(&appointment, on),
            vec![ActivityKind::Meeting, ActivityKind::TeamsMeeting]
        );
        assert_eq!(conversions(&appointment, off), vec![ActivityKind::Meeting]);
        for kind in ActivityKind::ALL {
            if kind != ActivityKind::Appointment {
                assert!(conversions(&activity(kind, false, false, false), on).is_empty());
            }
            assert_eq!(
                check_kind_available(kind, false).is_err(),
                kind == ActivityKind::TeamsMeeting
            );
            assert!(check_kind_available(kind, true).is_ok());
        }
        assert_eq!(
            check_kind_available(ActivityKind::TeamsMeeting, false),
            Err(ErrorCode::TeamsNotAvailable)
        );
    }

    /// D2, D3, C7: the join link is offered for a sent Teams meeting with Teams available only,
    /// and not once it is cancelled.
    #[test]
    fn the_join_link_needs_teams_and_a_live_meeting() {
        let on = ActionContext {
            graph_configured: true,
            teams_available: true,
        };
        let off = ActionContext {
            graph_configured: true,
            teams_available: false,
        };
        let sent = activity(ActivityKind::TeamsMeeting, true, true, true);
        assert!(can_join(&sent, on));
        assert!(!can_join(&sent, off));
        let mut cancelled = sent.clone();
        cancelled.status = crate::crm::activity::ActivityStatus::Cancelled;
        assert!(!can_join(&cancelled, on));
        // The variable button offers no join on it either, and says why.
        let button = activity_action(&cancelled, on).unwrap();
        assert_eq!(button.kind, ActivityActionKind::SendRequest);
        assert!(!button.enabled);
        assert_eq!(button.reason, Some(ErrorCode::MeetingCancelled));
        assert!(!can_join(
            &activity(ActivityKind::TeamsMeeting, false, false, true),
            on
        ));
        assert!(!can_join(
            &activity(ActivityKind::Meeting, true, false, true),
            on
        ));
    }

    /// F2 with C4, C7, C8: what deleting offers, for every kind, sent or not, cancelled or not,
    /// a send pending or not, with Teams available or not.
    #[test]
    fn deleting_an_activity_cancels_a_sent_meeting_first_or_is_refused() {
        use crate::crm::activity::ActivityStatus;
        let on = ActionContext {
            graph_configured: true,
            teams_available: true,
        };
        let off = ActionContext {
            graph_configured: true,
            teams_available: false,
        };
        let refused = |reason| DeleteOffer::Refused { reason };
        for kind in ActivityKind::ALL {
            let unsent = activity(kind, false, false, true);
            assert_eq!(delete_offer(&unsent, on), DeleteOffer::Allowed, "{kind:?}");
            let mut pending = unsent.clone();
            pending.send_pending = true;
            assert_eq!(delete_offer(&pending, on), refused(ErrorCode::SendPending));
        }
        for kind in [ActivityKind::Meeting, ActivityKind::TeamsMeeting] {
            let sent = activity(kind, true, kind == ActivityKind::TeamsMeeting, true);
            assert_eq!(
                delete_offer(&sent, on),
                DeleteOffer::CancelFirst,
                "{kind:?}"
            );
            let mut cancelled = sent.clone();
            cancelled.status = ActivityStatus::Cancelled;
            assert_eq!(delete_offer(&cancelled, on), DeleteOffer::Allowed);
            assert_eq!(delete_offer(&cancelled, off), DeleteOffer::Allowed);
        }
        // A sent Teams meeting where Teams is hidden cannot be cancelled here: refused.
        let teams = activity(ActivityKind::TeamsMeeting, true, true, true);
        assert_eq!(
            delete_offer(&teams, off),
            refused(ErrorCode::DeleteSentMeeting)
        );
        let plain = activity(ActivityKind::Meeting, true, false, true);
        assert_eq!(delete_offer(&plain, off), DeleteOffer::CancelFirst);
    }

    /// F2 with C7: every kind can be made, a Teams meeting only with Teams.
    #[test]
    fn every_kind_can_be_made_a_teams_meeting_only_with_teams() {
        assert_eq!(new_activity_kinds(true), ActivityKind::ALL.to_vec());
        let without = new_activity_kinds(false);
        assert_eq!(without.len(), ActivityKind::ALL.len() - 1);
        assert!(!without.contains(&ActivityKind::TeamsMeeting));
        for kind in [
            ActivityKind::Call,
            ActivityKind::Email,
            ActivityKind::Task,
            ActivityKind::Note,
            ActivityKind::Visit,
        ] {
            assert!(without.contains(&kind), "{kind:?}");
        }
    }

    #[test]
    fn the_teams_entry_needs_the_setting_and_azure_fields() {
        let on = SystemSettings {
            teams_integration_enabled: true,
            ..Default::default()
        };
        let off = SystemSettings::default();
        let teams = |s: &SystemSettings, m: Option<&MailConfiguration>| {
            calendar_actions(s, m).contains(&ActivityKind::TeamsMeeting)
        };
        assert!(teams(&on, Some(&config(true))));
        assert!(!teams(&on, Some(&config(false))));
        assert!(!teams(&on, None));
        assert!(!teams(&off, Some(&config(true))));
        assert!(!teams(&off, None));
        // Appointments and meetings are always offered.
        assert_eq!(
            calendar_actions(&off, None),
            vec![ActivityKind::Appointment, ActivityKind::Meeting]
        );
    }
}
