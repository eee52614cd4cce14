import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { syncDir, writeFileSynced } from './atomic_file.js';

/**
 * A folder of named tensors: `manifest.json` (names, shapes, dtypes, byte offsets, plus caller metadata)
 * and `tensors.bin` (little-endian raw data). Backend-neutral, so a checkpoint written on wasm loads on
 * cpu or webgpu.
 */
export interface StoredTensor {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  byteLength: number;
}

export interface TensorManifest<M> {
  format: 'unpool-tensors';
  version: 1;
  meta: M;
  tensors: StoredTensor[];
}

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/**
 * Writes the folder atomically: everything goes to a sibling temp folder that is renamed into place, so a
 * reader (or a resumed run after kill -9) sees either the old folder or the complete new one.
 */
export async function saveTensors<M>(dir: string, tensors: NamedTensor[], meta: M): Promise<void> {
  const entries: StoredTensor[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const { name, tensor } of tensors) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
      throw new Error(`saveTensors: '${name}' has dtype ${tensor.dtype}; only float32 and int32 are stored`);
    }
    const data = await tensor.data();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    entries.push({ name, shape: tensor.shape, dtype: tensor.dtype, offset, byteLength: bytes.byteLength });
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  const manifest: TensorManifest<M> = { format: 'unpool-tensors', version: 1, meta, tensors: entries };
  const parent = path.dirname(path.resolve(dir));
  fs.mkdirSync(parent, { recursive: true });
  // mkdir (not mkdtemp, which makes 0700) so the folder gets the umask's mode like every other file.
  const tmp = path.join(parent, `.${path.basename(dir)}.tmp-${process.pid}-${Date.now()}`);
  fs.mkdirSync(tmp);
  try {
    writeFileSynced(path.join(tmp, 'tensors.bin'), Buffer.concat(chunks));
    writeFileSynced(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));
    syncDir(tmp);
    if (fs.existsSync(dir)) {
      const old = `${tmp}.old`;
      fs.renameSync(dir, old);
      fs.renameSync(tmp, dir);
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      fs.renameSync(tmp, dir);
    }
    syncDir(parent);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

export function readTensorManifest<M>(dir: string): TensorManifest<M> {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) throw new Error(`loadTensors: ${file} does not exist`);
  let manifest: TensorManifest<M>;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`loadTensors: ${file} is not valid JSON (${(err as Error).message})`);
  }
  if (manifest?.format !== 'unpool-tensors' || manifest.version !== 1 || !Array.isArray(manifest.tensors)) {
    throw new Error(`loadTensors: ${file} is not an unpool-tensors v1 manifest`);
  }
  return manifest;
}

/** Reads a folder written by `saveTensors`; the caller owns (and disposes) the returned tensors. */
export function loadTensors<M>(dir: string): { meta: M; tensors: Map<string, tf.Tensor> } {
  const manifest = readTensorManifest<M>(dir);
  const binFile = path.join(dir, 'tensors.bin');
  let bin: Buffer;
  try {
    bin = fs.readFileSync(binFile);
  } catch (err) {
    throw new Error(`loadTensors: ${binFile} cannot be read (${(err as Error).message})`);
  }
  const tensors = new Map<string, tf.Tensor>();
  try {
    for (const t of manifest.tensors) {
      if (t.offset + t.byteLength > bin.byteLength) {
        throw new Error(`loadTensors: ${binFile} is truncated (tensor '${t.name}' ends at byte ${t.offset + t.byteLength}, file has ${bin.byteLength})`);
      }
      const bytes = bin.subarray(t.offset, t.offset + t.byteLength);
      const copy = new Uint8Array(bytes).buffer;
      const values = t.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
      tensors.set(t.name, tf.tensor(values, t.shape, t.dtype));
    }
  } catch (err) {
    // The caller never sees the map, so the tensors made before the problem are freed here.
    tensors.forEach((t) => t.dispose());
    throw err;
  }
  return { meta: manifest.meta, tensors };
}
