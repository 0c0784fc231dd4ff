//! Weaver data packages.
