import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parse, UsageError } from '../args.js';
import { repoRoot } from '../load_experiment.js';

export const bundleUsage = 'exp bundle [--out dist-gpu/] [--minify] [--archive]';

/**
 * `exp bundle`: the CLI as a folder that runs with `node` alone (no pnpm, no tsx, no node_modules), for
 * a bare GPU machine (docs: gpu-box.md):
 *
 *   <out>/cli.mjs     the `exp` CLI with every experiments/*.ts compiled in, plus two commands of
 *                     the bundle only: `cli.mjs bench ...` (`pnpm bench`, packages/bench) and
 *                     `cli.mjs probe ...` (WebGPU adapter report and weight-gradient kernel A/B, scripts/gpu)
 *   <out>/*.wasm      the wasm backend's binaries (it looks for them beside its own code)
 *   <out>/assets/     data files the sources locate relative to their own file (import.meta.url)
 *   <out>/node_modules/webgpu   Dawn for Linux x64 only (a native module cannot be bundled)
 *   <out>/node_modules/vega*    the browser builds the HTML report inlines (read as files)
 *   <out>/node_modules/onnxruntime-{node,common}   ORT's JS, its N-API binding and libonnxruntime.so.1 for
 *                     Linux x64 only (the WebGPU EP is inside it; ~44 MB, ~12 MB in a .tar.xz), so the
 *                     onnxruntime engine (`--engine onnxruntime --ep webgpu`) and `exp onnx` run there;
 *                     @unpool/onnx and @unpool/engine-onnxruntime are compiled in (optional_modules.ts)
 *
 * Left out: @tensorflow/tfjs-node[-gpu] (optional, detected at run time), esbuild itself, the CUDA
 * providers of onnxruntime-node (fetched by its install script on request, gigabytes with their CUDA libs).
 */
export async function bundleCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('bundle', argv, {
    out: { type: 'string', default: 'dist-gpu' },
    minify: { type: 'boolean', default: false },
    archive: { type: 'boolean', default: false },
  });
  if (positionals.length !== 0) throw new UsageError(`usage: ${bundleUsage}`);
  const root = repoRoot();
  const out = path.resolve(values.out!);
  if (out === root || root.startsWith(`${out}${path.sep}`)) throw new UsageError(`exp bundle: --out ${out} would replace the repository`);
  const started = performance.now();
  const staging = `${out}.tmp-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  try {
    const experiments = await buildJs(root, staging, values.minify!);
    copyRuntimeFiles(root, staging);
    writeManifest(root, staging, experiments);
    replaceDir(staging, out);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  const files = listFiles(out);
  const total = files.reduce((a, f) => a + f.bytes, 0);
  const rel = path.relative(process.cwd(), out) || out;
  for (const f of files.filter((f) => f.bytes >= 256 * 1024)) process.stderr.write(`  ${(f.bytes / 2 ** 20).toFixed(1).padStart(6)} MiB  ${f.path}\n`);
  process.stderr.write(
    `exp bundle: ${rel}/ ${(total / 2 ** 20).toFixed(1)} MiB in ${files.length} files, ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `run it with: node ${rel}/cli.mjs --help\n`,
  );
  if (!values.archive) return 0;
  // What is carried to a GPU box next to a Node binary: the folder as one .tar.xz (xz -9 takes ~40 s).
  const archive = `${out}.tar.xz`;
  const tar = spawnSync('tar', ['-C', path.dirname(out), '-cJf', `${archive}.tmp`, path.basename(out)], { stdio: 'inherit', env: { ...process.env, XZ_OPT: '-9' } });
  if (tar.status !== 0) throw new Error(`exp bundle: tar -cJf ${archive} failed (status ${tar.status}); is xz installed?`);
  fs.renameSync(`${archive}.tmp`, archive);
  const bytes = fs.statSync(archive).size;
  process.stderr.write(`exp bundle: ${path.relative(process.cwd(), archive) || archive} ${(bytes / 1e6).toFixed(1)} MB\n`);
  if (bytes > ARCHIVE_BUDGET_BYTES) process.stderr.write(`exp bundle: warning: the archive is over the ${ARCHIVE_BUDGET_BYTES / 1e6} MB budget for carrying it to a GPU machine\n`);
  return 0;
}

const ARCHIVE_BUDGET_BYTES = 40e6;

