/**
 * Finding a WebGPU adapter in Node through Dawn (the `webgpu` package), with Mesa's llvmpipe as the
 * fallback that lets machines without a GPU (CI, laptops) run the same webgpu code path, slowly.
 *
 * Choice, from `UNPOOL_WEBGPU_ADAPTER`:
 * - `auto` (default): Dawn's default backend (Vulkan on Linux) first; when it offers no adapter, llvmpipe
 *   through OpenGL ES, with a note on stderr so nobody mistakes a CPU rasteriser for their GPU.
 * - `vulkan`: the default backend only; fails when it offers no adapter (a GPU run must not silently
 *   train on llvmpipe).
 * - `llvmpipe`: OpenGL ES only (in practice Mesa's llvmpipe on a headless machine).
 */

export const WEBGPU_ADAPTER_CHOICES = ['auto', 'vulkan', 'llvmpipe'] as const;
export type WebgpuAdapterChoice = (typeof WEBGPU_ADAPTER_CHOICES)[number];

export const WEBGPU_ADAPTER_ENV = 'UNPOOL_WEBGPU_ADAPTER';

/** What was found: the GPU entry point to install as `navigator.gpu`, and provenance for the run. */
export interface WebgpuAdapterSelection {
  gpu: GpuLike;
  /** Dawn backend in use: 'vulkan' (or whatever Dawn defaults to) or 'opengles'. */
  dawnBackend: 'default' | 'opengles';
  /** Adapter identity as Dawn reports it (vendor, architecture, device, description). */
  adapter: Record<string, string>;
}

/** The part of `GPU` that tfjs-backend-webgpu uses. */
export interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<AdapterLike | null>;
  getPreferredCanvasFormat?(): string;
}

interface AdapterLike {
  info?: Record<string, unknown>;
}

type WebgpuModule = { create: (flags: string[]) => GpuLike; globals: object };

/** Reads and validates the adapter choice; an unknown value fails instead of silently meaning `auto`. */
export function webgpuAdapterChoice(env: NodeJS.ProcessEnv = process.env): WebgpuAdapterChoice {
  const raw = env[WEBGPU_ADAPTER_ENV];
  if (raw === undefined || raw === '') return 'auto';
  const value = raw.trim().toLowerCase();
  if (!(WEBGPU_ADAPTER_CHOICES as readonly string[]).includes(value)) {
    throw new Error(`${WEBGPU_ADAPTER_ENV}: '${raw}' is not one of ${WEBGPU_ADAPTER_CHOICES.join(', ')}`);
  }
  return value as WebgpuAdapterChoice;
}

const NO_VULKAN_HINT =
  'is a Vulkan loader (Debian/Ubuntu: libvulkan1) and a GPU driver with its Vulkan ICD installed? ' +
  'On NVIDIA, VK_DRIVER_FILES may need to point at nvidia_icd.json (see .device/setup.sh)';
const NO_GLES_HINT =
  'the llvmpipe fallback needs Mesa EGL/GLES (Debian: libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri) and ' +
  'EGL_PLATFORM=surfaceless on a headless machine';

/**
 * Imports `webgpu`, makes its WebGPU globals (GPUBufferUsage, ...) global, and finds an adapter
 * according to `choice`. Throws naming what is missing when there is none.
 */
export async function selectWebgpuAdapter(
  choice: WebgpuAdapterChoice,
  note: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<WebgpuAdapterSelection> {
  let mod: WebgpuModule;
  try {
    mod = (await import('webgpu')) as unknown as WebgpuModule;
  } catch (err) {
    throw new Error(
      `webgpu: the 'webgpu' package (Dawn for Node, dist/linux-x64/dawn.node) does not load: ${messageOf(err)}`,
    );
  }
  // tfjs-backend-webgpu uses GPUBufferUsage, GPUMapMode, ... as globals, as in a browser.
  Object.assign(globalThis, mod.globals);

  if (choice !== 'llvmpipe') {
    const gpu = mod.create([]);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter !== null) return { gpu, dawnBackend: 'default', adapter: adapterIdentity(adapter) };
    if (choice === 'vulkan') {
      throw new Error(`no WebGPU adapter (${WEBGPU_ADAPTER_ENV}=vulkan): ${NO_VULKAN_HINT}`);
    }
  }

  // Mesa's EGL needs a platform without a display server; it reads the variable when Dawn opens EGL.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const gles = compatibilityGpu(mod.create(['backend=opengles']));
  const adapter = await gles.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) {
    throw new Error(
      choice === 'auto'
        ? `no WebGPU adapter: ${NO_VULKAN_HINT}; and ${NO_GLES_HINT}`
        : `no WebGPU adapter on OpenGL ES (${WEBGPU_ADAPTER_ENV}=llvmpipe): ${NO_GLES_HINT}`,
    );
  }
  const identity = adapterIdentity(adapter);
  if (choice === 'auto') {
    note(
      `webgpu: no Vulkan adapter, falling back to OpenGL ES (${identity.device || identity.description || 'unknown device'}); ` +
        `a software rasteriser is slow, fine for tests only. ${WEBGPU_ADAPTER_ENV}=vulkan makes this an error.`,
    );
  }
  return { gpu: gles, dawnBackend: 'opengles', adapter: identity };
}

/**
 * Dawn's OpenGL ES backend only offers compatibility-mode adapters, which a plain requestAdapter (core
 * feature level, as tfjs asks) never returns: every request is upgraded to ask for compatibility mode.
 */
function compatibilityGpu(gpu: GpuLike): GpuLike {
  return {
    requestAdapter: (options) => gpu.requestAdapter({ ...options, featureLevel: 'compatibility' }),
    getPreferredCanvasFormat: () => gpu.getPreferredCanvasFormat?.() ?? 'rgba8unorm',
  };
}

function adapterIdentity(adapter: AdapterLike): Record<string, string> {
  const out: Record<string, string> = {};
  const info = adapter.info ?? {};
  for (const key of ['vendor', 'architecture', 'device', 'description']) {
    const v = info[key];
    if (typeof v === 'string' && v !== '') out[key] = v;
  }
  return out;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}
