import type * as EngineOnnxruntime from '@unpool/engine-onnxruntime';
import type * as Onnx from '@unpool/onnx';

/**
 * The packages the CLI can run without: ONNX export/cross-checks and the onnxruntime engine (both need
 * onnxruntime-node's 288 MB of native libraries, which the GPU bundle leaves out). They are imported at run
 * time through a variable specifier, so the bundler does not follow them: the bundle holds no onnxruntime,
 * not even a stub, and a checkout has them all.
 */
const ONNX = '@unpool/onnx';
const ENGINE_ONNXRUNTIME = '@unpool/engine-onnxruntime';

function notFound(err: unknown, specifier: string): boolean {
  const e = err as { code?: string; message?: string };
  return (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') && (e.message ?? '').includes(specifier);
}

async function optional<T>(specifier: string): Promise<T | null> {
  try {
    return (await import(specifier)) as T;
  } catch (err) {
    if (notFound(err, specifier)) return null;
    throw err;
  }
}

/** The ONNX package, or a clear error where this build has none. */
export async function loadOnnx(): Promise<typeof Onnx> {
  const onnx = await optional<typeof Onnx>(ONNX);
  if (!onnx) throw new Error(`${ONNX} (ONNX export and onnxruntime cross-checks) is not part of this build: pass --no-onnx, or run the ONNX steps from a checkout (pnpm exp ...)`);
  return onnx;
}

/** Registers the engines this build has with the runner (tfjs is built in); returns their names. */
export async function registerOptionalEngines(): Promise<string[]> {
  const ort = await optional<typeof EngineOnnxruntime>(ENGINE_ONNXRUNTIME);
  if (!ort) return [];
  ort.registerOnnxruntimeEngine();
  return ['onnxruntime'];
}
