/**
 * Derives an independent, never-zero 32-bit seed from (seed, site), so every random draw (initialisers,
 * dropout masks, MC samples) is fixed by the run seed yet uncorrelated across sites. Never zero because
 * tfjs treats a falsy seed as "unseeded" and falls back to Math.random.
 */
export function siteSeed(seed: number, site: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (site + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h === 0 ? 1 : h;
}
