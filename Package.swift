// swift-tools-version:6.0
import PackageDescription

// No package dependencies: FoundationEssentials, Glibc, Dispatch and Synchronization only. Not all
// of Foundation: loading it, ICU included, made every start of `regen` take about 60% longer (the
// benchmark helpers and the tests may import it).
let package = Package(
    name: "Regen",
    products: [
        .executable(name: "regen", targets: ["regen"]),
        .library(name: "Jinja", targets: ["Jinja"]),
    ],
    targets: [
        // The template engine: Jinja2 3.1.6 semantics; knows nothing of files beyond its loader.
        .target(name: "Jinja"),
        // The ordered data model that contexts and configuration files share, and its JSON reader.
        .target(name: "Documents"),
        // The YAML subset that configuration files use, read into Documents values.
        .target(name: "YAML", dependencies: ["Documents"]),
        // inotify folder watching and settling into batches of changed paths; stands alone.
        .target(name: "Watcher"),
        // The project model, generators, writer and build that every command shares.
        .target(name: "RegenCore", dependencies: ["Jinja", "Documents", "YAML", "Watcher"]),
        // The thin command-line executable. The Swift runtime and FoundationEssentials are linked in
        // statically: it saves the dynamic loader's relocation work at every start (ldd: libc, libm,
        // libstdc++, libgcc_s only). -static-stdlib on the compile too makes main.swift.o autolink the
        // static FoundationEssentials' parts (_FoundationCollections, _FoundationCShims), which
        // libFoundationEssentials.so holds but libFoundationEssentials.a does not.
        .executableTarget(name: "regen", dependencies: ["RegenCore"],
                          swiftSettings: [.unsafeFlags(["-static-stdlib"])],
                          linkerSettings: [.unsafeFlags(["-static-stdlib"])]),
        // Times the template engine for bench/templates.py; not installed, not part of `regen`.
        .executableTarget(name: "regen-bench", dependencies: ["Jinja", "RegenCore"], path: "Sources/RegenBench"),
        // Times the dependency index for bench/index.py; not installed, not part of `regen`.
        .executableTarget(name: "index-bench", dependencies: ["RegenCore"], path: "Sources/IndexBench"),

        .testTarget(name: "JinjaTests", dependencies: ["Jinja"], exclude: ["Conformance"], resources: [.copy("Fixtures")]),
        // The tagged-JSON fixture format that the JSON and YAML reader tests share.
        .target(name: "TaggedFixtures", dependencies: ["Documents"], path: "Tests/Support/TaggedFixtures"),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "TaggedFixtures"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "TaggedFixtures"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RegenCoreTests", dependencies: ["RegenCore"]),
        .testTarget(name: "WatcherTests", dependencies: ["Watcher"]),
        // Runs the built `regen` (swift build builds it with the tests); the expected outputs come
        // from the real Jinja2 through make_expected.py.
        .testTarget(name: "EndToEndTests", dependencies: ["RegenCore"],
                    exclude: ["Expected", "make_expected.py"]),
    ]
)
