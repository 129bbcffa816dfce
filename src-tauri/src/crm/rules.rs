//! Which actions the UI offers, decided once, here (C1, C7).

use super::activity::ActivityKind;
use super::mail_configuration::MailConfiguration;
use super::settings::SystemSettings;

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
