/// Sorting as Python's `sorted` does it: by `<` alone, stable, `reverse` keeping equal elements
/// in their original order; and the case-insensitive keys of Jinja2's `ignore_case`.
enum Ordering {
    /// Sorts `elements` by the key `key` gives each (computed once per element).
    static func sorted(_ elements: [Value], reverse: Bool, state: RenderState,
                       key: (Value) throws -> Value) throws -> [Value] {
        var decorated: [(key: Value, value: Value)] = []
        decorated.reserveCapacity(elements.count)
        for element in elements { decorated.append((try key(element), element)) }
        if reverse {
            try decorated.sort { try Operators.lessThan($1.key, $0.key, state: state) }
        } else {
            try decorated.sort { try Operators.lessThan($0.key, $1.key, state: state) }
        }
        return decorated.map(\.value)
    }

    /// Jinja2's `ignore_case`: strings in lower case, anything else as it is.
    static func ignoreCase(_ value: Value) -> Value {
        switch value {
        case .string(let s): return .string(PyString.lower(s))
        case .markup(let s): return .markup(PyString.lower(s))
        default: return value
        }
    }

    /// The element with the smallest (or largest) key; the first one among equals, as Python's
    /// `min` and `max`.
    static func extreme(_ elements: [Value], largest: Bool, state: RenderState,
                        key: (Value) throws -> Value) throws -> Value? {
        guard var best = elements.first else { return nil }
        var bestKey = try key(best)
        for element in elements.dropFirst() {
            let k = try key(element)
            let better = largest ? try Operators.lessThan(bestKey, k, state: state)
                                 : try Operators.lessThan(k, bestKey, state: state)
            if better { best = element; bestKey = k }
        }
        return best
    }
}

/// Jinja2's `make_attrgetter`: a dotted path (`"address.city"`, `"items.0"`) looked up with
/// `getitem` at each step; digits are integer indices.
struct AttributePath {
    enum Part { case name(String), index(Int) }
    let parts: [Part]

    init(_ attribute: Value?) {
        switch attribute {
        case nil, .some(.none): parts = []
        case .some(.string(let s)), .some(.markup(let s)):
            parts = s.split(separator: ".", omittingEmptySubsequences: false).map { part in
                if !part.isEmpty, part.unicodeScalars.allSatisfy(PyString.isDigit), let i = Int(part) { return .index(i) }
                return .name(String(part))
            }
        case .some(.int(let i)): parts = [.index(i)]
        case .some(let other): parts = [.name(other.pythonStr)]
        }
    }

    var isEmpty: Bool { parts.isEmpty }

    /// The value at the end of the path; `defaultValue` replaces an undefined met on the way.
    func lookup(_ value: Value, state: RenderState, defaultValue: Value? = nil) throws -> Value {
        var current = value
        for part in parts {
            switch part {
            case .name(let name): current = try state.item(of: current, .string(name))
            case .index(let i): current = try state.item(of: current, .int(i))
            }
            if let defaultValue, current.isUndefined { current = defaultValue }
        }
        return current
    }

    /// Several comma-separated paths (`"age,name"`), as `make_multi_attrgetter`.
    static func multiple(_ attribute: Value?) -> [AttributePath] {
        if case .some(.string(let s)) = attribute {
            return s.split(separator: ",", omittingEmptySubsequences: false).map { AttributePath(.string(String($0))) }
        }
        return [AttributePath(attribute)]
    }
}
