import Foundation
import Testing

/// A bad input in an otherwise good project, and what `regen` must say about it.
struct MalformedInput: Sendable, CustomTestStringConvertible {
    var name: String
    var arguments: [String] = ["build"]
    var status: Int32
    /// Words the error must contain (standard error or output).
    var message: String
    /// Whether the good config must still be built (a bad item never stops the others).
    var othersStillBuild = true
    var setup: @Sendable (Sandbox) throws -> Void

    var testDescription: String { name }

    static func config(_ name: String, _ file: String, _ text: String, status: Int32 = 2, _ message: String) -> MalformedInput {
        MalformedInput(name: name, status: status, message: message) { try $0.write(file, text) }
    }

    static func config(_ name: String, _ file: String, bytes: [UInt8], status: Int32 = 2, _ message: String) -> MalformedInput {
        MalformedInput(name: name, status: status, message: message) { try $0.write(file, Data(bytes)) }
    }

    static func settings(_ name: String, _ text: String, _ message: String) -> MalformedInput {
        MalformedInput(name: name, status: 2, message: message, othersStillBuild: false) { try $0.write("watch.yaml", text) }
    }

    /// A config that reads `path` as a data file, with `setup` making that file.
    static func data(_ name: String, path: String, status: Int32 = 1, _ message: String,
                     _ setup: @escaping @Sendable (Sandbox) throws -> Void) -> MalformedInput {
        MalformedInput(name: name, status: status, message: message) { sandbox in
            try sandbox.write("configs/reader.json", """
                {"generator": "template_fill", "template": "note.txt", "output": "reader.txt",
                 "context": {"title": {"source": "file", "path": "\(path)"}}}
                """)
            try setup(sandbox)
        }
    }
}

let garbage: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }

