# syntax=docker/dockerfile:1
# botica-gateway: multi-stage build on Node 24 LTS (slim).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY mocks ./mocks
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8888 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
USER node
EXPOSE 8888
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8888)+'/api/orchestrator/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form, no shell wrapper: node itself is PID 1 and receives SIGTERM, which starts the drain.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
