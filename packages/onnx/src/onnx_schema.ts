import * as fs from 'node:fs';
import protobuf from 'protobufjs';

// The schema travels with the package as a data file; this URL resolves from src/ and from dist/ alike.
const SCHEMA_URL = new URL('../schema/onnx.proto', import.meta.url);

let root: protobuf.Root | undefined;

/**
 * The ONNX protobuf schema, parsed once. Field names stay in the schema's snake_case (`keepCase`) so the
 * objects built here read like the ONNX spec (`ir_version`, `raw_data`, `dim_param`).
 */
export function onnxSchema(): protobuf.Root {
  if (!root) {
    let text: string;
    try {
      text = fs.readFileSync(SCHEMA_URL, 'utf8');
    } catch (err) {
      throw new Error(`onnxSchema: cannot read ${SCHEMA_URL.pathname} (${(err as Error).message})`);
    }
    root = protobuf.parse(text, { keepCase: true }).root;
  }
  return root;
}

/**
 * Numeric code of a TensorProto.DataType. The fields that carry it (`TensorProto.data_type`,
 * `TypeProto.Tensor.elem_type`) are declared int32, not enum, so protobufjs cannot map names for them.
 */
export function dataTypeCode(name: 'FLOAT' | 'INT64' | 'INT32' | 'BOOL'): number {
  const code = onnxSchema().lookupEnum('onnx.TensorProto.DataType').values[name];
  if (code === undefined) throw new Error(`dataTypeCode: '${name}' is not a TensorProto.DataType`);
  return code;
}

export type OnnxMessageName = 'ModelProto' | 'TensorProto' | 'GraphProto' | 'NodeProto';

export function onnxType(name: OnnxMessageName): protobuf.Type {
  return onnxSchema().lookupType(`onnx.${name}`);
}

/** Encodes a plain object (enum values by name or number) as the named ONNX message. */
export function encodeOnnx(name: OnnxMessageName, value: Record<string, unknown>): Uint8Array {
  const type = onnxType(name);
  const message = type.fromObject(value);
  const problem = type.verify(message);
  if (problem) throw new Error(`encodeOnnx(${name}): ${problem}`);
  const bytes = type.encode(message).finish();
  // protobufjs hands out a Node Buffer; callers get a plain Uint8Array view of the same memory.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes bytes as the named ONNX message into a plain object: int64 as JS numbers (every value this
 * package meets is far below 2^53), enums as names, bytes as Uint8Array, defaults filled in.
 */
export function decodeOnnx(name: OnnxMessageName, bytes: Uint8Array): Record<string, any> {
  const type = onnxType(name);
  return type.toObject(type.decode(bytes), { longs: Number, enums: String, bytes: Uint8Array, defaults: true, arrays: true });
}
