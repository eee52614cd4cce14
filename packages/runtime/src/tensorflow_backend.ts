import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Tried in this order: the CUDA build first, then the CPU build of libtensorflow bindings. */
export const TENSORFLOW_NODE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

export interface TensorflowNodeStatus {
  available: boolean;
  /** The package that loaded, when available. */
  package?: string;
  /** Why none loaded, one clause per package, when unavailable. */
  reason?: string;
}

let detection: Promise<TensorflowNodeStatus> | undefined;
let loaded: { package: string; version?: string } | undefined;

/**
 * Whether `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` can be imported here. Importing is the
 * only reliable test (the native binding may be missing or built for another CUDA), so a successful
 * detection has already loaded the package and registered its `tensorflow` backend. The result is cached.
 */
export function detectTensorflowNode(): Promise<TensorflowNodeStatus> {
  detection ??= detect();
  return detection;
}

async function detect(): Promise<TensorflowNodeStatus> {
  const failures: string[] = [];
  for (const pkg of TENSORFLOW_NODE_PACKAGES) {
    try {
      const mod = await importOptional(pkg);
      loaded = { package: pkg, ...versionOf(mod) };
      return { available: true, package: pkg };
    } catch (err) {
      failures.push(`${pkg}: ${isNotInstalled(err, pkg) ? 'not installed' : `failed to load (${messageOf(err)})`}`);
    }
  }
  return { available: false, reason: failures.join('; ') };
}

/** Resolves from this package first, then from the working directory (a project that installed it). */
async function importOptional(pkg: string): Promise<unknown> {
  try {
    return await import(pkg);
  } catch (err) {
    if (!isNotInstalled(err, pkg)) throw err;
    const fromCwd = createRequire(join(process.cwd(), 'package.json'));
    let resolved: string;
    try {
      resolved = fromCwd.resolve(pkg);
    } catch {
      throw err;
    }
    return import(pathToFileURL(resolved).href);
  }
}

function isNotInstalled(err: unknown, pkg: string): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  const msg = messageOf(err);
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)|Failed to load url/i.test(msg);
  return notFound && msg.includes(pkg);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

function versionOf(mod: unknown): { version?: string } {
  const v = (mod as { version?: unknown } | null)?.version;
  if (typeof v === 'string') return { version: v };
  const nested = (v as Record<string, unknown> | undefined)?.['tfjs-node'];
  return typeof nested === 'string' ? { version: nested } : {};
}

/** How to get the `tensorflow` backend, for error messages. */
export const TENSORFLOW_INSTALL_HINT =
  'Install one of them at the version of @tensorflow/tfjs (4.22.0), e.g. ' +
  '`pnpm add -w @tensorflow/tfjs-node-gpu@4.22.0` or `npm install @tensorflow/tfjs-node-gpu@4.22.0` for NVIDIA GPUs ' +
  '(Linux x64 only; needs CUDA 11.8 and cuDNN 8.6), or `pnpm add -w @tensorflow/tfjs-node@4.22.0` / ' +
  '`npm install @tensorflow/tfjs-node@4.22.0` for the CPU build. Their install script downloads libtensorflow ' +
  '(hundreds of MB, from storage.googleapis.com), so it needs network access, and pnpm must be allowed to run ' +
  'that build script (`pnpm approve-builds`).';

/** Loads the `tensorflow` backend's package or throws with install instructions. */
export async function loadTensorflowBackend(): Promise<void> {
  const status = await detectTensorflowNode();
  if (!status.available) {
    throw new Error(
      "selectBackend: backend 'tensorflow' needs @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node, " +
        `and neither loads here (${status.reason}). ${TENSORFLOW_INSTALL_HINT}`,
    );
  }
}

/** The tfjs-node package in use, for run provenance; undefined when none loaded. */
export function tensorflowNodeDetails(): { package: string; version?: string } | undefined {
  return loaded === undefined ? undefined : { ...loaded };
}
