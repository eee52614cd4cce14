import type { Emitter, Value } from './autodiff/tape.js';
import { attr, type Attribute, type QualifiedOp } from './graph_builder.js';

/**
 * How the graphs spell a convolution, an interpretation choice per execution provider like `PoolLowering`.
 * `onnx` is the standard Conv. `{ nchwcBlock }` runs every conv whose channel counts are multiples of the
 * block on ORT's CPU NCHWc kernels (a contrib domain of the CPU EP): the input reordered into channel blocks,
 * MLAS' blocked conv, the output reordered back. ORT's layout optimiser does this itself, but only for
 * constant weights; the training step's weights are inputs. The block is MLAS' vector width in floats (16
 * with AVX-512, 8 with AVX2), which only a probe of the installed ORT tells (`convLowering`).
 */
export type ConvLowering = 'onnx' | { nchwcBlock: number };

const NCHWC_DOMAIN = 'com.microsoft.nchwc';
const nchwc = (type: string): QualifiedOp => ({ domain: NCHWC_DOMAIN, type, version: 1 });

/** An OIHW filter in MLAS' NCHWc filter layout OIHWBiBo, [O/B, I/B, kh, kw, Bi, Bo], kept as [O, I, kh, kw]. */
function blockedFilter(e: Emitter, w: Value, dims: readonly number[], block: number): Value {
  const [o, i, kh, kw] = dims;
  const [split] = e.node('Reshape', [w, e.int64([o / block, block, i / block, block, kh, kw])]);
  const [blocked] = e.node('Transpose', [split], [attr.ints('perm', [0, 2, 4, 5, 3, 1])]);
  return e.node('Reshape', [blocked, e.int64([...dims])])[0];
}

/**
 * A conv node as `lowering` spells it, unrecorded (the caller differentiates): `x` NCHW, `w` OIHW of static
 * `dims`, `bias` optional. Convs whose channel counts are not multiples of the block stay standard Convs.
 */
export function emitConv(e: Emitter, x: Value, w: Value, dims: readonly number[], attrs: Attribute[], lowering: ConvLowering, bias?: Value): Value {
  const block = lowering === 'onnx' ? 0 : lowering.nchwcBlock;
  const [cout, cin] = dims;
  if (!block || cout % block || cin % block) return e.node('Conv', bias ? [x, w, bias] : [x, w], attrs)[0];
  const [blocked] = e.node(nchwc('ReorderInput'), [x]);
  const filter = blockedFilter(e, w, dims, block);
  const [y] = e.node(nchwc('Conv'), bias ? [blocked, filter, bias] : [blocked, filter], attrs);
  return e.node(nchwc('ReorderOutput'), [y], [attr.int('channels', cout)])[0];
}
