/** Stand-in for the GitHub API used by the demo and end-to-end tests. */
export { observeStandins, startStandin } from './server.js';
export type {
  CheckAnnotation,
  CheckRun,
  Issue,
  IssueComment,
  Label,
  LoggedRequest,
  PullRecord,
  Reaction,
  Review,
  ReviewComment,
  ReviewThread,
  Standin,
  StandinExchange,
  StandinState,
  StartStandinOptions,
} from './server.js';
export { deliverWebhook, pullRequestPayload, signPayload } from './webhook.js';
export type { DeliverWebhookOptions, PullRequestAction, PullRequestPayloadOptions } from './webhook.js';
export { loadSampleRepo, SAMPLE_REPO_DIR } from './sample-repo.js';
export type { SampleRepo } from './sample-repo.js';
export { advancePull, buildRepoModel, compareTrees, gitBlobSha, resolveRef } from './model.js';
export type { FileTree, PullFile, RepoModel, StandinPullSpec, StandinRepoSpec } from './model.js';
export { unifiedPatch } from './diff.js';
export { FAULT_KINDS, startFaultProxy } from './faults.js';
export type { FaultKind, FaultProxy, FaultProxyOptions, InjectedFault } from './faults.js';
