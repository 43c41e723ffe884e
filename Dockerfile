# quiver image: the control plane (`quiver operator`, `quiver apiserver`, `quiver render`, and the
# `quiver storage-init` init container once it exists).
#   docker build -t quiver .
FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --product quiver --static-swift-stdlib \
 && cp "$(swift build -c release --show-bin-path)/quiver" /quiver

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* && useradd --uid 10001 --no-create-home quiver
COPY --from=build /quiver /usr/local/bin/quiver
USER 10001
ENTRYPOINT ["/usr/local/bin/quiver"]
