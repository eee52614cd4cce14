import { ENGINE_NAMES, type EngineChoice } from '@unpool/exp';
import { BACKEND_NAMES, type BackendName } from '@unpool/runtime';
import { UsageError } from './args.js';

// The --backend and --engine checks `exp run` and `exp slurm` share; not in args.ts, which every command
// loads, since @unpool/exp brings a compute engine (see main.ts).

/** A --backend value, checked against the known backends. */
export function backendFlag(value: string): BackendName {
  if (!BACKEND_NAMES.includes(value as BackendName)) throw new UsageError(`--backend: unknown backend '${value}' (expected one of ${BACKEND_NAMES.join(', ')})`);
  return value as BackendName;
}

/** An --engine value, checked against the known engines. */
export function engineFlag(value: string): EngineChoice {
  if (!ENGINE_NAMES.includes(value as EngineChoice)) throw new UsageError(`--engine: unknown engine '${value}' (expected one of ${ENGINE_NAMES.join(', ')})`);
  return value as EngineChoice;
}
