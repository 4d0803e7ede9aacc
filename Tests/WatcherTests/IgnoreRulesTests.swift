import Testing
@testable import Watcher

@Suite struct IgnoreRulesTests {
    @Test(arguments: ["4913", "5036", "x.jinja~", ".x.jinja.swp", ".x.swo", ".x.swx", ".x.swpx", ".#x.jinja",
                      "#x.jinja#", "x.jinja___jb_tmp___", "x.jinja___jb_old___", "x.json.vsctmp", "sedAb12Cd",
                      "sed0ZzYx9", "index.lock", "x.kate-swp", ".goutputstream-ABC123", ".dat.nosync1a2b.abc"])
    func editorAndToolTemporariesAreAlwaysIgnored(_ name: String) {
        #expect(IgnoreRules.isTemporaryName(name))
        #expect(IgnoreRules().ignores("/p/templates/" + name, isFolder: false))
    }

    @Test(arguments: ["x.jinja", "4912", "5000", "4913.md", "sedation", "sed", "sed-config", "x.tmp", "report.swp.md",
                      "swp", ".swp", "#", "notes.json", "x.swp", "Cargo.locked"])
    func ordinaryNamesAreNotIgnored(_ name: String) {
        #expect(!IgnoreRules.isTemporaryName(name))
    }

    @Test func gitInternalsAndExcludedFoldersAreIgnoredWithEverythingInside() {
        let rules = IgnoreRules(projectRoot: "/p", excludedFolders: ["output", "/p/.regen"])
        #expect(rules.ignores("/p/.git", isFolder: true))
        #expect(rules.ignores("/p/sub/.git", isFolder: false))
        #expect(rules.ignores("/p/output", isFolder: true))
        #expect(rules.ignores("/p/output/a/b.md", isFolder: false))
        #expect(rules.ignores("/p/.regen/state.json", isFolder: false))
        #expect(!rules.ignores("/p/outputs/a.md", isFolder: false))
        #expect(!rules.ignores("/p/templates/a.md", isFolder: false))
    }

    @Test func patternsAreRelativeToTheProjectRoot() {
        let rules = IgnoreRules(projectRoot: "/p/", patterns: ["*.bak", "drafts/**", "/configs/old/", "data/**/*.csv"])
        #expect(rules.ignores("/p/a.bak", isFolder: false))
        #expect(rules.ignores("/p/deep/er/a.bak", isFolder: false))
        #expect(rules.ignores("/p/drafts/x/y.md", isFolder: false))
        #expect(!rules.ignores("/p/templates/drafts", isFolder: false))
        #expect(rules.ignores("/p/configs/old", isFolder: true))
        #expect(!rules.ignores("/p/configs/old", isFolder: false))
        #expect(rules.ignores("/p/data/x.csv", isFolder: false))
        #expect(rules.ignores("/p/data/a/b/x.csv", isFolder: false))
        #expect(!rules.ignores("/p/data/a/b/x.json", isFolder: false))
        #expect(!rules.ignores("/elsewhere/drafts/x", isFolder: false))
    }
}

@Suite struct GlobTests {
    @Test(arguments: [
        ("*.md", "a.md", true), ("*.md", "x/y/a.md", true), ("*.md", "a.mdx", false),
        ("a/*.md", "a/b.md", true), ("a/*.md", "a/x/b.md", false), ("a/**/b.md", "a/b.md", true),
        ("a/**/b.md", "a/x/y/b.md", true), ("**/b.md", "b.md", true), ("a/**", "a/x", true),
        ("a/**", "a", false), ("?.md", "x.md", true), ("?.md", "xy.md", false),
        ("[abc].md", "b.md", true), ("[!abc].md", "b.md", false), ("[a-c]x", "cx", true), ("[a-c]x", "dx", false),
        ("*", "anything", true), ("a*b*c", "aXbYc", true), ("a*b*c", "aXbY", false), ("[x", "[x", true),
        ("/top.md", "top.md", true), ("/top.md", "sub/top.md", false), ("ab**cd", "abXcd", true),
    ])
    func matching(_ pattern: String, _ path: String, _ expected: Bool) {
        #expect(Glob(pattern).matches(path) == expected)
    }
}
