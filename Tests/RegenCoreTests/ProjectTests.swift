import Documents
import Foundation
import Testing
@testable import RegenCore

@Suite struct ProjectTests {
    @Test func configsAreFoundRecursivelyInJSONAndYAMLAndNothingElse() throws {
        let folder = try TemporaryFolder()
        try folder.write("configs/a.json", "{\"template\": \"t.txt\", \"generator\": \"template_fill\"}")
        try folder.write("configs/deep/er/b.json", "{\"template\": \"t.txt\", \"generator\": \"template_fill\"}")
        try folder.write("configs/notes.txt", "not a config")
        try folder.write("configs/.hidden.json", "{")
        try folder.write("configs/a.json~", "{")
        let project = try Project.load(root: folder.path)
        #expect(project.configs.map(\.file) == ["configs/a.json", "configs/deep/er/b.json"])
        #expect(project.problems.isEmpty)
        #expect(project.settings.output == "output", "no watch.yaml means every default")
    }

    @Test func duplicateIDsNameBothFiles() throws {
        let folder = try TemporaryFolder()
        try folder.write("configs/a.json", "{\"id\": \"x\", \"template\": \"t\", \"output\": \"a.md\"}")
        try folder.write("configs/b.json", "{\n  \"id\": \"x\", \"template\": \"t\", \"output\": \"b.md\"}")
        let project = try Project.load(root: folder.path)
        #expect(project.configs.map(\.file) == ["configs/a.json"])
        let problem = try #require(project.problems.first)
        #expect(problem.message == "Duplicate config id 'x': configs/a.json and configs/b.json")
        #expect(problem.file == "configs/b.json")
        #expect(problem.mark == Mark(line: 2, column: 9))
    }

    @Test func twoConfigsWritingOneFileIsAnError() throws {
        let folder = try TemporaryFolder()
        try folder.write("configs/a.json", "{\"template\": \"t\", \"output\": \"same.md\"}")
        try folder.write("configs/b.json", "{\"template\": \"t\", \"output\": \"./same.md\"}")
        let project = try Project.load(root: folder.path)
        #expect(project.problems.map(\.message) == ["two configs write same.md: a and b"])
    }

    @Test func aBrokenConfigDoesNotHideTheOthers() throws {
        let folder = try TemporaryFolder()
        try folder.write("configs/a.json", "{\"template\": \"t\"}")
        try folder.write("configs/b.json", "{\"template\": \"t\",}")
        let project = try Project.load(root: folder.path)
        #expect(project.configs.map(\.id) == ["a"])
        let problem = try #require(project.problems.first)
        #expect(problem.description.hasPrefix("configs/b.json:1:18: error: Expecting property name enclosed in double quotes"))
    }

    @Test func aProjectWithoutConfigsFolderIsRefused() throws {
        let folder = try TemporaryFolder()
        #expect(throws: Diagnostic.self) { try Project.load(root: folder.path) }
        #expect(throws: Diagnostic.self) { try Project.load(root: folder.path + "/nowhere") }
    }

    @Test func aConfigLinkedFromOutsideTheProjectIsRefused() throws {
        let outside = try TemporaryFolder()
        try outside.write("evil.json", "{\"template\": \"t\"}")
        let folder = try TemporaryFolder()
        try folder.write("configs/ok.json", "{\"template\": \"t\"}")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/configs/evil.json", withDestinationPath: outside.path + "/evil.json")
        let project = try Project.load(root: folder.path)
        #expect(project.configs.map(\.id) == ["ok"])
        #expect(project.problems.map(\.message) == ["the config is a link that leads outside the project"])
    }

    @Test func unknownIDsFailWithTheirOwnItem() throws {
        let folder = try TemporaryFolder()
        try folder.write("configs/a.json", "{\"template\": \"t\"}")
        let project = try Project.load(root: folder.path)
        let (items, missing) = Builder.items(project, ids: ["a", "endpoint-deprecated"])
        #expect(items.map(\.config.id) == ["a"])
        #expect(missing.compactMap(\.failure?.message) == ["Content config not found: endpoint-deprecated"])
    }
}
