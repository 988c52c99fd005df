// package.mjs: assembles the `protopython` npm package from bindings-wasm/js/ and the
// wasm-pack output(s), then packs it.
//   node bindings-wasm/scripts/package.mjs --st <wasm-pack dir> [--mt <dir>] --out <dir>
// gives <out>/protopython/ and <out>/protopython-<version>.tgz (old output is replaced),
// prints the .wasm sizes (raw and gzipped) and, last, the tarball's path.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const JS_FILES = ['index.js', 'engine.js', 'worker.js', 'index.d.ts', 'package.json', 'README.md'];
const GLUE = 'protopython_wasm.js';
const WASM = 'protopython_wasm_bg.wasm';

function fail(message) {
  console.error(`package.mjs: ${message}`);
  process.exit(1);
}

function parseArguments(argv) {
  const options = {};
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    if (!['--st', '--mt', '--out'].includes(flag)) fail(`unknown argument ${flag}`);
    const value = argv[index + 1];
    if (value === undefined) fail(`${flag} needs a directory`);
    options[flag.slice(2)] = resolve(value);
    index += 1;
  }
  if (!options.st) fail('--st <dir with the single-threaded wasm-pack output> is required');
  if (!options.out) fail('--out <dir> is required');
  return options;
}

/** Copies one wasm-pack build (glue, .wasm, and its snippets/ folder if any) to `destination`. */
function copyBuild(source, destination) {
  for (const name of [GLUE, WASM]) {
    if (!existsSync(join(source, name))) fail(`${join(source, name)} is missing`);
  }
  mkdirSync(destination, { recursive: true });
  cpSync(join(source, GLUE), join(destination, GLUE));
  cpSync(join(source, WASM), join(destination, WASM));
  if (existsSync(join(source, 'snippets'))) {
    cpSync(join(source, 'snippets'), join(destination, 'snippets'), { recursive: true });
  }
}

const mib = (count) => `${(count / (1024 * 1024)).toFixed(2)} MiB`;

function reportWasmSize(label, path) {
  const bytes = readFileSync(path);
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  console.log(`${label}: ${bytes.length} bytes (${mib(bytes.length)}) raw, ${gzipped} bytes (${mib(gzipped)}) gzipped`);
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  const jsDirectory = fileURLToPath(new URL('../js/', import.meta.url));
  const packageDirectory = join(options.out, 'protopython');

  mkdirSync(options.out, { recursive: true });
  rmSync(packageDirectory, { recursive: true, force: true });
  for (const name of readdirSync(options.out)) {
    if (/^protopython-.*\.tgz$/.test(name)) rmSync(join(options.out, name));
  }

  mkdirSync(packageDirectory);
  for (const name of JS_FILES) cpSync(join(jsDirectory, name), join(packageDirectory, name));
  copyBuild(options.st, join(packageDirectory, 'dist', 'st'));
  if (options.mt) copyBuild(options.mt, join(packageDirectory, 'dist', 'mt'));

  reportWasmSize('dist/st wasm', join(packageDirectory, 'dist', 'st', WASM));
  if (options.mt) reportWasmSize('dist/mt wasm', join(packageDirectory, 'dist', 'mt', WASM));

  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const packed = execFileSync(npm, ['pack', '--json', '--pack-destination', options.out], {
    cwd: packageDirectory,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [{ filename }] = JSON.parse(packed);
  const tarball = join(options.out, filename);
  if (!existsSync(tarball)) fail(`npm pack did not write ${tarball}`);
  console.log(`tarball: ${readFileSync(tarball).length} bytes (${mib(readFileSync(tarball).length)})`);
  console.log(tarball);
}

main();
