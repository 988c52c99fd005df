// support/install.mjs: installs the packed `protopython` tarball ($PROTOPY_NPM_TARBALL)
// into a fresh temporary npm project, offline, and imports the package from there.
// Shared by the Node tests in this folder; not a test file itself.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The installed package: {module, directory, cleanup}. Throws when the tarball is not given. */
export async function installPackedPackage() {
  const tarball = process.env.PROTOPY_NPM_TARBALL;
  if (!tarball) {
    throw new Error('PROTOPY_NPM_TARBALL is not set: build the package with '
      + '`node bindings-wasm/scripts/package.mjs --st <dir> --out <dir>` and point it at the .tgz');
  }
  const tarballPath = resolve(tarball);
  if (!existsSync(tarballPath)) throw new Error(`PROTOPY_NPM_TARBALL=${tarball} does not exist`);

  const project = mkdtempSync(join(tmpdir(), 'protopython-npm-test-'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const quiet = { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] };
  execFileSync(npm, ['init', '-y'], quiet);
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--offline', tarballPath], quiet);

  const directory = join(project, 'node_modules', 'protopython');
  // Resolved from inside the project, through the package's "exports" map, as a user would.
  const entry = join(project, 'entry.mjs');
  writeFileSync(entry, "export * from 'protopython';\n");
  const module = await import(pathToFileURL(entry).href);
  return { module, directory, cleanup: () => rmSync(project, { recursive: true, force: true }) };
}
