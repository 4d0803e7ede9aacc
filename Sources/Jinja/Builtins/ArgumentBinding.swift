/// Binding the arguments of a call to named parameters, as Python binds a function's signature,
/// with Python's `TypeError` messages for missing, surplus and unexpected arguments.
struct Signature: Sendable {
    /// The Python function name that messages use (`do_center`, `split`, …).
    let function: String
    /// Parameter names in order; positional or keyword.
    let names: [String]
    /// How many of `names` have no default.
    let required: Int
    /// Arguments that Python counts but the template does not pass (the filtered value, the
    /// environment): they shift the numbers in the messages.
    let implicit: Int
    /// True for the methods of Python's built-in types, whose messages CPython words differently.
    let builtin: Bool

    init(_ function: String, _ names: [String], required: Int = 0, implicit: Int = 1, builtin: Bool = false) {
        self.function = function
        self.names = names
        self.required = required
        self.implicit = implicit
        self.builtin = builtin
    }

    /// The signature of a method of `str`, `list` or `dict`.
    static func method(_ function: String, _ names: [String] = [], required: Int = 0) -> Signature {
        Signature(function, names, required: required, implicit: 0, builtin: true)
    }

    /// The values in parameter order; nil where the caller passed nothing.
    @discardableResult
    func bind(_ arguments: CallArguments) throws -> BoundArguments {
        if builtin && names.isEmpty && !arguments.positional.isEmpty {
            throw TemplateError(.type, "\(function)() takes no arguments (\(arguments.positional.count) given)")
        }
        if arguments.positional.count > names.count {
            let low = required + implicit, high = names.count + implicit
            let given = arguments.positional.count + implicit
            let takes: String
            if low == high {
                takes = "\(high) positional argument\(high == 1 ? "" : "s")"
            } else {
                takes = "from \(low) to \(high) positional arguments"
            }
            throw TemplateError(.type, "\(function)() takes \(takes) but \(given) \(given == 1 ? "was" : "were") given")
        }
        // Positional arguments only (nearly every call): the caller's array serves as it is.
        if arguments.keyword.isEmpty {
            if arguments.positional.count < required { throw missing(arguments.positional.count..<required) }
            return BoundArguments(positional: arguments.positional, byName: nil)
        }
        var bound = [Value?](repeating: nil, count: names.count)
        for (i, value) in arguments.positional.enumerated() { bound[i] = value }
        for (name, value) in arguments.keyword {
            guard let i = names.firstIndex(of: name) else {
                if builtin {
                    throw TemplateError(.type, "'\(name)' is an invalid keyword argument for \(function)()")
                }
                throw TemplateError(.type, "\(function)() got an unexpected keyword argument '\(name)'")
            }
            if bound[i] != nil {
                throw TemplateError(.type, "\(function)() got multiple values for argument '\(name)'")
            }
            bound[i] = value
        }
        let absent = (0..<required).filter { bound[$0] == nil }
        if !absent.isEmpty { throw missing(absent) }
        return BoundArguments(positional: [], byName: bound)
    }

    /// Python's message for required parameters the caller left out.
    private func missing<C: Collection<Int>>(_ positions: C) -> TemplateError {
        let missing = positions.map { "'\(names[$0])'" }
        let list: String
        if missing.count == 1 { list = missing[0] }
        else { list = missing.dropLast().joined(separator: ", ") + " and " + (missing.last ?? "") }
        return TemplateError(.type, "\(function)() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(list)")
    }

    /// Checks that a function taking no arguments got none.
    static func none(_ function: String, _ arguments: CallArguments, implicit: Int = 1) throws {
        _ = try Signature(function, [], implicit: implicit).bind(arguments)
    }
}

/// Arguments bound to a signature's parameters: `bound[i]` is the value of parameter `i`, nil
/// where the caller passed nothing. Keeps the caller's positional array when no keywords were
/// given, so that binding allocates nothing on the common path.
struct BoundArguments {
    fileprivate let positional: [Value]
    /// Values in parameter order, made only when keywords were passed.
    fileprivate let byName: [Value?]?

    subscript(position: Int) -> Value? {
        if let byName { return byName[position] }
        return position < positional.count ? positional[position] : nil
    }
}

/// Conversions of argument values to the Swift types that builtins work with, raising what
/// Python raises for a wrong type.
extension RenderState {
    /// Python's `__index__`: ints and booleans.
    func index(_ value: Value) throws -> Int {
        switch value {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .undefined(let u) where isStrict(u): throw undefinedError(u)
        default: throw TemplateError(.type, "'\(typeName(of: value))' object cannot be interpreted as an integer")
        }
    }

    /// An optional int argument: nil for an absent argument or `none`.
    func optionalIndex(_ value: Value?) throws -> Int? {
        guard let value else { return nil }
        if case .none = value { return nil }
        return try index(value)
    }

    /// A string argument where Python takes any object and calls `str()` on it.
    func optionalString(_ value: Value?) throws -> String? {
        guard let value else { return nil }
        if case .none = value { return nil }
        return try str(value)
    }

    /// The type name Python would print: `StrictUndefined` under the strict policy.
    func typeName(of value: Value) -> String {
        if case .undefined(let u) = value, isStrict(u) { return "StrictUndefined" }
        return value.typeName
    }
}
