import { ProsperError } from '../errors.js';

/** C0 controls (NUL included), DEL and C1 controls: never part of an email, name, code, address or password. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A surrogate without its pair: not Unicode text, and what invalid UTF-8 turns into through JSON escapes. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The one check every text input passes at the pool's doors (web API, Stratum) before it can
 * reach the store: a string, not too long, well-formed Unicode (no lone surrogate, which is what
 * invalid UTF-8 becomes in JSON escapes) and free of control characters. PostgreSQL refuses NUL
 * with an error the caller would otherwise see as an internal one.
 */
export function checkText(value: string, field: string, maxLength: number): string {
  if (value.length > maxLength) throw new ProsperError('PROSPER_E_AUTH_TEXT', `${field} is longer than ${maxLength} characters`);
  if (LONE_SURROGATE.test(value)) throw new ProsperError('PROSPER_E_AUTH_TEXT', `${field} is not valid Unicode text`);
  if (CONTROL.test(value)) throw new ProsperError('PROSPER_E_AUTH_TEXT', `${field} contains a control character`);
  return value;
}
