//! A fast non-cryptographic 128-bit hash for the result cache's keys (file contents,
//! configurations): XXH64 (Yann Collet's, a public specification) with two seeds.
//! Hand-written because it is forty lines and no dependency is worth it; 128 bits
//! so that two different files practically never share a key (the cache is never
//! wrong). Not for anything an adversary chooses: a collision would only give a
//! stale finding, never run code.

const P1: u64 = 0x9E37_79B1_85EB_CA87;
const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const P3: u64 = 0x1656_67B1_9E37_79F9;
const P4: u64 = 0x85EB_CA77_C2B2_AE63;
const P5: u64 = 0x27D4_EB2F_1656_67C5;

fn round(acc: u64, input: u64) -> u64 {
    acc.wrapping_add(input.wrapping_mul(P2))
        .rotate_left(31)
        .wrapping_mul(P1)
}

fn merge(acc: u64, v: u64) -> u64 {
    (acc ^ round(0, v)).wrapping_mul(P1).wrapping_add(P4)
}

fn u64_at(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

fn u32_at(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[i..i + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// XXH64 of `data` with `seed`.
pub fn xxh64(data: &[u8], seed: u64) -> u64 {
    let len = data.len();
    let mut i = 0;
    let mut h = if len >= 32 {
        let mut v = [
            seed.wrapping_add(P1).wrapping_add(P2),
            seed.wrapping_add(P2),
            seed,
            seed.wrapping_sub(P1),
        ];
        while i + 32 <= len {
            for (k, lane) in v.iter_mut().enumerate() {
                *lane = round(*lane, u64_at(data, i + 8 * k));
            }
            i += 32;
        }
        let mut h = v[0]
            .rotate_left(1)
            .wrapping_add(v[1].rotate_left(7))
            .wrapping_add(v[2].rotate_left(12))
            .wrapping_add(v[3].rotate_left(18));
        for lane in v {
            h = merge(h, lane);
        }
        h
    } else {
        seed.wrapping_add(P5)
    };
    h = h.wrapping_add(len as u64);
    while i + 8 <= len {
        h ^= round(0, u64_at(data, i));
        h = h.rotate_left(27).wrapping_mul(P1).wrapping_add(P4);
        i += 8;
    }
    if i + 4 <= len {
        h ^= u32_at(data, i).wrapping_mul(P1);
        h = h.rotate_left(23).wrapping_mul(P2).wrapping_add(P3);
        i += 4;
    }
    for &b in &data[i..] {
        h ^= u64::from(b).wrapping_mul(P5);
        h = h.rotate_left(11).wrapping_mul(P1);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^ (h >> 32)
}

/// The 128-bit hash of `data`: XXH64 under two unrelated seeds.
pub fn hash128(data: &[u8]) -> u128 {
    (u128::from(xxh64(data, 0)) << 64) | u128::from(xxh64(data, 0x5452_4C53_4341_4348))
}

/// A 128-bit hash of several parts, each length-prefixed (so `ab`+`c` and `a`+`bc`
/// differ): for keys made of a configuration's text, its path and its snapshots.
#[derive(Default, Clone)]
pub struct Hasher {
    buf: Vec<u8>,
}

impl Hasher {
    pub fn new() -> Hasher {
        Hasher::default()
    }
    pub fn write(&mut self, part: &[u8]) -> &mut Hasher {
        self.buf
            .extend_from_slice(&(part.len() as u64).to_le_bytes());
        self.buf.extend_from_slice(part);
        self
    }
    pub fn write_u128(&mut self, v: u128) -> &mut Hasher {
        self.write(&v.to_le_bytes())
    }
    pub fn finish(&self) -> u128 {
        hash128(&self.buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xxh64_matches_the_reference_values() {
        // From the reference implementation (xxhsum -H1).
        assert_eq!(xxh64(b"", 0), 0xEF46_DB37_51D8_E999);
        assert_eq!(xxh64(b"abc", 0), 0x44BC_2CF5_AD77_0999);
    }

    #[test]
    fn parts_are_delimited_and_every_byte_counts() {
        let a = Hasher::new().write(b"ab").write(b"c").finish();
        let b = Hasher::new().write(b"a").write(b"bc").finish();
        assert_ne!(a, b);
        let text: Vec<u8> = (0..100u8).collect();
        for i in 0..text.len() {
            let mut t = text.clone();
            t[i] ^= 1;
            assert_ne!(hash128(&t), hash128(&text), "byte {i}");
        }
    }
}
