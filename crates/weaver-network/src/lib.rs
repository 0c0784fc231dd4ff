//! Weaver's network engine: compact graphs, metrics, communities, brokerage,
//! openness, link prediction and knowledge diffusion. Pure: no I/O, no async.
