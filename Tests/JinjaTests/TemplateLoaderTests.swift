import Foundation
import Testing
@testable import Jinja

/// A temporary folder removed when the test ends.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "regen-jinja-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}

@Suite struct TemplateLoaderTests {
    @Test func loadsNestedTemplatesFromDisk() throws {
        let folder = try TemporaryFolder()
        try folder.write("templates/layout.md", "# {% block t %}{% endblock %}\n")
        try folder.write("templates/pages/a.md", "{% extends 'layout.md' %}{% block t %}A{% endblock %}")
        let environment = Environment(loader: FileSystemLoader(root: folder.path + "/templates"))
        #expect(try environment.render("pages/a.md") == "# A\n")
        #expect(try environment.render("./pages//a.md") == "# A\n")
    }

    @Test(arguments: ["../secret.txt", "/etc/passwd", "pages/../../secret.txt", "link/secret.txt", "escape.txt"])
    func refusesNamesThatLeaveTheRoot(name: String) throws {
        let folder = try TemporaryFolder()
        try folder.write("secret.txt", "secret")
        try folder.write("templates/pages/x", "x")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/templates/link", withDestinationPath: folder.path)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/templates/escape.txt",
                                                   withDestinationPath: folder.path + "/secret.txt")
        let loader = FileSystemLoader(root: folder.path + "/templates")
        #expect(throws: TemplateError.self) { try loader.load(name) }
        do {
            _ = try loader.load(name)
        } catch let error as TemplateError {
            #expect(error.kind == .notFound)
            #expect(!error.description.contains("secret\n"))
        }
    }

    @Test func symlinkInsideTheRootIsFine() throws {
        let folder = try TemporaryFolder()
        try folder.write("templates/real.md", "real")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/templates/alias.md",
                                                   withDestinationPath: folder.path + "/templates/real.md")
        #expect(try FileSystemLoader(root: folder.path + "/templates").load("alias.md").text == "real")
    }

    @Test func invalidUTF8IsAnErrorNotACrash() throws {
        let folder = try TemporaryFolder()
        try Data([0x7b, 0x7b, 0xff, 0xfe, 0x7d, 0x7d]).write(to: URL(fileURLWithPath: folder.path + "/bad.md"))
        let error = try #require(throws: TemplateError.self) { try FileSystemLoader(root: folder.path).load("bad.md") }
        #expect(error.message.contains("UTF-8"))
    }

    @Test func cachedTemplatesAreParsedOnceUntilInvalidated() throws {
        let folder = try TemporaryFolder()
        try folder.write("t.md", "one")
        let environment = Environment(loader: FileSystemLoader(root: folder.path))
        #expect(try environment.render("t.md") == "one")
        try folder.write("t.md", "two")
        #expect(try environment.render("t.md") == "one")
        environment.invalidate(["t.md"])
        #expect(try environment.render("t.md") == "two")
    }
}
