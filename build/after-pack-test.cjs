// electron-builder afterPack hook of test builds (`npm run dist:test`): the release fuses except
// --inspect, which Playwright's Electron driver needs. Never used for a build that is shipped.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: electron-builder require()s its hooks */
const { flipPackedFuses } = require('./after-pack.cjs');

module.exports = async function afterPackTest(context) {
  await flipPackedFuses(context, true);
};
module.exports.default = module.exports;
