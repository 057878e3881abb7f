// swift-tools-version:6.0
import PackageDescription

// Targets mirror the architecture; dependencies run one way:
//   ZoneCastCore  <-  ZoneCastStore (protocols, in-memory)  <-  ZoneCastIngest, ZoneCastSQLite, ZoneCastPostgres  <-  ZoneCastCLI  <-  zonecast
//   ZoneCastCore  <-  ZoneCastSynthetic
//   ZoneCastCore  <-  ZoneCastForecast  <-  ZoneCastEvaluation  <-  ZoneCastCLI
// Later targets (forecasting models, evaluation, zoning, web, PostgreSQL) slot in between core and the CLI.
let package = Package(
    name: "ZoneCast",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "zonecast", targets: ["zonecast"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // Pure: geometry, projections, the incident model, harm taxonomy. No clock, files, network or database.
        .target(name: "ZoneCastCore"),
        // Store protocols and the in-memory implementation every store test also runs against.
        .target(name: "ZoneCastStore", dependencies: ["ZoneCastCore", "ZoneCastAccess", "ZoneCastOperations", "ZoneCastStreets"]),
        // Operational records (IRIS meetings, intelligence, deployments, patrol visits, adjustments, tokens) and the
        // audit log's hash chain. Pure: no clock, files or database.
        .target(name: "ZoneCastOperations", dependencies: [
            "ZoneCastCore", "ZoneCastAccess", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // CSV reading, mapping files, presets, row validation and the import pipeline.
        .target(
            name: "ZoneCastIngest",
            dependencies: ["ZoneCastCore", "ZoneCastStore", "ZoneCastStreets", "ZoneCastOSM",
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Presets"), .copy("Jurisdictions")]
        ),
        // Embedded default store: SQLite through GRDB.
        .target(name: "ZoneCastSQLite", dependencies: [
            "ZoneCastCore", "ZoneCastStore", "ZoneCastAccess", "ZoneCastOperations", "ZoneCastStreets",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
        ]),
        // Production store: PostgreSQL through PostgresNIO, behind the same synchronous store protocols.
        .target(name: "ZoneCastPostgres", dependencies: [
            "ZoneCastCore", "ZoneCastStore", "ZoneCastAccess", "ZoneCastOperations", "ZoneCastStreets",
            .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
        ]),
        // XGBoost's C API (gradient-boosted trees for the `boosted` model), from Debian's libxgboost-dev.
        .systemLibrary(name: "CXGBoost", path: "Sources/CXGBoost", pkgConfig: "xgboost", providers: [.apt(["libxgboost-dev"])]),
        // Forecasting: grid, risk surfaces, smoothing and the models. Pure: no clock, files or database.
        .target(name: "ZoneCastForecast", dependencies: ["ZoneCastCore", "CXGBoost"]),
        // Scoring any risk surface against what happened, and rolling-origin backtests.
        .target(name: "ZoneCastEvaluation", dependencies: ["ZoneCastCore", "ZoneCastForecast"]),
        .target(name: "ZoneCastZoning", dependencies: ["ZoneCastCore", "ZoneCastForecast"]),
        // People and permissions: roles, units, accounts, password hashing (bcrypt). Pure apart from hashing.
        .target(name: "ZoneCastAccess", dependencies: [
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Proposals and cycles: forecast, optimise, stability rules, explanations, provenance. Shared by the CLI and the web.
        .target(name: "ZoneCastPlanning", dependencies: [
            "ZoneCastCore", "ZoneCastStore", "ZoneCastOperations", "ZoneCastForecast", "ZoneCastZoning", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Services that read the store for more than one front end (the oversight and outcomes reports, the proposal
        // scheduler): shared by the web pages and the CLI's reports, so the CLI needs ZoneCastWeb only for `serve`.
        .target(name: "ZoneCastServices", dependencies: [
            "ZoneCastZoning",
            "ZoneCastCore", "ZoneCastStore", "ZoneCastAccess", "ZoneCastOperations", "ZoneCastPlanning", "ZoneCastForecast", "ZoneCastOversight",
            "ZoneCastMail", "ZoneCastStreets", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The JSON API's contract (openapi.yaml) and the code scripts/generate-api generates from it (committed): Codable
        // types and the server protocol that ZoneCastWeb implements; openapi.json is served at /api/openapi.json.
        .target(
            name: "ZoneCastAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"), .product(name: "HTTPTypes", package: "swift-http-types")],
            exclude: ["openapi.yaml", "Generated/openapi.yaml.sha256"],
            resources: [.copy("Generated/openapi.json")]
        ),
        // The web application: server-rendered pages and a JSON API behind sessions, CSRF tokens and the permission matrix.
        .target(name: "ZoneCastWeb", dependencies: [
            "ZoneCastCore", "ZoneCastStore", "ZoneCastAccess", "ZoneCastOperations", "ZoneCastPlanning", "ZoneCastReports", "ZoneCastHTML",
            "ZoneCastForecast", "ZoneCastZoning", "ZoneCastOversight", "ZoneCastServices", "ZoneCastAPI", "ZoneCastMaps", "ZoneCastStreets",
            "ZoneCastMail", "ZoneCastEvaluation",
            .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"), .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdAuth", package: "hummingbird-auth"), .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"), .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Oversight: dosage, non-enforcement monitor, outcomes and displacement, feedback-loop guard, equity. Pure.
        .target(name: "ZoneCastOversight", dependencies: ["ZoneCastCore", "ZoneCastForecast", "ZoneCastOperations", "ZoneCastAccess"]),
        // E-mail: RFC 5322 messages, an SMTP client on SwiftNIO (no TLS), an in-memory outbox. No clock, no environment.
        .target(name: "ZoneCastMail", dependencies: [.product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]),
        // Typed markup: HTML whose interpolated data is escaped by construction. No dependencies.
        .target(name: "ZoneCastHTML"),
        // Reports as self-contained HTML with SVG charts and maps (no CDN, no external fonts).
        .target(name: "ZoneCastReports", dependencies: ["ZoneCastCore", "ZoneCastForecast", "ZoneCastEvaluation", "ZoneCastHTML"]),
        // Streets and landmarks (readers for city centreline and OSM GeoJSON, a spatially indexed layer, clipping) and
        // zone location descriptions ("E 31st St to E 35th St, between ..."). Pure.
        .target(name: "ZoneCastStreets", dependencies: ["ZoneCastCore"]),
        // OpenStreetMap extracts to street layers: the OSMExtractor boundary, its live osmium implementation (Debian's
        // osmium-tool through Foundation's Process) and an in-memory fake.
        .target(name: "ZoneCastOSM", dependencies: ["ZoneCastStreets"]),
        // The one map component: SVG (through HTML only) of streets, boundary, muted risk surface, zone outlines,
        // incidents, labels, scale bar, north arrow, legend and optional tiles, for any viewport. Pure.
        .target(name: "ZoneCastMaps", dependencies: ["ZoneCastCore", "ZoneCastHTML", "ZoneCastStreets"]),
        // Seeded synthetic city (clearly labelled synthetic) for the demo and scale tests.
        .target(name: "ZoneCastSynthetic", dependencies: ["ZoneCastCore"]),
        // The benchmarks behind `zonecast bench` (the command line parses their options): synthetic data, timed runs,
        // `zonecast serve` and imports in child processes loaded over async-http-client, /proc readings.
        .target(name: "ZoneCastBench", dependencies: [
            "ZoneCastCore", "ZoneCastStore", "ZoneCastIngest", "ZoneCastSynthetic", "ZoneCastForecast", "ZoneCastEvaluation", "ZoneCastZoning",
            "ZoneCastPlanning", "ZoneCastAccess", "ZoneCastOperations", "ZoneCastPostgres", "ZoneCastStreets",
            .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // Command implementations; the executable only calls into this.
        .target(
            name: "ZoneCastCLI",
            dependencies: [
                "ZoneCastCore", "ZoneCastStore", "ZoneCastIngest", "ZoneCastSQLite", "ZoneCastSynthetic",
                "ZoneCastForecast", "ZoneCastEvaluation", "ZoneCastReports", "ZoneCastZoning", "ZoneCastPlanning", "ZoneCastAccess", "ZoneCastWeb", "ZoneCastOperations", "ZoneCastOversight", "ZoneCastPostgres", "ZoneCastHTML", "ZoneCastServices",
                "ZoneCastBench", "ZoneCastMail", "ZoneCastStreets", "ZoneCastOSM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "zonecast", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser"), "ZoneCastCLI"]),

        // Helpers shared by test targets (the seeded fuzz mutator); never shipped.
        .target(name: "ZoneCastTestSupport", dependencies: ["ZoneCastCore"], path: "Tests/ZoneCastTestSupport"),
        .testTarget(name: "ZoneCastCoreTests", dependencies: ["ZoneCastCore", "ZoneCastTestSupport"]),
        .testTarget(name: "ZoneCastIngestTests", dependencies: ["ZoneCastOperations", "ZoneCastIngest", "ZoneCastStore", "ZoneCastSQLite", "ZoneCastTestSupport", "ZoneCastCore"]),
        .testTarget(name: "ZoneCastStoreTests", dependencies: [
            "ZoneCastStore", "ZoneCastSQLite", "ZoneCastPostgres", "ZoneCastAccess", "ZoneCastOperations", "ZoneCastCore", "ZoneCastStreets",
            "ZoneCastTestSupport",
        ]),
        .testTarget(name: "ZoneCastSyntheticTests", dependencies: ["ZoneCastSynthetic", "ZoneCastIngest", "ZoneCastStore", "ZoneCastCore"]),
        .testTarget(name: "ZoneCastCLITests", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser"), 
            "ZoneCastCLI", "ZoneCastAccess", "ZoneCastOperations", "ZoneCastPlanning", "ZoneCastSQLite", "ZoneCastStore", "ZoneCastWeb",
            "ZoneCastCore", "ZoneCastIngest", "ZoneCastStreets", "ZoneCastSynthetic", "ZoneCastForecast", "ZoneCastServices",
            "ZoneCastTestSupport", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "ZoneCastBenchTests", dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client"), 
            "ZoneCastBench", .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "ZoneCastReportsTests", dependencies: ["ZoneCastReports", "ZoneCastHTML"]),
        .testTarget(name: "ZoneCastHTMLTests", dependencies: ["ZoneCastHTML", "ZoneCastCore", "ZoneCastTestSupport"]),
        .testTarget(name: "ZoneCastMailTests", dependencies: [
            "ZoneCastMail", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "ZoneCastAccessTests", dependencies: ["ZoneCastAccess"]),
        .testTarget(name: "ZoneCastOperationsTests", dependencies: ["ZoneCastOperations", "ZoneCastAccess", "ZoneCastCore"]),
        .testTarget(name: "ZoneCastOversightTests", dependencies: ["ZoneCastZoning", 
            "ZoneCastOversight", "ZoneCastOperations", "ZoneCastForecast", "ZoneCastSynthetic", "ZoneCastStore", "ZoneCastIngest", "ZoneCastPlanning",
            "ZoneCastAccess", "ZoneCastCore",
        ]),
        .testTarget(name: "ZoneCastWebTests", dependencies: ["ZoneCastHTML", .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"), 
            "ZoneCastWeb", "ZoneCastAPI", "ZoneCastStore", "ZoneCastAccess", "ZoneCastOperations", "ZoneCastPlanning", "ZoneCastZoning", "ZoneCastIngest", "ZoneCastSynthetic",
            "ZoneCastTestSupport", "ZoneCastCore", "ZoneCastForecast", "ZoneCastOversight", "ZoneCastSQLite", "ZoneCastServices", "ZoneCastMail", "ZoneCastStreets",
            "ZoneCastEvaluation",
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "ZoneCastPlanningTests", dependencies: [
            "ZoneCastPlanning", "ZoneCastOperations", "ZoneCastStore", "ZoneCastSynthetic", "ZoneCastIngest", "ZoneCastCore", "ZoneCastForecast", "ZoneCastZoning",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ZoneCastForecastTests", dependencies: ["ZoneCastForecast", "ZoneCastSynthetic", "ZoneCastCore"]),
        .testTarget(name: "ZoneCastEvaluationTests", dependencies: ["ZoneCastEvaluation", "ZoneCastForecast", "ZoneCastIngest", "ZoneCastStore", "ZoneCastCore"]),
        .testTarget(name: "ZoneCastStreetsTests", dependencies: ["ZoneCastStreets", "ZoneCastSynthetic", "ZoneCastCore"]),
        .testTarget(name: "ZoneCastOSMTests", dependencies: ["ZoneCastOSM", "ZoneCastStreets", "ZoneCastCore", "ZoneCastTestSupport"]),
        .testTarget(name: "ZoneCastMapsTests", dependencies: ["ZoneCastMaps", "ZoneCastStreets", "ZoneCastSynthetic", "ZoneCastHTML", "ZoneCastCore"]),
        .testTarget(name: "ZoneCastZoningTests", dependencies: ["ZoneCastZoning", "ZoneCastForecast", "ZoneCastCore"]),
    ],
    swiftLanguageModes: [.v6]
)

// Hummingbird's settings on every target: existentials spelled `any`, imports internal unless a file declares them
// public (so a module's public surface names what it exposes), and members visible only from modules a file imports.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("InternalImportsByDefault"), .enableUpcomingFeature("MemberImportVisibility"),
    ]
}

// The numeric modules are compiled optimised in debug builds too. Most of the test suite's time goes to forecasts,
// zone searches, backtests and CSV fuzzing in these modules, and unoptimised Swift runs such loops many times slower;
// the debug `zonecast` the CLI and browser tests drive gains the same. Stepping through them in a debugger is the price.
let optimisedInDebug: Set<String> = ["ZoneCastCore", "ZoneCastForecast", "ZoneCastZoning", "ZoneCastEvaluation", "ZoneCastIngest"]
for target in package.targets where optimisedInDebug.contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-O"], .when(configuration: .debug))]
}
