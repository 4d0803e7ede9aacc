import Foundation
import Testing
@testable import RegenCore

/// A random project of layered templates (pages extend layouts, which include sections, which
/// include partials, which import macro libraries), data files and configs, edited at random.
private struct RandomProject {
    let folder: TemporaryFolder
    var random: SeededGenerator
    var token = 0

    static let layers: [(folder: String, count: Int)] = [("macros", 3), ("partials", 4), ("sections", 3), ("layouts", 2), ("pages", 4)]

    init(seed: UInt64) throws {
        folder = try TemporaryFolder()
        random = SeededGenerator(seed: seed)
        for (layer, entry) in Self.layers.enumerated() {
            for number in 0..<entry.count { try writeTemplate(layer: layer, number: number) }
        }
        try folder.write("templates/pages/dynamic.jinja", "{% extends 'layouts/l0.jinja' %}{% block body %}{% include name %}{% endblock %}")
        for number in 0..<3 { try writeData(number) }
        for number in 0..<8 { try writeConfig(number) }
    }

    mutating func next() -> Int {
        token += 1
        return token
    }

    func name(layer: Int, number: Int) -> String {
        "\(Self.layers[layer].folder)/\(Self.layers[layer].folder.prefix(1))\(number).jinja"
    }

    /// Names in the layer below, existing or not: a missing one is included with `ignore missing`.
    mutating func below(_ layer: Int) -> [String] {
        let count = Int.random(in: 0...2, using: &random)
        return (0..<count).map { _ in name(layer: layer - 1, number: Int.random(in: 0..<(Self.layers[layer - 1].count + 2), using: &random)) }
    }

    mutating func templateText(layer: Int, number: Int) -> String {
        let mark = "\(Self.layers[layer].folder)\(number)-\(next())"
        switch layer {
        case 0:
            return "{% macro f(v) %}\(mark)[{{ v }}]{% endmacro %}"
        case 1:
            let libraries = below(layer).filter { !$0.contains("3") && !$0.contains("4") }
            let imports = libraries.enumerated().map { "{% import '\($1)' as l\($0) %}{{ l\($0).f(x) }}" }
            return "\(mark) " + imports.joined(separator: " ")
        case 2, 3:
            let includes = below(layer).map { "{% include '\($0)' ignore missing %}" }.joined(separator: " ")
            return layer == 2 ? "\(mark) \(includes)" : "\(mark) {% block body %}{% endblock %} \(includes)"
        default:
            let layout = name(layer: 3, number: Int.random(in: 0..<2, using: &random))
            let includes = below(layer).map { "{% include '\($0)' ignore missing %}" }.joined(separator: " ")
            return "{% extends '\(layout)' %}{% block body %}\(mark) {{ d.v }} \(includes){% endblock %}"
        }
    }

    mutating func writeTemplate(layer: Int, number: Int) throws {
        try folder.write("templates/" + name(layer: layer, number: number), templateText(layer: layer, number: number))
    }

    mutating func writeData(_ number: Int) throws {
        try folder.write("data/d\(number).json", "{\"v\": \(Int.random(in: 0..<3, using: &random))}")
    }

    mutating func writeConfig(_ number: Int) throws {
        let pages = (0..<4).map { "pages/p\($0).jinja" } + ["pages/dynamic.jinja"]
        let template = pages.randomElement(using: &random)!
        let dynamicName = name(layer: 1, number: Int.random(in: 0..<5, using: &random))
        let data = Int.random(in: 0..<3, using: &random)
        try folder.write("configs/c\(number).json", """
            {"template": "\(template)", "context": {"x": \(Int.random(in: 0..<3, using: &random)), "name": "\(dynamicName)",
             "d": {"source": "file", "path": "data/d\(data).json"}}}
            """)
    }

