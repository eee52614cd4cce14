import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * The adapter a GPU execution provider runs on, as Dawn's default (Vulkan) backend names it for a
 * high-performance request: ORT's WebGPU EP embeds its own Dawn and does not report its adapter to Node.
 * Asked in a child process so two Dawn instances never share this one. `null` when nothing answers (no
 * `webgpu` package in this build, no Vulkan device).
 */
export function gpuAdapterName(): string | null {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('webgpu');
  } catch {
    return null;
  }
  const script = `
    const { create } = await import(${JSON.stringify(entry)});
    const a = await create([]).requestAdapter({ powerPreference: 'high-performance' });
    const i = a?.info ?? {};
    process.stdout.write(JSON.stringify(a ? { device: i.device, description: i.description, vendor: i.vendor, architecture: i.architecture } : null));
    process.exit(0);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return null;
  try {
    const info = JSON.parse(r.stdout.trim().split('\n').pop() ?? 'null') as Record<string, string | undefined> | null;
    if (!info) return null;
    return [info.description || info.device, info.vendor && `(${info.vendor}${info.architecture ? ` ${info.architecture}` : ''})`].filter(Boolean).join(' ') || null;
  } catch {
    return null;
  }
}

/** A software rasteriser (Mesa's lavapipe/llvmpipe, SwiftShader) rather than a GPU. */
export function isSoftwareAdapter(name: string): boolean {
  return /llvmpipe|lavapipe|swiftshader|software/i.test(name);
}

/** `--engine auto`'s execution provider: ORT's WebGPU EP where Dawn finds a GPU that is not a software one. */
export function autoExecutionProvider(adapter: string | null): 'webgpu' | 'cpu' {
  return adapter !== null && !isSoftwareAdapter(adapter) ? 'webgpu' : 'cpu';
}
