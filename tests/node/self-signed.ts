// A self-signed certificate for TLS tests on 127.0.0.1, made with the openssl CLI (no network):
// call selfSigned() at the top of a test file; the key and certificate exist between its hooks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** Registers the hooks that make and remove the certificate; read `key`/`cert` inside tests. */
export function selfSigned(): { key: string; cert: string } {
  const pem = { key: '', cert: '' };
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'giambio-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ], { stdio: 'ignore' });
    pem.key = readFileSync(join(dir, 'key.pem'), 'utf8');
    pem.cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });
  return pem;
}
