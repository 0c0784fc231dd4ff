//! Weaver's evaluation engine: composite indices, uncertainty analysis,
//! benchmarking, lifecycle stage, labels and policy effect. Pure: no I/O, no async.
