import * as tf from '@tensorflow/tfjs';
import { backendInfo } from '@unpool/runtime';
import { cpus, totalmem } from 'node:os';

/** The header of every results file: when, where and with what the numbers were measured. */
export function collectMeta(): Record<string, unknown> {
  const cpuList = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    tfjs: tf.version.tfjs,
    platform: `${process.platform}-${process.arch}`,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    logicalCores: cpuList.length,
    totalMemoryBytes: totalmem(),
    backend: backendInfo(),
  };
}
