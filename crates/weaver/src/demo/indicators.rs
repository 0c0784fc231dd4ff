//! The demo's indicators: those of the built-in framework
//! `world_class_cluster` that are not computed from the register, with
//! their units and the ranges their observations respect.

/// An indicator of the demo: its id, names and unit are those of the
/// built-in framework `world_class_cluster` (the demo enters exactly the
/// framework's indicators that are not computed from the register), its
/// range is what its observations respect.
pub(super) struct IndicatorSpec {
    pub(super) id: &'static str,
    pub(super) name: &'static str,
    pub(super) name_en: &'static str,
    pub(super) unit: &'static str,
    pub(super) dimension: &'static str,
    pub(super) direction: &'static str,
    pub(super) min: Option<f64>,
    pub(super) max: Option<f64>,
    pub(super) integer: bool,
    /// Largest factor between a value and the one before it (the store's
    /// jump check); `None` takes the store's default of 3.
    pub(super) jump: Option<f64>,
    /// Decimals written.
    pub(super) digits: i32,
}

const fn ind(
    (id, name, name_en): (&'static str, &'static str, &'static str),
    unit: &'static str,
    dimension: &'static str,
    direction: &'static str,
    range: (Option<f64>, Option<f64>, bool),
    jump: Option<f64>,
    digits: i32,
) -> IndicatorSpec {
    IndicatorSpec {
        id,
        name,
        name_en,
        unit,
        dimension,
        direction,
        min: range.0,
        max: range.1,
        integer: range.2,
        jump,
        digits,
    }
}

const HIGHER: &str = "higher_better";
/// A jump factor of 0: no jump check. For small counts (one leading firm
/// that leaves makes 1 → 0) and rates of a flow (the entry rate), a large
/// change from one year to the next is no sign of a mistake.
const NO_JUMP_CHECK: Option<f64> = Some(0.0);
const SHARE: (Option<f64>, Option<f64>, bool) = (Some(0.0), Some(1.0), false);
const COUNT: (Option<f64>, Option<f64>, bool) = (Some(0.0), None, true);

/// The demo's indicators, in the order of the framework's dimensions.
pub(super) const INDICATORS: &[IndicatorSpec] = &[
    ind(
        (
            "rd_intensity",
            "研发投入强度",
            "R&D expenditure / revenue of members",
        ),
        "% of members' revenue",
        "innovation",
        HIGHER,
        (Some(0.0), Some(100.0), false),
        None,
        2,
    ),
    ind(
        (
            "patents_per_10k_employees",
            "万人发明专利授权",
            "Patents per 10,000 employees",
        ),
        "patents granted per 10,000 employees",
        "innovation",
        HIGHER,
        (Some(0.0), None, false),
        None,
        2,
    ),
    ind(
        (
            "co_patent_share",
            "联合专利占比",
            "Share of patents co-owned by two or more members",
        ),
        "share of members' patents (0-1)",
        "innovation",
        HIGHER,
        SHARE,
        None,
        3,
    ),
    ind(
        (
            "high_tech_output_share",
            "高技术产值占比",
            "High-tech share of output",
        ),
        "share of members' output (0-1)",
        "manufacturing",
        HIGHER,
        SHARE,
        None,
        3,
    ),
    ind(
        (
            "smart_factory_share",
            "智能工厂占比",
            "Share of members with certified smart or digital factories",
        ),
        "share of member enterprises (0-1)",
        "manufacturing",
        HIGHER,
        SHARE,
        None,
        3,
    ),
    ind(
        (
            "energy_per_output",
            "单位产值能耗",
            "Energy use per unit of output",
        ),
        "MWh per million EUR of output",
        "manufacturing",
        "lower_better",
        (Some(0.0), None, false),
        None,
        1,
    ),
    ind(
        (
            "leading_firms",
            "领军企业",
            "Firms among national or global industry leaders",
        ),
        "firms",
        "firms",
        HIGHER,
        COUNT,
        NO_JUMP_CHECK,
        0,
    ),
    ind(
        (
            "hidden_champions",
            "专精特新“小巨人”企业",
            "Specialised SME champions",
        ),
        "firms",
        "firms",
        HIGHER,
        COUNT,
        NO_JUMP_CHECK,
        0,
    ),
    ind(
        ("export_share", "出口占比", "Export share of revenue"),
        "share of members' revenue (0-1)",
        "firms",
        HIGHER,
        SHARE,
        None,
        3,
    ),
    ind(
        (
            "entry_rate",
            "新成员比例",
            "New members / members at the start of the period",
        ),
        "new members per member at the start of the period",
        "ecosystem",
        HIGHER,
        (Some(0.0), None, false),
        NO_JUMP_CHECK,
        4,
    ),
    ind(
        (
            "local_supply_share",
            "本地配套率",
            "Share of inputs bought from other members",
        ),
        "share of members' inputs (0-1)",
        "ecosystem",
        HIGHER,
        SHARE,
        None,
        3,
    ),
    ind(
        (
            "governance_bodies",
            "治理机构",
            "Active governance bodies: board, executive, advisory, working groups",
        ),
        "bodies (0-4)",
        "governance",
        HIGHER,
        (Some(0.0), Some(4.0), true),
        None,
        0,
    ),
    ind(
        (
            "management_fte",
            "集群管理人员",
            "Full-time equivalents of cluster management",
        ),
        "FTE",
        "organisation",
        HIGHER,
        (Some(0.0), None, false),
        None,
        0,
    ),
    ind(
        (
            "services_offered",
            "服务项目",
            "Services the cluster organization offers its members",
        ),
        "services",
        "organisation",
        HIGHER,
        (Some(0.0), Some(50.0), true),
        None,
        0,
    ),
    ind(
        (
            "member_satisfaction",
            "成员满意度",
            "Member satisfaction with the cluster organization",
        ),
        "mean score of a member survey (1-5)",
        "organisation",
        HIGHER,
        (Some(1.0), Some(5.0), false),
        None,
        2,
    ),
    ind(
        (
            "employment",
            "从业人员",
            "Employment of the cluster's organizations",
        ),
        "persons",
        "scale",
        HIGHER,
        COUNT,
        None,
        0,
    ),
];
