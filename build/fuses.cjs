// Electron's fuses for Portwatch builds (read by after-pack.cjs and checked by test/build/fuses.test.ts).
// Release: no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, no --inspect/--inspect-brk, the app only from its asar
// archive and that archive checked against the hash embedded at build time, cookies encrypted, no extra
// privileges for file:// (the window uses app://). A test build (`npm run dist:test`, hook
// after-pack-test.cjs) differs in one fuse only: --inspect stays available, because Playwright's Electron
// driver attaches through it.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: electron-builder require()s its hooks */
const { FuseV1Options, FuseVersion } = require('@electron/fuses');

/** The fuse settings of a release build, or of a test build when testBuild is true. */
function fuseConfig({ testBuild }) {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: testBuild === true,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

module.exports = { fuseConfig };
