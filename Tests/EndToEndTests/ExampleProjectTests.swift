import Foundation
import Testing

/// `regen` on a copy of the example project at the top of the repository, compared with the
/// outputs the real Jinja2 produces (Tests/EndToEndTests/make_expected.py).
@Suite(.serialized) struct ExampleProjectTests {
    static let projectFiles = ["watch.yaml", "templates", "configs", "data"]
    static let expectedRoot = RegenProcess.repositoryRoot + "/Tests/EndToEndTests/Expected"

    static func expectedFiles() -> [String] {
        let walker = FileManager.default.enumerator(atPath: expectedRoot)
        var files: [String] = []
        while let name = walker?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: expectedRoot + "/" + name, isDirectory: &isFolder), !isFolder.boolValue {
                files.append(name)
            }
        }
        return files.sorted()
    }

    @Test func buildWritesWhatJinja2WritesAndASecondBuildTouchesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFromRepository(Self.projectFiles)
        let expected = Self.expectedFiles()
        #expect(expected.count == 13)

        let first = try RegenProcess.run(["build"], in: sandbox.path)
        #expect(first.status == 0, "\(first.all)")
        #expect(first.output.contains("13 written, 0 unchanged, 0 failed"), "\(first.output)")
        for name in expected {
            let want = try String(contentsOfFile: Self.expectedRoot + "/" + name, encoding: .utf8)
            #expect(sandbox.read("output/" + name) == want, "output/\(name) differs from Jinja2's")
        }

        let stamp = Date(timeIntervalSince1970: 1_000_000)
        for name in expected {
            try FileManager.default.setAttributes([.modificationDate: stamp], ofItemAtPath: sandbox.path + "/output/" + name)
        }
        let second = try RegenProcess.run(["build", "--all"], in: sandbox.path)
        #expect(second.status == 0, "\(second.all)")
        #expect(second.output.contains("0 written, 13 unchanged, 0 failed"), "\(second.output)")
        for name in expected {
            let date = try FileManager.default.attributesOfItem(atPath: sandbox.path + "/output/" + name)[.modificationDate] as? Date
            #expect(date == stamp, "output/\(name) was rewritten though unchanged")
        }
    }

    @Test func buildingSomeIDsBuildsOnlyThoseAndNamesTheUnknownOnes() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFromRepository(Self.projectFiles)
        let result = try RegenProcess.run(["build", "endpoint-users", "endpoint-deprecated", "--project", sandbox.path], in: "/")
        #expect(result.status == 1)
        #expect(result.all.contains("Content config not found: endpoint-deprecated"))
        #expect(sandbox.exists("output/api-docs/endpoint-users.md"))
        #expect(!sandbox.exists("output/api-docs/endpoint-posts.md"))
    }

    @Test func previewPrintsAndWritesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFromRepository(Self.projectFiles)
        let result = try RegenProcess.run(["preview", "endpoint-users"], in: sandbox.path)
        #expect(result.status == 0, "\(result.errors)")
        let want = try String(contentsOfFile: Self.expectedRoot + "/api-docs/endpoint-users.md", encoding: .utf8)
        #expect(result.output == want)
        #expect(!sandbox.exists("output"))
        let override = try RegenProcess.run(["preview", "endpoint-users", "--context", "{\"title\": \"Fetch a user\"}"], in: sandbox.path)
        #expect(override.output.hasPrefix("# GET /users/{id} — Fetch a user\n"))
    }

    @Test func checkRendersEverythingAndWritesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFromRepository(Self.projectFiles)
        let result = try RegenProcess.run(["check"], in: sandbox.path)
        #expect(result.status == 0, "\(result.all)")
        #expect(result.output.contains("13 rendered, 0 failed"))
        #expect(!sandbox.exists("output"))
    }

    @Test func listShowsEveryConfig() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFromRepository(Self.projectFiles)
        let result = try RegenProcess.run(["list", "--json"], in: sandbox.path)
        #expect(result.status == 0, "\(result.all)")
        let list = try #require(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
        #expect(Set(list.compactMap { $0["id"] as? String }) == [
            "endpoint-auth", "endpoint-comments", "endpoint-posts", "endpoint-search", "endpoint-users",
            "monthly-report", "user-guide", "release-notes", "team-onboarding"])
        let text = try RegenProcess.run(["list"], in: sandbox.path)
        #expect(text.output.contains("monthly-report"))
    }

    @Test func buildJSONReportsEachItem() throws {
        let sandbox = try Sandbox()
        try sandbox.copyFromRepository(Self.projectFiles)
        let result = try RegenProcess.run(["build", "--json"], in: sandbox.path)
        // JSON Lines: item events, then the summary on the last line.
        let lines = result.output.split(separator: "\n")
        let report = try #require(JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8)) as? [String: Any])
        #expect(report["event"] as? String == "summary")
        #expect(report["written"] as? Int == 13)
        #expect((report["items"] as? [Any])?.count == 13)
        #expect((report["files"] as? [Any])?.count == 13)
    }
}
