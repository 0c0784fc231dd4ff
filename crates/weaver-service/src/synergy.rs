//! The triple-helix synergy of a cluster's members: the mutual information
//! (in bits) among two to four of their attributes — actor type, region,
//! industry, size — as Leydesdorff measures the synergy of
//! university–industry–government relations
//! ([`weaver_network::mutual_information`]; `docs/methods.md`).
//!
//! The members are those of the cluster's network in the period, read as
//! the caller may ([`crate::network::network_access`]): the same rows, and
//! so the same rights, as the other analyses of a cluster's network.

use serde::{Deserialize, Serialize};
use weaver_store::{ClusterNetwork, Principal, Store};

use crate::error::{Result, ServiceError};

/// An attribute of a cluster's members that synergy is measured over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberAttribute {
    /// The member's actor type (university, enterprise, government, …).
    ActorType,
    /// Its region.
    Region,
    /// Its industry.
    Industry,
    /// Its size class.
    Size,
}

impl MemberAttribute {
    /// Every attribute, in the order of the message that lists them.
    pub const ALL: [MemberAttribute; 4] = [
        MemberAttribute::ActorType,
        MemberAttribute::Region,
        MemberAttribute::Industry,
        MemberAttribute::Size,
    ];

    /// The attributes measured when none are named: the triple helix of
    /// actor type, region and industry.
    pub const DEFAULT: [MemberAttribute; 3] = [
        MemberAttribute::ActorType,
        MemberAttribute::Region,
        MemberAttribute::Industry,
    ];

    /// The attribute's name, as the register's `organizations` table and
    /// the nodes tables of `weaver network` call it.
    pub fn name(self) -> &'static str {
        match self {
            MemberAttribute::ActorType => "actor_type",
            MemberAttribute::Region => "region",
            MemberAttribute::Industry => "industry",
            MemberAttribute::Size => "size",
        }
    }

    /// The attribute called `name`, or [`ServiceError::Invalid`] naming it
    /// and the attributes there are.
    pub fn parse(name: &str) -> Result<MemberAttribute> {
        let name = name.trim();
        MemberAttribute::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                ServiceError::invalid(format!(
                    "columns: a cluster's members have no attribute '{name}'; \
                     expected actor_type, region, industry or size"
                ))
            })
    }

    /// Each member's value of the attribute, in the view's order (`None`
    /// where unknown).
    fn values(self, view: &ClusterNetwork) -> Vec<Option<String>> {
        view.organizations
            .iter()
            .map(|o| match self {
                MemberAttribute::ActorType => Some(o.actor_type.to_string()),
                MemberAttribute::Region => o.region.clone(),
                MemberAttribute::Industry => o.industry.clone(),
                MemberAttribute::Size => o.size.map(|s| s.as_str().to_owned()),
            })
            .collect()
    }
}

/// The question: which period, over which attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynergyParams {
    /// Only memberships valid in this period (`2024`, `2024-Q3`,
    /// `2024-07`); `None`: all time.
    pub period: Option<String>,
    /// Two to four attributes (repeats allowed), in the order given.
    pub columns: Vec<MemberAttribute>,
}

impl Default for SynergyParams {
    fn default() -> Self {
        SynergyParams {
            period: None,
            columns: MemberAttribute::DEFAULT.to_vec(),
        }
    }
}

/// The synergy of a cluster's members in a period.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ClusterSynergy {
    /// The cluster.
    pub cluster: String,
    /// The period, if one was asked for.
    pub period: Option<String>,
    /// The attributes measured, in the order given.
    pub columns: Vec<MemberAttribute>,
    /// How many attributes (2 to 4).
    pub dimensions: usize,
    /// Members with a value of every attribute (the others are left out).
    pub rows: usize,
    /// The mutual information T in bits (Leydesdorff's sign convention: in
    /// three dimensions a negative value is synergy); no value (`null`)
    /// when no member has every attribute.
    #[schema(value_type = Option<f64>)]
    pub mutual_information_bits: f64,
}

/// The synergy of the members of `cluster` as `who` may read its network
/// ([`crate::network::cluster_network`]: the cluster's readers; its
/// managers and admins from every row, the others from the shared rows).
///
/// # Errors
/// [`ServiceError::Invalid`] for a bad period or fewer than 2 or more than
/// 4 attributes; [`ServiceError::NotFound`] / [`ServiceError::Forbidden`]
/// for a cluster `who` may not read or analyse; [`ServiceError::Store`].
pub async fn cluster_synergy(
    store: &Store,
    who: &Principal,
    cluster: &str,
    params: &SynergyParams,
) -> Result<ClusterSynergy> {
    check_columns(&params.columns)?;
    let view =
        crate::network::cluster_network(store, who, cluster, params.period.as_deref()).await?;
    synergy_of(&view, &params.columns)
}

