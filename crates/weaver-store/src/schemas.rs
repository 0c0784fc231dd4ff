//! JSON schemas of the register's vocabularies where a record the API
//! serves as it is holds one (`#[schema(schema_with = …)]`).

use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use weaver_core::enums::Role;

/// A role: one of [`Role::NAMES`].
pub(crate) fn role() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Role::NAMES.iter().copied()))
        .build()
}

/// A language of messages: one of [`crate::LANGUAGES`].
pub(crate) fn language() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(crate::LANGUAGES.iter().copied()))
        .build()
}
