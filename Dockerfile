# The telemetry service image (wal-telemetry serve | demo): built in one stage, run as the
# unprivileged "node" user with only production dependencies.
# Must match: docker-compose.yml (service "telemetry", port 8000, /data volume, NODE_IMAGE in .env).
ARG NODE_IMAGE=node:20.19.4-alpine3.22

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci --ignore-scripts --no-audit --no-fund && npm run build && npm prune --omit=dev

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
