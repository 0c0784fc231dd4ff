//! The regions' boundaries of a data package: `regions.geojson`, a GeoJSON
//! FeatureCollection (RFC 7946) whose features each name a region of the
//! `regions` table in `properties.id`. The document is too large for a cell:
//! it travels beside the tables, is kept whole by the store and written back
//! as it came.

use weaver_core::Boundaries;

/// The file name of the boundaries in a package.
pub const BOUNDARIES_FILE: &str = "regions.geojson";

/// Checks `text` (read from `origin`) as a FeatureCollection whose every
/// feature has a geometry (or `null`) and a region id in `properties.id`;
/// the document and its ids, or what is wrong with it (naming the feature).
///
/// ```
/// let doc = r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","properties":{"id":"DED2"},"geometry":null}]}"#;
/// let b = weaver_io::geojson::check_boundaries("regions.geojson", doc).unwrap();
/// assert_eq!(b.ids, ["DED2"]);
/// assert!(weaver_io::geojson::check_boundaries("regions.geojson", "[]").is_err());
/// ```
pub fn check_boundaries(origin: &str, text: &str) -> Result<Boundaries, String> {
    let doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("is not valid JSON: {e}"))?;
    if doc.get("type").and_then(|t| t.as_str()) != Some("FeatureCollection") {
        return Err(
            "is not a GeoJSON FeatureCollection (its \"type\" must be \"FeatureCollection\")"
                .into(),
        );
    }
    let Some(features) = doc.get("features").and_then(|f| f.as_array()) else {
        return Err("a FeatureCollection needs a \"features\" array".into());
    };
    let mut ids = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let n = i + 1;
        if f.get("type").and_then(|t| t.as_str()) != Some("Feature") {
            return Err(format!("feature {n}: its \"type\" must be \"Feature\""));
        }
        match f.get("geometry") {
            Some(serde_json::Value::Null) => {}
            Some(g) if g.get("type").and_then(|t| t.as_str()).is_some() => {}
            _ => {
                return Err(format!(
                    "feature {n}: needs a \"geometry\" with a \"type\" (or null)"
                ));
            }
        }
        let Some(id) = f
            .get("properties")
            .and_then(|p| p.get("id"))
            .and_then(|id| id.as_str())
            .filter(|id| !id.trim().is_empty())
        else {
            return Err(format!(
                "feature {n}: needs the region's id as text in \"properties\": {{\"id\": …}}"
            ));
        };
        ids.push(id.trim().to_owned());
    }
    Ok(Boundaries {
        origin: origin.to_owned(),
        document: text.to_owned(),
        ids,
    })
}
