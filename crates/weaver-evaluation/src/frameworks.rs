//! Index frameworks shipped with the engine, as method files.

/// The "world-class cluster" framework: seven dimensions (the five goals of
/// China's advanced-manufacturing cluster policy, the capability of the
/// cluster organization and the scale of the cluster), 30 indicators, each
/// with its unit, every indicator the register computes (`auto.*`) among them, min-max to [0, 100], COINr outlier
/// treatment, equal weights, arithmetic means. Parse it with
/// [`crate::IndexMethod::from_toml`].
///
/// ```
/// use weaver_evaluation::{IndexMethod, frameworks::WORLD_CLASS_CLUSTER};
/// let m = IndexMethod::from_toml(WORLD_CLASS_CLUSTER).unwrap();
/// assert_eq!(m.dimensions.len(), 7);
/// assert_eq!(m.indicators.len(), 30);
/// ```
pub const WORLD_CLASS_CLUSTER: &str = include_str!("../frameworks/world_class_cluster.toml");

/// Built-in frameworks by name.
pub const BUILT_IN: [(&str, &str); 1] = [("world_class_cluster", WORLD_CLASS_CLUSTER)];

/// The built-in framework of that name.
pub fn built_in(name: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}
