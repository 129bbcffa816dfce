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
    let e164 = number.format().mode(Mode::E164).to_string();
    // E.164 allows 15 digits; libphonenumber's metadata accepts some longer national numbers,
    // which no telephone network can dial (found by the fuzzer: "4205() 2 1234234567" in DE).
    if e164.bytes().filter(u8::is_ascii_digit).count() > 15 {
        return Err(PhoneError::Invalid);
    }
    // The number we store and dial must read back as itself, from any region. The parser does
    // not always agree with itself (found by the fuzzer: "+7 8 ((55)-./06)..50(2))00" gives
    // +78550650200, which it then calls invalid); such a number is refused, not dialled.
    match phonenumber::parse(None, &e164) {
        Ok(again)
            if phonenumber::is_valid(&again)
                && again.format().mode(Mode::E164).to_string() == e164 =>
        {
            Ok(e164)
        }
        _ => Err(PhoneError::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_longer_than_e164_allows_is_invalid() {
        assert_eq!(
            to_e164("4205() 2 1234234567", "DE"),
            Err(PhoneError::Invalid)
        );
        assert_eq!(
            to_e164("+49 4205 21234234", "DE").unwrap(),
            "+49420521234234"
        );
    }

    #[test]
    fn a_number_that_does_not_read_back_as_itself_is_invalid() {
        assert_eq!(
            to_e164("+7 8 ((55)-./06)..50(2))00", "US"),
            Err(PhoneError::Invalid)
        );
    }

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
