import Foundation
import Testing

/// `regen build` run twice and more against a small layered project, through the built binary.
@Suite struct IncrementalBuildTests {
    static func project() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.write("templates/lib/macros.jinja", "{% macro b(x) %}[{{ x }}]{% endmacro %}")
        try sandbox.write("templates/partials/shared.jinja", "{% import 'lib/macros.jinja' as m %}{{ m.b(title) }}")
        try sandbox.write("templates/partials/only-a.jinja", "only a")
        try sandbox.write("templates/layout.jinja", "<{% block main %}{% endblock %}>\n")
        try sandbox.write("templates/page-a.jinja", "{% extends 'layout.jinja' %}{% block main %}{% include 'partials/only-a.jinja' %} {% include 'partials/shared.jinja' %}{% endblock %}")
        try sandbox.write("templates/page-b.jinja", "{% extends 'layout.jinja' %}{% block main %}{% include 'partials/shared.jinja' %} {{ spec.n }}{% endblock %}")
        try sandbox.write("templates/dynamic.jinja", "{% include name %}\n")
        try sandbox.write("data/spec.json", "{\"n\": 1}")
        try sandbox.write("configs/a.json", "{\"template\": \"page-a.jinja\", \"context\": {\"title\": \"A\"}}")
        try sandbox.write("configs/b.json", "{\"template\": \"page-b.jinja\", \"context\": {\"title\": \"B\", \"spec\": {\"source\": \"file\", \"path\": \"data/spec.json\"}}}")
        try sandbox.write("configs/c.json", "{\"template\": \"page-b.jinja\", \"context\": {\"title\": \"C\", \"spec\": {\"source\": \"file\", \"path\": \"data/spec.json\"}}}")
        try sandbox.write("configs/d.json", "{\"template\": \"dynamic.jinja\", \"context\": {\"name\": \"partials/later.jinja\"}}")
        try sandbox.write("templates/partials/later.jinja", "later")
        return sandbox
    }

    static func build(_ sandbox: Sandbox, _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> RegenProcess.Result {
        let result = try RegenProcess.run(["build"] + extra, in: sandbox.path, sourceLocation: sourceLocation)
        #expect(!result.crashed, sourceLocation: sourceLocation)
        return result
    }

    /// The ids written by a build, from its `wrote` lines.
    static func written(_ result: RegenProcess.Result) -> [String] {
        // `wrote  a.txt (13 bytes)` → `a`
        result.output.split(separator: "\n").filter { $0.hasPrefix("wrote  ") }.map { line in
            String(line.dropFirst(7).prefix { $0 != " " }.dropLast(4))
        }.sorted()
    }

    @Test func aSecondBuildSkipsEverythingAndAnEditRebuildsOnlyItsDependents() throws {
        let sandbox = try Self.project()
        let first = try Self.build(sandbox)
        #expect(first.status == 0, "\(first.all)")
        #expect(first.output.contains("4 written, 0 unchanged, 0 failed in"), "\(first.output)")
        #expect(sandbox.exists(".regen/build-state"))

        let second = try Self.build(sandbox)
        #expect(second.output.contains("0 written, 0 unchanged, 0 failed, 4 skipped as up to date"), "\(second.output)")

        try sandbox.write("templates/partials/only-a.jinja", "only a, edited")
        let third = try Self.build(sandbox)
        #expect(Self.written(third) == ["a"], "\(third.output)")
        // d names its template at render time: any template may be the one, so it is rendered
        // again (and found unchanged).
        #expect(third.output.contains("1 written, 1 unchanged, 0 failed, 2 skipped"), "\(third.output)")

        // The macro library at the bottom of the tree reaches a, b and c; the data file b and c.
        try sandbox.write("templates/lib/macros.jinja", "{% macro b(x) %}({{ x }}){% endmacro %}")
        #expect(Self.written(try Self.build(sandbox)) == ["a", "b", "c"])
        try sandbox.write("data/spec.json", "{\"n\": 2}")
        #expect(Self.written(try Self.build(sandbox)) == ["b", "c"])
        #expect(sandbox.read("output/b.txt") == "<(B) 2>\n")
    }

    @Test func aTouchOrAByteIdenticalSaveRebuildsNothing() throws {
        let sandbox = try Self.project()
        _ = try Self.build(sandbox)
        let now = Date()
        for file in ["templates/layout.jinja", "templates/lib/macros.jinja", "configs/a.json", "data/spec.json"] {
            try FileManager.default.setAttributes([.modificationDate: now], ofItemAtPath: sandbox.path + "/" + file)
        }
        try sandbox.write("templates/partials/shared.jinja", sandbox.read("templates/partials/shared.jinja") ?? "")
        let result = try Self.build(sandbox)
        #expect(result.output.contains("0 written, 0 unchanged, 0 failed, 4 skipped"), "\(result.output)")
    }

    @Test func aMissingOrHandEditedOutputIsRebuilt() throws {
        let sandbox = try Self.project()
        _ = try Self.build(sandbox)
        try FileManager.default.removeItem(atPath: sandbox.path + "/output/a.txt")
        try sandbox.write("output/b.txt", "edited by hand\n")
        let result = try Self.build(sandbox)
        #expect(Self.written(result) == ["a", "b"], "\(result.output)")
        #expect(sandbox.read("output/b.txt") == "<[B] 1>\n")
    }

    @Test func aDeletedTemplateFailsItsConfigsAndTheRestBuild() throws {
        let sandbox = try Self.project()
        _ = try Self.build(sandbox)
        try FileManager.default.removeItem(atPath: sandbox.path + "/templates/partials/only-a.jinja")
        try sandbox.write("data/spec.json", "{\"n\": 3}")
        let result = try Self.build(sandbox)
        #expect(result.status == 1)
        #expect(result.all.contains("Template file not found: partials/only-a.jinja"), "\(result.all)")
        #expect(Self.written(result) == ["b", "c"])
        // A failed item stays out of date until it builds; creating the template again builds it.
        #expect(try Self.build(sandbox).output.contains("1 failed, 3 skipped"))
        try sandbox.write("templates/partials/only-a.jinja", "back")
        let fixed = try Self.build(sandbox)
        #expect(fixed.status == 0)
        #expect(Self.written(fixed) == ["a"])
    }

    @Test func aNameComputedAtRenderTimeRebuildsOnAnyTemplateChange() throws {
        let sandbox = try Self.project()
        _ = try Self.build(sandbox)
        try sandbox.write("templates/partials/later.jinja", "later, edited")
        #expect(Self.written(try Self.build(sandbox)) == ["d"])
        try sandbox.write("templates/unrelated.jinja", "new")
        #expect(Self.written(try Self.build(sandbox)) == [])
        #expect(try Self.build(sandbox).output.contains("4 skipped"))
    }

    @Test func aCorruptStateFileRebuildsEverythingWithAWarning() throws {
        let sandbox = try Self.project()
        _ = try Self.build(sandbox)
        let state = try #require(sandbox.read(".regen/build-state").map { Data($0.utf8) })
        try sandbox.write(".regen/build-state", state.prefix(state.count / 2))
        let result = try Self.build(sandbox)
        #expect(result.status == 0)
        #expect(result.errors.contains("warning: ignoring"), "\(result.errors)")
        #expect(result.errors.contains("truncated"))
        #expect(result.output.contains("0 written, 4 unchanged, 0 failed"), "\(result.output)")
        #expect(try Self.build(sandbox).output.contains("4 skipped"))
    }

    @Test func allRebuildsEverythingAndTemplateRebuildsItsDependents() throws {
        let sandbox = try Self.project()
        _ = try Self.build(sandbox)
        #expect(try Self.build(sandbox, ["--all"]).output.contains("0 written, 4 unchanged, 0 failed in"))
        let result = try RegenProcess.run(["build", "--template", "partials/shared.jinja", "--project", sandbox.path],
                                          in: sandbox.path + "/templates")
        #expect(result.output.contains("0 written, 4 unchanged, 0 failed in"), "\(result.all)")
        let outside = try Self.build(sandbox, ["--template", "configs/a.json"])
        #expect(outside.status == 2)
        #expect(outside.errors.contains("not in the template folder"))
    }

    @Test func depsNamesTheDependentsOfAFileAndWhy() throws {
        let sandbox = try Self.project()
        let plain = try RegenProcess.run(["deps", "templates/lib/macros.jinja"], in: sandbox.path)
        #expect(plain.status == 0, "\(plain.all)")
        #expect(plain.output == "a\nb\nc\nd\n")
        let why = try RegenProcess.run(["deps", "--why", "macros.jinja", "--project", "../.."],
                                       in: sandbox.path + "/templates/lib")
        #expect(why.output.contains("a ← page-a.jinja ← partials/shared.jinja ← lib/macros.jinja\n"), "\(why.all)")
        #expect(why.output.contains("d ← dynamic.jinja ← (a template named at render time"), "\(why.all)")
        let config = try RegenProcess.run(["deps", "--config", "b", "--project", sandbox.path], in: "/")
        #expect(config.output.contains("configs/b.json"))
        #expect(config.output.contains("templates/lib/macros.jinja"))
        #expect(config.output.contains("data/spec.json  (data)"))
        let missing = try RegenProcess.run(["deps", "templates/partials/not-yet.jinja"], in: sandbox.path)
        #expect(missing.output == "d\n")
        let unknown = try RegenProcess.run(["deps", "--config", "zzz"], in: sandbox.path)
        #expect(unknown.status == 2)
        #expect(unknown.errors.contains("Content config not found: zzz"))
    }
}
