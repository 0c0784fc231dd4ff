//! The tables of the data package and of the register, as data.
//!
//! One [`TableSchema`] per table of the data package (README.md, "Data
//! packages"; docs/architecture.md, weaver-core), in the order in
//! which they must be imported (a table comes after every table it refers to).
//! Storage, import, export and validation all read this one description.
//!
//! Every table also carries two provenance columns: `visibility` (public,
//! cluster, private) and the citation column `source` — except in `ties`, whose
//! `source` is the tie's first organization, where the citation column is
//! called `citation`.

use crate::enums::{
    ActorType, Body, ClusterForm, Direction, GovernanceRole, ParticipationRole, ProgrammeLevel,
    SizeClass, SourceType, TieKind, Tier, Visibility,
};

/// Longest id accepted, in characters.
pub const MAX_ID_LEN: usize = 200;
/// Longest text cell accepted, in characters, for ordinary text columns.
pub const MAX_TEXT_LEN: usize = 1_000;
/// Longest text cell accepted, in characters, for `description` and `note`.
pub const MAX_LONG_TEXT_LEN: usize = 10_000;

/// What a column holds and how a cell of it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// A stable string id of this table's row.
    Id,
    /// A reference to the id of a row in one of these tables.
    Ref(&'static [&'static str]),
    /// Free text up to [`MAX_TEXT_LEN`] characters.
    Text,
    /// Free text up to [`MAX_LONG_TEXT_LEN`] characters.
    LongText,
    /// An integer.
    Int,
    /// A count (of people, firms): a whole number, zero or more.
    Count,
    /// A web address: `http://` or `https://` (or a host name without a
    /// scheme, as registers write them: `www.example.org`); no other scheme.
    Url,
    /// A calendar year (1000–9999).
    Year,
    /// A finite decimal number.
    Float,
    /// A finite decimal number that is zero or more.
    NonNegative,
    /// A finite decimal number above zero (a tie's weight: a tie of
    /// strength zero is no tie, and the network engines refuse it).
    Positive,
    /// `true` or `false` (also accepted: yes/no, 1/0).
    Bool,
    /// An ISO 8601 date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    /// A reporting period: `2024`, `2024-Q3` or `2024-07`.
    Period,
    /// One of these names (matched case-insensitively).
    Enum(&'static [&'static str]),
    /// `;`-separated list of items, each free text.
    List,
    /// `;`-separated list of `scheme:value` identifiers.
    Identifiers,
    /// An ISO 4217 currency code (`EUR`, `CNY`; any case, kept in capitals):
    /// [`crate::money::CURRENCIES`].
    Currency,
}

impl ColumnType {
    /// Where the stored value is SQL text, integer or float.
    pub fn storage(self) -> Storage {
        match self {
            ColumnType::Int | ColumnType::Count | ColumnType::Year | ColumnType::Bool => {
                Storage::Integer
            }
            ColumnType::Float | ColumnType::NonNegative | ColumnType::Positive => Storage::Real,
            _ => Storage::Text,
        }
    }

    /// A short description of what a cell must hold, for error messages.
    pub fn expected(self) -> String {
        match self {
            ColumnType::Id => format!("an id of at most {MAX_ID_LEN} characters"),
            ColumnType::Ref(tables) => format!("the id of a row of {}", tables.join(" or ")),
            ColumnType::Text => format!("text of at most {MAX_TEXT_LEN} characters"),
            ColumnType::LongText => format!("text of at most {MAX_LONG_TEXT_LEN} characters"),
            ColumnType::Int => "a whole number".into(),
            ColumnType::Count => "a whole number, zero or more".into(),
            ColumnType::Url => format!(
                "a web address of at most {MAX_TEXT_LEN} characters starting with http:// or https://"
            ),
            ColumnType::Year => "a year such as 2024".into(),
            ColumnType::Float => "a number such as 1234.5".into(),
            ColumnType::NonNegative => "a number, zero or more, such as 1234.5".into(),
            ColumnType::Positive => "a number above zero, such as 1 or 2.5".into(),
            ColumnType::Bool => "true or false".into(),
            ColumnType::Date => "an ISO date: YYYY-MM-DD, YYYY-MM or YYYY".into(),
            ColumnType::Period => "a period: 2024, 2024-Q3 or 2024-07".into(),
            ColumnType::Enum(names) => format!("one of: {}", names.join(", ")),
            ColumnType::List => "a ;-separated list".into(),
            ColumnType::Identifiers => "a ;-separated list of scheme:value".into(),
            ColumnType::Currency => "an ISO 4217 currency code such as EUR or CNY".into(),
        }
    }
}

/// How a value is stored in SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// TEXT.
    Text,
    /// INTEGER / BIGINT.
    Integer,
    /// REAL / DOUBLE PRECISION.
    Real,
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Column name, as in the package's header.
    pub name: &'static str,
    /// What the column holds.
    pub ty: ColumnType,
    /// Whether every row must have a value.
    pub required: bool,
}

