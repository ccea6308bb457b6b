// swift-tools-version:6.0
import PackageDescription

// Module layout follows ../shared/docs/architecture.md: one target per boundary.
// Executables are thin; everything testable lives in libraries.

/// Release binaries link with lld and pack their relative relocations (DT_RELR): a static-stdlib PIE carries 3 MB of
/// relocations that the loader reads, and pages it writes, at every start. Measured on the idle receiver: 34.9 →
/// 31.9 MB RSS (README, "Receiver beside the Python service"). lld ships with the Swift toolchain; DT_RELR needs
/// glibc 2.36, which the images' Debian 12 runtime has.
let releaseLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"], .when(configuration: .release))
]

let package = Package(
    name: "benchling-quilt",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "receiver", targets: ["ReceiverCommand"]),
        .executable(name: "worker", targets: ["WorkerCommand"]),
        .executable(name: "receiver-bench", targets: ["ReceiverBench"]),
        .executable(name: "bench-package", targets: ["BenchPackage"]),
        .executable(name: "dev", targets: ["DevCommand"]),
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
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    ],
    targets: [
        // JSON value that keeps the int/float distinction, a strict parser, and Python-compatible encoders.
        .target(name: "JSONCore"),
        // Waiting with bounds: the back-off schedule every retry uses and the deadline every bounded call uses.
        .target(name: "Timing"),
        // JSON-lines logging shared by both executables.
        .target(
            name: "Observability",
            dependencies: [
                "JSONCore", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]),
        .target(
            name: "AWSCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                "JSONCore", "Timing",
            ]
        ),
        .target(name: "AWSServices", dependencies: ["AWSCore", "JSONCore"]),
        .target(
            name: "MessageQueue",
            dependencies: [
                "AWSCore", "AWSServices", "JSONCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "Config",
            dependencies: [
                "AWSCore", "AWSServices", "Benchling", "JSONCore", "Timing",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Benchling",
            dependencies: [
                "JSONCore", "Timing",
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
                "JSONCore", "AWSCore", "AWSServices",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "JobLog",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")]
        ),
        // glibc's malloc_trim, which Swift's Glibc module leaves out.
        .target(name: "CMalloc"),
        .target(
            name: "Receiver",
            dependencies: [
                "CMalloc", "Benchling", "Config", "MessageQueue", "JSONCore", "AWSCore", "AWSServices", "Observability",
                "Timing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(
            name: "Worker",
            dependencies: [
                "AWSCore", "AWSServices", "Benchling", "Config", "Quilt", "JobLog", "MessageQueue", "JSONCore",
                "Observability", "Timing",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // What an operator runs beside the worker (jobs, dead letters, replay, queue, manifest, live checks):
        // reads the worker's settings and job logs; the commands themselves live in WorkerCommand.
        .target(
            name: "Operator",
            dependencies: [
                "AWSCore", "AWSServices", "Benchling", "Config", "JSONCore", "JobLog", "MessageQueue", "Quilt",
                "Worker",
                .product(name: "Logging", package: "swift-log"),
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
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Load generator for Benchmarks/bench-receiver.sh.
        .executableTarget(
            name: "ReceiverBench",
            dependencies: [
                "BenchlingSandbox", "AWSCore", "JSONCore", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/ReceiverBench"
        ),
        // Package-write throughput for Benchmarks/bench-package.sh.
        .executableTarget(name: "BenchPackage", dependencies: ["Quilt", "JSONCore"], path: "Benchmarks/bench-package"),
        .executableTarget(
            name: "ReceiverCommand",
            dependencies: [
                "Receiver", "Observability",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            linkerSettings: releaseLinkerSettings
        ),
        // The `worker` command line: argument parsing stays here, out of the libraries.
        .executableTarget(
            name: "WorkerCommand",
            dependencies: [
                "Worker", "Operator", "AWSCore", "AWSServices", "Benchling", "Config", "JobLog", "MessageQueue",
                "Observability",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            linkerSettings: releaseLinkerSettings
        ),
        // The whole stack in one process on one local folder: sandbox tenant, receiver, worker (`swift run dev`).
        .target(
            name: "DevStack",
            dependencies: [
                "Receiver", "Worker", "BenchlingSandbox", "Config", "MessageQueue", "JobLog", "Quilt", "Benchling",
                "JSONCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "DevCommand",
            dependencies: [
                "DevStack",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Times the job log's operator queries at 1,000,000 jobs: Benchmarks/bench-joblog.sh.
        .executableTarget(
            name: "bench-joblog",
            dependencies: ["JobLog", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/bench-joblog"
        ),

        // Shared test helpers: the moto environment written by scripts/test, resource seeding.
        .target(
            name: "TestSupport",
            dependencies: [
                "JSONCore", "AWSCore", "AWSServices",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport", resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "JSONCoreTests", dependencies: ["JSONCore"]),
        .testTarget(name: "TimingTests", dependencies: ["Timing"]),
        .testTarget(name: "AWSCoreTests", dependencies: ["AWSCore", "TestSupport", "JSONCore"]),
        .testTarget(
            name: "AWSServicesTests",
            dependencies: [
                "AWSServices", "TestSupport", "AWSCore", .product(name: "Crypto", package: "swift-crypto"), "JSONCore",
            ]),
        .testTarget(
            name: "MessageQueueTests",
            dependencies: [
                "MessageQueue",
                "TestSupport",
                "AWSServices",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "TestSupport", "JSONCore"]),
        .testTarget(
            name: "BenchlingTests",
            dependencies: [
                "Benchling", "BenchlingSandbox", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(
            name: "QuiltTests",
            dependencies: [
                "Quilt",
                "TestSupport",
                "AWSCore",
                "AWSServices",
                .product(name: "Crypto", package: "swift-crypto"),
                "JSONCore",
            ]),
        .testTarget(
            name: "JobLogTests", dependencies: ["JobLog", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "ReceiverTests",
            dependencies: [
                "Receiver", "BenchlingSandbox", "TestSupport", "MessageQueue", "JSONCore", "AWSCore", "AWSServices",
                "Timing",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .testTarget(
            name: "WorkerTests",
            dependencies: [
                "Worker",
                "Operator",
                "WorkerCommand",
                "Observability",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                "BenchlingSandbox",
                "TestSupport",
                "AWSCore",
                "AWSServices",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                "Benchling",
                "Config",
                "JSONCore",
                "JobLog",
                .product(name: "Logging", package: "swift-log"),
                "MessageQueue",
                "Quilt",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .testTarget(name: "DevStackTests", dependencies: ["DevStack", "TestSupport", "BenchlingSandbox", "JSONCore"]),
    ]
)
