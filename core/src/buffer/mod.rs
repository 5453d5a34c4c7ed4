//! The compute behind Node's `buffer` module: encodings, search, compare, fill.
