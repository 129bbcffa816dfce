//! The URIs of calls and chats (E3-E5) and the join links handed to the OS (D3), from validated
//! input only, on the Teams host of the mailbox's cloud.

use url::Url;

use super::phone::{to_e164, PhoneError};
use crate::crm::cloud::TeamsHosts;
use crate::crm::mail_configuration::Cloud;
use crate::crm::validation::is_email;
use crate::crm::ErrorCode;

/// What the main toolbar's Teams icon opens: the cloud's Teams, e.g. `https://teams.microsoft.com/`.
pub fn teams_home(cloud: Cloud) -> Url {
    Url::parse(&format!("https://{}/", TeamsHosts::of(cloud).links)).expect("a fixed host")
}

/// Whom a call goes to: a phone number or a Teams user (by address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallTarget {
    /// E.164, e.g. `+498912345678`.
    Phone(String),
    /// A Teams user by user principal name (UPN), which Teams' deep links take.
    User(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("no e-mail address")]
    NoAddress,
    #[error("the e-mail address is not valid")]
    InvalidAddress,
    #[error(transparent)]
    Phone(#[from] PhoneError),
}

impl LinkError {
    pub fn code(&self) -> ErrorCode {
        match self {
            LinkError::NoAddress => ErrorCode::NoAddress,
            LinkError::InvalidAddress => ErrorCode::InvalidAddress,
            LinkError::Phone(PhoneError::Unreadable) => ErrorCode::InvalidPhone,
            LinkError::Phone(PhoneError::Invalid) => ErrorCode::InvalidPhone,
        }
    }
}

/// A checked address: one plain e-mail address, nothing that could add a user or a parameter.
pub fn address(raw: Option<&str>) -> Result<String, LinkError> {
    let a = raw
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .ok_or(LinkError::NoAddress)?;
    if !is_email(a) {
        return Err(LinkError::InvalidAddress);
    }
    Ok(a.to_string())
}

/// A phone number as a call target, in E.164.
pub fn phone_target(raw: &str, default_region: &str) -> Result<CallTarget, LinkError> {
    Ok(CallTarget::Phone(to_e164(raw, default_region)?))
}

/// E3's default: `callto:+498912345678` or `callto:user@contoso.com`, mapped by the OS to Teams.
pub fn callto(target: &CallTarget) -> Url {
    let value = match target {
        CallTarget::Phone(e164) => e164.clone(),
        CallTarget::User(upn) => upn.clone(),
    };
    // Both forms are validated to characters that need no escaping in a URI path.
    Url::parse(&format!("callto:{value}")).expect("a validated call target makes a valid URI")
}

/// The value of `users` as Microsoft's deep-link examples write it (`users=joe@contoso.com`,
/// `users=4:9876543210`): `:` and `@` as they are (RFC 3986 allows both in a query), everything
/// else but unreserved characters percent-encoded -- `+` above all, which a query reads as a space.
fn users_value(users: &str) -> String {
    users
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~:@".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn teams_link(cloud: Cloud, kind: &str, users: &str) -> Url {
    let host = TeamsHosts::of(cloud).links;
    let mut url = Url::parse(&format!("https://{host}/l/{kind}/0/0")).expect("a fixed URL");
    url.set_query(Some(&format!("users={}", users_value(users))));
    url
}

/// E3's alternative, Microsoft's "Deep link to start an audio-video call with users"
/// (msteams-platform/concepts/build-and-test/deep-link-workflow.md):
/// `https://<teams host>/l/call/0/0?users=<UPN>`, a phone number as the PSTN MRI `4:<number>`,
/// here in E.164 (`4:+49...`, the `+` encoded).
pub fn teams_call(cloud: Cloud, target: &CallTarget) -> Url {
    match target {
        CallTarget::Phone(e164) => teams_link(cloud, "call", &format!("4:{e164}")),
        CallTarget::User(upn) => teams_link(cloud, "call", upn),
    }
}

/// E4, Microsoft's "Deep link to start a new chat" (.../deep-link-teams.md):
/// `https://<teams host>/l/chat/0/0?users=<UPN>`.
pub fn teams_chat(cloud: Cloud, raw_address: Option<&str>) -> Result<Url, LinkError> {
    Ok(teams_link(cloud, "chat", &address(raw_address)?))
}

