import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The commit the code came from and whether the work tree had uncommitted changes (null outside git). */
export function gitState(cwd = process.cwd()): { commit: string | null; dirty: boolean | null } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return { commit: null, dirty: null };
  }
}

function versionOf(pkg: string): string | null {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

export function packageVersions(): Record<string, string> {
  const out: Record<string, string> = { node: process.versions.node };
  for (const pkg of ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', 'zod']) {
    const v = versionOf(pkg);
    if (v) out[pkg] = v;
  }
  return out;
}

function gpuModel(): string | null {
  // NVIDIA's kernel driver lists each GPU here; no tool needs to be installed.
  try {
    const dir = '/proc/driver/nvidia/gpus';
    const names = fs.readdirSync(dir).map((d) => {
      const info = fs.readFileSync(`${dir}/${d}/information`, 'utf8');
      return /Model:\s*(.+)/.exec(info)?.[1]?.trim() ?? 'NVIDIA GPU';
    });
    return names.length ? names.join(', ') : null;
  } catch {
    return null;
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    platform: `${os.platform()}-${os.arch()}`,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    gpu: gpuModel(),
  };
}
