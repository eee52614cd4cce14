export { maxPool2x2 } from './max_pool_2x2.js';
export { maxPoolWithSwitches } from './max_pool_with_switches.js';
export type { PooledWithSwitches } from './max_pool_with_switches.js';
export { switchUnpool } from './switch_unpool.js';
export { ratioUnpool } from './ratio_unpool.js';
export { nearestUnpool } from './nearest_unpool.js';
export { upsampleNearest2x, windowSum2x2 } from './upsample_nearest_2x.js';
export * from './reference.js';
