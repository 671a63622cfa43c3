/**
 * One tarball download per commit for all the handlers of an event: a push to the default branch runs
 * both the garden sweep and the review cache warm-up, which would otherwise download the same archive
 * twice. Requests for the same repository and commit SHA that overlap, or follow within a minute, share
 * the bytes. Only commit SHAs are shared (a branch name moves); at most two archives are held; a failed
 * download is forgotten at once so that the next caller tries again.
 */
const HOLD_MS = 60_000;
const MAX_HELD = 2;

const held = new Map<string, { at: number; bytes: Promise<Uint8Array> }>();

const isSha = (ref: string): boolean => /^[0-9a-f]{40}$/i.test(ref);

/**
 * The archive of `owner/repo@ref`, from `download` or from an overlapping or recent call for the same
 * commit. `fetched` tells the caller whether this call made the request (request counting).
 */
export async function sharedDownload(
  owner: string,
  repo: string,
  ref: string,
  download: () => Promise<Uint8Array>,
  now = Date.now(),
): Promise<{ bytes: Uint8Array; fetched: boolean }> {
  if (!isSha(ref)) return { bytes: await download(), fetched: true };
  for (const [k, v] of held) if (now - v.at > HOLD_MS) held.delete(k);
  const key = `${owner}/${repo}@${ref}`.toLowerCase();
  const hit = held.get(key);
  if (hit) return { bytes: await hit.bytes, fetched: false };
  const bytes = download();
  held.set(key, { at: now, bytes });
  while (held.size > MAX_HELD) held.delete(held.keys().next().value as string);
  try {
    return { bytes: await bytes, fetched: true };
  } catch (e) {
    if (held.get(key)?.bytes === bytes) held.delete(key);
    throw e;
  }
}

/** Forgets every held archive (tests). */
export function clearSharedDownloads(): void {
  held.clear();
}
