//! The register's closed vocabularies with their labels in Chinese and
//! English: every value of every enum of `weaver_core::enums` and the
//! lifecycle and policy stages of `weaver_evaluation::lifecycle`, each
//! labelled here, in one place, in both languages.

use serde::Serialize;
use weaver_core::enums::{
    ActorType, Body, ClusterForm, Direction, GovernanceRole, ParticipationRole, ProgrammeLevel,
    Role, SizeClass, SourceType, TieKind, Tier, Visibility,
};
use weaver_evaluation::lifecycle::{LifecycleStage, PolicyStage, UNDETERMINED};

/// One value of a vocabulary with its labels.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Term {
    /// The value as the register and the API write it (`enterprise`).
    pub value: &'static str,
    /// Its Chinese label (`产`/`企业`).
    pub zh: &'static str,
    /// Its English label.
    pub en: &'static str,
}

/// A closed vocabulary: its name and its values in their canonical order.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Vocabulary {
    /// The vocabulary's name (`actor_type`, `tier`, …).
    pub name: &'static str,
    /// What it classifies, in English.
    pub description: &'static str,
    /// Its values, in canonical order.
    pub values: Vec<Term>,
}

/// Every vocabulary of the register.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VocabularyAnswer {
    /// The vocabularies, in a fixed order.
    pub vocabularies: Vec<Vocabulary>,
}

/// A vocabulary's labels: (value, Chinese, English).
type Labels = &'static [(&'static str, &'static str, &'static str)];

const ACTOR_TYPE: Labels = &[
    ("government", "政府", "Government"),
    ("enterprise", "企业", "Enterprise"),
    ("university", "高校", "University"),
    ("research", "科研院所", "Research institute"),
    ("finance", "金融机构", "Finance"),
    ("intermediary", "中介机构", "Intermediary"),
    ("user", "用户", "User"),
];

const SIZE_CLASS: Labels = &[
    ("large", "大型", "Large"),
    ("medium", "中型", "Medium"),
    ("small", "小型", "Small"),
    ("micro", "微型", "Micro"),
    ("sme", "中小企业", "SME"),
];

const TIER: Labels = &[
    ("core", "核心成员", "Core member"),
    ("partner", "合作伙伴", "Partner"),
    ("regional", "区域成员", "Regional member"),
    ("associate", "联系成员", "Associate member"),
];

const BODY: Labels = &[
    ("board", "理事会", "Board"),
    ("executive", "执行机构", "Executive"),
    ("advisory", "咨询委员会", "Advisory board"),
    ("working_group", "工作组", "Working group"),
];

const GOVERNANCE_ROLE: Labels = &[
    ("chair", "主席", "Chair"),
    ("vice_chair", "副主席", "Vice chair"),
    ("member", "成员", "Member"),
    ("secretary", "秘书处", "Secretary"),
    ("observer", "观察员", "Observer"),
];

const PARTICIPATION_ROLE: Labels = &[
    ("coordinator", "牵头单位", "Coordinator"),
    ("partner", "合作单位", "Partner"),
    ("associate", "参与单位", "Associate"),
];

const SOURCE_TYPE: Labels = &[
    ("central_gov", "中央政府", "Central government"),
    ("local_gov", "地方政府", "Local government"),
    ("supranational", "超国家机构", "Supranational"),
    ("bank", "银行贷款", "Bank"),
    ("venture", "风险投资", "Venture capital"),
    ("private", "其他私人资金", "Other private"),
    ("own", "自有资金", "Own funds"),
];

const TIE_KIND: Labels = &[
    ("contract", "合同", "Contract"),
    ("license", "许可", "Licence"),
    ("co_patent", "合作专利", "Co-patent"),
    ("co_publication", "合作论文", "Co-publication"),
    ("supply", "供应", "Supply"),
    ("tech_transfer", "技术转移", "Technology transfer"),
    ("other", "其他", "Other"),
];

const DIRECTION: Labels = &[
    ("higher_better", "越高越好", "Higher is better"),
    ("lower_better", "越低越好", "Lower is better"),
];

const VISIBILITY: Labels = &[
    ("public", "公开", "Public"),
    ("cluster", "集群内", "Cluster"),
    ("private", "私有", "Private"),
];

const CLUSTER_FORM: Labels = &[
    ("company", "公司", "Company"),
    ("association", "协会", "Association"),
    ("public", "公共机构", "Public body"),
    ("other", "其他", "Other"),
];

const PROGRAMME_LEVEL: Labels = &[
    ("regional", "地市级", "Regional"),
    ("provincial", "省级", "Provincial"),
    ("national", "国家级", "National"),
    ("supranational", "超国家级", "Supranational"),
];

const ROLE: Labels = &[
    ("admin", "管理员", "Administrator"),
    ("officer", "项目官员", "Programme officer"),
    ("manager", "集群管理者", "Cluster manager"),
    ("member", "成员单位", "Member organization"),
];

const LIFECYCLE_STAGE: Labels = &[
    ("emergence", "萌芽期", "Emergence"),
    ("growth", "成长期", "Growth"),
    ("sustainment", "成熟期", "Sustainment"),
    ("decline", "衰退期", "Decline"),
    ("renewal", "更新期", "Renewal"),
    ("undetermined", "未确定", "Undetermined"),
];

const POLICY_STAGE: Labels = &[
    ("initial", "政府主导期", "Government-led"),
    ("growth", "多元协同期", "Multi-actor collaboration"),
    ("mature", "市场主导期", "Market-driven"),
    ("undetermined", "未确定", "Undetermined"),
];

/// A vocabulary as listed: name, description, its values (from the enum),
/// its labels.
struct Source {
    name: &'static str,
    description: &'static str,
    values: Vec<&'static str>,
    labels: Labels,
}

