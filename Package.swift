// swift-tools-version:6.1
// PollLab: how should a client poll a slow asynchronous job?
// Module DAG (see README "Architecture"): PollingCore ← PollingClient, MockJobServer, TraceStore
// ← ExperimentKit; Analysis uses PollingCore and TraceStore (and GRDB, Yams), never the client,
// server or runner. Executables are thin. Every target declares exactly the modules it imports.
// SQLite: GRDB links the system libsqlite3 (Debian/Ubuntu: `apt-get install libsqlite3-dev`;
// scripts/check-deps.sh checks for it and .ci/run calls that script).
import PackageDescription

let package = Package(
    name: "PollLab",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PollingCore", targets: ["PollingCore"]),
        .library(name: "PollingClient", targets: ["PollingClient"]),
        .library(name: "MockJobServer", targets: ["MockJobServer"]),
        .library(name: "TraceStore", targets: ["TraceStore"]),
        .library(name: "ExperimentKit", targets: ["ExperimentKit"]),
        .library(name: "Analysis", targets: ["Analysis"]),
        .executable(name: "job-server", targets: ["job-server"]),
        .executable(name: "experiment", targets: ["experiment"]),
        .executable(name: "analyze", targets: ["analyze"]),
    ],
    dependencies: [
        // `traits: []` avoids SwiftPM 6.3 needlessly rebuilding Hummingbird when it re-plans.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(name: "PollingCore"),
        .target(
            name: "PollingClient",
            // Hummingbird and ServiceLifecycle for the loopback webhook receiver.
            dependencies: [
                "PollingCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MockJobServer",
            // AsyncHTTPClient (and NIOHTTP1) to POST webhook callbacks.
            dependencies: [
                "PollingCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TraceStore",
            // GRDBSQLite (the C API GRDB links) for raw binding in the trial insert loop.
            dependencies: [
                "PollingCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "ExperimentKit",
            dependencies: [
                "PollingCore", "PollingClient", "MockJobServer", "TraceStore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Analysis",
            // Yams for the `analyze check` thresholds file; GRDBSQLite for sqlite3_column_bytes, to
            // measure a value before copying it (analyze sql's byte cap).
            dependencies: [
                "PollingCore", "TraceStore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "job-server",
            dependencies: [
                "MockJobServer", "PollingCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "experiment",
            dependencies: [
                "ExperimentKit", "Analysis", "TraceStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "analyze",
            dependencies: [
                "Analysis", "TraceStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PollingCoreTests", dependencies: ["PollingCore"]),
        .testTarget(
            name: "PollingClientTests",
            dependencies: [
                "PollingClient", "MockJobServer", "PollingCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MockJobServerTests",
            dependencies: [
                "MockJobServer", "PollingCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(name: "TraceStoreTests", dependencies: ["TraceStore", "PollingCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "ExperimentKitTests",
            dependencies: [
                "ExperimentKit", "Analysis", "TraceStore", "MockJobServer", "PollingCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "AnalysisTests",
            dependencies: ["Analysis", "TraceStore", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "EndToEndTests",
            // GRDB to hold the database's write lock and read the rows the processes wrote.
            dependencies: ["experiment", "analyze", "job-server", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
