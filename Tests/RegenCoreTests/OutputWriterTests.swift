import Foundation
import Testing
@testable import RegenCore

@Suite struct OutputWriterTests {
    func modificationDate(_ path: String) throws -> Date {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
    }

    @Test func writesCreateFoldersAndUnchangedOutputsAreNotTouched() throws {
        let folder = try TemporaryFolder()
        let writer = OutputWriter(root: folder.path + "/out")
        #expect(try writer.write(Array("one\n".utf8), to: "a/b/c.md") == .written)
        #expect(folder.read("out/a/b/c.md") == "one\n")
        let path = folder.path + "/out/a/b/c.md"
        let old = Date(timeIntervalSince1970: 1_000_000)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
        #expect(try writer.write(Array("one\n".utf8), to: "a/b/c.md") == .unchanged)
        #expect(try modificationDate(path) == old)
        #expect(try writer.write(Array("two\n".utf8), to: "a/b/c.md") == .written)
        #expect(folder.read("out/a/b/c.md") == "two\n")
        #expect(try writer.write([], to: "empty.md") == .written)
        #expect(try writer.write([], to: "empty.md") == .unchanged)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/out/a/b")
        #expect(leftovers == ["c.md"], "no temporary files are left behind")
    }

    @Test func nothingIsWrittenThroughALinkThatLeavesTheOutputFolder() throws {
        let outside = try TemporaryFolder()
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/out", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/out/escape", withDestinationPath: outside.path)
        let writer = OutputWriter(root: folder.path + "/out")
        #expect(throws: Diagnostic.self) { try writer.write(Array("x".utf8), to: "escape/x.md") }
        #expect(!FileManager.default.fileExists(atPath: outside.path + "/x.md"))
    }

    @Test func aLinkedOutputFileIsReplacedNotFollowed() throws {
        let outside = try TemporaryFolder()
        try outside.write("victim.txt", "keep me")
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/out", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/out/page.md", withDestinationPath: outside.path + "/victim.txt")
        #expect(try OutputWriter(root: folder.path + "/out").write(Array("new".utf8), to: "page.md") == .written)
        #expect(outside.read("victim.txt") == "keep me")
        #expect(folder.read("out/page.md") == "new")
    }

    @Test func escapingPathsAreRefused() {
        let writer = OutputWriter(root: "/tmp/regen-never")
        #expect(throws: Diagnostic.self) { try writer.write([], to: "../../etc/x") }
        #expect(throws: Diagnostic.self) { try writer.write([], to: "/etc/x") }
    }
}