/// One table: its columns, key and defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSchema {
    /// Table name (also the file name without `.csv`, and the sheet name).
    pub name: &'static str,
    /// Columns in canonical order, provenance columns last.
    pub columns: &'static [Column],
    /// The columns that identify a row: `["id"]` or the natural key.
    pub key: &'static [&'static str],
    /// Visibility given to rows that do not say.
    pub default_visibility: Visibility,
}

impl TableSchema {
    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Position of the column with this name.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Positions of the key columns.
    pub fn key_positions(&self) -> Vec<usize> {
        self.key
            .iter()
            .map(|k| self.position(k).expect("key columns are columns"))
            .collect()
    }

    /// Whether rows are identified by an `id` column.
    pub fn has_id(&self) -> bool {
        self.key == ["id"]
    }

    /// The name of the citation column (`source`, or `citation` in `ties`).
    pub fn citation_column(&self) -> &'static str {
        if self.name == "ties" {
            "citation"
        } else {
            "source"
        }
    }
}

const fn req(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        required: true,
    }
}
const fn opt(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        required: false,
    }
}

use ColumnType as T;

const VIS: Column = opt("visibility", T::Enum(Visibility::NAMES));
const SRC: Column = opt("source", T::Text);

const ORGS: &[&str] = &["organizations"];
const CLUSTERS: &[&str] = &["clusters"];

