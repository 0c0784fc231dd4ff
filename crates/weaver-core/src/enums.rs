//! The closed vocabularies of the register: actor types, size classes, tiers,
//! governance bodies, roles, funding sources, tie kinds and the rest.
//!
//! Each enum parses case-insensitively from its canonical lower-case name
//! (`"Enterprise"` → [`ActorType::Enterprise`]) and prints that name.

use std::fmt;
use std::str::FromStr;

/// A value that is not one of an enum's names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not one of: {}", expected.join(", "))]
pub struct UnknownVariant {
    /// The text that was given.
    pub value: String,
    /// The names that are accepted.
    pub expected: &'static [&'static str],
}

macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The canonical names, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The canonical lower-case name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownVariant;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim();
                $(if t.eq_ignore_ascii_case($text) { return Ok($name::$variant); })+
                Err(UnknownVariant { value: s.to_owned(), expected: Self::NAMES })
            }
        }
    };
}

str_enum!(
    /// The seven kinds of actor of a cluster (政产学研金介用).
    ActorType {
        /// 政 Public administration and agencies.
        Government => "government",
        /// 产 Firms.
        Enterprise => "enterprise",
        /// 学 Universities and other higher education.
        University => "university",
        /// 研 Research institutes.
        Research => "research",
        /// 金 Banks, investors and other finance.
        Finance => "finance",
        /// 介 Intermediaries: chambers, associations, service providers.
        Intermediary => "intermediary",
        /// 用 Users and customers.
        User => "user",
    }
);

str_enum!(
    /// Size class of an organization; `sme` when only that is known. By
    /// employees, as the EU's SME definition (Recommendation 2003/361/EC)
    /// draws the lines: micro below 10, small below 50, medium below 250.
    SizeClass {
        /// Large enterprise: 250 employees or more.
        Large => "large",
        /// Medium-sized: 50 to 249 employees.
        Medium => "medium",
        /// Small: 10 to 49 employees.
        Small => "small",
        /// Micro: fewer than 10 employees.
        Micro => "micro",
        /// A small or medium-sized enterprise, class not known more precisely.
        Sme => "sme",
    }
);

str_enum!(
    /// Membership tier in a cluster organization.
    Tier {
        /// Core member.
        Core => "core",
        /// Partner.
        Partner => "partner",
        /// Regional member.
        Regional => "regional",
        /// Associate member.
        Associate => "associate",
    }
);

str_enum!(
    /// Governance body of a cluster organization.
    Body {
        /// Board (理事会).
        Board => "board",
        /// Executive / management office.
        Executive => "executive",
        /// Scientific or strategic advisory board.
        Advisory => "advisory",
        /// A working group.
        WorkingGroup => "working_group",
    }
);

str_enum!(
    /// Role of an organization's seat in a governance body. A body has at
    /// most one chair at a time.
    GovernanceRole {
        /// Chair (主席 / 理事长): at most one at a time per body of a cluster.
        Chair => "chair",
        /// Vice chair (副主席 / 副理事长).
        ViceChair => "vice_chair",
        /// Member of the body.
        Member => "member",
        /// Secretary or secretariat (秘书处).
        Secretary => "secretary",
        /// Observer without a vote.
        Observer => "observer",
    }
);

str_enum!(
    /// Role of an organization in a project.
    ParticipationRole {
        /// Coordinates the project.
        Coordinator => "coordinator",
        /// A full partner.
        Partner => "partner",
        /// An associated or third party.
        Associate => "associate",
    }
);

str_enum!(
    /// Where money comes from.
    SourceType {
        /// Central (national) government.
        CentralGov => "central_gov",
        /// Local or provincial government.
        LocalGov => "local_gov",
        /// Supranational body (e.g. the EU).
        Supranational => "supranational",
        /// Bank loans.
        Bank => "bank",
        /// Venture capital.
        Venture => "venture",
        /// Other private money.
        Private => "private",
        /// The recipient's own money.
        Own => "own",
    }
);

impl SourceType {
    /// Whether this is public money (government at any level, or supranational).
    pub fn is_public(self) -> bool {
        matches!(
            self,
            SourceType::CentralGov | SourceType::LocalGov | SourceType::Supranational
        )
    }
}

str_enum!(
    /// Kind of a collaboration tie between two organizations.
    TieKind {
        /// A contract (R&D, services).
        Contract => "contract",
        /// A licence.
        License => "license",
        /// A patent held together.
        CoPatent => "co_patent",
        /// A publication written together.
        CoPublication => "co_publication",
        /// Supply relation.
        Supply => "supply",
        /// Technology transfer.
        TechTransfer => "tech_transfer",
        /// Anything else.
        Other => "other",
    }
);

/// Whether more or less of an indicator is better: the evaluation engine's
/// type, the one of Weaver (the engines depend on nothing of the register,
/// so the register takes it from the engine that gives it its meaning).
/// It parses its names case-insensitively, as the others here do, and
/// prints and serialises them: `higher_better`, `lower_better`.
pub use weaver_evaluation::Direction;

str_enum!(
    /// Who may see a record.
    Visibility {
        /// Everyone, including the anonymous public.
        Public => "public",
        /// The cluster's managers and members and its programme officers.
        Cluster => "cluster",
        /// Only the record's owner and the cluster's managers.
        Private => "private",
    }
);

str_enum!(
    /// Legal form of a cluster organization.
    ClusterForm {
        /// A company.
        Company => "company",
        /// An association.
        Association => "association",
        /// A public body.
        Public => "public",
        /// Anything else.
        Other => "other",
    }
);

str_enum!(
    /// Level of a funding programme.
    ProgrammeLevel {
        /// Regional (city, prefecture).
        Regional => "regional",
        /// Provincial / state / Land.
        Provincial => "provincial",
        /// National.
        National => "national",
        /// Supranational (e.g. EU).
        Supranational => "supranational",
    }
);

str_enum!(
    /// What a platform account may do (the anonymous public has no account).
    Role {
        /// Runs the platform: every record, every account.
        Admin => "admin",
        /// Programme officer: reads every cluster of its programmes.
        Officer => "officer",
        /// Cluster manager: reads and writes its own clusters' register.
        Manager => "manager",
        /// Member organization: edits its own organization's profile.
        Member => "member",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_case_insensitive_and_prints_canonically() {
        assert_eq!("Enterprise".parse::<ActorType>(), Ok(ActorType::Enterprise));
        assert_eq!(" working_group ".parse::<Body>(), Ok(Body::WorkingGroup));
        assert_eq!(SourceType::CentralGov.to_string(), "central_gov");
        let err = "firm".parse::<ActorType>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "'firm' is not one of: government, enterprise, university, research, finance, intermediary, user"
        );
    }

    #[test]
    fn names_and_variants_agree() {
        for (v, n) in TieKind::ALL.iter().zip(TieKind::NAMES) {
            assert_eq!(v.as_str(), *n);
            assert_eq!(n.parse::<TieKind>().unwrap(), *v);
        }
        assert!(SourceType::Supranational.is_public());
        assert!(!SourceType::Venture.is_public());
    }
}
