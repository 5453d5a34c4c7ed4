#![no_main]
//! Fuzzes ferrode's Gunzip decoder: any input, in any pieces, must end in output
//! or a Node-shaped error, never a panic, a hang or unbounded memory.
use ferrode_core::zlib::{fuzzing, Mode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| fuzzing::decode(Mode::Gunzip, data));
