/**
 * Imports the entry files named on the command line and prints which compute engines ended up loaded (as
 * JSON): the modules of tfjs and onnxruntime-node in Node's module cache, and tfjs' global engine.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// Entry files by path, so this script resolves nothing itself: each entry's imports resolve from its package.
for (const file of process.argv.slice(2)) await import(pathToFileURL(file).href);
const cache = Object.keys(createRequire(import.meta.url).cache);
const engines = ['@tensorflow/tfjs', 'onnxruntime-node'].filter((e) => cache.some((f) => f.includes(`/node_modules/${e}/`)));
if ('_tfengine' in globalThis) engines.push('tfjs engine global');
process.stdout.write(JSON.stringify(engines));
