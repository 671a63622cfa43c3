/**
 * The HTTP server: Probot's node middleware on the webhook path, `/healthz` for load balancers, 404 otherwise.
 * Used by `npm start` (src/server/main.ts), the demo and the end-to-end tests, so all three run the same code.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createNodeMiddleware, type ApplicationFunction, type Probot } from 'probot';
import type { Logger } from 'pino';
import { instrumentDeliveries, type DeliveryRecord } from './deliveries.js';
import { DEFAULT_WEBHOOK_PATH } from './config.js';

/** GitHub caps webhook payloads at 25 MB; anything larger is not GitHub. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export interface StartServerOptions {
  probot: Probot;
  app: ApplicationFunction;
  log: Logger;
  port?: number;
  host?: string;
  webhookPath?: string;
  version?: string;
  onDelivery?: (r: DeliveryRecord) => void;
}

export interface RunningServer {
  server: Server;
  /** e.g. http://127.0.0.1:43117 */
  url: string;
  webhookUrl: string;
  port: number;
  /** Deliveries being handled right now. */
  inFlight(): number;
  /** Stops accepting connections and waits (up to `graceMs`) for deliveries in flight. */
  close(graceMs?: number): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const { probot, log } = opts;
  const webhookPath = opts.webhookPath ?? DEFAULT_WEBHOOK_PATH;
  await probot.ready();
  instrumentDeliveries(probot, log, opts.onDelivery);
  const middleware = await createNodeMiddleware(opts.app, { probot, webhooksPath: webhookPath });
  const started = Date.now();
  let inFlight = 0;
  let closing = false;
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let path = (req.url ?? '/').split('?')[0];
    // An app registered through Probot's manifest flow (`npm start` without credentials) has the
    // server's root URL as its webhook URL.
    if (path === '/' && req.method === 'POST' && req.headers['x-github-event']) {
      req.url = webhookPath;
      path = webhookPath;
    }
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      json(res, closing ? 503 : 200, {
        status: closing ? 'stopping' : 'ok',
        version: opts.version ?? null,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
        inFlight,
      });
      return;
    }
    if (path === webhookPath && req.method === 'POST') {
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > MAX_WEBHOOK_BYTES) {
        json(res, 413, { error: 'payload too large' });
        req.resume();
        return;
      }
      if (closing) {
        // GitHub redelivers on failure; a 503 lets another replica take it.
        res.setHeader('connection', 'close');
        json(res, 503, { error: 'shutting down' });
        req.resume();
        return;
      }
    }
    inFlight++;
    try {
      await middleware(req, res, () => json(res, 404, { error: 'not found' }));
    } finally {
      inFlight--;
    }
    // Requests refused before signature verification (wrong method, content type, missing headers) are not
    // deliveries and get no delivery log line; note them here.
    if (
      path === webhookPath &&
      res.statusCode >= 400 &&
      !(req.headers['x-hub-signature-256'] && req.headers['x-github-event'] && req.headers['x-github-delivery'])
    ) {
      log.warn(
        { status: res.statusCode, method: req.method, delivery: req.headers['x-github-delivery'], event: req.headers['x-github-event'] },
        `webhook request refused (${res.statusCode})`,
      );
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log.error({ err: e }, 'request handler crashed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  // Behind a load balancer (e.g. ALB idle timeout 60 s) keep-alive must outlast the balancer's.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 3000, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = !opts.host || opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${shownHost}:${port}`;

  return {
    server,
    url,
    webhookUrl: `${url}${webhookPath}`,
    port,
    inFlight: () => inFlight,
    close: async (graceMs = 25_000) => {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (inFlight > 0) log.warn({ inFlight }, 'shutdown: deliveries still in flight after the grace period');
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
