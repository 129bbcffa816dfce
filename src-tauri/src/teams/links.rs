//! The URIs of calls and chats (E3-E5), from validated input only.

use url::Url;

use super::phone::{to_e164, PhoneError};
use crate::crm::validation::is_email;

/// The one host a Teams link may have.
pub const TEAMS_HOST: &str = "teams.microsoft.com";
/// What the main toolbar's Teams icon opens.
pub const TEAMS_HOME: &str = "https://teams.microsoft.com/";

/// Whom a call goes to: a phone number or a Teams user (by address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallTarget {
    /// E.164, e.g. `+498912345678`.
    Phone(String),
    /// A Teams user's sign-in address (UPN).
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
    pub fn code(&self) -> &'static str {
        match self {
            LinkError::NoAddress => "no_address",
            LinkError::InvalidAddress => "invalid_address",
            LinkError::Phone(PhoneError::Unreadable) => "invalid_phone",
            LinkError::Phone(PhoneError::Invalid) => "invalid_phone",
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

fn teams_link(kind: &str, users: &str) -> Url {
    let mut url = Url::parse(&format!("https://{TEAMS_HOST}/l/{kind}/0/0")).expect("a fixed URL");
    url.query_pairs_mut().append_pair("users", users);
    url
}

/// E3's alternative: `https://teams.microsoft.com/l/call/0/0?users=...`; a phone number goes in as
/// the PSTN form `4:+49...` (§5).
pub fn teams_call(target: &CallTarget) -> Url {
    match target {
        CallTarget::Phone(e164) => teams_link("call", &format!("4:{e164}")),
        CallTarget::User(upn) => teams_link("call", upn),
    }
}

/// E4: `https://teams.microsoft.com/l/chat/0/0?users=<address>`.
pub fn teams_chat(raw_address: Option<&str>) -> Result<Url, LinkError> {
    Ok(teams_link("chat", &address(raw_address)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn links_as_documented() {
        let phone = phone_target("089 1234567", "DE").unwrap();
        assert_eq!(callto(&phone).as_str(), "callto:+49891234567");
        assert_eq!(
            teams_call(&phone).as_str(),
            "https://teams.microsoft.com/l/call/0/0?users=4%3A%2B49891234567"
        );
        let user = CallTarget::User(address(Some("joe@contoso.com")).unwrap());
        assert_eq!(callto(&user).as_str(), "callto:joe@contoso.com");
        assert_eq!(
            teams_call(&user).as_str(),
            "https://teams.microsoft.com/l/call/0/0?users=joe%40contoso.com"
        );
        assert_eq!(
            teams_chat(Some(" joe@contoso.com ")).unwrap().as_str(),
            "https://teams.microsoft.com/l/chat/0/0?users=joe%40contoso.com"
        );
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
            assert!(teams_chat(Some(bad)).is_err(), "{bad:?} accepted");
        }
        // Whitespace around a stored address is only trimmed: the link is for that one address.
        assert_eq!(
            teams_chat(Some("a@b.com\n")).unwrap().as_str(),
            "https://teams.microsoft.com/l/chat/0/0?users=a%40b.com"
        );
        assert_eq!(teams_chat(None), Err(LinkError::NoAddress));
        assert_eq!(teams_chat(Some("  ")), Err(LinkError::NoAddress));
        let long = format!("{}@b.com", "a".repeat(10_000));
        assert!(teams_chat(Some(&long)).is_err());
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
                assert_eq!(url.host_str(), Some(TEAMS_HOST));
                assert!(matches!(url.path(), "/l/call/0/0" | "/l/chat/0/0"), "{url}");
                let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
                assert_eq!(
                    pairs,
                    vec![("users".to_string(), expected_user.to_string())]
                );
                assert!(url.fragment().is_none() && url.username().is_empty());
            }
            other => panic!("scheme {other} in {url}"),
        }
    }

    proptest! {
        #[test]
        fn no_stored_address_can_change_a_chat_link(raw in ".{0,80}") {
            if let Ok(url) = teams_chat(Some(&raw)) {
                assert_safe(&url, raw.trim());
                prop_assert!(!raw.trim().contains(','));
            }
        }

        #[test]
        fn no_stored_address_can_change_a_call_link(raw in "[a-z0-9.+_'@,&?=#%:/ -]{0,40}") {
            if let Ok(a) = address(Some(&raw)) {
                let target = CallTarget::User(a.clone());
                assert_safe(&teams_call(&target), &a);
                assert_safe(&callto(&target), &a);
            }
        }

        #[test]
        fn no_stored_number_can_change_a_call_link(raw in "[0-9 +()./,&?=a-z-]{0,30}", region in "(DE|GB|US|FR|XX)") {
            if let Ok(target) = phone_target(&raw, &region) {
                let CallTarget::Phone(e164) = &target else { unreachable!() };
                prop_assert!(e164.starts_with('+') && e164[1..].chars().all(|c| c.is_ascii_digit()));
                assert_safe(&teams_call(&target), &format!("4:{e164}"));
                assert_safe(&callto(&target), e164);
            }
        }
    }
}
