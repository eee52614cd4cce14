export { startUiServer } from './server.js';
export type { UiServer, UiServerOptions } from './server.js';
export { runRow, runKey } from './run_row.js';
export type { RunRow, RowStatus } from './run_row.js';
export { fileInside, urlSegments } from './safe_path.js';
export { configDifferences } from './pages/compare_page.js';
export { reproduceCommand } from './pages/run_page.js';
