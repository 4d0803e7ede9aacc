/// Statements: output, conditionals, loops, assignments, `with`, filter blocks and macros.
extension Renderer {
    func execute(_ nodes: [Node], frame: Frame, context: RenderContext, into out: inout Output) throws {
        for node in nodes {
            try execute(node, frame: frame, context: context, into: &out)
        }
    }

    func execute(_ node: Node, frame: Frame, context: RenderContext, into out: inout Output) throws {
        switch node {
        case .text(let text):
            if !isExtending { try append(text, to: &out) }

        case .output(let expr, let location):
            guard !isExtending else { return }
            let value = try eval(expr, frame)
            do {
                try append(state.output(value), to: &out)
            } catch let error as TemplateError {
                throw located(error, location)
            }

        case .conditional(let branches, let otherwise):
            for branch in branches where try truth(branch.condition, frame) {
                try execute(branch.body, frame: frame, context: context, into: &out)
                return
            }
            if let otherwise {
                try execute(otherwise, frame: frame, context: context, into: &out)
            }

        case .forLoop(let loop):
            try executeLoop(loop, frame: frame, context: context, into: &out)

        case .assign(let target, let expr, let location):
            try assign(target, eval(expr, frame), in: frame, at: location)

        case .assignBlock(let target, let filter, let body, let location):
            let text = try capture { try execute(body, frame: frame, context: context, into: &$0) }
            var value = captured(text)
            if let filter { value = try applyFilterChain(filter, to: value, frame) }
            try assign(target, value, in: frame, at: location)

        case .block(let block):
            guard !isExtending else { return }
            try renderBlock(named: block.name, at: 0, frame: block.scoped ? frame : nil,
                            context: context, into: &out, location: block.location)

        case .extends(let expr, let location):
            guard !isExtending else {
                throw located(TemplateError(.runtime, "extended multiple times"), location)
            }
            parentTemplate = try loadTemplates(eval(expr, frame), location: location)

        case .include(let expr, let ignoreMissing, let withContext, let location):
            guard !isExtending else { return }
            try include(expr, ignoreMissing: ignoreMissing, withContext: withContext, frame: frame,
                        into: &out, location: location)

        case .importAs(let expr, let alias, let withContext, let location):
            let module = try importModule(expr, withContext: withContext, frame: frame, location: location)
            frame.assign(alias, .object(module), export: false)

        case .fromImport(let expr, let names, let withContext, let location):
            let module = try importModule(expr, withContext: withContext, frame: frame, location: location)
            for (name, alias) in names {
                frame.assign(alias ?? name, module.exported(name, line: location.line), export: false)
            }

        case .macro(let definition):
            frame.assign(definition.name, .object(makeMacro(definition, frame: frame, context: context)))

        case .callBlock(let call, let callerDefinition, let location):
            guard !isExtending else { return }
            guard case .call(let callee, let arguments, let callLocation) = call else {
                throw located(TemplateError(.syntax, "expected a call after 'call'"), location)
            }
            let caller = makeMacro(callerDefinition, frame: frame, context: context)
            var values = try evalArguments(arguments, frame)
            values.keyword.append(("caller", .object(caller)))
            let function = try eval(callee, frame)
            let result: Value
            do {
                result = try state.call(function, values)
            } catch let error as TemplateError {
                throw located(error, callLocation)
            }
            try append(state.output(result), to: &out)

        case .filterBlock(let filter, let body, _):
            guard !isExtending else { return }
            let text = try capture { try execute(body, frame: frame, context: context, into: &$0) }
            let value = try applyFilterChain(filter, to: captured(text), frame)
            try append(state.output(value), to: &out)

        case .autoescape(let enabled, let body, _):
            let saved = state.autoescape
            state.autoescape = try truth(enabled, frame)
            defer { state.autoescape = saved }
            try execute(body, frame: frame, context: context, into: &out)

        case .with(let assignments, let body, let location):
            let inner = Frame(parent: frame)
            for (target, expr) in assignments {
                // Each value sees the names assigned before it in the same `with`, as in Jinja2.
                try assign(target, eval(expr, inner), in: inner, at: location)
            }
            try execute(body, frame: inner, context: context, into: &out)
        }
    }

    /// Binds `value` to an assignment target, unpacking tuples as Python does.
    func assign(_ target: AssignTarget, _ value: Value, in frame: Frame, at location: SourceLocation) throws {
        switch target {
        case .name(let name):
            frame.assign(name, value)
        case .tuple(let targets):
            let items: [Value]
            do {
                items = try state.iterate(value)
            } catch let error as TemplateError {
                throw located(TemplateError(.type, "cannot unpack non-iterable \(value.typeName) object", kind: error), location)
            }
            guard items.count == targets.count else {
                let message = items.count < targets.count
                    ? "not enough values to unpack (expected \(targets.count), got \(items.count))"
                    : "too many values to unpack (expected \(targets.count))"
                throw located(TemplateError(.value, message), location)
            }
            for (inner, item) in zip(targets, items) {
                try assign(inner, item, in: frame, at: location)
            }
        case .attribute(let name, let attribute):
            guard case .object(let object)? = frame.lookup(name), let namespace = object as? Namespace else {
                throw located(TemplateError(.runtime, "cannot assign attribute on non-namespace object"), location)
            }
            namespace.set(attribute, value)
        }
    }
}

private extension TemplateError {
    /// A new error that keeps an underlying undefined error as it is (strict undefined wins).
    init(_ kind: Kind, _ message: String, kind underlying: TemplateError) {
        if underlying.kind == .undefined {
            self = underlying
        } else {
            self.init(kind, message)
        }
    }
}
