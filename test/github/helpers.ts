import nock from 'nock';

export { makeProbot, testKey, TestOctokit } from '../doubles/probot.js';

export function assertNoPending(): void {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  if (pending.length > 0) throw new Error(`pending mocks: ${pending.join(', ')}`);
}
