import type * as EngineOnnxruntime from '@unpool/engine-onnxruntime';
import type * as Onnx from '@unpool/onnx';
import { BUNDLED_MODULES_KEY } from './commands/bundle.js';

/**
 * The packages the CLI can run without: ONNX export/cross-checks and the onnxruntime engine (both need
 * onnxruntime-node's native libraries). A checkout imports them at run time through a variable specifier
 * (the bundler does not follow it); the GPU bundle compiles them in and hands them over in a global map,
 * with onnxruntime-node's Linux x64 binding beside it (commands/bundle.ts).
 */
const ONNX = '@unpool/onnx';
const ENGINE_ONNXRUNTIME = '@unpool/engine-onnxruntime';

function notFound(err: unknown, specifier: string): boolean {
  const e = err as { code?: string; message?: string };
  return (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') && (e.message ?? '').includes(specifier);
}

/** Set by the GPU bundle's entry (`exp bundle`), which compiles these packages in. */
const BUNDLED = Symbol.for(BUNDLED_MODULES_KEY);

async function optional<T>(specifier: string): Promise<T | null> {
  const bundled = (globalThis as Record<symbol, Map<string, unknown> | undefined>)[BUNDLED]?.get(specifier);
  if (bundled) return bundled as T;
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
