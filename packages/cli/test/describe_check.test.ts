import { expect, test } from 'vitest';
import type { OnnxCheck } from '@unpool/onnx';
import { describeCheck } from '../src/onnx_for_run.js';

test("the ONNX check's line shows its non-finite logit count (a NaN model once read 'max |diff| 0, agreement 100%')", () => {
  const check = {
    passed: false,
    nonFinite: 122880,
    maxAbsDiff: 0,
    argmaxAgreement: 1,
    ortMsPerImage: { threads1: 1.2, threads2: 0.8 },
    tfjsBackend: 'cpu',
    tfjsMsPerImage: 60,
  } as unknown as OnnxCheck;
  expect(describeCheck(check)).toMatch(/^non-finite logits 122880, max \|diff\| 0\.00e\+0, argmax agreement 100\.000%/);
});
