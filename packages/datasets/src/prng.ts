/**
 * Small seeded PRNG and hashing. Everything random in this package comes from here so that a sample is a
 * pure function of (seed, split, style, index) and a batch order a pure function of (seed, epoch).
 */

/** Mixes one 32-bit word into a running hash (murmur3-style finaliser on top of a multiply-xor). */
function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalise(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes numbers and strings into one unsigned 32-bit seed. Numbers are split into two 32-bit halves so
 * seeds above 2^32 (and negative ones) stay distinct.
 */
export function hashSeed(...parts: (number | string)[]): number {
  let h = 0x9e3779b9 | 0;
  for (const p of parts) {
    if (typeof p === 'string') {
      h = mix(h, p.length | 0x40000000);
      for (let i = 0; i < p.length; i++) h = mix(h, p.charCodeAt(i));
    } else {
      const lo = p | 0;
      const hi = Math.floor(p / 4294967296) | 0;
      h = mix(mix(h, lo), hi);
    }
  }
  return finalise(h);
}

/** A seeded generator of floats in [0,1) (mulberry32) with the helpers the generator needs. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer uniform in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks an index with probability proportional to its weight. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Roughly normal (sum of three uniforms), cheap and bounded to mean +- 3 sd. */
  normal(mean = 0, sd = 1): number {
    return mean + sd * (this.next() + this.next() + this.next() - 1.5) * 2;
  }

  /** A child generator whose stream does not depend on how much of this one is consumed later. */
  fork(tag: string): Rng {
    return new Rng(hashSeed(this.state, tag));
  }
}
