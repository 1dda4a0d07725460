# One image for the three production processes (api, ingest, worker); docker-compose.yml picks the entry point.
FROM node:20-slim

WORKDIR /app
# @scarf/scarf (a transitive dependency) phones home during install otherwise.
ENV SCARF_ANALYTICS=false

COPY package.json package-lock.json ./
# Full install, not --omit=dev: the runtime is ts-node + tsconfig-paths, which are devDependencies.
# NODE_ENV stays unset until after this step because NODE_ENV=production makes npm ci skip devDependencies.
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .

# The embedded database is not used in this topology (DATABASE_URL is set), but a DATA_DIR the unprivileged
# user can write keeps the image usable on its own with the embedded default.
RUN mkdir -p /app/data && chown node:node /app/data
ENV NODE_ENV=production
USER node

EXPOSE 3000
# node itself rather than npx, so SIGTERM from `docker stop` reaches the app (with `init: true` in compose).
CMD ["node", "-r", "ts-node/register/transpile-only", "-r", "tsconfig-paths/register", "apps/api/src/main.ts"]
