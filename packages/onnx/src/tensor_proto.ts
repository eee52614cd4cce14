import { dataTypeCode, decodeOnnx } from './onnx_schema.js';

/** A TensorProto as a plain object ready for `encodeOnnx`: dims plus little-endian raw_data. */
export interface TensorProtoObject {
  name: string;
  dims: number[];
  /** TensorProto.DataType code (see dataTypeCode). */
  data_type: number;
  raw_data: Uint8Array;
}

function count(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** float32 initializer; raw_data is written through a DataView so it is little-endian on any host. */
export function floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>): TensorProtoObject {
  if (values.length !== count(dims)) {
    throw new Error(`floatTensor('${name}'): ${values.length} values for dims [${dims}] (${count(dims)} expected)`);
  }
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return { name, dims: [...dims], data_type: dataTypeCode('FLOAT'), raw_data: raw };
}

export function int64Tensor(name: string, dims: readonly number[], values: ArrayLike<number>): TensorProtoObject {
  if (values.length !== count(dims)) {
    throw new Error(`int64Tensor('${name}'): ${values.length} values for dims [${dims}] (${count(dims)} expected)`);
  }
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]), true);
  return { name, dims: [...dims], data_type: dataTypeCode('INT64'), raw_data: raw };
}

export type DecodedTensor =
  | { name: string; dims: number[]; type: 'float32'; data: Float32Array }
  | { name: string; dims: number[]; type: 'int64'; data: BigInt64Array };

/**
 * Reads a serialized TensorProto (the `input_*.pb` / `output_*.pb` files of the ONNX backend tests) into a
 * typed array. Handles both raw_data and the typed repeated fields; float and int64 only, which is all
 * the exported graphs and the pinned node tests use.
 */
export function decodeTensor(bytes: Uint8Array, source = 'TensorProto'): DecodedTensor {
  const t = decodeOnnx('TensorProto', bytes);
  const dims: number[] = t.dims;
  const n = count(dims);
  const raw: Uint8Array = t.raw_data;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (t.data_type === dataTypeCode('FLOAT')) {
    const data = new Float32Array(n);
    if (raw.byteLength > 0) {
      if (raw.byteLength !== n * 4) throw new Error(`${source}: raw_data has ${raw.byteLength} bytes for ${n} floats`);
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(i * 4, true);
    } else {
      if (t.float_data.length !== n) throw new Error(`${source}: float_data has ${t.float_data.length} values for ${n}`);
      data.set(t.float_data);
    }
    return { name: t.name, dims, type: 'float32', data };
  }
  if (t.data_type === dataTypeCode('INT64')) {
    const data = new BigInt64Array(n);
    if (raw.byteLength > 0) {
      if (raw.byteLength !== n * 8) throw new Error(`${source}: raw_data has ${raw.byteLength} bytes for ${n} int64s`);
      for (let i = 0; i < n; i++) data[i] = view.getBigInt64(i * 8, true);
    } else {
      if (t.int64_data.length !== n) throw new Error(`${source}: int64_data has ${t.int64_data.length} values for ${n}`);
      t.int64_data.forEach((v: number, i: number) => (data[i] = BigInt(v)));
    }
    return { name: t.name, dims, type: 'int64', data };
  }
  throw new Error(`${source}: data_type ${t.data_type} is not supported (float and int64 only)`);
}
