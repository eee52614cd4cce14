export { selectBackend, BACKEND_NAMES } from './select_backend.js';
export type { BackendName } from './select_backend.js';
