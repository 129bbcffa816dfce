//! The URIs of calls and chats (E3-E5). The input is a stored e-mail address, a stored phone
//! number and a region, separated by NUL bytes. Whatever they hold: no panic, and every link that
//! comes out has one of the two shapes -- `callto:<value>` with nothing escaped or added, or
//! `https://<the cloud's Teams host>/l/{call,chat}/0/0` with exactly one parameter `users` holding
//! exactly the validated value -- and survives a round trip through the URL parser unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use treffpunkt::crm::mail_configuration::Cloud;
use treffpunkt::crm::validation::is_email;
use treffpunkt::crm::cloud::TeamsHosts;
use treffpunkt::teams::links::{address, callto, phone_target, teams_call, teams_chat, CallTarget};
use treffpunkt::teams::phone::to_e164;
use url::Url;

/// The links of a GCC High mailbox: the host is the cloud's, the rest as everywhere.
const CLOUD: Cloud = Cloud::UsGovGccHigh;

fn assert_teams(url: &Url, kind: &str, users: &str) {
    assert_eq!(url.scheme(), "https", "{url}");
    assert_eq!(url.host_str(), Some(TeamsHosts::of(CLOUD).links), "{url}");
    assert_eq!(url.port(), None, "{url}");
    assert_eq!(url.path(), format!("/l/{kind}/0/0"), "{url}");
    assert!(
        url.username().is_empty() && url.password().is_none(),
        "{url}"
    );
    assert_eq!(url.fragment(), None, "{url}");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        vec![("users".to_string(), users.to_string())],
        "{url}"
    );
    assert_eq!(&Url::parse(url.as_str()).unwrap(), url, "not stable: {url}");
}

fn assert_callto(url: &Url, value: &str) {
    assert_eq!(url.as_str(), format!("callto:{value}"), "value changed");
    assert_eq!(url.scheme(), "callto");
    assert_eq!(url.path(), value);
    assert!(url.host().is_none() && url.query().is_none() && url.fragment().is_none());
}

/// `+`, a country code and the national number, digits only, at most E.164's 15 digits (longer
/// numbers that libphonenumber's metadata accepts are refused by `to_e164`; found by this target:
/// "+49420521234234567").
fn is_e164(s: &str) -> bool {
    s.len() >= 3
        && s.len() <= 1 + 15
        && s.starts_with('+')
        && s[1..].bytes().all(|b| b.is_ascii_digit())
        && !s[1..].starts_with('0')
}

fuzz_target!(|data: &[u8]| {
    let mut fields = data.splitn(3, |b| *b == 0).map(String::from_utf8_lossy);
    let raw_address = fields.next().unwrap_or_default();
    let raw_phone = fields.next().unwrap_or_default();
    let region = fields.next().unwrap_or_default();

    // E4 and E3 for a Teams user.
    let checked = address(Some(&raw_address));
    match (&checked, teams_chat(CLOUD, Some(&raw_address))) {
        (Ok(a), Ok(chat)) => {
            assert_eq!(a, raw_address.trim());
            assert!(is_email(a) && a.is_ascii());
            assert!(!a.contains([',', ';', '&', '?', '#', '/', '%', ':', ' ', '\\']));
            assert_teams(&chat, "chat", a);
            let user = CallTarget::User(a.clone());
            assert_teams(&teams_call(CLOUD, &user), "call", a);
            assert_callto(&callto(&user), a);
        }
        (Err(e), Err(chat)) => assert_eq!(e, &chat),
        (a, c) => panic!("address {a:?} but chat {c:?}"),
    }

    // E3 for a phone number, read in the region.
    if let Ok(target) = phone_target(&raw_phone, &region) {
        let CallTarget::Phone(e164) = &target else {
            panic!("a number became {target:?}")
        };
        assert!(is_e164(e164), "not E.164: {e164:?} from {raw_phone:?}");
        assert_teams(&teams_call(CLOUD, &target), "call", &format!("4:{e164}"));
        assert_callto(&callto(&target), e164);
        // E.164 is a fixed point: read again in any region, it is the same number.
        assert_eq!(
            to_e164(e164, "ZZ").as_deref(),
            Ok(e164.as_str()),
            "from {raw_phone:?}"
        );
    }
});
