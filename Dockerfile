# quiver image: the operator with the REST API and gateway (`quiver operator`), `quiver apiserver`,
# `quiver render`, `quiver token`, and the `quiver storage-init` init container.
#   docker build -t quiver .
FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --product quiver --static-swift-stdlib \
 && cp "$(swift build -c release --show-bin-path)/quiver" /quiver \
 && cp -R "$(swift build -c release --show-bin-path)/quiver_ControlPlane.resources" /quiver_ControlPlane.resources

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* && useradd --uid 10001 --no-create-home quiver
COPY --from=build /quiver /usr/local/bin/quiver
# The OpenAPI document the API serves (SwiftPM looks for the bundle next to the executable).
COPY --from=build /quiver_ControlPlane.resources /usr/local/bin/quiver_ControlPlane.resources
USER 10001
ENTRYPOINT ["/usr/local/bin/quiver"]
