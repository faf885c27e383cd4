# Prosper pool image. Build from the repository root:
#   docker build -t prosper-pool .
# (docker-compose.yml does that for you.)

FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# tsc to dist/ plus the optional native LXRHash addon (build/lxr_native.node; gcc is in this image).
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOME=/home/node
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
# The LXRHash table (1 GiB at LXRBITSIZE=30, built on first start) and the config live in volumes.
RUN mkdir -p /home/node/.lxrhash /home/node/.prosper
VOLUME ["/home/node/.lxrhash", "/home/node/.prosper"]
# Stratum, web UI/API/metrics.
EXPOSE 1234 1235 7070
ENTRYPOINT ["node", "bin/prosper-pool.js"]