let malformedInputs: [MalformedInput] = [
    // JSON content configs
    .config("empty JSON config", "configs/bad.json", "", "configs/bad.json:1:1: error: Expecting value"),
    .config("truncated JSON", "configs/bad.json", "{\"id\": \"bad\",", "configs/bad.json:1:"),
    .config("trailing comma", "configs/bad.json", "{\"template\": \"note.txt\",}", "Expecting property name enclosed in double quotes"),
    .config("top-level list", "configs/bad.json", "[1, 2]", "the top level must be a mapping, not a list"),
    .config("top-level string", "configs/bad.json", "\"hello\"", "the top level must be a mapping, not a string"),
    .config("NaN", "configs/bad.json", "{\"priority\": NaN}", "NaN and Infinity are not valid JSON"),
    .config("deep nesting", "configs/bad.json", String(repeating: "[", count: 100_000), "nesting deeper than"),
    .config("binary config", "configs/bad.json", bytes: garbage, "configs/bad.json:1:"),
    .config("non-UTF-8 config", "configs/bad.json", bytes: Array("{\"id\": \"".utf8) + [0xFF, 0xFE] + Array("\"}".utf8), "configs/bad.json:1:"),
    .config("UTF-16 config", "configs/bad.json", bytes: [0xFF, 0xFE] + Array("{}".utf16.flatMap { [UInt8($0), 0] }), "configs/bad.json:1:1"),
    .config("misspelled key", "configs/bad.json", "{\"template\": \"note.txt\", \"outptu\": \"x.md\"}", "unknown key 'outptu'; did you mean 'output'?"),
    .config("invalid id", "configs/bad.json", "{\"id\": \"Bad_ID\", \"template\": \"note.txt\"}", "'id' must match ^[a-z][a-z0-9-]*$"),
    .config("id of the wrong type", "configs/bad.json", "{\"id\": 5}", "'id' must be a string, not an integer"),
    .config("file name that is no id", "configs/Bad Name.json", "{\"template\": \"note.txt\"}", "the file name 'Bad Name' is not a valid id"),
    .config("unknown generator", "configs/bad.json", "{\"generator\": \"jinja3\", \"template\": \"note.txt\"}", "did you mean 'jinja2'?"),
    .config("template_fill without template", "configs/bad.json", "{\"generator\": \"template_fill\"}", "the template_fill generator needs a 'template'"),
    .config("template leaving the template folder", "configs/bad.json", "{\"template\": \"../watch.yaml\"}", "'template' must name a file inside the template folder"),
    .config("absolute template", "configs/bad.json", "{\"template\": \"/etc/passwd\"}", "'/etc/passwd' is an absolute path"),
    .config("output ../../etc/x", "configs/bad.json", "{\"template\": \"note.txt\", \"output\": \"../../etc/x\"}",
            "configs/bad.json:1:36: error: 'output' must stay inside the output folder; '../../etc/x' leaves its folder ('..')"),
    .config("absolute output", "configs/bad.json", "{\"template\": \"note.txt\", \"output\": \"/tmp/regen-x\"}", "'/tmp/regen-x' is an absolute path"),
    .config("empty output", "configs/bad.json", "{\"template\": \"note.txt\", \"output\": \"\"}", "'output' must stay inside the output folder"),
    .config("output of the wrong type", "configs/bad.json", "{\"template\": \"note.txt\", \"output\": 42}", "'output' must be a string, not an integer"),
    .config("context not a mapping", "configs/bad.json", "{\"template\": \"note.txt\", \"context\": [1]}", "'context' must be a mapping, not a list"),
    .config("data path leaving the project", "configs/bad.json",
            "{\"template\": \"note.txt\", \"context\": {\"d\": {\"source\": \"file\", \"path\": \"../../etc/passwd\"}}}",
            "the data file path '../../etc/passwd' leaves its folder"),
    .config("absolute data path", "configs/bad.json",
            "{\"template\": \"note.txt\", \"context\": {\"d\": {\"source\": \"file\", \"path\": \"/etc/passwd\"}}}",
            "the data file path '/etc/passwd' is an absolute path"),
    .config("data reference without path", "configs/bad.json",
            "{\"template\": \"note.txt\", \"context\": {\"d\": {\"source\": \"file\"}}}", "a file context value needs a 'path'"),
    .config("required_context not a list", "configs/bad.json", "{\"template\": \"note.txt\", \"required_context\": \"title\"}",
            "'required_context' must be a list of strings, not a string"),
    .config("variants not a list", "configs/bad.json", "{\"template\": \"note.txt\", \"variants\": {}}", "'variants' must be a list, not a mapping"),
    .config("variant without output", "configs/bad.json", "{\"template\": \"note.txt\", \"variants\": [{\"context\": {}}]}", "'variants[0]' needs its own 'output'"),
    .config("variant output leaving the output folder", "configs/bad.json",
            "{\"template\": \"note.txt\", \"variants\": [{\"output\": \"../x.md\"}]}", "'variants[0].output' must stay inside the output folder"),
    .config("unknown priority", "configs/bad.json", "{\"template\": \"note.txt\", \"priority\": \"urgent\"}", "'priority' must be one of 'high', 'medium', 'low', not 'urgent'"),
    .config("command without command", "configs/bad.json", "{\"generator\": \"command\"}", "the command generator needs a 'command'"),
    .config("Chora config without patterns", "configs/bad.json", "{\"type\": \"content\", \"id\": \"bad\"}", "needs 'generation.patterns'"),
    .config("Chora artifact config", "configs/bad.json", "{\"type\": \"artifact\", \"id\": \"bad\"}", "only Chora Compose content configs"),
    .config("duplicate id", "configs/z.json", "{\"id\": \"ok\", \"template\": \"note.txt\", \"output\": \"z.txt\"}",
            "Duplicate config id 'ok': configs/ok.json and configs/z.json"),
    .config("two configs, one output", "configs/z.json", "{\"template\": \"note.txt\", \"output\": \"ok.txt\"}", "two configs write ok.txt: ok and z"),

    // Item failures: the others are built, the exit status is 1
    .config("missing template", "configs/bad.json", "{\"template\": \"missing.jinja\"}", status: 1, "Template file not found: missing.jinja"),
    .config("missing required field", "configs/bad.json",
            "{\"generator\": \"template_fill\", \"template\": \"note.txt\", \"required_context\": [\"title\"]}",
            status: 1, "Missing required context field: 'title'"),
    .config("command generator not enabled", "configs/bad.json", "{\"generator\": \"command\", \"command\": [\"cat\"]}",
            status: 1, "Command generator is disabled"),
    MalformedInput(name: "unknown id on the command line", arguments: ["build", "ok", "endpoint-deprecated"], status: 1,
                   message: "Content config not found: endpoint-deprecated") { _ in },
    MalformedInput(name: "non-UTF-8 template", status: 1, message: "not valid UTF-8") { sandbox in
        try sandbox.write("templates/latin1.txt", Data([0x63, 0x61, 0x66, 0xE9, 0x0A]))
        try sandbox.write("configs/bad.json", "{\"generator\": \"template_fill\", \"template\": \"latin1.txt\"}")
    },
    MalformedInput(name: "template linked from outside the project", status: 1, message: "Template file not found: leak.txt") { sandbox in
        try sandbox.link("templates/leak.txt", to: "/etc/hostname")
        try sandbox.write("configs/bad.json", "{\"generator\": \"template_fill\", \"template\": \"leak.txt\"}")
    },
    MalformedInput(name: "config linked from outside the project", status: 2, message: "the config is a link that leads outside the project") { sandbox in
        let outside = NSTemporaryDirectory() + "regen-outside-\(UUID().uuidString).json"
        try Data("{\"template\": \"note.txt\"}".utf8).write(to: URL(fileURLWithPath: outside))
        try sandbox.link("configs/evil.json", to: outside)
    },
    MalformedInput(name: "output folder linked outside the output root", status: 1, message: "outputs never go through links") { sandbox in
        let outside = NSTemporaryDirectory() + "regen-outside-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try sandbox.link("output/escape", to: outside)
        try sandbox.write("configs/bad.json", "{\"generator\": \"template_fill\", \"template\": \"note.txt\", \"output\": \"escape/x.txt\", \"context\": {\"title\": \"x\"}}")
    },

    // Data files
    .data("missing data file", path: "data/none.json", "Data file not found: data/none.json") { _ in },
    .data("data file linked outside the project", path: "data/link.json", "is a link that leads outside the project") { sandbox in
        try sandbox.link("data/link.json", to: "/etc/hostname")
    },
    .data("malformed JSON data file", path: "data/bad.json", "data/bad.json:2:1: error: Expecting ',' delimiter") { sandbox in
        try sandbox.write("data/bad.json", "{\"a\": 1\n\"b\": 2}")
    },
    .data("binary JSON data file", path: "data/blob.json", "data/blob.json:1:") { sandbox in
        try sandbox.write("data/blob.json", Data(garbage))
    },
    .data("non-UTF-8 text data file", path: "data/notes.txt", "data/notes.txt: error: the file is not UTF-8 text") { sandbox in
        try sandbox.write("data/notes.txt", Data([0x63, 0x61, 0x66, 0xE9]))
    },
    .data("data file that is a folder", path: "data/folder", "data/folder: error: not a regular file") { sandbox in
        try FileManager.default.createDirectory(atPath: sandbox.path + "/data/folder", withIntermediateDirectories: true)
    },
    .data("50 MB data file", path: "data/huge.json", "data/huge.json: error: the file is too large (50.0 MB; the limit is 32.0 MB)") { sandbox in
        var text = Data("[".utf8)
        let row = Data("\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\n".utf8)
        while text.count < 50 << 20 { text.append(row) }
        text.append(Data("0]".utf8))
        try sandbox.write("data/huge.json", text)
    },

    // Command line and project
    MalformedInput(name: "unknown option", arguments: ["build", "--fast"], status: 2, message: "unknown option '--fast'",
                   othersStillBuild: false) { _ in },
    MalformedInput(name: "unknown command", arguments: ["bild"], status: 2, message: "unknown command 'bild'",
                   othersStillBuild: false) { _ in },
    MalformedInput(name: "project folder that does not exist", arguments: ["build", "--project", "/nonexistent/regen"], status: 2,
                   message: "the project folder does not exist", othersStillBuild: false) { _ in },
    MalformedInput(name: "no configs folder", status: 2, message: "no configs folder", othersStillBuild: false) { sandbox in
        try FileManager.default.removeItem(atPath: sandbox.path + "/configs")
    },
    MalformedInput(name: "preview of an unknown id", arguments: ["preview", "endpoint-deprecated"], status: 1,
                   message: "Content config not found: endpoint-deprecated", othersStillBuild: false) { _ in },
    MalformedInput(name: "preview with malformed JSON", arguments: ["preview", "ok", "--context", "{title: 1}"], status: 2,
                   message: "--context:1:2: error: Expecting property name enclosed in double quotes", othersStillBuild: false) { _ in },

    // YAML (watch.yaml, YAML configs and data files)
    .settings("misspelled watch.yaml key", "watch:\n  settle_msx: 20\n", "watch.yaml:2:3: error: unknown key 'settle_msx' in 'watch'; did you mean 'settle_ms'?"),
    .settings("watch.yaml value of the wrong type", "batch:\n  max_batch_size: ten\n", "watch.yaml:2:19: error: 'batch.max_batch_size' must be an integer, not a string"),
    .settings("max_batch_size 0", "batch:\n  max_batch_size: 0\n", "'batch.max_batch_size' must be at least 1, not 0"),
    .settings("unknown undefined policy", "undefined: loose\n", "'undefined' must be one of 'strict', 'lenient', not 'loose'"),
    .settings("template folder outside the project", "templates: ../elsewhere\n", "'templates' must be a folder inside the project"),
    .settings("watch.yaml as a list", "- templates\n- configs\n", "watch.yaml:1:1: error: the top level must be a mapping, not a list"),
    .settings("unclosed flow sequence in watch.yaml", "autoescape: [\".html\", \".xml\"\n", "watch.yaml:"),
    .settings("tab indentation in watch.yaml", "watch:\n\tsettle_ms: 20\n", "watch.yaml:2:"),
    MalformedInput(name: "binary watch.yaml", status: 2, message: "watch.yaml:", othersStillBuild: false) { sandbox in
        try sandbox.write("watch.yaml", Data(garbage))
    },
    .config("malformed YAML config", "configs/bad.yaml", "id: bad\ncontext: {title: [unclosed\n", "configs/bad.yaml:"),
    .config("YAML config with an unknown key", "configs/bad.yaml", "template: note.txt\noutptu: x.md\n", "configs/bad.yaml:2:1: error: unknown key 'outptu'; did you mean 'output'?"),
    .data("malformed YAML data file", path: "data/bad.yaml", "data/bad.yaml:") { sandbox in
        try sandbox.write("data/bad.yaml", "key: [1, 2\nother: }\n")
    },
]

@Suite struct MalformedInputTests {
    static func baseProject() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.write("templates/note.txt", "Note: {{ title }}\n")
        try sandbox.write("configs/ok.json", """
            {"generator": "template_fill", "template": "note.txt", "context": {"title": "fine"}, "output": "ok.txt"}
            """)
        return sandbox
    }

    @Test func thereAreAtLeastFortyCases() {
        #expect(malformedInputs.count >= 40)
    }

    @Test(arguments: malformedInputs)
    func eachGivesAClearErrorAndANonZeroExitNeverACrash(_ input: MalformedInput) throws {
        let sandbox = try Self.baseProject()
        try input.setup(sandbox)
        let result = try RegenProcess.run(input.arguments, in: sandbox.path)
        #expect(!result.crashed, "regen crashed: \(result.all)")
        #expect(result.status == input.status, "\(result.all)")
        #expect(result.all.contains(input.message), "\(result.all)")
        if input.othersStillBuild {
            #expect(sandbox.read("output/ok.txt") == "Note: fine\n", "the good config was not built: \(result.all)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/etc/x") && !FileManager.default.fileExists(atPath: "/tmp/regen-x"))
    }
}
