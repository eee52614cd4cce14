import { dataTypeCode } from './onnx_schema.js';
import { floatTensor, int64Tensor, type TensorProtoObject } from './tensor_proto.js';

/** An AttributeProto as a plain object for `encodeOnnx`. */
export interface Attribute {
  name: string;
  type: 'FLOAT' | 'INT' | 'STRING' | 'INTS';
  f?: number;
  i?: number;
  s?: Uint8Array;
  ints?: number[];
}

export const attr = {
  float: (name: string, f: number): Attribute => ({ name, type: 'FLOAT', f }),
  int: (name: string, i: number): Attribute => ({ name, type: 'INT', i }),
  ints: (name: string, ints: number[]): Attribute => ({ name, type: 'INTS', ints }),
  string: (name: string, s: string): Attribute => ({ name, type: 'STRING', s: new TextEncoder().encode(s) }),
};

export interface NodeObject {
  name: string;
  op_type: string;
  domain: string;
  input: string[];
  output: string[];
  attribute: Attribute[];
}

/**
 * An operator outside the default ONNX domain: ORT's own kernels (`conv_nodes.ts`). The model declares
 * each domain a graph uses (`encodeModel`), at `version`.
 */
export interface QualifiedOp {
  domain: string;
  type: string;
  version: number;
}

/** A node's operator: a default-domain ONNX op type, or a qualified one. */
export type OpType = string | QualifiedOp;

/** A dimension of a declared graph input/output: a fixed size or a symbolic name such as `batch`. */
export type Dim = number | string;

export interface ValueInfoObject {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: Array<{ dim_value: number } | { dim_param: string }> } } };
}

/** A declared graph input/output: name, element type and shape (symbolic dims allowed). */
export function valueInfo(name: string, dims: readonly Dim[], elemType: 'FLOAT' | 'INT64' | 'INT32' = 'FLOAT'): ValueInfoObject {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: dataTypeCode(elemType),
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

/**
 * Collects the nodes and initializers of one ONNX graph in topological order (the order of the calls).
 * Tensor names are chosen by the caller and must be unique: a clash would silently rewire the graph, so
 * it throws instead. Constants shared by many nodes (the Resize scales, the zero of Where) are stored once.
 */
export class GraphBuilder {
  readonly nodes: NodeObject[] = [];
  readonly initializers: TensorProtoObject[] = [];
  /** Version of each non-default domain the nodes use, for the model's opset imports. */
  readonly domains = new Map<string, number>();
  private readonly produced = new Set<string>();
  private readonly shared = new Map<string, string>();

  private claim(name: string, what: string): void {
    if (!name) throw new Error(`GraphBuilder: empty tensor name for ${what}`);
    if (this.produced.has(name)) throw new Error(`GraphBuilder: tensor '${name}' is produced twice (${what})`);
    this.produced.add(name);
  }

  /** Declares a graph input (its value comes from the caller at run time). */
  input(name: string): string {
    this.claim(name, 'graph input');
    return name;
  }

  initializer(tensor: TensorProtoObject): string {
    this.claim(tensor.name, 'initializer');
    this.initializers.push(tensor);
    return tensor.name;
  }

  /** A float constant stored once however many nodes read it; a second call must pass the same values. */
  sharedFloat(name: string, dims: readonly number[], values: readonly number[]): string {
    return this.sharedConstant('float', name, dims, values);
  }

  /** An int64 constant (shapes, axes, pads) stored once, like `sharedFloat`. */
  sharedInt64(name: string, dims: readonly number[], values: readonly number[]): string {
    return this.sharedConstant('int64', name, dims, values);
  }

  private sharedConstant(type: 'float' | 'int64', name: string, dims: readonly number[], values: readonly number[]): string {
    const key = `${type}:${dims.join('x')}:${values.join(',')}`;
    const seen = this.shared.get(name);
    if (seen !== undefined) {
      if (seen !== key) throw new Error(`GraphBuilder: shared constant '${name}' redefined with other values`);
      return name;
    }
    this.shared.set(name, key);
    return this.initializer(type === 'float' ? floatTensor(name, dims, values) : int64Tensor(name, dims, values));
  }

  /** Appends a node; `outputs` are its output tensor names. Returns them for chaining. */
  node(op: OpType, inputs: string[], outputs: string[], attributes: Attribute[] = []): string[] {
    const { domain, type: opType } = typeof op === 'string' ? { domain: '', type: op } : op;
    if (typeof op !== 'string') {
      const seen = this.domains.get(op.domain);
      if (seen !== undefined && seen !== op.version) throw new Error(`GraphBuilder: domain '${op.domain}' at versions ${seen} and ${op.version}`);
      this.domains.set(op.domain, op.version);
    }
    for (const i of inputs) {
      // '' marks an omitted optional input (Resize's roi).
      if (i !== '' && !this.produced.has(i)) throw new Error(`GraphBuilder: ${opType} reads '${i}' before anything produces it`);
    }
    outputs.forEach((o) => this.claim(o, `output of ${opType}`));
    this.nodes.push({ name: outputs[0], op_type: opType, domain, input: inputs, output: outputs, attribute: attributes });
    return outputs;
  }
}
