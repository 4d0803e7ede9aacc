/// Templates that use other templates: blocks and `super()`, `include`, `import`.
extension Renderer {
    /// Renders the definition at `index` of the block `name` (0 is the most derived). A scoped
    /// block sees the frame it stands in; any other block sees only the context.
    func renderBlock(named name: String, at index: Int, frame: Frame?, context: RenderContext,
                     into out: inout Output, location: SourceLocation) throws {
        guard let chain = context.blocks[name], index < chain.count else {
            // Jinja2 raises this as an UndefinedError.
            throw located(TemplateError(.undefined, "there is no parent block called '\(name)'."), location)
        }
        let (definition, template) = chain[index]
        if definition.required {
            throw located(TemplateError(.runtime, "Required block '\(name)' not found."), location)
        }
        let inner = Frame(parent: frame ?? context.root)
        inner.locals["super"] = .object(SuperBlock(name: name, index: index + 1, frame: frame, context: context))
        try state.enter()
        defer { state.leave() }
        try inTemplate(template) {
            try execute(definition.body, frame: inner, context: context, into: &out)
        }
    }

    func include(_ expr: Expr, ignoreMissing: Bool, withContext: Bool, frame: Frame,
                 into out: inout Output, location: SourceLocation) throws {
        let template: Template
        do {
            template = try loadTemplates(eval(expr, frame), location: location)
        } catch let error as TemplateError where ignoreMissing && error.kind == .notFound {
            return
        }
        try state.enter()
        defer { state.leave() }
        do {
            // An included template sees the includer's variables, but not its `loop`, as in Jinja2.
            var variables = withContext ? frame.flattened() : [:]
            variables["loop"] = nil
            try renderTemplate(template, context: makeContext(variables), into: &out)
        } catch let error as TemplateError where error.kind == .recursion && error.location == nil {
            throw located(error, location)
        }
    }

    /// Runs a template for its exports: top-level macros and assignments.
    func importModule(_ expr: Expr, withContext: Bool, frame: Frame, location: SourceLocation) throws -> TemplateModule {
        let template = try loadTemplates(eval(expr, frame), location: location)
        let context = makeContext(withContext ? frame.flattened() : [:])
        try state.enter()
        defer { state.leave() }
        let body = try capture { try renderTemplate(template, context: context, into: &$0) }
        return TemplateModule(name: template.name, root: context.root, body: body)
    }

    /// The template a name value designates; a list or tuple names alternatives, first found wins.
    func loadTemplates(_ value: Value, location: SourceLocation) throws -> Template {
        do {
            switch value {
            case .string(let name), .markup(let name):
                return try state.environment.template(named: name)
            case .list, .tuple:
                let names = try state.iterate(value)
                for candidate in names {
                    guard case .string(let name) = candidate else { continue }
                    do {
                        return try state.environment.template(named: name)
                    } catch let error as TemplateError where error.kind == .notFound {
                        continue
                    }
                }
                let list = names.map(\.pythonStr).joined(separator: ", ")
                throw TemplateError(.notFound, "Template file not found: none of \(list)")
            case .undefined(let undefined):
                throw state.undefinedError(undefined)
            default:
                throw TemplateError(.type, "a template name must be a string, not '\(value.typeName)'")
            }
        } catch let error as TemplateError {
            // Errors inside the loaded template keep their own place; others point here.
            throw located(error, location)
        }
    }
}

/// `super()` inside a block: the next definition of the same block up the inheritance chain.
final class SuperBlock: JinjaObject, @unchecked Sendable {
    // @unchecked: holds frames of one render, used only on that render's thread.
    let name: String
    let index: Int
    let frame: Frame?
    unowned let context: RenderContext

    init(name: String, index: Int, frame: Frame?, context: RenderContext) {
        self.name = name
        self.index = index
        self.frame = frame
        self.context = context
    }

    var typeName: String { "BlockReference" }
    var isCallable: Bool { true }
    var pythonRepr: String { "<BlockReference '\(name)'>" }

    func call(_ arguments: CallArguments, state: RenderState) throws -> Value {
        let renderer = state.renderer!
        guard let chain = context.blocks[name], index < chain.count else {
            throw TemplateError(.undefined, "there is no parent block called '\(name)'.")
        }
        let text = try renderer.capture { out in
            try renderer.renderBlock(named: name, at: index, frame: frame, context: context, into: &out,
                                     location: chain[index].definition.location)
        }
        return renderer.captured(text)
    }
}

/// `self`: the template's blocks, callable by name (`self.title()`).
final class TemplateBlocks: JinjaObject, @unchecked Sendable {
    // @unchecked: refers to a context of one render, used only on that render's thread; unowned
    // because the context's root frame holds this object.
    unowned let context: RenderContext

    init(context: RenderContext) {
        self.context = context
    }

    var typeName: String { "TemplateReference" }
    var pythonRepr: String { "<TemplateReference>" }

    func attribute(_ name: String, state: RenderState) throws -> Value? {
        guard context.blocks[name] != nil else { return nil }
        return .object(SuperBlock(name: name, index: 0, frame: nil, context: context))
    }
}

/// What `import` gives: a template's exported macros and variables as attributes.
final class TemplateModule: JinjaObject, @unchecked Sendable {
    // @unchecked: holds the imported template's root frame, which belongs to one render.
    let name: String
    let root: Frame
    let body: String

    init(name: String, root: Frame, body: String) {
        self.name = name
        self.root = root
        self.body = body
    }

    var typeName: String { "TemplateModule" }
    var pythonRepr: String { "<TemplateModule '\(name)'>" }
    var pythonStr: String { body }

    func attribute(_ attribute: String, state: RenderState) throws -> Value? {
        root.exported.contains(attribute) ? root.locals[attribute] : nil
    }

    /// An exported name for `from … import`, or an undefined that says why it is missing.
    func exported(_ attribute: String, line: Int) -> Value {
        if root.exported.contains(attribute), let value = root.locals[attribute] { return value }
        return .undefined(Undefined(name: attribute, hint:
            "the template '\(name)' (imported on line \(line)) does not export the requested name '\(attribute)'"))
    }
}
