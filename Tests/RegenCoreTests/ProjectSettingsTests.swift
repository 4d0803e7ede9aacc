import Documents
import Jinja
import Testing
@testable import RegenCore

@Suite struct ProjectSettingsTests {
    @Test func anEmptyFileMeansEveryDefault() throws {
        let settings = try ProjectSettings(.null(Mark(line: 1, column: 1)), source: SourceFile(name: "watch.yaml", bytes: []))
        #expect(settings.templates == "templates")
        #expect(settings.configs == "configs")
        #expect(settings.output == "output")
        #expect(settings.state == ".regen")
        #expect(settings.undefined == .strict)
        #expect(settings.autoescape == .suffixes([".html", ".xml"]))
        #expect(settings.jinja == SyntaxOptions(trimBlocks: false, lstripBlocks: false, keepTrailingNewline: true))
        #expect(settings.watch.settleMilliseconds == 20)
        #expect(settings.watch.maxDelayMilliseconds == 250)
        #expect(settings.watch.ignore.isEmpty)
        #expect(settings.batch.maxBatchSize == 10)
        #expect(settings.batch.concurrency == 0)
        #expect(settings.batch.itemTimeoutSeconds == 30)
        #expect(settings.batch.batchTimeoutSeconds == 120)
        #expect(settings.priorities.map(\.match) == ["configs/guides/**"])
        #expect(settings.priorities.map(\.tier) == [.high])
        #expect(settings.commandGenerator.enabled == false)
        #expect(settings.commandGenerator.concurrency == 5)
    }

    @Test func everyKeyIsRead() throws {
        let (document, file) = source("""
            {"templates": "tpl", "configs": "cfg", "output": "site/out", "state": ".state",
             "undefined": "lenient", "autoescape": [".htm"],
             "jinja": {"keep_trailing_newline": false, "trim_blocks": true, "lstrip_blocks": true},
             "watch": {"settle_ms": 5, "max_delay_ms": 50, "ignore": ["*.bak"]},
             "batch": {"max_batch_size": 3, "concurrency": 2, "item_timeout_s": 1.5, "batch_timeout_s": 9},
             "priorities": [{"match": "configs/api/**", "tier": "low"}],
             "generators": {"command": {"enabled": true, "concurrency": 1}}}
            """)
        let settings = try ProjectSettings(document, source: file)
        #expect(settings.templates == "tpl")
        #expect(settings.output == "site/out")
        #expect(settings.undefined == .lenient)
        #expect(settings.autoescape == .suffixes([".htm"]))
        #expect(settings.jinja == SyntaxOptions(trimBlocks: true, lstripBlocks: true, keepTrailingNewline: false))
        #expect(settings.watch.ignore == ["*.bak"])
        #expect(settings.batch.itemTimeoutSeconds == 1.5)
        #expect(settings.renderSlots == 2)
        #expect(settings.priorities.map(\.tier) == [.low])
        #expect(settings.commandGenerator.enabled)
    }

    @Test func aMisspelledKeyIsNamedWithItsPlaceAndASuggestion() throws {
        let error = try #require(settingsError("{\n  \"watch\": {\n    \"settle_msx\": 20\n  }\n}"))
        #expect(error.file == "watch.yaml")
        #expect(error.mark == Mark(line: 3, column: 5))
        #expect(error.message == "unknown key 'settle_msx' in 'watch'; did you mean 'settle_ms'?")
        #expect(error.lineText == "    \"settle_msx\": 20")
        #expect(error.description.hasPrefix("watch.yaml:3:5: error: unknown key"))
    }

    @Test func anUnknownTopLevelKeyWithoutNearMatchHasNoSuggestion() throws {
        let error = try #require(settingsError("{\"colour\": \"blue\"}"))
        #expect(error.message == "unknown key 'colour'")
        let typo = try #require(settingsError("{\"outptu\": \"x\"}"))
        #expect(typo.message == "unknown key 'outptu'; did you mean 'output'?")
    }

    @Test func aWrongTypeNamesTheKeyThePlaceAndTheExpectedType() throws {
        let error = try #require(settingsError("{\"batch\": {\"max_batch_size\": \"ten\"}}"))
        #expect(error.message == "'batch.max_batch_size' must be an integer, not a string")
        #expect(error.mark == Mark(line: 1, column: 30))
        let flag = try #require(settingsError("{\"generators\": {\"command\": {\"enabled\": \"yes\"}}}"))
        #expect(flag.message == "'generators.command.enabled' must be true or false, not a string")
        let section = try #require(settingsError("{\"watch\": [1]}"))
        #expect(section.message == "'watch' must be a mapping, not a list")
    }

    @Test(arguments: [
        ("{\"batch\": {\"max_batch_size\": 0}}", "'batch.max_batch_size' must be at least 1, not 0"),
        ("{\"batch\": {\"concurrency\": -1}}", "'batch.concurrency' must be at least 0, not -1"),
        ("{\"batch\": {\"item_timeout_s\": 0}}", "'batch.item_timeout_s' must be a number greater than 0"),
        ("{\"watch\": {\"settle_ms\": 300}}", "'watch.max_delay_ms' (250) must not be less than 'watch.settle_ms' (300)"),
        ("{\"undefined\": \"loose\"}", "'undefined' must be one of 'strict', 'lenient', not 'loose'"),
        ("{\"templates\": \"../elsewhere\"}", "'templates' must be a folder inside the project; '../elsewhere' leaves its folder ('..')"),
        ("{\"output\": \"/var/www\"}", "'output' must be a folder inside the project; '/var/www' is an absolute path"),
        ("{\"priorities\": [{\"match\": \"configs/**\", \"tier\": \"urgent\"}]}", "'priorities[0].tier' must be one of 'high', 'medium', 'low', not 'urgent'"),
        ("{\"autoescape\": 3}", "'autoescape' must be a list of suffixes or true/false, not an integer"),
        ("[1, 2]", "the top level must be a mapping, not a list"),
    ])
    func badValuesAreRefused(_ text: String, _ message: String) throws {
        let error = try #require(settingsError(text))
        #expect(error.message == message)
    }

    @Test func suggestionsUseEditDistance() {
        #expect(Suggestion.editDistance("settle_ms", "settle_msx") == 1)
        #expect(Suggestion.closest(to: "max_batch", among: ["max_batch_size", "concurrency"]) == nil)
        #expect(Suggestion.closest(to: "concurency", among: ["max_batch_size", "concurrency"]) == "concurrency")
    }
}
