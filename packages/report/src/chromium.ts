/**
 * The headless Chromium of shared/docs/ENVIRONMENT.md, for the browser tests of the report and the UI and
 * the UI's README screenshots: the binary, and its launch flags.
 */
export const CHROMIUM = process.env.UNPOOL_CHROMIUM ?? '/usr/bin/chromium';

/**
 * No sandbox (root in a container), no GPU, and no host reachable but `allowHosts`, so a page that needed
 * the network would visibly break.
 */
export function chromiumArgs(allowHosts: readonly string[] = ['localhost']): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--host-resolver-rules=MAP * ~NOTFOUND${allowHosts.map((h) => ` , EXCLUDE ${h}`).join('')}`,
  ];
}
