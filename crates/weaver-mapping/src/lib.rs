//! Weaver's mapping engine: location quotients, strong clusters, stars,
//! relatedness and economic complexity. Pure: no I/O, no async.
