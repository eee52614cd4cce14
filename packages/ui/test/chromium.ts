/** The headless Chromium of shared/docs/ENVIRONMENT.md, for the browser tests and the README screenshots. */
export const CHROMIUM = process.env.UNPOOL_CHROMIUM ?? '/usr/bin/chromium';

// No sandbox (root in a container), no GPU, and no host reachable but this machine's UI server.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
];
