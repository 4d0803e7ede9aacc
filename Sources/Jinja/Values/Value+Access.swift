/// Attribute and item access, slicing, iteration, calls and output. (Placeholder.)
extension RenderState {
    /// Jinja2's `getattr`: the attribute, else the item of that name, else an undefined.
    public func attribute(of value: Value, _ name: String) throws -> Value {
        if case .undefined(let u) = value { throw undefinedError(u) }
        if case .dict(let d) = value, let v = d[name] { return v }
        if case .object(let o) = value, let v = try o.attribute(name, state: self) { return v }
        return .undefined(.missingAttribute(name, of: value))
    }

    /// Jinja2's `getitem`: the item, else the attribute of that name, else an undefined.
    public func item(of value: Value, _ key: Value) throws -> Value {
        if case .undefined(let u) = value { throw undefinedError(u) }
        if case .dict(let d) = value, let v = try d.value(forKey: key) { return v }
        if case .list(let l) = value, case .int(let i) = key, i >= 0, i < l.count { return l.elements[i] }
        return .undefined(.missingItem(key, of: value))
    }

    public func slice(_ value: Value, start: Value?, stop: Value?, step: Value?) throws -> Value {
        throw TemplateError(.type, "slicing not implemented")
    }

    /// The elements a `for` loop visits.
    public func iterate(_ value: Value) throws -> [Value] {
        switch value {
        case .undefined(let u):
            if undefinedPolicy == .strict { throw undefinedError(u) }
            return []
        case .list(let l): return l.elements
        case .tuple(let t): return t
        case .dict(let d): return d.snapshot.keys
        case .string(let s): return s.map { .string(String($0)) }
        case .object(let o):
            if let items = try o.iterate(state: self) { return items }
            fallthrough
        default: throw TemplateError(.type, "'\(value.typeName)' object is not iterable")
        }
    }

    /// Calls a callable value.
    public func call(_ callee: Value, _ arguments: CallArguments) throws -> Value {
        switch callee {
        case .undefined(let u): throw undefinedError(u)
        case .object(let o): return try o.call(arguments, state: self)
        default: throw TemplateError(.type, "'\(callee.typeName)' object is not callable")
        }
    }

    /// The text `{{ value }}` writes: `str()`, HTML-escaped under autoescape unless Markup.
    public func output(_ value: Value) throws -> String {
        try str(value)
    }
}
