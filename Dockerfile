# syntax=docker/dockerfile:1
# Pattern Gardener GitHub App server. Build:  docker build -t pattern-gardener .
# Run:  docker run --rm -p 3000:3000 -e APP_ID=… -e WEBHOOK_SECRET=… -e PRIVATE_KEY="$(cat app.pem)" pattern-gardener
# The app keeps no local state: run as many replicas as you need behind a load balancer.

ARG NODE_IMAGE=node:20-bookworm-slim

# ── build: TypeScript → dist/ with the dev dependencies ────────────────────────────────────────────
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the root `prepare` script would build before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ── runtime: production dependencies, compiled code, schemas and the app manifest ─────────────────
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_LEVEL=info
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schemas ./schemas
COPY app.yml ./
# Everything above is owned by root and read-only for the app; it runs as the image's unprivileged user.
USER node
EXPOSE 3000
# Node 20 has fetch; the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node as PID 1 gets SIGTERM directly; the server drains deliveries in flight (up to 25 s) and exits.
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/main.js"]
