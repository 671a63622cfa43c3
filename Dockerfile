# syntax=docker/dockerfile:1
# Pattern Gardener GitHub App server. Build:  docker build -t pattern-gardener .
# Run:  docker run --rm -p 3000:3000 -e APP_ID=… -e WEBHOOK_SECRET=… -e PRIVATE_KEY="$(cat app.pem)" pattern-gardener
# The app keeps no local state: run as many replicas as you need behind a load balancer.
# Without a Docker daemon or registry access, scripts/docker-local-check.sh builds the same stages on a
# local root filesystem with buildah and checks /healthz (docs/deployment.md, "Docker").

# Node 24, the active LTS, on Debian 12. Pinned to an exact release; add the digest your registry mirror
# reports (`node:24.21.0-bookworm-slim@sha256:…`) to pin the bytes too. The dependency bot
# (renovate.json) proposes updates of this line.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# ── build: TypeScript → dist/ with the dev dependencies ────────────────────────────────────────────
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the root `prepare` script would build before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build compiles the bundled schemas into validators (dist/validators/).
COPY schemas ./schemas
RUN npm run build

# ── deps: production dependencies only ─────────────────────────────────────────────────────────────
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ── runtime: production dependencies, compiled code, schemas and the app manifest ─────────────────
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_LEVEL=info
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json app.yml ./
COPY schemas ./schemas
COPY --from=build /app/dist ./dist
# Everything above is owned by root and read-only for the app; it runs as the image's unprivileged user.
USER node
EXPOSE 3000
# The slim image has no curl; Node has fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node as PID 1 gets SIGTERM directly; the server drains deliveries in flight (up to 25 s) and exits.
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/main.js"]
