# syntax=docker/dockerfile:1
# One image for every role of the Data Product Gateway (ROLE=all, gateway, projector, simulator;
# see README, Roles). Two stages: `build` has the dev dependencies (TypeScript) and compiles to
# dist/ with `npm run build`; `runtime` has the production dependencies and dist/ only, so nothing
# compiles or transpiles at run time, and runs as the unprivileged `node` user.
#   docker build -t data-product-gateway .
#   docker run --rm -p 4000:4000 data-product-gateway     # ROLE=all on embedded defaults: a demo
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lockfile changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# graphql-js skips development-only checks; npm omits dev dependencies.
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Where export files go (EXPORT_DIRECTORY in docker-compose.yml): owned by `node`, so a named
# volume mounted there starts writable for it.
RUN mkdir -p /var/lib/data-product-gateway/exports && chown -R node:node /var/lib/data-product-gateway
USER node
# Listen on every interface of the container (the default, 127.0.0.1, is unreachable from outside it).
ENV HOST=0.0.0.0 PORT=4000
EXPOSE 4000
# Every role serves GET /health on PORT. The slim image has no curl: Node's fetch asks.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/gateway/main.js"]
