//! Weaver register storage.
