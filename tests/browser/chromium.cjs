// Launches Debian's headless Chromium for the browser tests (npm
// playwright-core): no sandbox (tests run as root), nothing fetched from the
// network behind the page's back.
'use strict';
const { chromium } = require('playwright-core');

exports.launch = () => chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
