@testable import Jinja
import Testing

/// An environment and a render state for calling filters, tests and operators directly.
struct Harness {
    let environment: Environment
    let state: RenderState

    init(strict: Bool = true, autoescape: Bool = false) {
        environment = Environment(options: EnvironmentOptions(undefined: strict ? .strict : .lenient))
        state = RenderState(environment: environment, autoescape: autoescape)
    }

    func filter(_ name: String, _ value: Value, _ positional: [Value] = [], _ keyword: [(String, Value)] = []) throws -> Value {
        try state.callFilter(name, value, CallArguments(positional, keyword: keyword))
    }

    func applyTest(_ name: String, _ value: Value, _ positional: [Value] = [], _ keyword: [(String, Value)] = []) throws -> Bool {
        try state.callTest(name, value, CallArguments(positional, keyword: keyword))
    }

    func method(_ value: Value, _ name: String, _ positional: [Value] = [], _ keyword: [(String, Value)] = []) throws -> Value {
        try state.call(try state.attribute(of: value, name), CallArguments(positional, keyword: keyword))
    }

    func global(_ name: String, _ positional: [Value] = [], _ keyword: [(String, Value)] = []) throws -> Value {
        try state.call(environment.globals[name] ?? .none, CallArguments(positional, keyword: keyword))
    }

    /// A result as the fixtures describe it: Python's `repr`, `Undefined:<message>` for an
    /// undefined, or `<ErrorKind>: <message>` for an error.
    static func describe(_ body: () throws -> Value) -> String {
        do {
            let value = try body()
            if case .undefined(let u) = value { return "Undefined:" + u.message }
            return value.pythonRepr
        } catch let error as TemplateError {
            return describe(error)
        } catch {
            return "\(error)"
        }
    }

    static func describe(_ error: TemplateError) -> String {
        let kind: String
        switch error.kind {
        case .type: kind = "TypeError"
        case .undefined: kind = "UndefinedError"
        case .value: kind = "ValueError"
        case .lookup: kind = "LookupError"
        case .runtime: kind = "RuntimeError"
        case .assertion: kind = "AssertionError"
        default: kind = error.kind.rawValue
        }
        return kind + ": " + error.message
    }
}

/// A dict value with keys of any type, in order.
func dict(_ pairs: [(Value, Value)]) -> Value {
    var d = OrderedDict()
    for (k, v) in pairs { try? d.set(k, v) }
    return .dict(DictStorage(d))
}

/// One expression evaluated by Jinja2 (see Fixtures/builtins_cases.py) and by us.
struct BuiltinCase: Sendable, CustomTestStringConvertible {
    enum Kind: Sendable { case filter, test, binary, compare, unary, method, attribute, item, slice, output, call }
    let kind: Kind
    let name: String
    let value: Value?
    let arguments: [Value]
    let keywords: [(String, Value)]
    let strict: Bool
    let autoescape: Bool
    let source: String
    let expected: String

    init(_ kind: Kind, _ name: String, _ value: Value?, _ arguments: [Value], _ keywords: [(String, Value)],
         strict: Bool, autoescape: Bool, _ source: String, expected: String) {
        self.kind = kind
        self.name = name
        self.value = value
        self.arguments = arguments
        self.keywords = keywords
        self.strict = strict
        self.autoescape = autoescape
        self.source = source
        self.expected = expected
    }

    var testDescription: String { "\(source) [\(strict ? "strict" : "lenient")\(autoescape ? ", autoescape" : "")]" }

    func evaluate() -> String {
        let h = Harness(strict: strict, autoescape: autoescape)
        let v = value?.deepCopy ?? .none
        let a = arguments.map(\.deepCopy)
        if kind == .output {
            do { return Value.reprString(try h.state.output(v)) } catch let e as TemplateError { return Harness.describe(e) } catch { return "\(error)" }
        }
        return Harness.describe {
            switch kind {
            case .filter: return try h.filter(name, v, a, keywords)
            case .test: return .bool(try h.applyTest(name, v, a, keywords))
            case .binary:
                guard let op = BinaryOperator(rawValue: name) else { return .none }
                return try Operators.binary(op, v, a[0], state: h.state)
            case .compare:
                guard let op = CompareOperator(rawValue: name) else { return .none }
                return .bool(try Operators.compare(op, v, a[0], state: h.state))
            case .unary:
                let op: UnaryOperator = name == "not" ? .not : name == "-" ? .negate : .plus
                return try Operators.unary(op, v, state: h.state)
            case .method: return try h.method(v, name, a, keywords)
            case .attribute: return try h.state.attribute(of: v, name)
            case .item: return try h.state.item(of: v, a[0])
            case .slice: return try h.state.slice(v, start: a[0], stop: a[1], step: a[2])
            case .call: return try h.global(name, a, keywords)
            case .output: return .none
            }
        }
    }
}

extension Value {
    /// A copy that shares no list or dict with the original, so that a case that mutates its
    /// value (`pop`, `append`) can run any number of times.
    var deepCopy: Value {
        switch self {
        case .list(let l): return .list(l.elements.map(\.deepCopy))
        case .tuple(let t): return .tuple(t.map(\.deepCopy))
        case .dict(let d):
            var copy = OrderedDict()
            for (k, v) in d.snapshot.pairs { try? copy.set(k, v.deepCopy) }
            return .dict(DictStorage(copy))
        default: return self
        }
    }
}
