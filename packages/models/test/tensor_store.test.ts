import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { selectBackend } from '@unpool/runtime';
import { loadTensors, saveTensors } from '../src/index.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const tensors = () => [
  { name: 'a', tensor: tf.tensor2d([[1, 2], [3, 4]]) },
  { name: 'b', tensor: tf.tensor1d([5, 6, 7], 'int32') },
];

test('a saved folder round-trips and gets the mode of any new folder (not mkdtemp 0700)', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tensors-'));
  const dir = path.join(root, 'store');
  await saveTensors(dir, tensors(), { kind: 'test' });
  fs.mkdirSync(path.join(root, 'plain'));
  expect(fs.statSync(dir).mode & 0o777).toBe(fs.statSync(path.join(root, 'plain')).mode & 0o777);
  expect(fs.readdirSync(root).sort()).toEqual(['plain', 'store']);
  const { meta, tensors: loaded } = loadTensors<{ kind: string }>(dir);
  expect(meta.kind).toBe('test');
  expect(Array.from(await loaded.get('a')!.data())).toEqual([1, 2, 3, 4]);
  expect(Array.from(await loaded.get('b')!.data())).toEqual([5, 6, 7]);
  loaded.forEach((t) => t.dispose());
});

test('a truncated tensors.bin or a garbage manifest fails naming the file and leaks no tensor', async () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tensors-')), 'store');
  const input = tensors();
  await saveTensors(dir, input, { kind: 'test' });
  input.forEach((t) => t.tensor.dispose());
  const bin = path.join(dir, 'tensors.bin');
  // Cut into the second tensor: the first is read (and made) before the problem shows.
  fs.truncateSync(bin, 20);
  const before = tf.memory().numTensors;
  expect(() => loadTensors(dir)).toThrow(/tensors\.bin is truncated \(tensor 'b'/);
  expect(tf.memory().numTensors).toBe(before);
  fs.writeFileSync(path.join(dir, 'manifest.json'), 'null');
  expect(() => loadTensors(dir)).toThrow(/manifest\.json is not an unpool-tensors v1 manifest/);
});
