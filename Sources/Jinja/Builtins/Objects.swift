import Synchronization

/// A function from the default globals (`range`, `dict`, `cycler`, …).
final class BuiltinFunction: JinjaObject {
    typealias Body = @Sendable (CallArguments, RenderState) throws -> Value
    let name: String
    let body: Body

    init(name: String, body: @escaping Body) {
        self.name = name
        self.body = body
    }

    var typeName: String { "builtin_function_or_method" }
    var isCallable: Bool { true }
    var pythonRepr: String { "<built-in function \(name)>" }

    func call(_ arguments: CallArguments, state: RenderState) throws -> Value {
        try body(arguments, state)
    }
}

/// Jinja2's `namespace(...)`: attributes that `{% set ns.x = … %}` may change from inside loops.
/// Shared by reference, so guarded by a mutex like lists and dicts.
public final class Namespace: JinjaObject {
    private let attributes: Mutex<OrderedDict>

    public init(_ attributes: OrderedDict = OrderedDict()) {
        self.attributes = Mutex(attributes)
    }

    public var typeName: String { "Namespace" }

    public func attribute(_ name: String, state: RenderState) throws -> Value? {
        attributes.withLock { $0[name] }
    }

    /// Sets an attribute (`{% set ns.name = value %}`).
    public func set(_ name: String, _ value: Value) {
        attributes.withLock { $0.set(name, value) }
    }

    public var pythonRepr: String {
        "<Namespace " + Value.dict(DictStorage(attributes.withLock { $0 })).pythonRepr + ">"
    }
}

/// Jinja2's `cycler(a, b, …)`: `next()`, `reset()` and `current`.
final class Cycler: JinjaObject {
    let items: [Value]
    private let position = Mutex(0)

    init(_ items: [Value]) { self.items = items }

    var typeName: String { "Cycler" }
    var pythonRepr: String { "<jinja2.utils.Cycler object>" }

    func attribute(_ name: String, state: RenderState) throws -> Value? {
        switch name {
        case "current": return items[position.withLock { $0 }]
        case "items": return .tuple(items)
        case "pos": return .int(position.withLock { $0 })
        case "next":
            return .object(BuiltinFunction(name: "next") { [self] args, _ in
                try Signature("Cycler.next", []).bind(args)
                return position.withLock { pos in
                    let item = items[pos]
                    pos = (pos + 1) % items.count
                    return item
                }
            })
        case "reset":
            return .object(BuiltinFunction(name: "reset") { [self] args, _ in
                try Signature("Cycler.reset", []).bind(args)
                position.withLock { $0 = 0 }
                return .none
            })
        default: return nil
        }
    }
}

/// Jinja2's `joiner(sep)`: returns "" the first time it is called, then the separator.
final class Joiner: JinjaObject {
    let separator: String
    private let used = Mutex(false)

    init(separator: String) { self.separator = separator }

    var typeName: String { "Joiner" }
    var isCallable: Bool { true }
    var pythonRepr: String { "<jinja2.utils.Joiner object>" }

    func attribute(_ name: String, state: RenderState) throws -> Value? {
        name == "sep" ? .string(separator) : nil
    }

    func call(_ arguments: CallArguments, state: RenderState) throws -> Value {
        try Signature("Joiner.__call__", []).bind(arguments)
        let first = used.withLock { used in
            defer { used = true }
            return !used
        }
        return .string(first ? "" : separator)
    }
}
