import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A project folder whose node_modules holds a stand-in for a tfjs-node package. */
function fakeProject(pkg: string, body: string): string {
  const root = mkdtempSync(join(tmpdir(), 'unpool-tfnode-'));
  const dir = join(root, 'node_modules', ...pkg.split('/'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: pkg, version: '4.22.0', main: 'index.js' }));
  writeFileSync(join(dir, 'index.js'), body);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fake-project', private: true }));
  return root;
}

describe('detectTensorflowNode with a package installed in the working directory', () => {
  const cwd = process.cwd();
  let root: string | undefined;

  beforeEach(() => vi.resetModules());
  afterEach(() => {
    process.chdir(cwd);
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it('finds it and records its version', async () => {
    root = fakeProject('@tensorflow/tfjs-node-gpu', "exports.version = { 'tfjs-node': '4.22.0' };");
    process.chdir(root);
    const { detectTensorflowNode, tensorflowNodeDetails } = await import('../src/tensorflow_backend.js');
    expect(await detectTensorflowNode()).toEqual({ available: true, package: '@tensorflow/tfjs-node-gpu' });
    expect(tensorflowNodeDetails()).toEqual({ package: '@tensorflow/tfjs-node-gpu', version: '4.22.0' });
  });

  it('tells "installed but failed to load" apart from "not installed"', async () => {
    root = fakeProject('@tensorflow/tfjs-node', "throw new Error('libcudart.so.11.0: cannot open shared object file');");
    process.chdir(root);
    const { detectTensorflowNode } = await import('../src/tensorflow_backend.js');
    const status = await detectTensorflowNode();
    expect(status.available).toBe(false);
    expect(status.reason).toContain('@tensorflow/tfjs-node-gpu: not installed');
    expect(status.reason).toContain('@tensorflow/tfjs-node: failed to load (libcudart.so.11.0: cannot open shared object file)');
  });
});