/** Key of the map `specifier -> module` of the optional packages compiled into the bundle (optional_modules.ts). */
export const BUNDLED_MODULES_KEY = 'unpool.bundledModules';

/** The optional packages the bundle compiles in, by the specifier optional_modules.ts imports. */
const OPTIONAL_SOURCES = {
  '@unpool/onnx': 'packages/onnx/src/index.ts',
  '@unpool/engine-onnxruntime': 'packages/engine-onnxruntime/src/index.ts',
};

/** Key of the map `name -> module` of the experiments compiled into the bundle. */
export const BUNDLED_EXPERIMENTS_KEY = 'unpool.bundledExperiments';


// Bundled CommonJS code (tfjs, the wasm backend) expects these; an ES module has none of them.
const BANNER = [
  "import { createRequire as __unpoolCreateRequire } from 'node:module';",
  "import { fileURLToPath as __unpoolFileURLToPath } from 'node:url';",
  "import { dirname as __unpoolDirname } from 'node:path';",
  'const require = __unpoolCreateRequire(import.meta.url);',
  'const __filename = __unpoolFileURLToPath(import.meta.url);',
  'const __dirname = __unpoolDirname(__filename);',
].join('\n');

async function buildJs(root: string, staging: string, minify: boolean): Promise<string[]> {
  // Loaded here, not at the top: the bundle contains this command but not esbuild.
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (err) {
    throw new Error(`exp bundle: esbuild does not load (it is a devDependency of the repository root, run from a checkout): ${(err as Error).message}`);
  }
  const experimentsDir = path.join(root, 'experiments');
  const experiments = fs
    .readdirSync(experimentsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
  const entryDir = path.join(staging, '.entry');
  fs.mkdirSync(entryDir);
  const cliEntry = path.join(entryDir, 'cli.ts');
  fs.writeFileSync(cliEntry, cliEntrySource(root, experiments));
  const assets = new Map<string, string>();
  const result = await esbuild.build({
    entryPoints: [cliEntry],
    // One file, no code splitting: a split-off chunk of a CommonJS package (the wasm and webgpu backends,
    // imported lazily) would expose only a default export, not the named ones node gives.
    outfile: path.join(staging, 'cli.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@unpool/source'],
    // scripts/gpu and the generated entry are outside any package: resolve bare imports as the CLI does.
    nodePaths: ['cli', 'bench', 'runtime', 'exp', 'onnx', 'engine-onnxruntime'].map((p) => path.join(root, 'packages', p, 'node_modules')),
    external: ['webgpu', 'onnxruntime-node', 'esbuild', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'canvas'],
    banner: { js: BANNER },
    minify,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [
      {
        name: 'relative-asset-urls',
        setup(build) {
          build.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, (args) => {
            const source = fs.readFileSync(args.path, 'utf8');
            const contents = relocateAssetUrls(source, args.path, root, assets);
            return { contents, loader: 'ts', resolveDir: path.dirname(args.path) };
          });
        },
      },
    ],
  });
  for (const w of result.warnings) process.stderr.write(`exp bundle: warning: ${w.text} (${w.location?.file ?? ''})\n`);
  for (const [from, to] of assets) {
    fs.mkdirSync(path.dirname(path.join(staging, to)), { recursive: true });
    fs.copyFileSync(from, path.join(staging, to));
  }
  fs.rmSync(entryDir, { recursive: true });
  return experiments;
}

/**
 * The CLI entry of the bundle. Experiments are TypeScript files the CLI imports by path at run time,
 * which plain node cannot load; so the bundle compiles them in, keeps them in a registry, and answers
 * node's own import of `experiments/<name>.ts` from that registry (a module loader hook). The CLI itself
 * is imported only after the hook is in place.
 */
