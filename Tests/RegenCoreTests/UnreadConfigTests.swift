import Foundation
import Testing
@testable import RegenCore

/// `regen build` without ids parses only the config files it must (`IncrementalBuild.outOfDate(root:)`):
/// what happens to the records of the others when configs are deleted, moved or clash.
@Suite struct UnreadConfigTests {
    static func project() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write("templates/t.jinja", "{{ title }}\n")
        for name in ["a", "b", "c"] {
            try folder.write("configs/\(name).json", config(id: name, output: "\(name).md"))
        }
        // Older than the racy window, so that the second build trusts the stamps.
        let old = Date(timeIntervalSinceNow: -100)
        for file in ["templates/t.jinja", "configs/a.json", "configs/b.json", "configs/c.json"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder.path + "/" + file)
        }
        return folder
    }

    static func config(id: String, output: String) -> String {
        "{\"id\": \"\(id)\", \"template\": \"t.jinja\", \"output\": \"\(output)\", \"context\": {\"title\": \"\(id)\"}}"
    }

    /// One `regen build`: what it found out of date, how many it skipped, the configs it parsed
    /// and the problems it reported.
    static func build(_ folder: TemporaryFolder) throws -> (stale: [String], skipped: Int, parsed: [String], problems: [String]) {
        var (build, stale, skipped) = try IncrementalBuild.outOfDate(root: folder.path)
        build.prepare(stale)
        try build.save(after: Builder.run(build.project, items: stale, mode: .write))
        return (stale.map(\.stateKey).sorted(), skipped, build.project.configs.map(\.id).sorted(),
                build.project.problems.map(\.message))
    }

    static func recordedIDs(_ folder: TemporaryFolder) -> [String] {
        BuildState.load(stateFolder: folder.path + "/.regen").state.records.values.map(\.configID).sorted()
    }

    @Test func aSecondBuildParsesNoConfig() throws {
        let folder = try Self.project()
        #expect(try Self.build(folder).stale.count == 3)
        let second = try Self.build(folder)
        #expect(second.stale.isEmpty && second.skipped == 3 && second.parsed.isEmpty)
        #expect(Self.recordedIDs(folder) == ["a", "b", "c"])
    }

    @Test func aDeletedConfigLosesItsRecordAndTheOthersKeepTheirs() throws {
        let folder = try Self.project()
        _ = try Self.build(folder)
        try FileManager.default.removeItem(atPath: folder.path + "/configs/b.json")
        let second = try Self.build(folder)
        #expect(second.stale.isEmpty && second.skipped == 2)
        #expect(Self.recordedIDs(folder) == ["a", "c"])
    }

    @Test func aMovedConfigIsRebuiltAndItsRecordNamesItsNewFile() throws {
        let folder = try Self.project()
        _ = try Self.build(folder)
        try FileManager.default.moveItem(atPath: folder.path + "/configs/b.json", toPath: folder.path + "/configs/moved.json")
        let second = try Self.build(folder)
        #expect(second.stale == ["b#-"] && second.skipped == 2 && second.parsed == ["b"])
        let state = BuildState.load(stateFolder: folder.path + "/.regen").state
        let record = try #require(state.records["b#-"])
        #expect(state.paths[record.configFile.position] == "configs/moved.json")
        let third = try Self.build(folder)
        #expect(third.stale.isEmpty && third.skipped == 3)
    }

    /// A new config could clash with one that was not parsed: the whole project is loaded, and
    /// the error is the one `--all` gives.
    @Test(arguments: [("{\"id\": \"a\", \"template\": \"t.jinja\", \"output\": \"new.md\"}", "Duplicate config id 'a'"),
                      (config(id: "new", output: "c.md"), "two configs write c.md")])
    func aNewConfigThatClashesWithAnUnreadOneIsFoundAsInAFullLoad(text: String, problem: String) throws {
        let folder = try Self.project()
        _ = try Self.build(folder)
        try folder.write("configs/z.json", text)
        let second = try Self.build(folder)
        #expect(second.problems.count == 1)
        #expect(second.problems.first?.contains(problem) == true, "\(second.problems)")
        #expect(second.parsed.count == 3, "the whole project was loaded")
        #expect(second.stale.isEmpty, "the three valid configs are up to date")
    }

    /// An edited config is checked against those not read; one whose bytes did not change (it is
    /// read because its template changed) is not, and the whole project is not loaded.
    @Test func anEditedConfigThatClashesIsFoundAndATemplateEditLoadsOnlyItsConfigs() throws {
        let folder = try Self.project()
        _ = try Self.build(folder)
        try folder.write("configs/c.json", Self.config(id: "a", output: "c.md"))
        let second = try Self.build(folder)
        #expect(second.problems.count == 1)
        #expect(second.problems.first?.contains("Duplicate config id 'a'") == true, "\(second.problems)")
        #expect(second.parsed == ["a", "b"], "the whole project was loaded, and c refused")

        try folder.write("configs/c.json", Self.config(id: "c", output: "c.md"))
        _ = try Self.build(folder)
        try folder.write("templates/t.jinja", "{{ title }}!\n")
        let afterTemplateEdit = try Self.build(folder)
        #expect(afterTemplateEdit.problems.isEmpty)
        #expect(afterTemplateEdit.stale == ["a#-", "b#-", "c#-"])
        #expect(folder.read("output/a.md") == "a!\n")
    }
}
