//! Checks of user input with one error per field, each with a stable code that the UI translates.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What is wrong with one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldError {
    /// The field's name as in the input type, e.g. "client_id".
    pub field: String,
    /// A stable code the UI turns into a sentence, e.g. "invalid_guid".
    pub code: String,
}

/// All field errors of one form; empty means valid.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, code: &str) {
        self.0.push(FieldError {
            field: field.into(),
            code: code.into(),
        });
    }

    /// `Ok(value)` when no error was added.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.code))
            .collect();
        write!(f, "invalid input ({})", parts.join(", "))
    }
}

/// A GUID in its usual 8-4-4-4-12 form, as Entra ID shows application and directory IDs.
pub fn is_guid(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// A DNS domain name such as `contoso.onmicrosoft.com` (at least two labels, alphabetic TLD).
pub fn is_domain_name(s: &str) -> bool {
    if s.is_empty() || s.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = s.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    labels.len() >= 2
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// A plain e-mail address: one `@`, a local part of letters, digits and `.+-_'` (deliberately
/// narrower than RFC 5322: nothing that could split a list or a URI), and a domain name.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+-_'".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && is_domain_name(domain)
}

/// Whether the custom cloud may use plain `http` on the loopback interface: the simulator (G2)
/// listens there. A token or client secret sent over http can be read by any local process, so
/// only the demo workspace and a developer who switches it on explicitly get it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlPolicy {
    HttpsOnly,
    AllowHttpLoopback,
}

/// Why a base URL of the custom cloud is refused, or `None` when it is fine: https with a host,
/// no user info, no query or fragment; plain http only on the loopback interface (the simulator),
/// and only where `policy` allows it.
pub fn base_url_problem(s: &str, policy: UrlPolicy) -> Option<&'static str> {
    let Ok(url) = url::Url::parse(s) else {
        return Some("invalid_url");
    };
    let loopback = matches!(
        url.host(),
        Some(url::Host::Ipv4(ip)) if ip.is_loopback()
    ) || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
        || url.host_str() == Some("localhost");
    if url.host().is_none()
        || !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Some("invalid_url");
    }
    match url.scheme() {
        "https" => None,
        "http" if loopback && policy == UrlPolicy::AllowHttpLoopback => None,
        "http" if loopback => Some("url_http_loopback_not_allowed"),
        _ => Some("url_not_https"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids() {
        assert!(is_guid("6731de76-14a6-49ae-97bc-6eba6914391e"));
        assert!(is_guid("6731DE76-14A6-49AE-97BC-6EBA6914391E"));
        for bad in [
            "",
            "6731de76-14a6-49ae-97bc-6eba6914391",
            "6731de76-14a6-49ae-97bc-6eba6914391e0",
            "6731de7614a649ae97bc6eba6914391e",
            "{6731de76-14a6-49ae-97bc-6eba6914391e}",
            "6731de76-14a6-49ae-97bc_6eba6914391e",
            "g731de76-14a6-49ae-97bc-6eba6914391e",
        ] {
            assert!(!is_guid(bad), "{bad} accepted");
        }
    }

    #[test]
    fn domain_names() {
        for good in ["contoso.onmicrosoft.com", "example.de", "a-b.example.co.uk"] {
            assert!(is_domain_name(good), "{good} refused");
        }
        for bad in [
            "",
            "contoso",
            "-contoso.com",
            "contoso-.com",
            "conto so.com",
            "contoso..com",
            "contoso.c0m",
            "contoso.com/evil",
            "common",
        ] {
            assert!(!is_domain_name(bad), "{bad} accepted");
        }
    }

    #[test]
    fn emails() {
        assert!(is_email("lena.vogel@contoso.example"));
        assert!(is_email("a+tag@b.de"));
        for bad in [
            "",
            "a",
            "a@",
            "@b.de",
            "a b@c.de",
            "a@b.de,evil@x.com",
            "a@b.de&message=hi",
            "a@b.de?x=1",
            "a@@b.de",
            ".a@b.de",
            "a\r\n@b.de",
        ] {
            assert!(!is_email(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn custom_cloud_urls() {
        let strict = |s| base_url_problem(s, UrlPolicy::HttpsOnly);
        let dev = |s| base_url_problem(s, UrlPolicy::AllowHttpLoopback);
        assert_eq!(strict("https://login.contoso.example"), None);
        assert_eq!(strict("https://graph.contoso.example/"), None);
        assert_eq!(strict("https://127.0.0.1:8910"), None);
        for loopback in [
            "http://127.0.0.1:8910",
            "http://localhost:8910/",
            "http://[::1]:8910",
        ] {
            assert_eq!(dev(loopback), None, "{loopback}");
            assert_eq!(
                strict(loopback),
                Some("url_http_loopback_not_allowed"),
                "{loopback}"
            );
        }
        for policy in [UrlPolicy::HttpsOnly, UrlPolicy::AllowHttpLoopback] {
            let problem = |s| base_url_problem(s, policy);
            assert_eq!(
                problem("http://login.contoso.example"),
                Some("url_not_https")
            );
            assert_eq!(problem("ftp://contoso.example"), Some("url_not_https"));
            assert_eq!(problem("login.contoso.example"), Some("invalid_url"));
            assert_eq!(problem("https://u:p@contoso.example"), Some("invalid_url"));
            assert_eq!(problem("https://contoso.example/?a=1"), Some("invalid_url"));
            assert_eq!(problem("https://contoso.example/#x"), Some("invalid_url"));
            assert_eq!(problem(""), Some("invalid_url"));
        }
    }
}
