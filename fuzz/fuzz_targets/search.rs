//! Search: indexOf/lastIndexOf agree with the naive references.
#![no_main]
use ferrode_core::buffer::search;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // First byte: needle length; second: start position; rest: haystack,
    // whose tail is the needle (so matches are common).
    let (Some(&nl), Some(&from)) = (data.first(), data.get(1)) else {
        return;
    };
    let hay = &data[2..];
    let nl = usize::from(nl % 8).min(hay.len());
    let needle = &hay[hay.len() - nl..];
    let from = usize::from(from);
    assert_eq!(
        search::index_of(hay, needle, from),
        search::reference::index_of(hay, needle, from)
    );
    assert_eq!(
        search::last_index_of(hay, needle, from),
        search::reference::last_index_of(hay, needle, from)
    );
});
