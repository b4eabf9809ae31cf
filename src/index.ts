// index.ts — the public API of adbit: named re-exports only.
export { AdbitError, InvalidArgumentError, AbortedError, ClosedError, NativeLoadError, InternalError } from './util/errors.js';
