# The drplane composition function image (the runtime of the Function package in package/).
# Build: docker build -t xpkg.crossplane.io/drplane/function-drplane:v0.1.0 .
# Portal: docker build --target portal -t xpkg.crossplane.io/drplane/drplane-portal:v0.1.0 . (charts/bootstrap/portal.ts)
#        crossplane xpkg build --package-root=package --embed-runtime-image=xpkg.crossplane.io/drplane/function-drplane:v0.1.0

# Stage 1: install pinned dependencies and bundle the function and the Lambda zips. Built on the Node release line
# lambda/artifacts.json was made with (the zips are byte-identical only there); --check fails the build otherwise,
# so the image's zips always have the hashes `drctl plan` shows.
# Exact Node releases (a patch tag never moves to another Node); pin the digest too once your registry mirror has one
# (FROM node:20.20.2-bookworm-slim@sha256:…), which also fixes Debian's packages of the base.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && node scripts/build-lambda.mjs --check

# The portal image: the bundled server, its page and the Lambda zips (plans show their hashes), with git, which the
# portal runs to clone the claims repository and push proposal branches. Node 22 LTS, an exact release; runs as
# UID/GID 65532 (the chart's runAsUser) and writes only to the volumes the chart mounts (/var/lib/drplane/repo, /tmp).
# npm and corepack are removed: the portal is one bundle and installs nothing. test/portal/image.test.ts builds this
# stage's file layout from these lines and starts it as ENTRYPOINT does, with HOME=/nonexistent.
FROM node:22.21.1-bookworm-slim AS portal
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
 && groupadd --gid 65532 portal && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent portal
WORKDIR /portal
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/dist/portal-server.mjs ./dist/portal-server.mjs
COPY --from=build /src/dist/portal ./dist/portal
COPY --from=build /src/dist/lambda ./dist/lambda
ENV DRPLANE_LAMBDA_DIR=/portal/dist/lambda NODE_ENV=production HOST=0.0.0.0 PORT=8080
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["node", "dist/portal-server.mjs"]

# Stage 2 (the default target): a small runtime with only the bundle, running as a non-root user. Node 22 LTS: Node 20 reached end of life
# on 2026-04-30, and the function SDK's kubernetes-models declares Node >= 22; the bundle targets Node 20 syntax.
FROM gcr.io/distroless/nodejs22-debian12:nonroot
WORKDIR /function
COPY --from=build /src/dist/function.mjs ./function.mjs
COPY --from=build /src/dist/lambda ./lambda
ENV DRPLANE_LAMBDA_DIR=/function/lambda NODE_ENV=production
USER nonroot:nonroot
# 9443: gRPC (RunFunction, mTLS); 8080: Prometheus metrics at /metrics (--metrics-address; Crossplane core names the
# container port 8080 "metrics" on every package runtime Deployment).
EXPOSE 9443 8080
# Node's flags: FUNCTION_NODE_FLAGS in src/function/flags.ts (why, and what it was measured at).
ENTRYPOINT ["/nodejs/bin/node", "--max-semi-space-size=1", "--heap-growing-percent=50", "function.mjs"]
CMD ["--tls-server-certs-dir=/tls/server"]
