import { segnetConfig } from '@unpool/models';
import { expect, test } from 'vitest';
import { createEngine, registerEngine, registeredEngines, resolveEngine, type EngineOptions } from '../src/index.js';

// The runner imports no compute engine but tfjs: others exist only once registered (see
// @unpool/engine-onnxruntime, registered by the CLI and the benchmarks).
test('without registrations: only tfjs, auto falls back to it, and an unregistered engine is named', () => {
  expect(registeredEngines()).toEqual(['tfjs']);
  expect(resolveEngine('auto', 'wasm')).toBe('tfjs');
  expect(resolveEngine('auto', 'webgpu')).toBe('tfjs');
  expect(createEngine('tfjs', segnetConfig()).name).toBe('tfjs');
  expect(() => createEngine('onnxruntime', segnetConfig())).toThrow(/engine 'onnxruntime' is not registered/);
});

test('an execution provider other than cpu is refused for an engine that has none', () => {
  expect(() => createEngine('tfjs', segnetConfig(), { ep: 'webgpu' })).toThrow(/--ep webgpu needs --engine onnxruntime/);
  expect(createEngine('tfjs', segnetConfig(), { ep: 'cpu' }).name).toBe('tfjs');
});

test('auto adds the options the picked engine asks for; options given explicitly win', async () => {
  const tf = await import('@tensorflow/tfjs');
  const seen: EngineOptions[] = [];
  registerEngine({
    name: 'onnxruntime',
    autoOn: [tf.getBackend()],
    autoOptions: () => ({ ep: 'webgpu' }),
    create: (_config, options) => {
      seen.push(options);
      return createEngine('tfjs', segnetConfig());
    },
  });
  createEngine('auto', segnetConfig(), { threads: 1, ep: undefined });
  createEngine('auto', segnetConfig(), { ep: 'cpu' });
  createEngine('onnxruntime', segnetConfig(), {});
  expect(seen).toEqual([{ ep: 'webgpu', threads: 1 }, { ep: 'cpu' }, {}]);
});
