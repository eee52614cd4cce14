import * as fs from 'node:fs';
import { ONNX_IR_VERSION, ONNX_OPSET } from './export_options.js';
import type { GraphBuilder, ValueInfoObject } from './graph_builder.js';
import { encodeOnnx } from './onnx_schema.js';

export const PRODUCER_NAME = '@unpool/onnx';

function producerVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export interface ModelParts {
  name: string;
  doc: string;
  inputs: ValueInfoObject[];
  outputs: ValueInfoObject[];
  opset?: number;
  metadata?: Array<{ key: string; value: string }>;
}

/** ModelProto bytes around a built graph: the IR version, opset and producer every graph here declares. */
export function encodeModel(g: GraphBuilder, parts: ModelParts): Uint8Array {
  return encodeOnnx('ModelProto', {
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: parts.opset ?? ONNX_OPSET }, ...[...g.domains].map(([domain, version]) => ({ domain, version }))],
    producer_name: PRODUCER_NAME,
    producer_version: producerVersion(),
    model_version: 1,
    doc_string: parts.doc,
    graph: { name: parts.name, doc_string: parts.doc, node: g.nodes, initializer: g.initializers, input: parts.inputs, output: parts.outputs },
    ...(parts.metadata ? { metadata_props: parts.metadata } : {}),
  });
}
