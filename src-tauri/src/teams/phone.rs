//! Phone numbers in E.164 (E3), with the business partner's country as the default region.

use phonenumber::Mode;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("the phone number cannot be read")]
    Unreadable,
    #[error("the phone number is not a valid number")]
    Invalid,
}

/// `raw` as E.164 (`+498912345678`); a national number is read in `default_region` (ISO 3166-1
/// alpha-2, e.g. "DE").
pub fn to_e164(raw: &str, default_region: &str) -> Result<String, PhoneError> {
    let region = default_region
        .trim()
        .to_uppercase()
        .parse::<phonenumber::country::Id>()
        .ok();
    // Only the characters people type in numbers: no letters, no separators of other syntaxes.
    if raw.trim().is_empty()
        || !raw
            .chars()
            .all(|c| c.is_ascii_digit() || " +()-./".contains(c))
    {
        return Err(PhoneError::Unreadable);
    }
    let number = phonenumber::parse(region, raw).map_err(|_| PhoneError::Unreadable)?;
    if !phonenumber::is_valid(&number) {
        return Err(PhoneError::Invalid);
    }
    Ok(number.format().mode(Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_international_and_malformed_numbers() {
        assert_eq!(to_e164("089 1234567", "DE").unwrap(), "+49891234567");
        assert_eq!(to_e164("(089) 123 45-67", "de").unwrap(), "+49891234567");
        assert_eq!(to_e164("+49 89 1234567", "GB").unwrap(), "+49891234567");
        assert_eq!(to_e164("0049 89 1234567", "DE").unwrap(), "+49891234567");
        assert_eq!(to_e164("020 7946 0958", "GB").unwrap(), "+442079460958");
        assert_eq!(to_e164("+1 (212) 555-0100", "DE").unwrap(), "+12125550100");
        for bad in ["", "abc", "12", "+49 89 call", "+49,+1234567", "089\\n123"] {
            assert!(to_e164(bad, "DE").is_err(), "{bad:?} accepted");
        }
    }
}
