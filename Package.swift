// swift-tools-version:6.0
import PackageDescription

// Module layout follows ../shared/docs/architecture.md: one target per boundary.
// Executables are thin; everything testable lives in libraries.
let package = Package(
    name: "benchling-quilt",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "receiver", targets: ["ReceiverCommand"]),
        .executable(name: "worker", targets: ["WorkerCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.19"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
    ],
    targets: [
        // JSON value that keeps the int/float distinction, a strict parser, and Python-compatible encoders.
        .target(name: "JSONCore"),
        .target(
            name: "AWSCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                "JSONCore",
            ]
        ),
        .target(name: "AWSServices", dependencies: ["AWSCore", "JSONCore"]),
        .target(
            name: "MessageQueue",
            dependencies: [
                "AWSServices",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Config", dependencies: ["AWSServices", "JSONCore", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Benchling",
            dependencies: [
                "JSONCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Quilt",
            dependencies: [
                "JSONCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "JobLog",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift"), "JSONCore"]
        ),
        .target(
            name: "Receiver",
            dependencies: [
                "Benchling", "Config", "MessageQueue", "JSONCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Worker",
            dependencies: [
                "AWSServices", "Benchling", "Config", "Quilt", "JobLog", "MessageQueue", "JSONCore",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // A Benchling tenant on loopback: the tests' stand-in and the embedded default's sandbox.
        .target(
            name: "BenchlingSandbox",
            dependencies: [
                "JSONCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "ReceiverCommand", dependencies: ["Receiver"]),
        .executableTarget(name: "WorkerCommand", dependencies: ["Worker"]),

        // Shared test helpers: the moto environment written by scripts/test, resource seeding.
        .target(
            name: "TestSupport", dependencies: ["JSONCore"],
            path: "Tests/TestSupport", resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "JSONCoreTests", dependencies: ["JSONCore"]),
        .testTarget(name: "AWSCoreTests", dependencies: ["AWSCore", "TestSupport"]),
        .testTarget(name: "AWSServicesTests", dependencies: ["AWSServices", "TestSupport"]),
        .testTarget(name: "MessageQueueTests", dependencies: ["MessageQueue", "TestSupport"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "TestSupport"]),
        .testTarget(name: "BenchlingTests", dependencies: ["Benchling", "BenchlingSandbox", "TestSupport"]),
        .testTarget(name: "QuiltTests", dependencies: ["Quilt", "TestSupport"]),
        .testTarget(name: "JobLogTests", dependencies: ["JobLog"]),
        .testTarget(name: "ReceiverTests", dependencies: [
            "Receiver", "BenchlingSandbox", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "WorkerTests", dependencies: ["Worker", "BenchlingSandbox", "TestSupport"]),
    ]
)
