# The drplane composition function image (the runtime of the Function package in package/).
# Build: docker build -t xpkg.crossplane.io/drplane/function-drplane:v0.1.0 .
#        crossplane xpkg build --package-root=package --embed-runtime-image=xpkg.crossplane.io/drplane/function-drplane:v0.1.0

# Stage 1: install pinned dependencies and bundle the function and the Lambda zips. Built on the Node release line
# lambda/artifacts.json was made with (the zips are byte-identical only there); --check fails the build otherwise,
# so the image's zips always have the hashes `drctl plan` shows.
FROM node:20.20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && node scripts/build-lambda.mjs --check

# Stage 2: a small runtime with only the bundle, running as a non-root user. Node 22 LTS: Node 20 reached end of life
# on 2026-04-30, and the function SDK's kubernetes-models declares Node >= 22; the bundle targets Node 20 syntax.
FROM gcr.io/distroless/nodejs22-debian12:nonroot
WORKDIR /function
COPY --from=build /src/dist/function.mjs ./function.mjs
COPY --from=build /src/dist/lambda ./lambda
ENV DRPLANE_LAMBDA_DIR=/function/lambda NODE_ENV=production
USER nonroot:nonroot
EXPOSE 9443
ENTRYPOINT ["/nodejs/bin/node", "function.mjs"]
CMD ["--tls-server-certs-dir=/tls/server"]
