import * as tf from '@tensorflow/tfjs';

/**
 * Stops the cpu backend's "Hi, looks like you are running TensorFlow.js in Node.js..." banner.
 *
 * The banner is printed on the cpu backend's first write when IS_NODE is set. Clearing IS_NODE would
 * also change file/fetch handling, and PROD or IS_TEST would hide every other tfjs warning, so this only
 * marks that backend instance as already used. The field is private to tfjs 4.x; when it is absent
 * (another version) this does nothing and the banner simply prints.
 */
export function silenceNodeBanner(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: unknown } | null;
  if (cpu !== null && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
}
