//! The register's regions: their boundaries as a reader may see them.

use weaver_store::{Principal, Store};

use crate::error::{Result, ServiceError};

/// The regions' boundaries (the GeoJSON FeatureCollection of the last
/// package that brought them) with only the features of the regions `who`
/// (the public when `None`) may read; `NotFound` when the register holds
/// no boundaries.
pub async fn boundaries(store: &Store, who: Option<&Principal>) -> Result<serde_json::Value> {
    let Some(text) = store.boundaries().await? else {
        return Err(ServiceError::NotFound(
            "the register holds no boundaries of regions (an admin imports a package with \
             regions.geojson)"
                .into(),
        ));
    };
    let mut doc: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| ServiceError::Invalid(format!("the stored boundaries are not JSON: {e}")))?;
    let readable: std::collections::HashSet<String> = store
        .readable_regions(who)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if let Some(features) = doc.get_mut("features").and_then(|f| f.as_array_mut()) {
        features.retain(|f| {
            f.get("properties")
                .and_then(|p| p.get("id"))
                .and_then(|id| id.as_str())
                .is_some_and(|id| readable.contains(id.trim()))
        });
    }
    Ok(doc)
}

/// [`boundaries`] as the text of a package's `regions.geojson` for `who`:
/// the stored document itself when `who` reads every region (so that an
/// admin's export gives back the very file imported), `None` when the
/// register holds none.
pub async fn boundaries_for_export(store: &Store, who: &Principal) -> Result<Option<String>> {
    if who.is_admin() {
        return Ok(store.boundaries().await?);
    }
    match boundaries(store, Some(who)).await {
        Ok(doc) => Ok(Some(doc.to_string())),
        Err(ServiceError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}
