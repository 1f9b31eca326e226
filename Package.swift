// swift-tools-version:6.2
// promptctl: an LLMOps harness for versioned prompts, evaluation, release guards,
// nurse review and cost monitoring. Library targets are layered by dependency; the
// `promptctl` executable only parses arguments and calls `PromptctlKit`.

import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

/// A release binary carries the Swift runtime and Foundation inside it: every command and the gateway start without
/// resolving some 20,000 symbols across 15 shared libraries (about 10 ms of a start of 25), and calls into the runtime
/// go straight to it. The static Foundation archives name their own dependencies, listed in one group.
let staticRuntimeInRelease: [LinkerSetting] = [
    .unsafeFlags(
        ["-static-stdlib", "-Xlinker", "--start-group"]
            + [
                "Foundation", "FoundationEssentials", "FoundationInternationalization", "_FoundationICU",
                "_FoundationCollections", "_FoundationCShims", "CoreFoundation", "swiftSynchronization",
            ].flatMap { ["-Xlinker", "-l\($0)"] }
            + ["-Xlinker", "--end-group"],
        .when(platforms: [.linux], configuration: .release))
]

let package = Package(
    name: "promptctl",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "promptctl", targets: ["promptctl"]),
        .library(name: "PromptctlKit", targets: ["PromptctlKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Tests only: property-based checks of the release guards.
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // libcurl from Debian (libcurl4-openssl-dev), seen through pkg-config.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Snowball stemmers from Debian (libstemmer-dev), for the clinical-signs engine.
        .systemLibrary(
            name: "CStemmer",
            providers: [.apt(["libstemmer-dev"])]
        ),
        // Models, YAML loading, diagnostics with file:line:column, errors with exit codes.
        .target(
            name: "PromptctlCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Mustache rendering in text mode with strict variable and partial checks.
        .target(
            name: "PromptctlRendering",
            dependencies: ["PromptctlCore", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strict
        ),
        // The libcurl transport, providers, retries, rate limits, usage and cost.
        .target(
            name: "PromptctlLLM",
            dependencies: ["PromptctlCore", "CCurl", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // One SQLite database through GRDB; implements the response cache protocol.
        .target(
            name: "PromptctlStore",
            dependencies: ["PromptctlCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // The same store protocols on a PostgreSQL server, through postgres-nio (the shared store for teams).
        .target(
            name: "PromptctlPostgres",
            dependencies: [
                "PromptctlCore", "PromptctlStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The clinical-signs engine: warning signs in her message, what an answer does, its tone (one YAML definition).
        .target(
            name: "PromptctlClinical",
            dependencies: ["PromptctlCore", "CStemmer", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        // Moderation providers, the sensitive-term filter, the clinical-signs guard, the release pipeline.
        .target(
            name: "PromptctlGuards",
            dependencies: [
                "PromptctlCore", "PromptctlLLM", "PromptctlClinical", .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        // Rubric criteria, judges, the suite runner and the baseline comparison.
        .target(
            name: "PromptctlEval",
            dependencies: [
                "PromptctlCore", "PromptctlRendering", "PromptctlLLM", "PromptctlGuards", "PromptctlClinical",
            ],
            swiftSettings: strict
        ),
        // Every rendering of a typed value: the run reports (HTML, Markdown, JSON, JUnit, one formatter per file),
        // and the tables, JSON, CSV and HTML that commands print.
        .target(
            name: "PromptctlReports",
            dependencies: ["PromptctlCore", "PromptctlStore", "PromptctlGuards", "PromptctlEval"],
            swiftSettings: strict
        ),
        // Cost per message, latency and error-rate checks, alerts, Prometheus metrics.
        .target(
            name: "PromptctlMonitor",
            dependencies: [
                "PromptctlCore", "PromptctlStore", "PromptctlLLM",
            ],
            swiftSettings: strict
        ),
        // LGPD masking: personal names (census gazetteer and cues) and Brazilian identifiers in free text.
        .target(
            name: "PromptctlPrivacy",
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        // Nurse review: weekly samples, privacy masking, exports, feedback import, agreement with the rubric.
        .target(
            name: "PromptctlReview",
            dependencies: ["PromptctlCore", "PromptctlStore", "PromptctlPrivacy"],
            swiftSettings: strict
        ),
        // The review in Notion: its API client (over the libcurl transport), setup, push and pull.
        .target(
            name: "PromptctlNotion",
            dependencies: ["PromptctlCore", "PromptctlLLM", "PromptctlStore", "PromptctlReview"],
            swiftSettings: strict
        ),
        // The review web form (Hummingbird); ReviewApplication.buildRouter is driven in process by HummingbirdTesting.
        .target(
            name: "PromptctlWeb",
            dependencies: [
                "PromptctlCore", "PromptctlStore", "PromptctlReview", "PromptctlReports", "PromptctlMonitor",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        // The release gateway (`promptctl serve`): OpenAI-compatible, guarded, logged, with canary rollouts.
        .target(
            name: "PromptctlGateway",
            dependencies: [
                "PromptctlCore", "PromptctlRendering", "PromptctlLLM", "PromptctlGuards", "PromptctlStore",
                "PromptctlMonitor", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Application services that the commands call: wiring of project, store and providers.
        .target(
            name: "PromptctlKit",
            dependencies: [
                "PromptctlCore", "PromptctlRendering", "PromptctlLLM", "PromptctlStore", "PromptctlClinical",
                "PromptctlGuards", "PromptctlEval", "PromptctlReports", "PromptctlMonitor", "PromptctlReview",
                "PromptctlWeb",
                "PromptctlNotion", "PromptctlPrivacy", "PromptctlGateway", "PromptctlPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Embedded")],
            swiftSettings: strict
        ),
        // Argument parsing only.
        .executableTarget(
            name: "promptctl",
            dependencies: ["PromptctlKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict,
            linkerSettings: staticRuntimeInRelease
        ),
        // Test doubles: loopback HTTP servers that play OpenAI, Azure, Anthropic and Notion; a virtual clock.
        .target(
            name: "PromptctlTesting",
            dependencies: [
                "PromptctlCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // A loopback stub with fixed latency, for benchmarks.
        .executableTarget(
            name: "promptctl-stub",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "bench/Sources/promptctl-stub",
            swiftSettings: strict
        ),
        // The benchmark driver: transport throughput and scoring throughput.
        .executableTarget(
            name: "promptctl-bench",
            dependencies: [
                "PromptctlKit", "PromptctlGuards", "PromptctlEval", "PromptctlLLM", "PromptctlCore",
                "PromptctlClinical",
                "PromptctlPrivacy",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "bench/Sources/promptctl-bench",
            swiftSettings: strict,
            linkerSettings: staticRuntimeInRelease
        ),
        .testTarget(
            name: "PromptctlTests",
            dependencies: [
                "PromptctlKit", "PromptctlTesting", "PromptctlWeb", "PromptctlClinical", "PromptctlNotion",
                "PromptctlPrivacy", "PromptctlGateway",
                "PromptctlPostgres", "PromptctlStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                // The review form and the gateway driven in process, without a socket.
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                // Tests only: a second raw connection to a store file, to inject faults as another process would.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
    ]
)
