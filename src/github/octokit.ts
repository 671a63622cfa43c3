/** The slice of Octokit this module uses (Probot's ProbotOctokit satisfies it). HTTP lives only behind this. */
export interface RequestResult {
  status: number;
  data: unknown;
  headers: Record<string, unknown>;
}

export interface GitHubApi {
  request(route: string, params?: Record<string, unknown>): Promise<RequestResult>;
  graphql<T = unknown>(query: string, params?: Record<string, unknown>): Promise<T>;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

/** HTTP status of an Octokit RequestError (undefined for other errors). */
export function statusOf(e: unknown): number | undefined {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
}
