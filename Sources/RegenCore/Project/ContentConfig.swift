import Documents

/// One content config (`configs/**/*.json|yaml|yml`), as DESIGN.md describes it, or a Chora
/// Compose content config read into the same shape.
///
/// A class, read through to its `Fields`: every item, job and result of a run holds its config,
/// and copying a dozen references per copy was a real share of a large run's serial part.
@dynamicMemberLookup
final class ContentConfig: Sendable {
    let fields: Fields

    init(_ fields: Fields) { self.fields = fields }

    /// Inlined, so that `config.id` compiles to a field load rather than a key path lookup.
    @inline(__always)
    subscript<Value>(dynamicMember keyPath: KeyPath<Fields, Value>) -> Value { fields[keyPath: keyPath] }

    /// What the config file says, decoded (`ContentConfig+Decode.swift`).
    struct Fields: Sendable {
        var id: String
        /// Where the id is written (the top of the file when it comes from the file name).
        var idMark: Mark
        /// The config file, relative to the project root (`configs/api/users.json`).
        var file: String
        /// The file's text, kept so that errors found later (a missing template) can quote the line.
        var source: SourceFile
        var generator: GeneratorKind
        /// A template file, relative to the template root.
        var template: String?
        var templateMark: Mark?
        /// A Chora Compose demonstration pattern's own template text.
        var inlineTemplate: String?
        /// Chora Compose demonstration variables: placeholder names and where their text comes from.
        var variables: [PatternVariable] = []
        /// A mapping; `{"source": "file", "path": P}` values are read when the config is rendered.
        var context: Document
        var requiredContext: [String] = []
        var priority: Priority?
        var command: [String]?
        var elements: [Element] = []
        /// What the config writes: its own output (unless it has variants and names none) and
        /// one per variant.
        var targets: [Target]

        var isChoraCompose = false
    }

    struct Target: Sendable {
        /// The variant's position in `variants`, or nil for the config's own output.
        var variant: Int?
        /// The variant's context, merged over the config's.
        var context: Document?
        /// Relative to the output root.
        var output: String
        var mark: Mark
    }

    struct Element: Sendable {
        var name: String
        var exampleOutput: String
    }

    struct PatternVariable: Sendable {
        var name: String
        var source: String?
        var defaultValue: String?
    }
}

enum GeneratorKind: String, Sendable, CaseIterable {
    case jinja2
    case demonstration
    case templateFill = "template_fill"
    case command

    /// Whether the generator reads a template file named by `template`.
    var needsTemplateFile: Bool { self == .jinja2 || self == .templateFill }
}
