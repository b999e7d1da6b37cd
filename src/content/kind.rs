//! The claim kinds of the contract.

/// What a claim is: the contract's `kind` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Claim,
    Recommendation,
    Statistic,
    Table,
    Definition,
}

/// Every kind name, in the contract's order.
pub const KINDS: [&str; 5] = [
    "claim",
    "recommendation",
    "statistic",
    "table",
    "definition",
];

impl Kind {
    /// Parses a contract kind name.
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "claim" => Kind::Claim,
            "recommendation" => Kind::Recommendation,
            "statistic" => Kind::Statistic,
            "table" => Kind::Table,
            "definition" => Kind::Definition,
            _ => return None,
        })
    }

    /// The contract name, also used as a CSS class.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Claim => "claim",
            Kind::Recommendation => "recommendation",
            Kind::Statistic => "statistic",
            Kind::Table => "table",
            Kind::Definition => "definition",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in KINDS {
            assert_eq!(Kind::parse(name).map(Kind::as_str), Some(name));
        }
        assert_eq!(Kind::parse("Claim"), None);
    }
}
