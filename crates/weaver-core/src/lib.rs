//! Weaver domain model.
