/**
 * Structured JSON logs (pino, the logger Probot ships) that never carry credentials.
 *
 * Two layers:
 *  1. pino `redact` removes known secret-bearing fields (authorization headers, tokens, keys, secrets);
 *  2. every serialised line passes a scrubber before it is written, which masks the configured secrets
 *     (private key, webhook secret) and anything shaped like a GitHub token, a JWT or a PEM block, in case
 *     one ends up inside a message string or an error.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export const REDACTED = '[redacted]';

/** Field paths removed from every log record. */
export const REDACT_PATHS: string[] = [
  'privateKey',
  'secret',
  'webhookSecret',
  'token',
  'jwt',
  'password',
  'authorization',
  'headers.authorization',
  'headers.cookie',
  '*.privateKey',
  '*.secret',
  '*.webhookSecret',
  '*.token',
  '*.jwt',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
  'request.headers.authorization',
  'err.request.headers.authorization',
  'err.response.headers.authorization',
  'err.response.data.token',
  'error.request.headers.authorization',
  'error.response.data.token',
  'auth.token',
  'auth.privateKey',
];

/** Shapes of credentials: GitHub tokens (classic, fine-grained, installation, OAuth, refresh), JWTs, PEM blocks. */
const PATTERNS: RegExp[] = [
  /\b(?:gh[pousr]_[A-Za-z0-9_]{4,}|github_pat_[A-Za-z0-9_]{10,})/g,
  /\bv1\.[0-9a-f]{40}\b/g,
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  // A PEM inside JSON has its newlines escaped; the class above stops at the string's end ($ is line end only with m).
  /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[^"]|\\")*/g,
];

/** Builds a line scrubber for the given secrets (values shorter than 8 characters are not matched literally). */
export function makeScrubber(secrets: readonly (string | undefined)[] = []): (line: string) => string {
  const literals: string[] = [];
  for (const s of secrets) {
    if (!s || s.length < 8) continue;
    literals.push(s);
    // PEM bodies: mask each base64 line too, so a partial key never survives.
    if (s.includes('-----BEGIN')) {
      for (const l of s.split('\n')) if (l.length >= 16 && !l.startsWith('-----')) literals.push(l);
    }
    // The same value as it appears inside a JSON string.
    const json = JSON.stringify(s).slice(1, -1);
    if (json !== s) literals.push(json);
  }
  literals.sort((a, b) => b.length - a.length);
  return (line: string): string => {
    let out = line;
    for (const l of literals) if (out.includes(l)) out = out.split(l).join(REDACTED);
    for (const re of PATTERNS) out = out.replace(re, REDACTED);
    return out;
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Error serializer: pino's standard one, minus the webhook payloads @octokit/webhooks attaches to errors as
 * `event` (a forged 25 MB delivery would otherwise be logged several times, unverified). Keeps id and name.
 */
export function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown;
  const trim = (v: unknown, depth: number): unknown => {
    if (!isRecord(v) || depth > 4) return v;
    const copy: Record<string, unknown> = { ...v };
    if (isRecord(copy.event)) {
      const ev = copy.event;
      const payload = ev.payload;
      const size = typeof payload === 'string' ? payload.length : payload === undefined ? 0 : JSON.stringify(payload).length;
      copy.event = { id: ev.id, name: ev.name, payload: `[omitted, ${size} characters]` };
    }
    if (Array.isArray(copy.aggregateErrors)) copy.aggregateErrors = copy.aggregateErrors.map((e) => trim(e, depth + 1));
    // Octokit request errors: keep method/url/status, drop request bodies.
    if (isRecord(copy.request) && 'body' in copy.request) copy.request = { ...copy.request, body: '[omitted]' };
    return copy;
  };
  return trim(out, 0);
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Secrets to mask literally wherever they appear (private key, webhook secret). */
  secrets?: readonly (string | undefined)[];
  /** Where lines go (default stdout); tests capture them. */
  write?: (line: string) => void;
  /** Base fields on every line. */
  base?: Record<string, unknown>;
}

/** A pino logger writing scrubbed JSON lines. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const scrub = makeScrubber(opts.secrets);
  const write = opts.write ?? ((line: string) => void process.stdout.write(line));
  const destination: DestinationStream = { write: (line: string) => write(scrub(line)) };
  return pino(
    {
      level: opts.level ?? 'info',
      base: { pid: process.pid, ...(opts.base ?? {}) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: serializeError, error: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
