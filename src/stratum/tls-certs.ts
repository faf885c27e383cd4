/**
 * The Stratum TLS certificate: read from PEM files, checked (the key must match the
 * certificate), and reloaded when a renewal rewrites the files. Reloading swaps the TLS
 * listener's secure context, so open sessions keep going and new connections get the new
 * certificate; a renewed pair that does not load keeps the old one and logs a coded error.
 */
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';
import { logFields, ProsperError } from '../errors.js';
import type { Logger } from '../log.js';

export interface TlsPair {
  key: string | Buffer;
  cert: string | Buffer;
}

/** A secure context from a key and certificate, or PROSPER_E_STRATUM_TLS_CERT saying what is wrong. */
export function secureContextOf(pair: TlsPair, what = 'the TLS key and certificate'): SecureContext {
  try {
    return createSecureContext({ key: pair.key, cert: pair.cert });
  } catch (err) {
    throw new ProsperError('PROSPER_E_STRATUM_TLS_CERT', `${what} do not load: ${(err as Error).message}`);
  }
}

/** Reads both PEM files and checks that they form a usable pair. */
export function loadTlsFiles(certFile: string, keyFile: string): { pair: TlsPair; context: SecureContext } {
  const read = (file: string, label: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ProsperError('PROSPER_E_STRATUM_TLS_CERT', `cannot read the TLS ${label} file ${file}: ${(err as Error).message}`);
    }
  };
  const pair = { cert: read(certFile, 'certificate'), key: read(keyFile, 'key') };
  return { pair, context: secureContextOf(pair, `${certFile} and ${keyFile}`) };
}

/**
 * Watches the certificate and key files (by polling their status, which also follows a
 * symlink swapped by certbot) and hands each good renewed pair to `apply`.
 */
export class TlsCertWatcher {
  private readonly listener = () => this.reload();

  constructor(
    private readonly files: { certFile: string; keyFile: string },
    private readonly apply: (context: SecureContext) => void,
    private readonly log: Logger,
    intervalMs: number,
  ) {
    for (const f of [files.certFile, files.keyFile]) watchFile(f, { interval: intervalMs, persistent: false }, this.listener);
  }

  /** Loads the files again; true when the new pair is in use. */
  reload(): boolean {
    try {
      const { context } = loadTlsFiles(this.files.certFile, this.files.keyFile);
      this.apply(context);
      this.log.info({ cert: this.files.certFile }, 'stratum TLS certificate reloaded');
      return true;
    } catch (err) {
      // Often the first of two files written by a renewal: the second write triggers another try.
      this.log.error({ ...logFields(err), cert: this.files.certFile }, 'renewed stratum TLS certificate does not load; keeping the previous one');
      return false;
    }
  }

  close(): void {
    for (const f of [this.files.certFile, this.files.keyFile]) unwatchFile(f, this.listener);
  }
}
