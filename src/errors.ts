/**
 * Coded errors shared by Stratum replies, the API and the logs: a stable `code`
 * (PROSPER_E_*) that callers match on, plus a human message.
 */
export class ProsperError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'ProsperError';
  }
}

export function isProsperError(err: unknown, code?: string): err is ProsperError {
  return err instanceof ProsperError && (code === undefined || err.code === code);
}
