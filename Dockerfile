# syntax=docker/dockerfile:1
# botica-gateway: multi-stage build on Node 24 LTS (slim). Checked by `npm run lint:docker`
# (dockerfilelint) and test/deployment/dockerfile.test.ts; there is no Docker engine in CI.

# 1. Production dependencies only, installed exactly from the lock file.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 2. Compile the TypeScript sources with the dev dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY mocks ./mocks
RUN npm run build

# 3. Runtime: the compiled gateway and its production dependencies, nothing else (no sources,
#    no dev dependencies, no npm cache), owned by root and run as the unprivileged `node` user
#    (uid 1000), so the application cannot modify its own code.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8888 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
USER node
EXPOSE 8888
# Liveness from inside the container: GET /api/orchestrator/health on the loopback, over HTTPS
# when TLS_CERT_FILE and TLS_KEY_FILE are set (any certificate: it checks the process, not the
# chain). No --start-period: the gateway listens within a second, before the first check.
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD ["node", "-e", "const tls=Boolean(process.env.TLS_CERT_FILE&&process.env.TLS_KEY_FILE);const req=require(tls?'node:https':'node:http').get({host:'127.0.0.1',port:process.env.PORT||8888,path:'/api/orchestrator/health',rejectUnauthorized:false,timeout:2500},(res)=>process.exit(res.statusCode===200?0:1));req.on('timeout',()=>req.destroy());req.on('error',()=>process.exit(1));"]
# Exec form, no shell wrapper: node itself is PID 1 and receives SIGTERM, which starts the drain.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