/// The synergy of a view's members over `columns`.
///
/// # Errors
/// [`ServiceError::Invalid`] for fewer than 2 or more than 4 attributes.
pub fn synergy_of(view: &ClusterNetwork, columns: &[MemberAttribute]) -> Result<ClusterSynergy> {
    check_columns(columns)?;
    let values: Vec<Vec<Option<String>>> = columns.iter().map(|c| c.values(view)).collect();
    let data: Vec<&[Option<String>]> = values.iter().map(Vec::as_slice).collect();
    let mi = weaver_network::mutual_information(&data)
        .map_err(|e| ServiceError::engine("the synergy of the cluster's members", e))?;
    Ok(ClusterSynergy {
        cluster: view.cluster.clone(),
        period: view.period.map(|p| p.to_string()),
        columns: columns.to_vec(),
        dimensions: columns.len(),
        rows: mi.rows,
        mutual_information_bits: mi.value,
    })
}

fn check_columns(columns: &[MemberAttribute]) -> Result<()> {
    if (2..=4).contains(&columns.len()) {
        Ok(())
    } else {
        Err(ServiceError::invalid(format!(
            "columns: expected 2 to 4 attributes, got {}",
            columns.len()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weaver_store::OrgNode;

    fn member(id: &str, actor: &str, region: Option<&str>, industry: &str) -> OrgNode {
        OrgNode {
            id: id.into(),
            name: id.into(),
            actor_type: actor.parse().unwrap(),
            region: region.map(Into::into),
            industry: Some(industry.into()),
            size: None,
        }
    }

    fn view() -> ClusterNetwork {
        ClusterNetwork {
            cluster: "c".into(),
            period: Some("2024".parse().unwrap()),
            organizations: vec![
                member("a", "university", Some("R1"), "x"),
                member("b", "university", Some("R1"), "x"),
                member("c", "enterprise", Some("R2"), "y"),
                member("d", "enterprise", None, "y"),
            ],
            ties: Vec::new(),
        }
    }

    #[test]
    fn actor_type_equal_to_industry_shares_one_bit() {
        // Actor type and industry determine each other: T = H = 1 bit.
        let s = synergy_of(
            &view(),
            &[MemberAttribute::ActorType, MemberAttribute::Industry],
        )
        .unwrap();
        assert_eq!(s.rows, 4);
        assert_eq!(s.dimensions, 2);
        assert!((s.mutual_information_bits - 1.0).abs() < 1e-12);
        assert_eq!(s.period.as_deref(), Some("2024"));
    }

    #[test]
    fn members_without_a_value_are_left_out() {
        // d has no region: three rows, actor type = region there.
        let s = synergy_of(
            &view(),
            &[MemberAttribute::ActorType, MemberAttribute::Region],
        )
        .unwrap();
        assert_eq!(s.rows, 3);
        let h = -(2.0f64 / 3.0) * (2.0f64 / 3.0).log2() - (1.0 / 3.0) * (1.0f64 / 3.0).log2();
        assert!((s.mutual_information_bits - h).abs() < 1e-12);
        // Nobody has a size: no value.
        let s = synergy_of(
            &view(),
            &[MemberAttribute::ActorType, MemberAttribute::Size],
        )
        .unwrap();
        assert_eq!(s.rows, 0);
        assert!(s.mutual_information_bits.is_nan());
    }

    #[test]
    fn bad_questions_are_invalid_with_a_message() {
        let e = synergy_of(&view(), &[MemberAttribute::Region]).unwrap_err();
        assert!(matches!(e, ServiceError::Invalid(_)), "{e}");
        assert!(e.to_string().contains("expected 2 to 4"), "{e}");
        let e = MemberAttribute::parse("colour").unwrap_err();
        assert!(e.to_string().contains("'colour'"), "{e}");
        assert_eq!(
            MemberAttribute::parse(" size ").unwrap(),
            MemberAttribute::Size
        );
        // The names are the serialised ones.
        for a in MemberAttribute::ALL {
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::Value::from(a.name())
            );
        }
    }
}
