/// Renders parsed templates: runs statements, evaluates expressions, follows inheritance,
/// includes, imports and macro calls. One renderer serves one top-level render on one thread.
final class Renderer {
    let state: RenderState
    /// The template whose code is running, for error locations.
    private(set) var source: TemplateSource
    /// Set once a template has executed `{% extends %}`: its remaining output is discarded and its
    /// top-level blocks are not rendered, as in Jinja2.
    var parentTemplate: Template? {
        didSet { isExtending = parentTemplate != nil }
    }
    /// `parentTemplate != nil`, kept apart because every text and output node asks, and reading
    /// the optional template copies (and retains) all of its fields.
    private(set) var isExtending = false
    /// Every macro made during the render, released at its end (see `Macro.release`).
    private var macros: [Macro] = []

    init(state: RenderState) {
        self.state = state
        source = TemplateSource(name: "<template>", text: "")
        state.renderer = self
    }

    func render(_ template: Template, context: [String: Value]) throws -> String {
        defer { for macro in macros { macro.release() } }
        var out = Output()
        try renderTemplate(template, context: makeContext(context), into: &out)
        return out.text
    }

    /// A fresh context whose root frame holds `variables` and `self`.
    func makeContext(_ variables: [String: Value]) -> RenderContext {
        let context = RenderContext(root: Frame(locals: variables, parent: nil))
        context.root.locals["self"] = .object(TemplateBlocks(context: context))
        return context
    }

    func makeMacro(_ definition: MacroDefinition, frame: Frame, context: RenderContext) -> Macro {
        let macro = Macro(definition: definition, source: source, closure: frame, context: context)
        macros.append(macro)
        return macro
    }

    /// Runs a template's top-level code in `context`, then, when it extends another, the parent's.
    func renderTemplate(_ template: Template, context: RenderContext, into out: inout Output) throws {
        context.register(template)
        let parent = try inTemplate(template) { () throws -> Template? in
            let saved = parentTemplate
            parentTemplate = nil
            defer { parentTemplate = saved }
            try execute(template.nodes, frame: context.root, context: context, into: &out)
            return parentTemplate
        }
        if let parent {
            try state.enter()
            defer { state.leave() }
            try renderTemplate(parent, context: context, into: &out)
        }
    }

    /// Runs `body` with `template` as the current template (error locations, autoescape).
    func inTemplate<T>(_ template: Template, _ body: () throws -> T) rethrows -> T {
        try inSource(template.source, body)
    }

    func inSource<T>(_ newSource: TemplateSource, _ body: () throws -> T) rethrows -> T {
        let savedSource = source
        let savedAutoescape = state.autoescape
        source = newSource
        state.autoescape = state.environment.autoescape(for: newSource.name)
        defer {
            source = savedSource
            state.autoescape = savedAutoescape
        }
        return try body()
    }

    /// Renders `body` into a string of its own, with no pending `extends` (macro bodies, caller
    /// bodies, block assignments, filter blocks, recursive loops).
    func capture(_ body: (inout Output) throws -> Void) rethrows -> String {
        var out = Output()
        guard isExtending else {
            try body(&out)
            return out.text
        }
        let saved = parentTemplate
        parentTemplate = nil
        defer { parentTemplate = saved }
        try body(&out)
        return out.text
    }

    /// Text from a capture as a value: Markup when autoescape is on, as Jinja2's `concat` gives.
    func captured(_ text: String) -> Value {
        state.autoescape ? .markup(text) : .string(text)
    }

    func located(_ error: TemplateError, _ location: SourceLocation?) -> TemplateError {
        guard let location else { return error }
        return error.located(in: source, at: location)
    }

    func append(_ text: String, to out: inout Output) throws {
        out.append(text)
        let limit = state.limits.maxOutputBytes
        if out.count > limit {
            throw TemplateError(.limit, "the output passed its limit of \(limit) bytes")
        }
    }
}
