// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "UptimeBot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "uptime-bot", targets: ["UptimeBot"]),
        .executable(name: "uptime-bench", targets: ["uptime-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
    ],
    targets: [
        // C libraries from Debian, found with pkg-config.
        .systemLibrary(
            name: "CMongoC", pkgConfig: "libmongoc-1.0", providers: [.apt(["libmongoc-dev", "libbson-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CAres", pkgConfig: "libcares", providers: [.apt(["libc-ares-dev"])]),
        // recvmmsg, ppoll, CMSG_* and the ICMP filters for the ICMP pinger (one header, static inline).
        .systemLibrary(name: "CICMP"),

        // Pure-Swift BSON: values, documents, the wire format, Codable.
        .target(name: "BSON", swiftSettings: swiftSettings),
        // A small safe layer over libmongoc; blocking calls run on a dedicated thread pool.
        .target(
            name: "Mongo",
            dependencies: [
                "CMongoC", "BSON",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: swiftSettings),
        // Async HTTP over libcurl's multi interface.
        .target(
            name: "Curl",
            dependencies: [
                "CCurl",
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: swiftSettings),
        // DNS queries over c-ares, their sockets polled on one thread of their own.
        .target(name: "DNS", dependencies: ["CAres"], swiftSettings: swiftSettings),
        // What a target is (a device to ping or a site to fetch) and how its kind is guessed from text.
        .target(name: "Targets", swiftSettings: swiftSettings),
        // Per-key serial execution (one user, chat or conversation at a time; idle keys forgotten).
        .target(name: "KeyedSerialization", swiftSettings: swiftSettings),
        // The chat's language and how it writes durations, times and numbers; Bot and Monitor share it.
        .target(name: "HumanFormatting", swiftSettings: swiftSettings),
        // The names and label sets of every exported metric: emitters and the Prometheus side share them.
        .target(name: "MetricNames", swiftSettings: swiftSettings),
        // Bot API types and client.
        .target(
            name: "TelegramAPI",
            dependencies: [
                "Curl", "MetricNames", "KeyedSerialization",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ], swiftSettings: swiftSettings),
        // FSM storage protocol, key, context, in-memory storage (aiogram's model).
        .target(
            name: "FSM",
            dependencies: [
                "KeyedSerialization",
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: swiftSettings),
        // Models, repositories (memory + MongoDB), MongoDB FSM storage, migrations.
        .target(
            name: "Storage",
            dependencies: [
                "BSON", "Mongo", "FSM", "TelegramAPI", "Targets",
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: swiftSettings),
        // Raw-socket ICMP echo.
        // Several instances on one replica set: leases, heartbeats, monitor partitions.
        .target(
            name: "Cluster",
            dependencies: [
                "BSON", "Mongo", "MetricNames",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], swiftSettings: swiftSettings),
        .target(
            name: "ICMP",
            dependencies: [
                "CICMP",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: swiftSettings),
        // One check of one target: ICMP via the pinger, HTTP via libcurl, TCP via swift-nio, DNS via c-ares.
        .target(
            name: "Checks",
            dependencies: [
                "ICMP", "Curl", "DNS", "Targets", "HumanFormatting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: swiftSettings),
        // Scheduler, alert state machine, notifications, history.
        .target(
            name: "Monitor",
            dependencies: [
                "BSON", "Checks", "ICMP", "Curl", "Storage", "TelegramAPI", "MetricNames", "HumanFormatting", "Targets",
                "Cluster",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], swiftSettings: swiftSettings),
        // Dispatcher, routers, handlers, keyboards, texts.
        .target(
            name: "Bot",
            dependencies: [
                "BSON", "TelegramAPI", "FSM", "Storage", "MetricNames", "HumanFormatting", "KeyedSerialization",
                "Targets", "Cluster",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], swiftSettings: swiftSettings),
        // Health endpoints and Prometheus metrics.
        .target(
            name: "Health",
            dependencies: [
                "MetricNames",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], swiftSettings: swiftSettings),
        .executableTarget(
            name: "UptimeBot",
            dependencies: [
                "BSON", "Bot", "Monitor", "Checks", "Storage", "Health", "TelegramAPI", "FSM", "Mongo", "ICMP", "Curl",
                "Targets",
                "HumanFormatting",
                "Cluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
            ], swiftSettings: swiftSettings),
        .executableTarget(
            name: "uptime-bench",
            dependencies: [
                "BSON", "Bot", "Monitor", "Checks", "Storage", "FSM", "Mongo", "ICMP", "Curl", "TelegramAPI",
                "FakeTelegramAPI",
                "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: swiftSettings),

        // Test support lives under Tests/; the fake Bot API and the child-process helpers are libraries so the benchmark uses them too.
        .target(
            name: "FakeTelegramAPI",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ], path: "Tests/FakeTelegramAPI", swiftSettings: swiftSettings),
        .target(
            name: "TestSupport",
            dependencies: [
                "Mongo", "Storage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ], path: "Tests/TestSupport", swiftSettings: swiftSettings),

        .testTarget(name: "HumanFormattingTests", dependencies: ["HumanFormatting"], swiftSettings: swiftSettings),
        .testTarget(name: "TargetsTests", dependencies: ["Targets"], swiftSettings: swiftSettings),
        .testTarget(
            name: "KeyedSerializationTests", dependencies: ["KeyedSerialization"], swiftSettings: swiftSettings),
        .testTarget(name: "BSONTests", dependencies: ["BSON"], swiftSettings: swiftSettings),
        .testTarget(name: "MongoTests", dependencies: ["Mongo", "BSON", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FSMTests", dependencies: ["FSM", "Storage", "Mongo", "BSON", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "StorageTests", dependencies: ["Storage", "Mongo", "BSON", "TelegramAPI", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CurlTests",
            dependencies: ["Curl", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ICMPTests",
            dependencies: ["ICMP", "CICMP", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ChecksTests",
            dependencies: [
                "Checks", "Curl", "ICMP", "DNS", "Targets", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TelegramAPITests",
            dependencies: [
                "TelegramAPI", "MetricNames", "FakeTelegramAPI", "Curl", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ], swiftSettings: swiftSettings),
        .testTarget(
            name: "UptimeBotTests",
            dependencies: [
                "UptimeBot", "FakeTelegramAPI", "TestSupport", "Storage", "Mongo", "BSON", "Cluster",
                .product(name: "Configuration", package: "swift-configuration"),
            ], swiftSettings: swiftSettings),
        .testTarget(
            name: "ClusterTests",
            dependencies: ["Cluster", "Mongo", "BSON", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HealthTests",
            dependencies: [
                "Health", "MetricNames",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], swiftSettings: swiftSettings),
        .testTarget(
            name: "MonitorTests",
            dependencies: [
                "Monitor", "Checks", "Storage", "Mongo", "BSON", "ICMP", "Curl", "TelegramAPI", "FakeTelegramAPI",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "BotTests",
            // Monitor for the chat tests that run the monitor and the outbox too (alerts, an owner's return).
            dependencies: [
                "Bot", "Monitor", "Storage", "FSM", "Mongo", "BSON", "Curl", "Checks", "TelegramAPI", "HumanFormatting",
                "ICMP",
                "FakeTelegramAPI",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
    ]
)