function cliEntrySource(root: string, experiments: string[]): string {
  const extras = {
    bench: path.join(root, 'packages/bench/src/cli.ts'),
    probe: path.join(root, 'scripts/gpu/webgpu_probe.ts'),
  };
  const imports = experiments.map((name, i) => `import * as experiment${i} from ${JSON.stringify(path.join(root, 'experiments', `${name}.ts`))};`);
  const optional = Object.entries(OPTIONAL_SOURCES).map(([specifier, file], i) => ({ specifier, name: `optional${i}`, file: path.join(root, file) }));
  const entries = experiments.map((name, i) => `[${JSON.stringify(name)}, experiment${i}]`);
  const hook = `
const names = new Set(${JSON.stringify(experiments)});
export async function load(url, context, nextLoad) {
  const m = /\\/experiments\\/([^/]+)\\.ts$/.exec(url.split('?')[0]);
  const name = m === null ? null : decodeURIComponent(m[1]);
  if (name === null || !names.has(name) || !url.startsWith('file:')) return nextLoad(url, context);
  return {
    format: 'module',
    shortCircuit: true,
    source: 'export default globalThis[Symbol.for(${JSON.stringify(BUNDLED_EXPERIMENTS_KEY)})].get(' + JSON.stringify(name) + ').default;',
  };
}`;
  return `// Generated by \`exp bundle\`.
import { register } from 'node:module';
${imports.join('\n')}
${optional.map((o) => `import * as ${o.name} from ${JSON.stringify(o.file)};`).join('\n')}

(globalThis as Record<symbol, unknown>)[Symbol.for(${JSON.stringify(BUNDLED_EXPERIMENTS_KEY)})] = new Map<string, unknown>([${entries.join(', ')}]);
(globalThis as Record<symbol, unknown>)[Symbol.for(${JSON.stringify(BUNDLED_MODULES_KEY)})] = new Map<string, unknown>([${optional.map((o) => `[${JSON.stringify(o.specifier)}, ${o.name}]`).join(', ')}]);
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));

// \`cli.mjs bench ...\` and \`cli.mjs probe ...\` run those programs with the rest of the command line.
const extra = process.argv[2];
if (extra === 'bench') {
  process.argv.splice(2, 1);
  // bench imports the engine by a variable specifier, which finds nothing here: register the compiled-in one.
  ${optional.find((o) => o.specifier === '@unpool/engine-onnxruntime')!.name}.registerOnnxruntimeEngine();
  await import(${JSON.stringify(extras.bench)});
} else if (extra === 'probe') {
  process.argv.splice(2, 1);
  await import(${JSON.stringify(extras.probe)});
} else {
  if (extra === undefined || extra === '--help' || extra === '-h' || extra === 'help') {
    process.stdout.write('bundle only:\\n  cli.mjs bench <benchmark|all> --out <file.json> [--backend ...] [flags] (cli.mjs bench --help)\\n' +
      '  cli.mjs probe [--shapes vgg16|small] [--reps 3] [--out probe.json]\\n');
  }
  await import(${JSON.stringify(path.join(root, 'packages/cli/src/main.ts'))});
}
`;
}

const ASSET_URL = /new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/**
 * A URL built from a relative path and import.meta.url points next to the source file, which the bundle
 * does not have: the file is copied to <out>/assets/<its path in the repository> and the URL rewritten to
 * it (every output file sits at the top of <out>, so one relative URL serves all of them). Lines of
 * comments are left alone.
 */
export function relocateAssetUrls(source: string, file: string, root: string, assets: Map<string, string>): string {
  const relocate = (_whole: string, _quote: string, rel: string) => {
    const target = path.resolve(path.dirname(file), rel);
    if (!fs.existsSync(target) || !fs.statSync(target).isFile()) {
      throw new Error(`exp bundle: ${path.relative(root, file)} refers to ${rel} (${target}), which is not a file`);
    }
    const inRepo = path.relative(root, target);
    if (inRepo.startsWith('..')) throw new Error(`exp bundle: ${path.relative(root, file)} refers to ${target}, outside the repository`);
    const to = path.posix.join('assets', ...inRepo.split(path.sep));
    assets.set(target, to);
    return `new URL(${JSON.stringify(`./${to}`)}, import.meta.url)`;
  };
  return source
    .split('\n')
    .map((line) => (/^\s*(\/\/|\/\*|\*)/.test(line) ? line : line.replace(ASSET_URL, relocate)))
    .join('\n');
}

