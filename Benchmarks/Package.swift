// swift-tools-version:6.1
// PollLab's benchmarks (issue 6), kept out of the main package so that CI's `swift test` never
// builds them. Build: `swift build -c release --package-path Benchmarks`; run: `scripts/bench.sh`.
import PackageDescription

let package = Package(
    name: "PollLabBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named so that the package id does not depend on the clone's directory name.
        .package(name: "PollLab", path: ".."),
        // Same requirements as the main package (the bench build pins the same versions by
        // copying its Package.resolved when this package has none).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        .target(name: "BenchSupport"),
        .target(
            name: "BenchServing",
            dependencies: [
                "BenchSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "bench-server-floor",
            dependencies: ["BenchServing", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .executableTarget(
            name: "bench-server",
            dependencies: [
                "BenchSupport",
                "BenchServing",
                .product(name: "MockJobServer", package: "PollLab"),
            ]
        ),
        .executableTarget(
            name: "bench-tracer",
            dependencies: [
                "BenchSupport",
                .product(name: "PollingCore", package: "PollLab"),
                .product(name: "TraceStore", package: "PollLab"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "bench-simulation",
            dependencies: [
                "BenchSupport",
                .product(name: "PollingCore", package: "PollLab"),
                .product(name: "TraceStore", package: "PollLab"),
                .product(name: "ExperimentKit", package: "PollLab"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "bench-runner",
            dependencies: [
                "BenchSupport",
                .product(name: "TraceStore", package: "PollLab"),
                .product(name: "ExperimentKit", package: "PollLab"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
