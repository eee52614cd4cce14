import * as tf from '@tensorflow/tfjs';

/** `[1,3,4,8]`: the form every shape takes in this package's error messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}

/** Throws unless `t` is a rank-4 (NHWC) tensor of `dtype`. */
export function assertNhwc(
  op: string,
  name: string,
  t: unknown,
  dtype: tf.DataType = 'float32',
): asserts t is tf.Tensor4D {
  if (!(t instanceof tf.Tensor)) {
    throw new Error(`${op}: '${name}' must be a tf.Tensor but is ${describe(t)}`);
  }
  if (t.rank !== 4) {
    throw new Error(`${op}: '${name}' must be rank 4 (NHWC) but has shape ${formatShape(t.shape)}`);
  }
  if (t.dtype !== dtype) {
    throw new Error(`${op}: '${name}' must be ${dtype} but is ${t.dtype} (shape ${formatShape(t.shape)})`);
  }
}

/** Throws unless `t` is NHWC with an even, non-zero height and width (a 2x2 stride-2 pooling input). */
export function assertPoolable(op: string, name: string, t: unknown): asserts t is tf.Tensor4D {
  assertNhwc(op, name, t);
  const [, h, w] = t.shape;
  if (h === 0 || w === 0 || h % 2 !== 0 || w % 2 !== 0) {
    throw new Error(
      `${op}: '${name}' has shape ${formatShape(t.shape)}: 2x2 pooling needs an even, non-zero height and width`,
    );
  }
}

/** Throws unless `a` (called `nameA`) has exactly the shape of `b` (called `nameB`). */
export function assertSameShape(
  op: string,
  nameA: string,
  a: tf.Tensor,
  nameB: string,
  b: tf.Tensor,
): void {
  if (!tf.util.arraysEqual(a.shape, b.shape)) {
    throw new Error(`${op}: '${nameA}' has shape ${formatShape(a.shape)} but '${nameB}' has ${formatShape(b.shape)}`);
  }
}

/** The NHWC shape a 2x2 stride-2 unpooling of `pooledShape` produces. */
export function unpooledShape(pooledShape: readonly number[]): [number, number, number, number] {
  const [n, h, w, c] = pooledShape;
  return [n, 2 * h, 2 * w, c];
}

/**
 * Throws unless `fullShape` (the shape of `fullName`) is exactly twice `pooled`'s height and width with
 * the same batch and channels.
 */
export function assertUnpoolsTo(
  op: string,
  fullName: string,
  fullShape: readonly number[],
  pooledName: string,
  pooled: tf.Tensor,
): void {
  const expected = unpooledShape(pooled.shape);
  if (!tf.util.arraysEqual(fullShape as number[], expected)) {
    throw new Error(
      `${op}: '${fullName}' has shape ${formatShape(fullShape)} but '${pooledName}' has ` +
        `${formatShape(pooled.shape)} (expected ${formatShape(expected)})`,
    );
  }
}
