//! The index tree: indicators grouped into dimensions, each with its
//! weight and aggregation, resolved from the indicators and a method.

use std::collections::HashMap;

use crate::EvalError;
use crate::data::Indicator;
use crate::method::{Aggregation, DimensionSpec, IndexMethod};
use crate::normalise::Goals;

/// Id of the single dimension used when neither the method nor the
/// indicators name one.
pub const DEFAULT_DIMENSION: &str = "all";

/// A dimension of a resolved framework.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    /// Dimension id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Manual weight among dimensions, when given.
    pub weight: Option<f64>,
    /// How its indicators are aggregated.
    pub aggregation: Aggregation,
    /// Indices (into [`Framework::indicators`]) of its indicators.
    pub members: Vec<usize>,
}

/// The index tree resolved from the indicators and a method: index →
/// dimensions → indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct Framework {
    /// All indicators, in the order of the indicators list (then those only
    /// the method names).
    pub indicators: Vec<Indicator>,
    /// Targets and goalposts per indicator.
    pub goals: Vec<Goals>,
    /// The dimensions, in order.
    pub dimensions: Vec<Dimension>,
    /// What the resolution had to say (indicators left out, ...).
    pub notices: Vec<String>,
}

impl Framework {
    /// Resolves the tree. The method's `[[indicators]]` override name,
    /// direction, dimension and weight of the indicators list; an indicator
    /// that only the method names is added (it then needs a direction). The
    /// method's `[[dimensions]]` set the dimensions and their order; when a
    /// dimension lists its indicators, that list decides membership,
    /// otherwise each indicator's `dimension` does. Without any dimension,
    /// all indicators form one dimension `all`.
    ///
    /// # Errors
    /// [`EvalError::UnknownIndicator`] when a dimension lists an indicator
    /// that exists nowhere, [`EvalError::MissingParameter`] for an added
    /// indicator without direction, [`EvalError::Empty`] for a dimension
    /// without indicators or no indicator at all.
    pub fn resolve(indicators: &[Indicator], method: &IndexMethod) -> Result<Framework, EvalError> {
        let mut inds: Vec<Indicator> = indicators.to_vec();
        let mut goals = vec![Goals::default(); inds.len()];
        let mut notices = Vec::new();
        let mut pos: HashMap<String, usize> = inds
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        for spec in &method.indicators {
            let i = match pos.get(&spec.id) {
                Some(&i) => i,
                None => {
                    let dir = spec.direction.ok_or_else(|| EvalError::MissingParameter {
                        what: format!(
                            "indicator `{}` (named by the method but not in the indicators list)",
                            spec.id
                        ),
                        key: format!("indicators.{}.direction", spec.id),
                    })?;
                    inds.push(Indicator::new(&spec.id, dir));
                    goals.push(Goals::default());
                    pos.insert(spec.id.clone(), inds.len() - 1);
                    inds.len() - 1
                }
            };
            let ind = &mut inds[i];
            if let Some(n) = &spec.name {
                ind.name = n.clone();
            }
            if let Some(d) = spec.direction {
                ind.direction = d;
            }
            if spec.dimension.is_some() {
                ind.dimension = spec.dimension.clone();
            }
            if spec.weight.is_some() {
                ind.weight = spec.weight;
            }
            goals[i] = Goals {
                target: spec.target,
                goalposts: spec.goalposts,
            };
        }
        if inds.is_empty() {
            return Err(EvalError::Empty {
                what: "no indicators".into(),
            });
        }
        let mut dims: Vec<Dimension> = Vec::new();
        let make = |id: &str, spec: Option<&DimensionSpec>| Dimension {
            id: id.to_owned(),
            name: spec
                .and_then(|s| s.name.clone())
                .unwrap_or_else(|| id.to_owned()),
            weight: spec.and_then(|s| s.weight),
            aggregation: method.dimension_aggregation(spec),
            members: Vec::new(),
        };
        let mut assigned = vec![false; inds.len()];
        for spec in &method.dimensions {
            let mut d = make(&spec.id, Some(spec));
            for id in &spec.indicators {
                let &i = pos.get(id).ok_or_else(|| EvalError::UnknownIndicator {
                    indicator: id.clone(),
                    context: format!("dimension `{}` of the method", spec.id),
                })?;
                d.members.push(i);
                assigned[i] = true;
            }
            dims.push(d);
        }
        let by_list = method.dimensions.iter().any(|d| !d.indicators.is_empty());
        for (i, ind) in inds.iter().enumerate() {
            if assigned[i] {
                continue;
            }
            if by_list && !method.dimensions.is_empty() {
                // Dimensions list their indicators: the others are not part
                // of the framework.
                if !method
                    .dimensions
                    .iter()
                    .any(|d| d.indicators.is_empty() && ind.dimension.as_deref() == Some(&d.id))
                {
                    notices.push(format!(
                        "indicator `{}` is in no dimension of the method: left out",
                        ind.id
                    ));
                    continue;
                }
            }
            let did = ind.dimension.as_deref().unwrap_or(DEFAULT_DIMENSION);
            let k = match dims.iter().position(|d| d.id == did) {
                Some(k) => k,
                None => {
                    if !method.dimensions.is_empty() {
                        notices.push(format!(
                            "indicator `{}` names dimension `{did}`, which the method does not define: added",
                            ind.id
                        ));
                    }
                    dims.push(make(did, None));
                    dims.len() - 1
                }
            };
            dims[k].members.push(i);
        }
        if let Some(d) = dims.iter().find(|d| d.members.is_empty()) {
            return Err(EvalError::Empty {
                what: format!("dimension `{}` has no indicators", d.id),
            });
        }
        Ok(Framework {
            indicators: inds,
            goals,
            dimensions: dims,
            notices,
        })
    }
}