/// Every table of the package, in import order.
pub const TABLES: &[TableSchema] = &[
    TableSchema {
        name: "regions",
        columns: &[
            req("id", T::Id),
            req("name", T::Text),
            opt("name_en", T::Text),
            req("level", T::Text),
            opt("parent", T::Text),
            req("country", T::Text),
            opt("lat", T::Float),
            opt("lon", T::Float),
            VIS,
            SRC,
        ],
        key: &["id"],
        default_visibility: Visibility::Public,
    },
    TableSchema {
        name: "programmes",
        columns: &[
            req("id", T::Id),
            req("name", T::Text),
            opt("name_en", T::Text),
            opt("agency", T::Text),
            opt("level", T::Enum(ProgrammeLevel::NAMES)),
            opt("start", T::Date),
            opt("end", T::Date),
            opt("description", T::LongText),
            VIS,
            SRC,
        ],
        key: &["id"],
        default_visibility: Visibility::Public,
    },
    TableSchema {
        name: "organizations",
        columns: &[
            req("id", T::Id),
            req("name", T::Text),
            opt("name_en", T::Text),
            req("actor_type", T::Enum(ActorType::NAMES)),
            opt("size", T::Enum(SizeClass::NAMES)),
            opt("identifiers", T::Identifiers),
            opt("region", T::Text),
            opt("country", T::Text),
            opt("industry", T::Text),
            opt("founded", T::Date),
            opt("employees", T::Count),
            opt("website", T::Url),
            VIS,
            SRC,
        ],
        key: &["id"],
        default_visibility: Visibility::Public,
    },
    TableSchema {
        name: "clusters",
        columns: &[
            req("id", T::Id),
            req("name", T::Text),
            opt("name_en", T::Text),
            req("region", T::Text),
            opt("country", T::Text),
            opt("sectors", T::List),
            opt("sector_classification", T::Text),
            opt("form", T::Enum(ClusterForm::NAMES)),
            opt("founded", T::Date),
            opt("manager_org", T::Ref(ORGS)),
            opt("management_fte", T::NonNegative),
            opt("website", T::Url),
            opt("website_en", T::Bool),
            opt("description", T::LongText),
            VIS,
            SRC,
        ],
        key: &["id"],
        default_visibility: Visibility::Public,
    },
    TableSchema {
        name: "programme_clusters",
        columns: &[
            req("programme", T::Ref(&["programmes"])),
            req("cluster", T::Ref(CLUSTERS)),
            opt("since", T::Date),
            opt("until", T::Date),
            VIS,
            SRC,
        ],
        key: &["programme", "cluster"],
        default_visibility: Visibility::Public,
    },
    TableSchema {
        name: "memberships",
        columns: &[
            req("cluster", T::Ref(CLUSTERS)),
            req("org", T::Ref(ORGS)),
            req("tier", T::Enum(Tier::NAMES)),
            opt("since", T::Date),
            opt("until", T::Date),
            VIS,
            SRC,
        ],
        key: &["cluster", "org", "tier", "since"],
        default_visibility: Visibility::Cluster,
    },
    TableSchema {
        name: "governance",
        columns: &[
            req("cluster", T::Ref(CLUSTERS)),
            req("body", T::Enum(Body::NAMES)),
            req("org", T::Ref(ORGS)),
            opt("role", T::Enum(GovernanceRole::NAMES)),
            opt("note", T::Text),
            opt("since", T::Date),
            opt("until", T::Date),
            VIS,
            SRC,
        ],
        key: &["cluster", "body", "org", "since"],
        default_visibility: Visibility::Cluster,
    },
    TableSchema {
        name: "projects",
        columns: &[
            req("id", T::Id),
            req("title", T::Text),
            opt("cluster", T::Ref(CLUSTERS)),
            opt("start", T::Date),
            opt("end", T::Date),
            opt("budget", T::NonNegative),
            opt("currency", T::Text),
            opt("field", T::Text),
            opt("status", T::Text),
            VIS,
            SRC,
        ],
        key: &["id"],
        default_visibility: Visibility::Cluster,
    },
    TableSchema {
        name: "participations",
        columns: &[
            req("project", T::Ref(&["projects"])),
            req("org", T::Ref(ORGS)),
            req("role", T::Enum(ParticipationRole::NAMES)),
            opt("contribution", T::NonNegative),
            VIS,
            SRC,
        ],
        key: &["project", "org"],
        default_visibility: Visibility::Cluster,
    },
    TableSchema {
        name: "funding",
        columns: &[
            req("recipient", T::Ref(&["projects", "clusters"])),
            req("source_type", T::Enum(SourceType::NAMES)),
            opt("programme", T::Ref(&["programmes"])),
            req("amount", T::NonNegative),
            opt("currency", T::Text),
            req("year", T::Year),
            VIS,
            SRC,
        ],
        key: &["recipient", "source_type", "programme", "year"],
        default_visibility: Visibility::Cluster,
    },
    TableSchema {
        name: "ties",
        columns: &[
            req("source", T::Ref(ORGS)),
            req("target", T::Ref(ORGS)),
            req("kind", T::Enum(TieKind::NAMES)),
            opt("start", T::Date),
            opt("end", T::Date),
            opt("weight", T::Positive),
            opt("directed", T::Bool),
            VIS,
            opt("citation", T::Text),
        ],
        key: &["source", "target", "kind", "start"],
        default_visibility: Visibility::Cluster,
    },
    TableSchema {
        name: "indicators",
        columns: &[
            req("id", T::Id),
            req("name", T::Text),
            opt("name_en", T::Text),
            opt("unit", T::Text),
            opt("dimension", T::Text),
            req("direction", T::Enum(Direction::NAMES)),
            opt("weight", T::NonNegative),
            opt("description", T::LongText),
            opt("min_value", T::Float),
            opt("max_value", T::Float),
            opt("integer_only", T::Bool),
            opt("jump_factor", T::NonNegative),
            VIS,
            SRC,
        ],
        key: &["id"],
        default_visibility: Visibility::Public,
    },
    TableSchema {
        name: "observations",
        columns: &[
            req("cluster", T::Ref(CLUSTERS)),
            req("indicator", T::Ref(&["indicators"])),
            req("period", T::Period),
            req("value", T::Float),
            opt("currency", T::Currency),
            SRC,
            opt("note", T::LongText),
            VIS,
        ],
        key: &["cluster", "indicator", "period"],
        default_visibility: Visibility::Cluster,
    },
    TableSchema {
        name: "exchange_rates",
        columns: &[
            req("currency", T::Currency),
            req("year", T::Year),
            req("per_eur", T::Float),
            req("source", T::Text),
            VIS,
        ],
        key: &["currency", "year"],
        default_visibility: Visibility::Public,
    },
    TableSchema {
        name: "regional_activity",
        columns: &[
            req("region", T::Text),
            req("industry", T::Text),
            opt("country", T::Text),
            opt("classification", T::Text),
            req("year", T::Year),
            req("employment", T::NonNegative),
            opt("establishments", T::NonNegative),
            opt("wages", T::NonNegative),
            VIS,
            SRC,
        ],
        key: &["region", "industry", "year"],
        default_visibility: Visibility::Public,
    },
];

/// The table with this name.
///
/// ```
/// let t = weaver_core::schema::table("ties").unwrap();
/// assert_eq!(t.key, ["source", "target", "kind", "start"]);
/// assert!(weaver_core::schema::table("members").is_none());
/// ```
pub fn table(name: &str) -> Option<&'static TableSchema> {
    TABLES.iter().find(|t| t.name == name)
}

/// The names of every table, in import order.
pub fn table_names() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|t| t.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_point_backwards_in_import_order() {
        for (i, t) in TABLES.iter().enumerate() {
            for c in t.columns {
                if let ColumnType::Ref(targets) = c.ty {
                    for target in targets {
                        let j = TABLES.iter().position(|u| u.name == *target).unwrap();
                        assert!(
                            j < i,
                            "{}.{} refers to {} imported later",
                            t.name,
                            c.name,
                            target
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn keys_are_columns_and_optional_key_parts_are_text() {
        for t in TABLES {
            for k in t.key {
                let c = t.column(k).unwrap_or_else(|| panic!("{}.{}", t.name, k));
                if !c.required {
                    assert_eq!(c.ty.storage(), Storage::Text, "{}.{}", t.name, k);
                }
            }
            assert!(t.column("visibility").is_some());
            assert!(t.column(t.citation_column()).is_some());
        }
    }
}
