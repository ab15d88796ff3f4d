# The telemetry service image (wal-telemetry serve | demo): built in one stage, run as the
# unprivileged "node" user with only production dependencies.
# Must match: docker-compose.yml (service "telemetry", port 8000, /data volume, NODE_IMAGE in .env).
ARG NODE_IMAGE=node:24.22.3-alpine3.22

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY packages/wal-telemetry-service/package.json ./packages/wal-telemetry-service/
COPY scripts/build.mjs ./scripts/
COPY src ./src
# The image runs the service, so it keeps what wal-telemetry-service adds to wal-telemetry: those
# packages are wal-telemetry's optional peers (development dependencies here) and are made
# production ones before the development dependencies are pruned, at the lockfile's versions.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm run build \
 && node -e ' \
      const fs = require("fs"); \
      const app = JSON.parse(fs.readFileSync("package.json", "utf8")); \
      const service = require("./packages/wal-telemetry-service/package.json"); \
      for (const name of Object.keys({ ...service.dependencies, ...service.peerDependencies })) \
        if (app.devDependencies[name]) { \
          app.dependencies[name] = app.devDependencies[name]; \
          delete app.devDependencies[name]; \
        } \
      fs.writeFileSync("package.json", JSON.stringify(app));' \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production WAL_TELEMETRY_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The web console's page, script and styles (served by the service at /).
COPY console ./console
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD wget -q -O /dev/null http://localhost:8000/healthz || exit 1
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
