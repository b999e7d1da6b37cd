//! The id rules of the content contract, shared by every stage that reads
//! or writes ids: briefs, claims, chapters and terms use one rule; note ids
//! are looser; dates are ISO. Also the natural sort order of note ids.

/// True for ids of the contract: lowercase ASCII letters, digits and `-`,
/// starting with a letter or digit (`rand-2023-parker-0142`, `5g`).
pub fn is_valid_id(s: &str) -> bool {
    s.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The help line for a bad id.
pub fn bad_id_help() -> &'static str {
    "ids use only lowercase letters a-z, digits and `-`, starting with a letter or digit, e.g. `rand-2023-parker-0142`"
}

/// True for note ids: any text without spaces or control characters
/// (`43`, `ch4-43`, `*`, `†`). Pages turn them into safe anchors.
pub fn is_valid_note_id(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// One run of a [`natural_key`]: numbers sort before text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyPart {
    Num(u64),
    Text(String),
}

/// Sort key that puts `2` before `10` and `ch2-9` before `ch10-1`.
pub fn natural_key(s: &str) -> Vec<KeyPart> {
    let mut key = Vec::new();
    let mut cur = String::new();
    let mut digits = false;
    for c in s.chars() {
        if !cur.is_empty() && c.is_ascii_digit() != digits {
            key.push(part(std::mem::take(&mut cur), digits));
        }
        digits = c.is_ascii_digit();
        cur.push(c);
    }
    if !cur.is_empty() {
        key.push(part(cur, digits));
    }
    key
}

fn part(run: String, digits: bool) -> KeyPart {
    match run.parse() {
        Ok(n) if digits => KeyPart::Num(n),
        _ => KeyPart::Text(run),
    }
}

/// True for `YYYY`, `YYYY-MM` and `YYYY-MM-DD` with a real month and day.
pub fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
    let month = |m: &str| num(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0));
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && month(m),
        [y, m, d] => {
            num(y, 4) && month(m) && num(d, 2) && (1..=31).contains(&d.parse::<u32>().unwrap_or(0))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["a", "rand-2023-parker-0142", "0", "5g", "a-"] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in ["", "-", "-a", "../x", "A", "a_b", "a b", "é"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn dates() {
        for ok in ["2024", "2024-03", "2024-12-31"] {
            assert!(valid_date(ok), "{ok}");
        }
        for bad in [
            "24",
            "2024-13",
            "2024-3",
            "2024-01-32",
            "March 2024",
            "2024-01-01-01",
        ] {
            assert!(!valid_date(bad), "{bad}");
        }
    }

    #[test]
    fn natural_order() {
        let mut ids = vec!["10", "2", "ch10-1", "ch2-9", "1", "a"];
        ids.sort_by_key(|s| natural_key(s));
        assert_eq!(ids, ["1", "2", "10", "a", "ch2-9", "ch10-1"]);
    }
}
