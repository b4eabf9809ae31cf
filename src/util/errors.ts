// errors.ts — the only exceptions adbit throws: programmer errors, cancellation, use after close,
// native load failure, internal faults. DNS outcomes (NXDOMAIN, SERVFAIL, bogus) are values, never
// thrown. Every class has a stable `code` (undici's pattern) and supports ES2022 `cause`.

/** Base class of every error adbit throws. */
export class AdbitError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A caller passed an argument that breaks the API contract. */
export class InvalidArgumentError extends AdbitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ADBIT_ERR_INVALID_ARG', message, options);
  }
}

/** The operation was cancelled through an AbortSignal. */
export class AbortedError extends AdbitError {
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super('ADBIT_ERR_ABORTED', message, options);
    this.name = 'AbortError';
  }
}

/** The object was used after close(). */
export class ClosedError extends AdbitError {
  constructor(message = 'Used after close()') {
    super('ADBIT_ERR_CLOSED', message);
  }
}

/** The native addon could not be loaded; the message says how to fix it. */
export class NativeLoadError extends AdbitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ADBIT_ERR_NATIVE_LOAD', message, options);
  }
}

/** An internal fault in the native core (for example allocation failure). */
export class InternalError extends AdbitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ADBIT_NATIVE_INTERNAL', message, options);
  }
}
