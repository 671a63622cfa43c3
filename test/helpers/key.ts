/** The RSA key for test apps: test/global-setup.ts makes one for the whole run; alone (the review bench), one is made here. */
import { generateKeyPairSync } from 'node:crypto';

let key: string | undefined;
export function testKey(): string {
  // Generating a 2048-bit key costs 0.1 to 0.4 s of CPU: once per run, not once per test file.
  key ??=
    process.env.GARDENER_TEST_PRIVATE_KEY ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return key;
}