/// D3: a stored join URL, if it is one of `cloud`'s Teams: https on one of the cloud's Teams
/// hosts, default port, no user info. Anything else is not handed to the OS.
pub fn join_url(cloud: Cloud, raw: &str) -> Option<Url> {
    let url = Url::parse(raw.trim()).ok()?;
    let host = url.host_str()?;
    (url.scheme() == "https"
        && TeamsHosts::of(cloud).join.contains(&host)
        && url.port().is_none()
        && url.username().is_empty()
        && url.password().is_none())
    .then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const G: Cloud = Cloud::Global;

    #[test]
    fn links_as_microsoft_documents_them() {
        let phone = phone_target("089 1234567", "DE").unwrap();
        assert_eq!(callto(&phone).as_str(), "callto:+49891234567");
        // deep-link-workflow.md: `users=<user1>,4:<phonenumber>`; the `+` of E.164 is encoded,
        // as a `+` in a query would be read as a space.
        assert_eq!(
            teams_call(G, &phone).as_str(),
            "https://teams.microsoft.com/l/call/0/0?users=4:%2B49891234567"
        );
        let user = CallTarget::User(address(Some("joe@contoso.com")).unwrap());
        assert_eq!(callto(&user).as_str(), "callto:joe@contoso.com");
        assert_eq!(
            teams_call(G, &user).as_str(),
            "https://teams.microsoft.com/l/call/0/0?users=joe@contoso.com"
        );
        assert_eq!(
            teams_chat(G, Some(" joe@contoso.com ")).unwrap().as_str(),
            "https://teams.microsoft.com/l/chat/0/0?users=joe@contoso.com"
        );
        // A `+` in an address stays a `+` for Teams.
        let plus = teams_chat(G, Some("joe+crm@contoso.com")).unwrap();
        assert_eq!(
            plus.as_str(),
            "https://teams.microsoft.com/l/chat/0/0?users=joe%2Bcrm@contoso.com"
        );
        assert_eq!(plus.query_pairs().next().unwrap().1, "joe+crm@contoso.com");
    }

    #[test]
    fn links_go_to_the_teams_of_the_mailboxs_cloud() {
        let phone = phone_target("+1 202 555 0100", "US").unwrap();
        for (cloud, host) in [
            (Cloud::Global, "teams.microsoft.com"),
            (Cloud::UsGovGcc, "teams.microsoft.com"),
            (Cloud::UsGovGccHigh, "gov.teams.microsoft.us"),
            (Cloud::UsGovDod, "dod.teams.microsoft.us"),
            (Cloud::China, "teams.microsoftonline.cn"),
        ] {
            assert_eq!(
                teams_chat(cloud, Some("joe@contoso.com")).unwrap().as_str(),
                format!("https://{host}/l/chat/0/0?users=joe@contoso.com")
            );
            assert_eq!(
                teams_call(cloud, &phone).as_str(),
                format!("https://{host}/l/call/0/0?users=4:%2B12025550100")
            );
            assert_eq!(teams_home(cloud).as_str(), format!("https://{host}/"));
        }
    }

    #[test]
    fn a_join_url_is_accepted_on_its_clouds_teams_only() {
        let join =
            |host: &str| format!("https://{host}/l/meetup-join/19%3ameeting_x%40thread.v2/0");
        let gov = join("gov.teams.microsoft.us");
        assert_eq!(
            join_url(Cloud::UsGovGccHigh, &gov).map(String::from),
            Some(gov.clone())
        );
        assert!(join_url(Cloud::Global, &gov).is_none());
        assert!(join_url(Cloud::UsGovDod, &gov).is_none());
        assert!(join_url(Cloud::UsGovDod, &join("dod.teams.microsoft.us")).is_some());
        assert!(join_url(Cloud::China, &join("teams.microsoftonline.cn")).is_some());
        for cloud in [Cloud::Global, Cloud::UsGovGcc] {
            assert!(join_url(cloud, &join("teams.microsoft.com")).is_some());
            assert!(join_url(cloud, "https://teams.microsoft.com/meet/123?p=abc").is_some());
            assert!(join_url(cloud, &join("teams.cloud.microsoft")).is_some());
            assert!(join_url(cloud, &join("gov.teams.microsoft.us")).is_none());
        }
        for bad in [
            "http://teams.microsoft.com/l/meetup-join/x",
            "https://teams.microsoft.com.evil.example/l/meetup-join/x",
            "https://evil.example/teams.microsoft.com/",
            "https://user@teams.microsoft.com/l/meetup-join/x",
            "https://teams.microsoft.com:8443/l/meetup-join/x",
            "javascript:alert(1)",
            "",
        ] {
            assert!(join_url(G, bad).is_none(), "{bad:?} accepted");
        }
    }

    #[test]
    fn hostile_input_makes_no_link() {
        for bad in [
            "a@b.com,evil@x.com",
            "a@b.com&message=hi",
            "a@b.com?x=1",
            "javascript:alert(1)",
            "a@b.com%2Cevil@x.com",
            "a b@c.com",
            "a@b.com\r\nX: y",
            "аdmin@contoso.com", // Cyrillic а
            "a@b.com#frag",
            "a@b.com/../x",
        ] {
            assert!(teams_chat(G, Some(bad)).is_err(), "{bad:?} accepted");
        }
        // Whitespace around a stored address is only trimmed: the link is for that one address.
        assert_eq!(
            teams_chat(G, Some("a@b.com\n")).unwrap().as_str(),
            "https://teams.microsoft.com/l/chat/0/0?users=a@b.com"
        );
        assert_eq!(teams_chat(G, None), Err(LinkError::NoAddress));
        assert_eq!(teams_chat(G, Some("  ")), Err(LinkError::NoAddress));
        let long = format!("{}@b.com", "a".repeat(10_000));
        assert!(teams_chat(G, Some(&long)).is_err());
        for bad in [
            "+49 89 1234567,+1 212 5550100",
            "089 1234567&x=1",
            "tel:+4989",
            "+49 89 ☎",
        ] {
            assert!(phone_target(bad, "DE").is_err(), "{bad:?} accepted");
        }
    }

    /// The one shape every link has: only the two schemes, the one host and path, exactly one
    /// parameter `users` holding exactly the validated value.
    fn assert_safe(url: &Url, expected_user: &str) {
        match url.scheme() {
            "callto" => assert_eq!(url.path(), expected_user.trim_start_matches("4:")),
            "https" => {
                assert_eq!(url.host_str(), Some("teams.microsoft.com"));
                assert!(matches!(url.path(), "/l/call/0/0" | "/l/chat/0/0"), "{url}");
                let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
                assert_eq!(
                    pairs,
                    vec![("users".to_string(), expected_user.to_string())]
                );
                assert!(url.fragment().is_none() && url.username().is_empty());
                assert_eq!(&Url::parse(url.as_str()).unwrap(), url, "not stable: {url}");
            }
            other => panic!("scheme {other} in {url}"),
        }
    }

    proptest! {
        #[test]
        fn no_stored_address_can_change_a_chat_link(raw in ".{0,80}") {
            if let Ok(url) = teams_chat(G, Some(&raw)) {
                assert_safe(&url, raw.trim());
                prop_assert!(!raw.trim().contains(','));
            }
        }

        #[test]
        fn no_stored_address_can_change_a_call_link(raw in "[a-z0-9.+_'@,&?=#%:/ -]{0,40}") {
            if let Ok(a) = address(Some(&raw)) {
                let target = CallTarget::User(a.clone());
                assert_safe(&teams_call(G, &target), &a);
                assert_safe(&callto(&target), &a);
            }
        }

        #[test]
        fn no_stored_number_can_change_a_call_link(raw in "[0-9 +()./,&?=a-z-]{0,30}", region in "(DE|GB|US|FR|XX)") {
            if let Ok(target) = phone_target(&raw, &region) {
                let CallTarget::Phone(e164) = &target else { unreachable!() };
                prop_assert!(e164.starts_with('+') && e164[1..].chars().all(|c| c.is_ascii_digit()));
                assert_safe(&teams_call(G, &target), &format!("4:{e164}"));
                assert_safe(&callto(&target), e164);
            }
        }
    }
}
