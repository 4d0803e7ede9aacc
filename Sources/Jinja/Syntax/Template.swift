/// A parsed template: its source, its tree, and the names it refers to. Parsed once, cached by
/// the environment, rendered any number of times from any thread.
public struct Template: Sendable {
    public let source: TemplateSource
    public let nodes: [Node]
    /// Every `block` in the template, at any depth, by name.
    public let blocks: [String: BlockDefinition]
    /// The `include`, `extends` and `import` names, static or computed, in source order.
    public let references: [TemplateReference]

    public init(source: TemplateSource, nodes: [Node], blocks: [String: BlockDefinition],
                references: [TemplateReference]) {
        self.source = source
        self.nodes = nodes
        self.blocks = blocks
        self.references = references
    }

    public var name: String { source.name }

    /// True when some include, extends or import name is known only at render time: whoever
    /// tracks dependencies must then assume any template may be read.
    public var hasDynamicReferences: Bool { references.contains { $0.isDynamic } }
}

/// The syntax options of Jinja2's `Environment` that change how a template is parsed.
public struct SyntaxOptions: Sendable, Hashable {
    /// Remove the first newline after a block tag.
    public var trimBlocks: Bool
    /// Strip spaces and tabs from the start of a line up to a block tag.
    public var lstripBlocks: Bool
    /// Keep a single trailing newline at the end of the template (Jinja2 drops it by default;
    /// Regen keeps it because outputs are files).
    public var keepTrailingNewline: Bool

    public init(trimBlocks: Bool = false, lstripBlocks: Bool = false, keepTrailingNewline: Bool = true) {
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
        self.keepTrailingNewline = keepTrailingNewline
    }
}
