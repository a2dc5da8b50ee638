//! Arbitrary bytes as a result-cache file and as one cached entry (a cache file
//! damaged in any way, or written by another build): never a panic, a hang or a
//! huge allocation; what does not decode is a miss.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = trls::cache::decode_untrusted(data);
});