    /// One random edit; the paths it touched.
    mutating func edit() throws -> [String] {
        let layer = Int.random(in: 0..<Self.layers.count, using: &random)
        let number = Int.random(in: 0..<(Self.layers[layer].count + 2), using: &random)
        let template = "templates/" + name(layer: layer, number: number)
        switch Int.random(in: 0..<9, using: &random) {
        case 0, 1:
            try writeTemplate(layer: layer, number: number)  // edit, or create a missing one
            return [template]
        case 2:
            try? FileManager.default.removeItem(atPath: folder.path + "/" + template)
            return [template]
        case 3:
            // Rename within the layer.
            let other = "templates/" + name(layer: layer, number: Int.random(in: 0..<(Self.layers[layer].count + 2), using: &random))
            guard other != template, FileManager.default.fileExists(atPath: folder.path + "/" + template) else { return [] }
            try? FileManager.default.removeItem(atPath: folder.path + "/" + other)
            try FileManager.default.moveItem(atPath: folder.path + "/" + template, toPath: folder.path + "/" + other)
            return [template, other]
        case 4:
            // A touch, or a save of the same bytes.
            if let bytes = FileManager.default.contents(atPath: folder.path + "/" + template) {
                try folder.write(template, bytes)
            }
            return [template]
        case 5:
            let data = Int.random(in: 0..<3, using: &random)
            try writeData(data)
            return ["data/d\(data).json"]
        case 6:
            let config = Int.random(in: 0..<8, using: &random)
            try writeConfig(config)
            return ["configs/c\(config).json"]
        default:
            // Two edits at once.
            return try edit() + edit()
        }
    }
}

@Suite struct DependencyPropertyTests {
    /// What every output is after rebuilding everything: its text, or its failure.
    static func rebuildEverything(_ project: Project) -> [String: String] {
        let (items, _) = Builder.items(project, ids: [])
        let results = Builder.run(project, items: items, mode: .write)
        var outcomes: [String: String] = [:]
        for result in results {
            guard let item = result.item else { continue }
            switch result.status {
            case .failed(let diagnostic): outcomes[item.stateKey] = "failed: " + diagnostic.message
            default: outcomes[item.stateKey] = (try? String(contentsOfFile: project.outputRoot + "/" + item.target.output, encoding: .utf8)) ?? "?"
            }
        }
        return outcomes
    }

    /// For random edits to a random project, the configs the index names contain every config
    /// whose output actually changed when rebuilding everything, and so do the items the build
    /// state finds out of date. The index, kept up to date in place, answers as one built afresh.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func theIndexAndTheStateMissNoChangedOutput(seed: UInt64) throws {
        var generator = try RandomProject(seed: seed)
        var project = try Project.load(root: generator.folder.path)
        var index = DependencyIndex.build(project: project)
        var before = Self.rebuildEverything(project)
        var incremental = IncrementalBuild(project: project)
        incremental.prepare(Builder.items(project, ids: []).items)
        try incremental.save(after: Builder.run(project, items: Builder.items(project, ids: []).items, mode: .write))
        var named = 0
        var changedTotal = 0
        for iteration in 0..<100 {
            let paths = try generator.edit()
            let affected = index.update(changedPaths: paths)
            project = try Project.load(root: generator.folder.path)

            // `regen build` as it runs: only what the state finds out of date is read and rebuilt.
            var (check, staleItems, _) = try IncrementalBuild.outOfDate(root: generator.folder.path)
            let stale = Set(staleItems.map(\.stateKey))
            check.prepare(staleItems)
            try check.save(after: Builder.run(check.project, items: staleItems, mode: .write))

            let after = Self.rebuildEverything(project)
            let changed = Set(after.keys.filter { before[$0] != after[$0] })
            let changedIDs = Set(changed.map { String($0.split(separator: "#")[0]) })
            #expect(changedIDs.isSubset(of: affected), "iteration \(iteration), \(paths): index missed \(changedIDs.subtracting(affected))")
            #expect(changed.isSubset(of: stale), "iteration \(iteration), \(paths): state missed \(changed.subtracting(stale))")
            named += affected.count
            changedTotal += changed.count

            let fresh = DependencyIndex.build(project: project)
            for path in paths + ["templates/macros/m0.jinja", "templates/partials/p1.jinja", "data/d0.json"] {
                #expect(index.dependents(ofPath: path) == fresh.dependents(ofPath: path), "iteration \(iteration): \(path)")
            }
            before = after
        }
        // The test means something only if edits do change outputs.
        #expect(changedTotal > 20)
        #expect(named >= changedTotal)
    }
}
