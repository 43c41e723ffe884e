// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "quiver",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quiver-embed", targets: ["quiver-embed"]),
        .executable(name: "quiver-bench", targets: ["quiver-bench"]),
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
                "EmbeddingCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
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
