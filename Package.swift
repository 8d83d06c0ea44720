// swift-tools-version:6.0
import PackageDescription

/// Every stage executable is a thin `main` over OmbudStages.
let stageExecutableDependencies: [Target.Dependency] = [
    "OmbudStages", "OmbudRuntime", "OmbudCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
]

let package = Package(
    name: "Ombud",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ombudctl", targets: ["ombudctl"]),
        .executable(name: "ombud-passthrough", targets: ["ombud-passthrough"]),
        .executable(name: "ombud-intake", targets: ["ombud-intake"]),
        .executable(name: "ombud-classify", targets: ["ombud-classify"]),
        .executable(name: "ombud-lookup", targets: ["ombud-lookup"]),
        .executable(name: "ombud-resolve", targets: ["ombud-resolve"]),
        .executable(name: "ombud-escalate", targets: ["ombud-escalate"]),
        .executable(name: "ombud-console", targets: ["ombud-console"]),
        .library(name: "OmbudRuntime", targets: ["OmbudRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // C libraries: module maps and shim headers only.
        .systemLibrary(name: "CRabbitMQ", pkgConfig: "librabbitmq", providers: [.apt(["librabbitmq-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // Safe Swift over the C libraries; nothing Ombud-specific.
        .target(name: "AMQP", dependencies: ["CRabbitMQ"]),
        .target(name: "Postgres", dependencies: ["CLibPQ"]),

        // JSON coders for the hot paths (jsonb columns, stage messages, receipts), leaner than Foundation's.
        .target(name: "OmbudJSON"),

        // The domain: message contracts, intake validation, the policy (pure Swift, no I/O).
        .target(name: "OmbudCore", dependencies: ["OmbudJSON"]),

        // The ledger on PostgreSQL: the default `Ledger`, the scenario loader, the synthetic seed.
        .target(name: "OmbudLedger", dependencies: ["OmbudCore", "Postgres"]),

        // Understanding text: features, models, language, sentiment, entities, redaction, flags (pure Swift, no I/O
        // beyond loading its bundled resources).
        .target(name: "OmbudText", resources: [.copy("Resources")]),

        // The worker runtime: lanes, batches, receipts, retries, topology, migrations, observability.
        .target(
            name: "OmbudRuntime",
            dependencies: [
                "AMQP", "Postgres", "OmbudJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The five stages' logic, one folder each (Intake, Classify, Lookup, Resolve, Escalate), and their SQL (Store).
        .target(
            name: "OmbudStages",
            dependencies: [
                "OmbudRuntime", "OmbudText", "OmbudCore", "OmbudLedger", "OmbudJSON", "Postgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // What ombudctl does beyond one statement: the scenario runner, the pipeline benchmark, the agent desk.
        .target(name: "OmbudOperations", dependencies: ["OmbudStages", "OmbudRuntime", "OmbudLedger", "OmbudCore", "AMQP", "Postgres"]),

        // The agent console: routes, server-rendered views, its SQL, identity from the login proxy, CSRF, live queue.
        .target(
            name: "OmbudConsole",
            dependencies: [
                "OmbudOperations", "OmbudRuntime", "OmbudLedger", "OmbudCore", "AMQP", "Postgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Executables.
        .executableTarget(
            name: "ombudctl",
            dependencies: [
                "OmbudRuntime", "OmbudText", "OmbudCore", "OmbudLedger", "OmbudStages", "OmbudOperations", "AMQP", "Postgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "ombud-intake", dependencies: stageExecutableDependencies),
        .executableTarget(name: "ombud-classify", dependencies: stageExecutableDependencies),
        .executableTarget(name: "ombud-lookup", dependencies: stageExecutableDependencies),
        .executableTarget(name: "ombud-resolve", dependencies: stageExecutableDependencies),
        .executableTarget(name: "ombud-escalate", dependencies: stageExecutableDependencies),
        .executableTarget(
            name: "ombud-console",
            dependencies: [
                "OmbudConsole", "OmbudRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ombud-passthrough",
            dependencies: [
                "OmbudRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The services' settings and the migrations, shared by the integration test targets.
        .target(name: "OmbudTestSupport", dependencies: ["OmbudRuntime", "Postgres"], path: "Tests/OmbudTestSupport"),
        .testTarget(name: "AMQPTests", dependencies: ["AMQP"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres"]),
        .testTarget(name: "OmbudTextTests", dependencies: ["OmbudText"]),
        .testTarget(name: "OmbudCoreTests", dependencies: ["OmbudCore", "OmbudJSON"]),
        .testTarget(name: "OmbudLedgerTests", dependencies: ["OmbudLedger", "OmbudRuntime", "OmbudCore", "Postgres", "OmbudTestSupport"]),
        .testTarget(name: "OmbudRuntimeTests", dependencies: ["OmbudRuntime", "AMQP", "Postgres", "ombud-passthrough", "OmbudTestSupport"]),
        .testTarget(name: "OmbudStagesTests", dependencies: [
            "OmbudStages", "OmbudOperations", "OmbudRuntime", "OmbudLedger", "OmbudCore", "AMQP", "Postgres", "OmbudTestSupport",
            "ombud-intake", "ombud-classify", "ombud-lookup", "ombud-resolve", "ombud-escalate",
        ]),
        .testTarget(name: "OmbudConsoleTests", dependencies: [
            "OmbudConsole", "OmbudOperations", "OmbudRuntime", "OmbudCore", "AMQP", "Postgres", "OmbudTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
    ]
)