/// The stages' names, `undetermined` last.
fn stages<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|s| name(*s)).chain([UNDETERMINED]).collect()
}

/// Every vocabulary with the values its enum declares.
fn sources() -> Vec<Source> {
    let s = |name, description, values: &[&'static str], labels| Source {
        name,
        description,
        values: values.to_vec(),
        labels,
    };
    vec![
        s(
            "actor_type",
            "the kind of an organization (政产学研金介用)",
            ActorType::NAMES,
            ACTOR_TYPE,
        ),
        s(
            "size_class",
            "the size class of an organization",
            SizeClass::NAMES,
            SIZE_CLASS,
        ),
        s("tier", "the tier of a membership", Tier::NAMES, TIER),
        s(
            "body",
            "a governance body of a cluster organization",
            Body::NAMES,
            BODY,
        ),
        s(
            "governance_role",
            "the role of a seat in a governance body",
            GovernanceRole::NAMES,
            GOVERNANCE_ROLE,
        ),
        s(
            "participation_role",
            "the role of an organization in a project",
            ParticipationRole::NAMES,
            PARTICIPATION_ROLE,
        ),
        s(
            "source_type",
            "where money comes from",
            SourceType::NAMES,
            SOURCE_TYPE,
        ),
        s(
            "tie_kind",
            "the kind of a tie between two organizations",
            TieKind::NAMES,
            TIE_KIND,
        ),
        s(
            "direction",
            "whether more or less of an indicator is better",
            Direction::NAMES,
            DIRECTION,
        ),
        s(
            "visibility",
            "who may see a record",
            Visibility::NAMES,
            VISIBILITY,
        ),
        s(
            "cluster_form",
            "the legal form of a cluster organization",
            ClusterForm::NAMES,
            CLUSTER_FORM,
        ),
        s(
            "programme_level",
            "the level of a funding programme",
            ProgrammeLevel::NAMES,
            PROGRAMME_LEVEL,
        ),
        s("role", "what a platform account may do", Role::NAMES, ROLE),
        Source {
            name: "lifecycle_stage",
            description: "a stage of the cluster life cycle (Menzel & Fornahl 2010)",
            values: stages(LifecycleStage::LIFECYCLE, LifecycleStage::as_str),
            labels: LIFECYCLE_STAGE,
        },
        Source {
            name: "policy_stage",
            description: "a stage of China's cluster policy",
            values: stages(PolicyStage::POLICY, PolicyStage::as_str),
            labels: POLICY_STAGE,
        },
    ]
}

/// The labels of `value` in `labels`; the value itself in both languages
/// when it has none (a test keeps every value labelled).
fn label(labels: Labels, value: &'static str) -> (&'static str, &'static str) {
    labels
        .iter()
        .find(|(v, _, _)| *v == value)
        .map(|(_, zh, en)| (*zh, *en))
        .unwrap_or((value, value))
}

/// Every vocabulary of the register with its values' Chinese and English
/// labels. The same for every caller (it names no record).
pub fn vocabulary() -> VocabularyAnswer {
    let vocabularies = sources()
        .into_iter()
        .map(|s| Vocabulary {
            name: s.name,
            description: s.description,
            values: s
                .values
                .iter()
                .map(|v| {
                    let (zh, en) = label(s.labels, v);
                    Term { value: v, zh, en }
                })
                .collect(),
        })
        .collect();
    VocabularyAnswer { vocabularies }
}

/// The Chinese and English labels of `value` in the vocabulary `name`, if
/// both are known.
pub fn labels_of(name: &str, value: &str) -> Option<(&'static str, &'static str)> {
    let s = sources().into_iter().find(|s| s.name == name)?;
    s.labels
        .iter()
        .find(|(v, _, _)| *v == value)
        .map(|(_, zh, en)| (*zh, *en))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_of_every_enum_has_both_labels_and_no_label_is_stray() {
        for s in sources() {
            for v in &s.values {
                let hit = s.labels.iter().find(|(l, _, _)| l == v);
                let Some((_, zh, en)) = hit else {
                    panic!("{}: value '{v}' has no labels", s.name);
                };
                assert!(
                    !zh.trim().is_empty(),
                    "{}: '{v}' has no Chinese label",
                    s.name
                );
                assert!(
                    !en.trim().is_empty(),
                    "{}: '{v}' has no English label",
                    s.name
                );
                assert!(
                    zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{}: the Chinese label of '{v}' is not Chinese: {zh}",
                    s.name
                );
            }
            for (l, _, _) in s.labels {
                assert!(
                    s.values.contains(l),
                    "{}: label of unknown value '{l}'",
                    s.name
                );
            }
        }
    }

    #[test]
    fn the_answer_lists_every_enum_in_its_order() {
        let a = vocabulary();
        let actor = a
            .vocabularies
            .iter()
            .find(|v| v.name == "actor_type")
            .unwrap();
        let values: Vec<&str> = actor.values.iter().map(|t| t.value).collect();
        assert_eq!(values, ActorType::NAMES);
        assert_eq!(actor.values[1].zh, "企业");
        let life = a
            .vocabularies
            .iter()
            .find(|v| v.name == "lifecycle_stage")
            .unwrap();
        assert_eq!(life.values.len(), LifecycleStage::LIFECYCLE.len() + 1);
        assert_eq!(life.values.last().unwrap().value, "undetermined");
        assert_eq!(labels_of("tier", "core"), Some(("核心成员", "Core member")));
        assert_eq!(labels_of("tier", "nope"), None);
        let names: Vec<&str> = a.vocabularies.iter().map(|v| v.name).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
    }
}
