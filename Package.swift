// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    // Compiled for static linking in release (see `staticRelease`): the modules then ask the
    // linker for the static Foundation libraries.
    .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release)),
]

/// Release executables link the Swift runtime and Foundation statically (Linux: `swift build
/// -c release` gives the same binary as the Makefile), position-dependent (`-no-pie`: the
/// static binary's 113,834 relative relocations are resolved when it is linked, not at every
/// start) and without exporting every symbol to the dynamic table (the toolchain's
/// `-export-dynamic` made it 32,000 entries, searched at start by the runtime's `dladdr`;
/// crash backtraces read the full symbol table, which stays). Every command starts faster.
let staticRelease: [LinkerSetting] = [
    .unsafeFlags(
        ["-static-stdlib", "-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic"],
        .when(platforms: [.linux], configuration: .release))
]

let package = Package(
    name: "ledger",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ledger", targets: ["ledger"]),
        .executable(name: "ledger-serve", targets: ["ledger-serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // The service's HTTP server (on SwiftNIO, which postgres-nio already brings). Its
        // default traits (swift-configuration support, full Foundation) are not used.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "LedgerDomain",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LedgerStore",
            dependencies: [
                "LedgerDomain", "CSQLite",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LedgerImport",
            dependencies: [
                "LedgerDomain", "LedgerStore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The answers the command line prints and the service serves, byte for byte.
        .target(
            name: "LedgerAnswers",
            dependencies: ["LedgerDomain", "LedgerStore", "LedgerImport"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ledger",
            dependencies: [
                "LedgerDomain",
                "LedgerStore",
                "LedgerImport",
                "LedgerAnswers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings,
            // The Swift runtime and Foundation linked in: a process starts without relocating
            // two dozen shared objects, which every small command and every screen would pay.
            linkerSettings: staticRelease
        ),
        // `ledger serve`: the ledger over HTTP, a thin face on the answers the CLI prints.
        .target(
            name: "LedgerService",
            dependencies: [
                "LedgerDomain", "LedgerStore", "LedgerAnswers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The OpenAPI document served at /openapi.json: Schemas/openapi.json (a link), in
            // the binary.
            resources: [.embedInCode("openapi.json")],
            swiftSettings: swiftSettings
        ),
        // A program of its own, which `ledger serve` runs: linking the HTTP stack into `ledger`
        // would slow every other command's start.
        .executableTarget(
            name: "ledger-serve",
            dependencies: [
                "LedgerDomain", "LedgerStore", "LedgerAnswers", "LedgerService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: staticRelease
        ),
        .executableTarget(
            name: "ledger-bench",
            dependencies: [
                "LedgerDomain",
                "LedgerStore",
                "LedgerImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: staticRelease
        ),
        .testTarget(
            name: "LedgerDomainTests",
            dependencies: ["LedgerDomain", "LedgerTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerStoreTests",
            dependencies: [
                "LedgerDomain", "LedgerStore", "LedgerTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LedgerTestSupport",
            dependencies: ["LedgerStore"],
            path: "Tests/LedgerTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerReliabilityTests",
            dependencies: ["LedgerDomain", "LedgerStore", "LedgerTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerImportTests",
            dependencies: ["LedgerDomain", "LedgerImport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerServiceTests",
            dependencies: [
                "LedgerService", "LedgerTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerCLITests",
            dependencies: [
                "LedgerDomain", "LedgerStore", "LedgerImport", "LedgerTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        ),
    ]
)
