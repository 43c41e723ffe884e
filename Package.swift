// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "quiver",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quiver-embed", targets: ["quiver-embed"]),
        .executable(name: "quiver-bench", targets: ["quiver-bench"]),
        .executable(name: "quiver", targets: ["quiver"]),
        .library(name: "KubeModel", targets: ["KubeModel"]),
        .library(name: "KubeRuntime", targets: ["KubeRuntime"]),
        .library(name: "EmbeddedKube", targets: ["EmbeddedKube"]),
        .library(name: "ServingAPI", targets: ["ServingAPI"]),
        .library(name: "ServingOperator", targets: ["ServingOperator"]),
        .library(name: "ControlPlane", targets: ["ControlPlane"]),
        .library(name: "EmbeddingCore", targets: ["EmbeddingCore"]),
        .library(name: "ONNXBackend", targets: ["ONNXBackend"]),
        .library(name: "EmbeddingServer", targets: ["EmbeddingServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // C declarations of the part of ONNX Runtime's C API we call; the library itself is dlopen'ed.
        .target(
            name: "CONNXRuntime",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        .target(
            name: "EmbeddingCore",
            dependencies: [
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ONNXBackend",
            dependencies: ["EmbeddingCore", "CONNXRuntime"]
        ),
        .target(
            name: "EmbeddingServer",
            dependencies: [
                "EmbeddingCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "quiver-embed",
            dependencies: [
                "EmbeddingCore", "ONNXBackend", "EmbeddingServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Benchmark helpers `make bench` drives (tokenizer throughput); not shipped in images.
        .executableTarget(
            name: "quiver-bench",
            dependencies: [
                "EmbeddingCore", "KubeModel", "KubeRuntime", "EmbeddedKube", "ServingAPI", "ServingOperator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Kubernetes value types: JSONValue, ObjectMeta, Status, WatchEvent and the built-ins we use.
        .target(name: "KubeModel"),
        // Quiver's custom resources (quiver.dev/v1alpha1): types, defaulting, validation.
        .target(name: "ServingAPI", dependencies: ["KubeModel"]),
        // The operator: pure rendering (Render/) and the reconcilers (Sync/).
        .target(
            name: "ServingOperator",
            dependencies: [
                "ServingAPI", "KubeModel", "KubeRuntime",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The control plane: AI Core-style REST API (/v2/lm, /v2/admin), the inference gateway and auth.
        .target(
            name: "ControlPlane",
            dependencies: [
                "ServingAPI", "KubeModel", "KubeRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.json")]
        ),
        // `quiver storage-init`: fetch a model from S3, the Hugging Face Hub, HTTP(S) or a path.
        .target(
            name: "StorageInit",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // Kubernetes client: kubeconfig, REST, watch, informer, work queue, controller, leader election.
        .target(
            name: "KubeRuntime",
            dependencies: [
                "KubeModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A Kubernetes-compatible API server persisted in SQLite.
        .target(
            name: "EmbeddedKube",
            dependencies: [
                "KubeModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "quiver",
            dependencies: [
                "KubeModel", "KubeRuntime", "EmbeddedKube", "ServingAPI", "ServingOperator", "StorageInit", "ControlPlane",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "KubeModelTests",
            dependencies: ["KubeModel"],
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "KubeRuntimeTests",
            dependencies: [
                "KubeRuntime", "KubeModel", "EmbeddedKube",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "EmbeddedKubeTests",
            dependencies: [
                "EmbeddedKube", "KubeModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "StorageInitTests",
            dependencies: ["StorageInit"]
        ),
        .testTarget(
            name: "ServingAPITests",
            dependencies: [
                "ServingAPI", "KubeModel",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "ControlPlaneTests",
            dependencies: [
                "ControlPlane", "ServingOperator", "ServingAPI", "KubeModel", "EmbeddedKube", "KubeRuntime",
                "EmbeddingServer", "EmbeddingCore", "ONNXBackend",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ServingOperatorTests",
            dependencies: [
                "ServingOperator", "ServingAPI", "KubeModel", "EmbeddedKube", "KubeRuntime",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "EmbeddingCoreTests",
            dependencies: ["EmbeddingCore"],
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "ONNXBackendTests",
            dependencies: ["ONNXBackend", "EmbeddingCore"],
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "EmbeddingServerTests",
            dependencies: [
                "EmbeddingServer", "EmbeddingCore", "ONNXBackend",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            resources: [.copy("Resources")]
        ),
    ]
)
