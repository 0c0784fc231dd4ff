//! The Frictionless `datapackage.json` descriptor: written for every export,
//! read (when present) to find the tables of a folder or zip.

use serde_json::{Value as Json, json};
use weaver_core::schema::{ColumnType, TableSchema};

/// The Frictionless field type and constraints of a column.
fn field(t: &TableSchema, c: &weaver_core::schema::Column) -> Json {
    let (ty, description) = match c.ty {
        ColumnType::Int | ColumnType::Count => ("integer", None),
        ColumnType::Year => ("year", None),
        ColumnType::Float | ColumnType::NonNegative => ("number", None),
        ColumnType::Positive => ("number", Some("a number above zero")),
        ColumnType::Bool => ("boolean", None),
        ColumnType::Date => ("string", Some("ISO 8601 date: YYYY-MM-DD, YYYY-MM or YYYY")),
        ColumnType::Period => ("string", Some("period: YYYY, YYYY-Qn or YYYY-MM")),
        ColumnType::List => ("string", Some(";-separated list")),
        ColumnType::Identifiers => ("string", Some(";-separated scheme:value identifiers")),
        ColumnType::Url => ("string", Some("web address: http:// or https://")),
        ColumnType::Currency => ("string", Some("ISO 4217 currency code: EUR, CNY, USD, …")),
        _ => ("string", None),
    };
    let mut f = json!({ "name": c.name, "type": ty });
    let mut constraints = serde_json::Map::new();
    if c.required {
        constraints.insert("required".into(), json!(true));
    }
    if let ColumnType::Enum(names) = c.ty {
        constraints.insert("enum".into(), json!(names));
    }
    if matches!(c.ty, ColumnType::NonNegative | ColumnType::Count) {
        constraints.insert("minimum".into(), json!(0));
    }
    if c.ty == ColumnType::Positive {
        // Table Schema has no exclusive minimum: zero passes this constraint,
        // the description says what Weaver asks.
        constraints.insert("minimum".into(), json!(0));
    }
    if t.key == [c.name] && c.name == "id" {
        constraints.insert("unique".into(), json!(true));
    }
    if !constraints.is_empty() {
        f["constraints"] = Json::Object(constraints);
    }
    if let Some(d) = description {
        f["description"] = json!(d);
    }
    f
}

/// The descriptor of a package holding `tables`, as pretty JSON with a final newline.
pub(crate) fn descriptor(
    name: &str,
    tables: &[&TableSchema],
    properties: Option<&serde_json::Map<String, Json>>,
) -> String {
    let resources: Vec<Json> = tables
        .iter()
        .map(|t| {
            let fields: Vec<Json> = t.columns.iter().map(|c| field(t, c)).collect();
            let foreign: Vec<Json> = t
                .columns
                .iter()
                .filter_map(|c| match c.ty {
                    ColumnType::Ref([target]) => Some(json!({
                        "fields": c.name,
                        "reference": { "resource": target, "fields": "id" }
                    })),
                    _ => None,
                })
                .collect();
            let mut schema = json!({ "fields": fields, "primaryKey": t.key });
            if !foreign.is_empty() {
                schema["foreignKeys"] = json!(foreign);
            }
            json!({
                "name": t.name,
                "path": format!("{}.csv", t.name),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            })
        })
        .collect();
    let mut d = json!({
        "profile": "tabular-data-package",
        "name": name,
        "resources": resources,
    });
    if let (Some(extra), Some(top)) = (properties, d.as_object_mut()) {
        for (k, v) in extra {
            top.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    let mut s = serde_json::to_string_pretty(&d).expect("JSON of plain values");
    s.push('\n');
    s
}

/// A resource named in a descriptor: the table and the file path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resource {
    pub name: String,
    pub path: String,
}

/// Any JSON value in which no object gives a key twice (JSON parsers
/// disagree on which one counts; a descriptor means one thing or is refused).
struct KeysOnce;

impl<'de> serde::Deserialize<'de> for KeysOnce {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<KeysOnce, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = KeysOnce;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, _: bool) -> Result<KeysOnce, E> {
                Ok(KeysOnce)
            }
            fn visit_i64<E>(self, _: i64) -> Result<KeysOnce, E> {
                Ok(KeysOnce)
            }
            fn visit_u64<E>(self, _: u64) -> Result<KeysOnce, E> {
                Ok(KeysOnce)
            }
            fn visit_f64<E>(self, _: f64) -> Result<KeysOnce, E> {
                Ok(KeysOnce)
            }
            fn visit_str<E>(self, _: &str) -> Result<KeysOnce, E> {
                Ok(KeysOnce)
            }
            fn visit_unit<E>(self) -> Result<KeysOnce, E> {
                Ok(KeysOnce)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<KeysOnce, A::Error> {
                while seq.next_element::<KeysOnce>()?.is_some() {}
                Ok(KeysOnce)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<KeysOnce, A::Error> {
                let mut seen = std::collections::HashSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !seen.insert(key.clone()) {
                        return Err(serde::de::Error::custom(format!(
                            "the key \"{key}\" is given twice"
                        )));
                    }
                    map.next_value::<KeysOnce>()?;
                }
                Ok(KeysOnce)
            }
        }
        d.deserialize_any(Visit)
    }
}

/// Reads a descriptor: the package's name and its resources.
pub(crate) fn parse(text: &str) -> Result<(Option<String>, Vec<Resource>), String> {
    serde_json::from_str::<KeysOnce>(text).map_err(|e| format!("is not valid JSON: {e}"))?;
    let d: Json = serde_json::from_str(text).map_err(|e| format!("is not valid JSON: {e}"))?;
    let name = d.get("name").and_then(Json::as_str).map(str::to_owned);
    let Some(resources) = d.get("resources").and_then(Json::as_array) else {
        return Err("has no \"resources\" list".into());
    };
    let mut out = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        let Some(rname) = r.get("name").and_then(Json::as_str) else {
            return Err(format!("resource {} has no \"name\"", i + 1));
        };
        let path = match r.get("path") {
            Some(Json::String(p)) => p.clone(),
            Some(_) => {
                return Err(format!(
                    "resource '{rname}': \"path\" must be one file name"
                ));
            }
            None => format!("{rname}.csv"),
        };
        out.push(Resource {
            name: rname.to_owned(),
            path,
        });
    }
    Ok((name, out))
}
