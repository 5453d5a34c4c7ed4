// A small seeded PRNG (mulberry32-style mixing), so a failing random case reproduces from its seed.
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The same sequence as whole numbers: each call `(n)` gives one in [0, n).
export function rngInt(seed) {
  const next = rng(seed);
  return (n) => Math.floor(next() * n);
}
