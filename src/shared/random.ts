/**
 * Reproducible randomness: the demo generators and the verification samples draw from a seed, so the
 * same seed gives the same households, the same sample, everywhere (server, CLI, browser).
 */

/**
 * mulberry32: a small, fast 32-bit PRNG. The same seed always gives the same sequence of numbers in [0, 1).
 * @param seed any integer (taken modulo 2^32)
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
