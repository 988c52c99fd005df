// protoPython playground (web/): builds web/dist/. Bundles src/main.js (page code + CodeMirror) into
// dist/app.js with esbuild, copies index.html and style.css, and copies the assembled npm package
// folder (--package DIR, e.g. ../target/npm/protopython) to dist/protopython/ unchanged, so the page
// imports it unbundled. Idempotent: dist/ is rebuilt from scratch each time.
//
// usage: node build.mjs --package DIR [--out DIR] [--dev]
import { build } from 'esbuild';
import { cp, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const webDir = path.dirname(fileURLToPath(import.meta.url));

const { values: args } = parseArgs({
  options: {
    package: { type: 'string' },
    out: { type: 'string', default: path.join(webDir, 'dist') },
    dev: { type: 'boolean', default: false }, // unminified output
  },
});

function fail(message) {
  console.error(`build.mjs: ${message}`);
  process.exit(1);
}

if (!args.package) fail('missing --package DIR (the assembled npm package folder, e.g. ../target/npm/protopython)');
const packageDir = path.resolve(args.package);
const outDir = path.resolve(args.out);
for (const required of ['index.js', 'worker.js', 'package.json']) {
  await stat(path.join(packageDir, required)).catch(() => fail(`${packageDir} has no ${required}: not the protopython package folder`));
}

await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });

await build({
  entryPoints: [path.join(webDir, 'src', 'main.js')],
  outfile: path.join(outDir, 'app.js'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: !args.dev,
  sourcemap: true,
  loader: { '.py': 'text' },
  external: ['./protopython/*'],
  logLevel: 'warning',
});

await cp(path.join(webDir, 'index.html'), path.join(outDir, 'index.html'));
await cp(path.join(webDir, 'style.css'), path.join(outDir, 'style.css'));
await cp(packageDir, path.join(outDir, 'protopython'), { recursive: true, dereference: true });

console.log(`build.mjs: built ${outDir} (package from ${packageDir})`);
