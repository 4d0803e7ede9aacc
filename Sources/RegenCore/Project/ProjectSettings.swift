import Documents
import Jinja
import Watcher

/// `watch.yaml`: every key of DESIGN.md, each with its default when absent.
struct ProjectSettings: Sendable {
    var templates = "templates"
    var configs = "configs"
    var output = "output"
    var state = ".regen"
    var undefined: UndefinedPolicy = .strict
    var autoescape: AutoescapePolicy = .suffixes([".html", ".xml"])
    var jinja = SyntaxOptions(trimBlocks: false, lstripBlocks: false, keepTrailingNewline: true)
    var watch = Watch()
    var batch = Batch()
    var priorities = [PriorityRule(match: "configs/guides/**", tier: .high)]
    var commandGenerator = CommandGenerator()

    struct Watch: Sendable {
        var settleMilliseconds = 20
        var maxDelayMilliseconds = 250
        var ignore: [String] = []
    }

    struct Batch: Sendable {
        var maxBatchSize = 10
        /// Render slots; 0 means one per CPU core.
        var concurrency = 0
        var itemTimeoutSeconds: Double = 30
        var batchTimeoutSeconds: Double = 120
    }

    struct PriorityRule: Sendable {
        /// A glob over config files, read as `watch.ignore` patterns are (`Glob`).
        let match: String
        let tier: Priority
        /// `match`, parsed once: every config of a run is matched against every rule.
        let glob: Glob

        init(match: String, tier: Priority) {
            self.match = match
            self.tier = tier
            glob = Glob(match)
        }
    }

    struct CommandGenerator: Sendable {
        var enabled = false
        var concurrency = 5
    }

    /// Render slots to use: the setting, or one per core.
    var renderSlots: Int {
        batch.concurrency > 0 ? batch.concurrency : max(1, System.coreCount)
    }

    static let topLevelKeys = ["templates", "configs", "output", "state", "undefined", "autoescape",
                               "jinja", "watch", "batch", "priorities", "generators"]

    /// Decodes a parsed `watch.yaml`; an empty file (null) means every default.
    init(_ document: Document, source: SourceFile) throws(Diagnostic) {
        if case .null = document { return }
        let top = try MappingReader(document, source: source)
        try top.rejectUnknownKeys(Self.topLevelKeys)
        templates = try Self.folder(top, "templates") ?? templates
        configs = try Self.folder(top, "configs") ?? configs
        output = try Self.folder(top, "output") ?? output
        state = try Self.folder(top, "state") ?? state
        if let policy = try top.choice("undefined", ["strict", "lenient"]) {
            undefined = policy == "strict" ? .strict : .lenient
        }
        if let value = top["autoescape"] {
            switch value {
            case .bool(let on, _): autoescape = on ? .always : .never
            case .array: autoescape = .suffixes(try top.stringList("autoescape") ?? [])
            default: throw top.typeError("autoescape", value, expected: "a list of suffixes or true/false")
            }
        }
        if let section = try top.mapping("jinja") {
            try section.rejectUnknownKeys(["keep_trailing_newline", "trim_blocks", "lstrip_blocks"])
            jinja.keepTrailingNewline = try section.bool("keep_trailing_newline") ?? jinja.keepTrailingNewline
            jinja.trimBlocks = try section.bool("trim_blocks") ?? jinja.trimBlocks
            jinja.lstripBlocks = try section.bool("lstrip_blocks") ?? jinja.lstripBlocks
        }
        if let section = try top.mapping("watch") {
            try section.rejectUnknownKeys(["settle_ms", "max_delay_ms", "ignore"])
            watch.settleMilliseconds = try section.int("settle_ms", minimum: 0) ?? watch.settleMilliseconds
            watch.maxDelayMilliseconds = try section.int("max_delay_ms", minimum: 0) ?? watch.maxDelayMilliseconds
            watch.ignore = try section.stringList("ignore") ?? watch.ignore
            if watch.maxDelayMilliseconds < watch.settleMilliseconds {
                throw section.error("max_delay_ms", "'watch.max_delay_ms' (\(watch.maxDelayMilliseconds)) must not be "
                                    + "less than 'watch.settle_ms' (\(watch.settleMilliseconds))")
            }
        }
        if let section = try top.mapping("batch") {
            try section.rejectUnknownKeys(["max_batch_size", "concurrency", "item_timeout_s", "batch_timeout_s"])
            batch.maxBatchSize = try section.int("max_batch_size", minimum: 1) ?? batch.maxBatchSize
            batch.concurrency = try section.int("concurrency", minimum: 0) ?? batch.concurrency
            batch.itemTimeoutSeconds = try section.positiveNumber("item_timeout_s") ?? batch.itemTimeoutSeconds
            batch.batchTimeoutSeconds = try section.positiveNumber("batch_timeout_s") ?? batch.batchTimeoutSeconds
        }
        if let rules = try top.list("priorities") {
            priorities = []
            for (path, item) in rules {
                let rule = try MappingReader(item, source: source, path: path)
                try rule.rejectUnknownKeys(["match", "tier"])
                guard let match = try rule.string("match") else { throw rule.source.error(at: rule.mark, "'\(path)' needs a 'match' pattern") }
                guard let tier = try rule.choice("tier", Priority.allCases.map(\.rawValue)).flatMap(Priority.init) else {
                    throw rule.source.error(at: rule.mark, "'\(path)' needs a 'tier' (high, medium or low)")
                }
                priorities.append(PriorityRule(match: match, tier: tier))
            }
        }
        if let section = try top.mapping("generators") {
            try section.rejectUnknownKeys(["command"])
            if let command = try section.mapping("command") {
                try command.rejectUnknownKeys(["enabled", "concurrency"])
                commandGenerator.enabled = try command.bool("enabled") ?? commandGenerator.enabled
                commandGenerator.concurrency = try command.int("concurrency", minimum: 1) ?? commandGenerator.concurrency
            }
        }
    }

    init() {}

    /// A folder of the project: relative, and inside it.
    private static func folder(_ reader: MappingReader, _ key: String) throws(Diagnostic) -> String? {
        guard let path = try reader.string(key) else { return nil }
        guard let normalized = RelativePath.normalized(path) else {
            throw reader.error(key, "'\(key)' must be a folder inside the project; '\(path)' \(RelativePath.problem(with: path))")
        }
        return normalized
    }

    /// Jinja2 `Environment` options for these settings.
    var environmentOptions: EnvironmentOptions {
        EnvironmentOptions(syntax: jinja, undefined: undefined, autoescape: autoescape)
    }
}

/// A config's urgency: the order in which the scheduler takes work.
enum Priority: String, Sendable, CaseIterable {
    case high, medium, low
}
