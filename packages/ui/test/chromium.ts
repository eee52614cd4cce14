import { chromiumArgs } from '@unpool/report';

export { CHROMIUM } from '@unpool/report';

/** The report's Chromium flags; the UI is served over http, so 127.0.0.1 is reachable too. */
export const CHROMIUM_ARGS = chromiumArgs(['localhost', '127.0.0.1']);