/** Files the bundled code opens at run time from its own folder or from `node_modules` above it. */
function copyRuntimeFiles(root: string, staging: string): void {
  const runtimeRequire = createRequire(path.join(root, 'packages/runtime/package.json'));
  const reportRequire = createRequire(path.join(root, 'packages/report/package.json'));

  const wasmDist = path.dirname(runtimeRequire.resolve('@tensorflow/tfjs-backend-wasm'));
  const wasmFiles = fs.readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'));
  if (wasmFiles.length === 0) throw new Error(`exp bundle: no .wasm files in ${wasmDist}`);
  for (const f of wasmFiles) fs.copyFileSync(path.join(wasmDist, f), path.join(staging, f));

  // The webgpu package's index.js loads dist/<platform>-<arch>/dawn.node; only Linux x64 travels.
  const webgpuDir = packageDirFrom(runtimeRequire, 'webgpu');
  copyFiles(webgpuDir, path.join(staging, 'node_modules/webgpu'), ['package.json', 'index.js', 'LICENSE.md', 'dist/linux-x64/dawn.node']);

  // ONNX Runtime: its JS (CommonJS, loaded by node from node_modules), the binding and the one library
  // it links (RPATH $ORIGIN), Linux x64 only.
  const onnxRequire = createRequire(path.join(root, 'packages/onnx/package.json'));
  const ortDir = packageDirFrom(onnxRequire, 'onnxruntime-node');
  const ortJs = fs.readdirSync(path.join(ortDir, 'dist')).filter((f) => f.endsWith('.js')).map((f) => `dist/${f}`);
  const native = ['onnxruntime_binding.node', 'libonnxruntime.so.1'].map((f) => `bin/napi-v6/linux/x64/${f}`);
  copyFiles(ortDir, path.join(staging, 'node_modules/onnxruntime-node'), ['package.json', 'LICENSE', ...ortJs, ...native].filter((f) => f !== 'LICENSE' || fs.existsSync(path.join(ortDir, f))));
  const commonDir = packageDirFrom(createRequire(path.join(ortDir, 'package.json')), 'onnxruntime-common');
  // dist/cjs/package.json marks that folder CommonJS (the package itself is "type": "module").
  const commonJs = listFiles(path.join(commonDir, 'dist/cjs')).filter((f) => /(\.js|package\.json)$/.test(f.path)).map((f) => path.join('dist/cjs', f.path));
  copyFiles(commonDir, path.join(staging, 'node_modules/onnxruntime-common'), ['package.json', ...commonJs]);

  for (const [name, file] of [
    ['vega', 'build/vega.min.js'],
    ['vega-lite', 'build/vega-lite.min.js'],
    ['vega-embed', 'build/vega-embed.min.js'],
  ] as const) {
    copyFiles(packageDirFrom(reportRequire, name), path.join(staging, 'node_modules', name), ['package.json', file]);
  }
}

/** A package's folder, found along node's lookup paths (some packages' `exports` hide package.json). */
function packageDirFrom(req: NodeJS.Require, name: string): string {
  for (const base of req.resolve.paths(name) ?? []) {
    const dir = path.join(base, name);
    if (fs.existsSync(path.join(dir, 'package.json'))) return fs.realpathSync(dir);
  }
  throw new Error(`exp bundle: package '${name}' is not installed`);
}

function copyFiles(fromDir: string, toDir: string, files: string[]): void {
  for (const f of files) {
    const from = path.join(fromDir, f);
    if (!fs.existsSync(from)) throw new Error(`exp bundle: ${from} is missing`);
    fs.mkdirSync(path.dirname(path.join(toDir, f)), { recursive: true });
    fs.copyFileSync(from, path.join(toDir, f));
  }
}

/** What was bundled; the experiment hashes let a script notice a bundle older than experiments/*.ts. */
function writeManifest(root: string, staging: string, experiments: string[]): void {
  const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const manifest = {
    builtAt: new Date().toISOString(),
    node: process.version,
    usage: ['node cli.mjs --help', 'node cli.mjs bench --help', 'node cli.mjs probe --shapes small'],
    experiments: Object.fromEntries(experiments.map((name) => [name, { sha256: sha256(path.join(root, 'experiments', `${name}.ts`)) }])),
    notBundled: ['onnxruntime-node CUDA providers', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'esbuild'],
  };
  fs.writeFileSync(path.join(staging, 'bundle.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Swaps the finished staging folder in for `out` (renames, so a reader never sees half a bundle). */
function replaceDir(staging: string, out: string): void {
  const old = `${out}.old-${process.pid}`;
  const had = fs.existsSync(out);
  if (had) fs.renameSync(out, old);
  fs.renameSync(staging, out);
  if (had) fs.rmSync(old, { recursive: true, force: true });
}

function listFiles(dir: string, prefix = ''): { path: string; bytes: number }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(prefix, e.name);
    if (e.isDirectory()) return listFiles(path.join(dir, e.name), rel);
    return [{ path: rel, bytes: fs.statSync(path.join(dir, e.name)).size }];
  });
}
