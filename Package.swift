// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Trellis",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "trellis", targets: ["trellis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // Already built for Vapor; named so the data layer can hash (SHA-256, HMAC) and encrypt (AES-GCM).
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // Backups are one zip archive (and HMIS CSV exports arrive as zips).
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // Domain core: types, rules, policies, errors, services over repository protocols.
        // Imports neither Vapor nor Fluent.
        .target(name: "TrellisCore", dependencies: [
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Data layer: Fluent migrations, SQL repositories for SQLite and PostgreSQL, database setup.
        .target(name: "TrellisData", dependencies: [
            "TrellisCore",
            .product(name: "Fluent", package: "fluent"),
            .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Vapor", package: "vapor"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // Web layer: routes, middleware, HTML views, JSON API.
        .target(name: "TrellisWeb", dependencies: [
            "TrellisCore", "TrellisData",
            .product(name: "Vapor", package: "vapor"),
            .product(name: "Plot", package: "Plot"),
            .product(name: "SQLKit", package: "sql-kit"),
        ], resources: [.copy("Resources")]),
        .executableTarget(name: "trellis", dependencies: [
            "TrellisCore", "TrellisData", "TrellisWeb",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "TrellisCoreTests", dependencies: ["TrellisCore"]),
        .testTarget(name: "TrellisWebTests", dependencies: [
            "TrellisWeb", "TrellisData", "TrellisCore",
            .product(name: "VaporTesting", package: "vapor"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
