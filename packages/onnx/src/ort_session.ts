import * as ort from 'onnxruntime-node';

/** ORT CPU session with every graph optimisation on, the configuration a deployment would use. */
export function createOrtSession(model: Uint8Array, intraOpThreads: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
}

/** Runs a one-input one-output float graph; returns the output's values and dims. */
export async function runOrt(
  session: ort.InferenceSession,
  input: Float32Array,
  dims: readonly number[],
): Promise<{ data: Float32Array; dims: number[] }> {
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  const result = await session.run({ [inputName]: new ort.Tensor('float32', input, [...dims]) });
  const out = result[outputName];
  if (out.type !== 'float32') throw new Error(`runOrt: output '${outputName}' is ${out.type}, expected float32`);
  return { data: out.data as Float32Array, dims: [...out.dims] };
}

export function ortVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common;
}
