import { attr, GraphBuilder, type Attribute, type OpType } from '../graph_builder.js';
import { floatTensor } from '../tensor_proto.js';

/**
 * A tensor of a graph under construction. Rules and emitters pass these handles around; the ONNX tensor
 * name inside is an implementation detail nobody composes strings from.
 */
export interface Value {
  readonly name: string;
  /** Whether a gradient flows to this value (it depends on a differentiable input). */
  readonly differentiable: boolean;
  /** Static dims where known (declared inputs, initializers, and what a rule needs propagated). */
  readonly dims?: readonly number[];
  /** The values of a constant, for rules whose backward depends on them (Resize scales). */
  readonly constant?: readonly number[];
}

/** Emits backward nodes: every value a rule creates is an intermediate without a gradient of its own. */
export interface Emitter {
  node(op: OpType, inputs: readonly Value[], attrs?: Attribute[], outputs?: number, names?: readonly string[]): Value[];
  int64(values: readonly number[]): Value;
  float(value: number): Value;
  floats(values: readonly number[]): Value;
}

/** One recorded forward operation and how to differentiate it. */
interface TapeEntry {
  outputs: readonly Value[];
  /** Gradients w.r.t. the entry's inputs (null where none flows) from the gradients of its outputs. */
  backward(e: Emitter, dOutputs: ReadonlyArray<Value | null>): ReadonlyArray<Value | null>;
  inputs: readonly Value[];
}

/** A recorded ONNX node, as a gradient rule sees it. */
export interface OpRecord {
  op: string;
  inputs: readonly Value[];
  outputs: readonly Value[];
  attrs: readonly Attribute[];
}

export type GradRule = (e: Emitter, node: OpRecord, dOutputs: ReadonlyArray<Value | null>) => ReadonlyArray<Value | null>;

/**
 * A forward graph recorded for reverse-mode differentiation. `op` appends an ONNX node and, when one of its
 * inputs is differentiable, records it with the gradient rule of its op type (an op without a rule is an
 * error at build time, not a silent zero). `composite` records a group of nodes as one entry with its own
 * rule, for the places where the composite's closed-form backward is cheaper than the chain of its parts
 * (batch norm, the loss, the guarded division). `backward` walks the record in reverse, accumulating
 * fan-in with Add nodes.
 */
export class Tape implements Emitter {
  readonly g = new GraphBuilder();
  private readonly entries: TapeEntry[] = [];
  private counter = 0;

  constructor(private readonly rules: Readonly<Record<string, GradRule>>) {}

  private fresh(hint: string): string {
    return `${hint}#${this.counter++}`;
  }

  /** A graph input; `differentiable` inputs (weights) get gradients. */
  input(name: string, options: { differentiable?: boolean; dims?: readonly number[] } = {}): Value {
    return { name: this.g.input(name), differentiable: options.differentiable ?? false, dims: options.dims };
  }

  int64(values: readonly number[]): Value {
    return { name: this.g.sharedInt64(`const.i64[${values.join(',')}]`, [values.length], values), differentiable: false, constant: values };
  }

  float(value: number): Value {
    return { name: this.g.sharedFloat(`const.f32(${value})`, [], [value]), differentiable: false, constant: [value] };
  }

  floats(values: readonly number[]): Value {
    return { name: this.g.sharedFloat(`const.f32[${values.join(',')}]`, [values.length], values), differentiable: false, constant: values };
  }

  /** A float32 initializer (baked weights); never differentiable. */
  constant(name: string, dims: readonly number[], values: ArrayLike<number>): Value {
    return { name: this.g.initializer(floatTensor(name, dims, values)), differentiable: false, dims };
  }

  /** An omitted optional input (Resize's roi). */
  omitted(): Value {
    return { name: '', differentiable: false };
  }

  /** Appends a node without recording it (backward nodes, and forward nodes nothing differentiates). */
  node(op: OpType, inputs: readonly Value[], attrs: Attribute[] = [], outputs = 1, names?: readonly string[]): Value[] {
    const outNames = names ?? Array.from({ length: outputs }, () => this.fresh(typeof op === 'string' ? op : op.type));
    this.g.node(op, inputs.map((v) => v.name), [...outNames], attrs);
    return outNames.map((name) => ({ name, differentiable: false }));
  }

  /**
   * A forward node. `names` fixes output tensor names where a caller reads them by name (graph outputs);
   * `dims` states the first output's static dims where a later rule needs them.
   */
  op(op: string, inputs: readonly Value[], attrs: Attribute[] = [], options: { outputs?: number; names?: readonly string[]; dims?: readonly number[] } = {}): Value[] {
    const count = options.names?.length ?? options.outputs ?? 1;
    const differentiable = inputs.some((v) => v.differentiable);
    const plain = this.node(op, inputs, attrs, count, options.names);
    const outputs = plain.map((v, i) => ({ ...v, differentiable, ...(i === 0 && options.dims ? { dims: options.dims } : {}) }));
    if (differentiable) {
      const rule = this.rules[op];
      if (!rule) throw new Error(`Tape: no gradient rule for ONNX op ${op} (add one to the rules table)`);
      const record: OpRecord = { op, inputs, outputs, attrs };
      this.entries.push({ inputs, outputs, backward: (e, d) => rule(e, record, d) });
    }
    return outputs;
  }

  /**
   * Records a group of nodes as one differentiable operation. `forward` emits the nodes (with `node`) and
   * returns the outputs plus whatever its backward needs saved, as typed handles; `backward` gets them back.
   * `differentiableOutputs` marks which outputs carry gradients (batch moments do not).
   */
  composite<S>(
    inputs: readonly Value[],
    forward: (e: Emitter) => { outputs: Value[]; saved: S },
    backward: (e: Emitter, inputs: readonly Value[], outputs: readonly Value[], saved: S, d: ReadonlyArray<Value | null>) => ReadonlyArray<Value | null>,
    differentiableOutputs?: readonly boolean[],
  ): Value[] {
    const differentiable = inputs.some((v) => v.differentiable);
    const { outputs: plain, saved } = forward(this);
    const outputs = plain.map((v, i) => ({ ...v, differentiable: differentiable && (differentiableOutputs?.[i] ?? true) }));
    if (differentiable) this.entries.push({ inputs, outputs, backward: (e, d) => backward(e, inputs, outputs, saved, d) });
    return outputs;
  }

  /**
   * Emits the gradient of the scalar `loss` w.r.t. each of `wrt`, in order; `names` fixes their tensor
   * names (graph outputs). A `wrt` nothing reaches gets an error: a silently zero gradient hides a bug.
   */
  backward(loss: Value, wrt: readonly Value[], names: readonly string[]): Value[] {
    const grads = new Map<string, Value>();
    const accumulate = (v: Value, d: Value) => {
      const seen = grads.get(v.name);
      grads.set(v.name, seen ? this.node('Add', [seen, d])[0] : d);
    };
    grads.set(loss.name, this.float(1));
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      const dOut = entry.outputs.map((o) => (o.differentiable ? grads.get(o.name) ?? null : null));
      if (dOut.every((d) => d === null)) continue;
      const dIn = entry.backward(this, dOut);
      entry.inputs.forEach((v, k) => {
        const d = dIn[k];
        if (d && v.differentiable) accumulate(v, d);
      });
    }
    return wrt.map((v, i) => {
      const d = grads.get(v.name);
      if (!d) throw new Error(`Tape: no gradient reaches '${v.name}'`);
      return this.node('Identity', [d], [], 1, [names[i]])[0];
    });
  }
}

export { attr };
