/**
 * Runs once before the test files: one RSA key for every Probot the tests start (generating a
 * 2048-bit key costs 0.1 to 0.4 s, in each of some twenty test processes otherwise).
 */
import { generateKeyPairSync } from 'node:crypto';

export default function setup(): void {
  process.env.GARDENER_TEST_PRIVATE_KEY ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}
