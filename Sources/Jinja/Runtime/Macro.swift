/// A macro, or the body of a `{% call %}` block handed to a macro as `caller`.
/// Calling it renders its body in a frame of its own whose parent is the frame it was defined in.
/// `@unchecked Sendable`: the closure frame is confined to the thread of the render that defined
/// the macro, and the renderer releases it when that render ends (a macro stored in the frame it
/// closes over is a reference cycle).
final class Macro: JinjaObject, @unchecked Sendable {
    let definition: MacroDefinition
    let source: TemplateSource
    private var closure: Frame?
    private var context: RenderContext?
    let catchesVarargs: Bool
    let catchesKwargs: Bool
    let usesCaller: Bool

    init(definition: MacroDefinition, source: TemplateSource, closure: Frame, context: RenderContext) {
        self.definition = definition
        self.source = source
        self.closure = closure
        self.context = context
        let used = Node.references(definition.body, among: ["varargs", "kwargs", "caller"])
        catchesVarargs = used.contains("varargs")
        catchesKwargs = used.contains("kwargs")
        usesCaller = used.contains("caller")
    }

    var typeName: String { "Macro" }
    var isCallable: Bool { true }
    var pythonRepr: String { "<Macro '\(definition.name)'>" }

    func attribute(_ name: String, state: RenderState) throws -> Value? {
        switch name {
        case "name": return .string(definition.name)
        case "arguments": return .tuple(definition.parameters.map { .string($0.name) })
        case "catch_kwargs": return .bool(catchesKwargs)
        case "catch_varargs": return .bool(catchesVarargs)
        case "caller": return .bool(usesCaller)
        default: return nil
        }
    }

    /// Breaks the cycle frame → macro → frame once the render is over.
    func release() {
        closure = nil
        context = nil
    }

    func call(_ arguments: CallArguments, state: RenderState) throws -> Value {
        let renderer = state.renderer!
        guard let closure, let context else {
            throw TemplateError(.runtime, "macro '\(definition.name)' was called after its render ended")
        }
        let frame = try bind(arguments, closure: closure, renderer: renderer)
        try state.enter()
        defer { state.leave() }
        return try renderer.inSource(source) {
            let text = try renderer.capture { out in
                try renderer.execute(definition.body, frame: frame, context: context, into: &out)
            }
            return renderer.captured(text)
        }
    }

    /// Binds arguments to parameters as Jinja2's `Macro.__call__` does.
    private func bind(_ arguments: CallArguments, closure: Frame, renderer: Renderer) throws -> Frame {
        let name = definition.name
        let parameters = definition.parameters
        let frame = Frame(parent: closure)
        var positional = arguments.positional
        var provided: [String: Value] = [:]
        if positional.count > parameters.count && !catchesVarargs {
            throw TemplateError(.type, "macro '\(name)' takes not more than \(parameters.count) argument(s)")
        }
        let extra = positional.count > parameters.count ? Array(positional[parameters.count...]) : []
        positional = Array(positional.prefix(parameters.count))
        for (parameter, value) in zip(parameters, positional) { provided[parameter.name] = value }

        var kwargs = OrderedDict()
        var caller: Value?
        for (key, value) in arguments.keyword {
            if parameters.contains(where: { $0.name == key }) {
                if provided[key] != nil {
                    throw TemplateError(.type, "macro '\(name)' got multiple values for argument '\(key)'")
                }
                provided[key] = value
            } else if key == "caller" && usesCaller {
                caller = value
            } else if catchesKwargs {
                kwargs.set(key, value)
            } else {
                throw TemplateError(.type, "macro '\(name)' takes no keyword argument '\(key)'")
            }
        }
        // Parameters bind in order, so that a default may use the parameters before it.
        for parameter in parameters {
            if let value = provided[parameter.name] {
                frame.locals[parameter.name] = value
            } else if let defaultValue = parameter.defaultValue {
                frame.locals[parameter.name] = try renderer.inSource(source) { try renderer.eval(defaultValue, frame) }
            } else {
                frame.locals[parameter.name] = .undefined(Undefined(
                    name: parameter.name, hint: "parameter '\(parameter.name)' was not provided"))
            }
        }
        if catchesVarargs { frame.locals["varargs"] = .tuple(extra) }
        if catchesKwargs { frame.locals["kwargs"] = .dict(DictStorage(kwargs)) }
        if usesCaller {
            frame.locals["caller"] = caller ?? .undefined(Undefined(name: "caller", hint: "No caller defined"))
        }
        return frame
    }
}
