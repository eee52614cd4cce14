#!/usr/bin/env bash
# Scaffolds packages/<name> with the workspace's conventions (source export condition, build, typecheck, test).
set -euo pipefail
name=$1; desc=$2
d=packages/$name
mkdir -p "$d/src"
[ -f "$d/package.json" ] || cat > "$d/package.json" <<JSON
{
  "name": "@unpool/$name",
  "version": "0.1.0",
  "private": true,
  "description": "$desc",
  "type": "module",
  "exports": {
    ".": {
      "@unpool/source": "./src/index.ts",
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    }
  },
  "scripts": {
    "build": "tsc -p tsconfig.build.json",
    "typecheck": "tsc -p tsconfig.json --noEmit",
    "test": "vitest run"
  },
  "dependencies": {},
  "devDependencies": {}
}
JSON
cat > "$d/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "noEmit": true },
  "include": ["src", "test", "bench"]
}
JSON
cat > "$d/tsconfig.build.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "customConditions": [], "rootDir": "src", "outDir": "dist" },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts"]
}
JSON
cat > "$d/vitest.config.ts" <<TS
export { default } from '../../vitest.shared.js';
TS
[ -f "$d/src/index.ts" ] || echo "export {};" > "$d/src/index.ts"
