// electron-builder afterPack hook of release builds: flips Electron's fuses in the packaged executable
// (see fuses.cjs), on every platform, before signing. Fails the build rather than ship an unflipped
// binary. Test builds use after-pack-test.cjs (`npm run dist:test`), which differs in the --inspect fuse.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: electron-builder require()s its hooks */
const path = require('node:path');
const { flipFuses } = require('@electron/fuses');
const { fuseConfig } = require('./fuses.cjs');

/** electron-builder's Arch enum values that need an ad-hoc signature after flipping (macOS arm64 code must be signed). */
const ARCH_ARM64 = 3;
const ARCH_UNIVERSAL = 4;

/** The file whose fuse wire is flipped: the .app bundle on macOS, the executable elsewhere. */
function electronBinaryPath(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName);
  }
}

/** Flips the fuses of the app electron-builder just packed; testBuild keeps --inspect for Playwright. */
async function flipPackedFuses(context, testBuild) {
  const binary = electronBinaryPath(context);
  const darwin = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  await flipFuses(binary, {
    ...fuseConfig({ testBuild }),
    resetAdHocDarwinSignature: darwin && (context.arch === ARCH_ARM64 || context.arch === ARCH_UNIVERSAL),
  });
  console.log(`  • fuses flipped for a ${testBuild ? 'TEST build (--inspect kept for Playwright)' : 'release build'}  file=${binary}`);
}

/** The release hook. */
async function afterPack(context) {
  await flipPackedFuses(context, false);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.flipPackedFuses = flipPackedFuses;
module.exports.electronBinaryPath = electronBinaryPath;
