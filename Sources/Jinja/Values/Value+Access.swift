/// Attribute and item access, slicing, iteration, calls and output, as Jinja2's environment does
/// them (`getattr` prefers the attribute, `getitem` the item), with Jinja2's undefined hints.
extension RenderState {
    /// Jinja2's `getattr` (`a.b`): the attribute (a dict's methods, a string's methods, an
    /// object's attributes), else the item of that name, else an undefined.
    public func attribute(of value: Value, _ name: String) throws -> Value {
        switch value {
        case .dict(let d):
            if Methods.mayNameDictMethod(name), let method = Methods.dict[name] {
                return Methods.bind(method, name, to: value)
            }
            if let v = d[name] { return v }
        case .object(let o):
            if let v = try o.attribute(name, state: self) { return v }
        case .undefined(let u):
            throw undefinedError(u)
        default:
            if let v = builtinAttribute(of: value, name) { return v }
        }
        return .undefined(missingAttribute(name, of: value))
    }

    /// Jinja2's `attr` filter: the attribute only, never the item.
    func attributeOnly(of value: Value, _ name: String) throws -> Value {
        switch value {
        case .dict:
            if let method = Methods.dict[name] { return Methods.bind(method, name, to: value) }
        case .object(let o):
            if let v = try o.attribute(name, state: self) { return v }
        case .undefined(let u):
            throw undefinedError(u)
        default:
            if let v = builtinAttribute(of: value, name) { return v }
        }
        return .undefined(missingAttribute(name, of: value))
    }

    /// The methods and properties of the plain types.
    private func builtinAttribute(of value: Value, _ name: String) -> Value? {
        switch value {
        case .string, .markup:
            if let method = Methods.string[name] { return Methods.bind(method, name, to: value) }
        case .list:
            if let method = Methods.list[name] { return Methods.bind(method, name, to: value) }
        case .tuple(let t):
            if let method = Methods.tuple[name] { return Methods.bind(method, name, to: value) }
            // `groupby` gives (grouper, list) pairs that Jinja2 makes named tuples.
            if t.count == 2 {
                if name == "grouper" { return t[0] }
                if name == "list" { return t[1] }
            }
        case .int, .bool:
            if name == "real" { return value.numericValue }
            if name == "imag" { return .int(0) }
        case .float:
            if name == "real" { return value }
            if name == "imag" { return .float(0) }
        default: break
        }
        return nil
    }

    /// Jinja2's `getitem` (`a[b]`): the item (a list or string index, negative from the end; a
    /// dict key), else for a string key the attribute, else an undefined.
    public func item(of value: Value, _ key: Value) throws -> Value {
        switch value {
        case .dict(let d):
            if let v = try? d.value(forKey: key) { return v }
        case .list(let l):
            if let i = integerKey(key) {
                let elements = l.elements
                let j = i < 0 ? i + elements.count : i
                if j >= 0 && j < elements.count { return elements[j] }
            }
        case .tuple(let t):
            if let i = integerKey(key) {
                let j = i < 0 ? i + t.count : i
                if j >= 0 && j < t.count { return t[j] }
            }
        case .string(let s), .markup(let s):
            if let i = integerKey(key) {
                let scalars = s.unicodeScalars
                let n = i < 0 ? i + scalars.count : i
                if n >= 0, let index = scalars.index(scalars.startIndex, offsetBy: n, limitedBy: scalars.endIndex),
                   index < scalars.endIndex {
                    return same(as: value, String(scalars[index]))
                }
            }
        case .undefined(let u):
            throw undefinedError(u)
        default:
            break
        }
        if case .string(let name) = key {
            let v = try attributeOnly(of: value, name)
            if !v.isUndefined { return v }
            return .undefined(missingAttribute(name, of: value))
        }
        return .undefined(missingElement(key, of: value))
    }

    private func integerKey(_ key: Value) -> Int? {
        switch key {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Jinja2's `object_type_repr`: `None`, or `list object`.
    func objectTypeRepr(_ value: Value) -> String {
        if case .none = value { return "None" }
        return "\(value.typeName) object"
    }

    /// The undefined for a missing attribute: `'dict object' has no attribute 'x'`.
    func missingAttribute(_ name: String, of owner: Value) -> Undefined {
        let type = objectTypeRepr(owner)
        return Undefined(name: name) { "'\(type)' has no attribute '\(name)'" }
    }

    /// The undefined for a missing element: `list object has no element 5`.
    func missingElement(_ key: Value, of owner: Value) -> Undefined {
        let type = objectTypeRepr(owner)
        return Undefined { "\(type) has no element \(key.pythonRepr)" }
    }

    /// Python slicing, `value[start:stop:step]`, on strings (by code point), lists and tuples.
    public func slice(_ value: Value, start: Value?, stop: Value?, step: Value?) throws -> Value {
        func bound(_ v: Value?) throws -> Int? {
            guard let v else { return nil }
            switch v {
            case .none: return nil
            case .int(let i): return i
            case .bool(let b): return b ? 1 : 0
            case .undefined(let u): throw undefinedError(u)
            default: throw TemplateError(.type, "slice indices must be integers or None or have an __index__ method")
            }
        }
        let (first, last, stride) = (try bound(start), try bound(stop), try bound(step) ?? 1)
        if stride == 0 { throw TemplateError(.value, "slice step cannot be zero") }
        switch value {
        case .string(let s), .markup(let s):
            let scalars = Array(s.unicodeScalars)
            if stride == 1 {
                let r = Self.sliceRange(count: scalars.count, start: first, stop: last)
                return same(as: value, PyString.make(scalars[r]))
            }
            var out = ScalarBuffer()
            for i in Self.sliceIndices(count: scalars.count, start: first, stop: last, step: stride) {
                out.append(scalars[i])
            }
            return same(as: value, String(out))
        case .list(let l):
            return .list(Self.sliced(l.elements, first, last, stride))
        case .tuple(let t):
            return .tuple(Self.sliced(t, first, last, stride))
        case .undefined(let u):
            throw undefinedError(u)
        default:
            throw TemplateError(.type, "'\(value.typeName)' object is not subscriptable")
        }
    }

    private static func sliced(_ elements: [Value], _ start: Int?, _ stop: Int?, _ step: Int) -> [Value] {
        if step == 1 { return Array(elements[sliceRange(count: elements.count, start: start, stop: stop)]) }
        return sliceIndices(count: elements.count, start: start, stop: stop, step: step).map { elements[$0] }
    }

    /// The indices of a step-1 slice, clamped as Python clamps them.
    static func sliceRange(count: Int, start: Int?, stop: Int?) -> Range<Int> {
        func clamp(_ i: Int) -> Int { i < 0 ? max(0, i + count) : min(i, count) }
        let lower = clamp(start ?? 0), upper = clamp(stop ?? count)
        return lower < upper ? lower..<upper : lower..<lower
    }

    /// The indices a slice visits (CPython's `PySlice_AdjustIndices`).
    static func sliceIndices(count: Int, start: Int?, stop: Int?, step: Int) -> StrideTo<Int> {
        func adjust(_ i: Int?, _ defaultValue: Int) -> Int {
            guard var i else { return defaultValue }
            if i < 0 {
                i += count
                if i < 0 { i = step < 0 ? -1 : 0 }
            } else if i >= count {
                i = step < 0 ? count - 1 : count
            }
            return i
        }
        let from = adjust(start, step < 0 ? count - 1 : 0)
        let to = adjust(stop, step < 0 ? -1 : count)
        return Swift.stride(from: from, to: to, by: step)
    }

    /// The elements a `for` loop visits: list and tuple elements, dict keys, the code points of a
    /// string; an undefined is empty under the lenient policy and an error under the strict one.
    public func iterate(_ value: Value) throws -> [Value] {
        switch value {
        case .list(let l): return l.elements
        case .tuple(let t): return t
        case .dict(let d): return d.snapshot.keys
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .markup(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .undefined(let u):
            if isStrict(u) { throw undefinedError(u) }
            return []
        case .object(let o):
            if let items = try o.iterate(state: self) { return items }
            fallthrough
        default:
            throw TemplateError(.type, "'\(value.typeName)' object is not iterable")
        }
    }

    /// Python's `len()`.
    func length(of value: Value) throws -> Int {
        switch value {
        case .string(let s), .markup(let s): return PyString.length(s)
        case .list(let l): return l.count
        case .tuple(let t): return t.count
        case .dict(let d): return d.count
        case .undefined(let u):
            if isStrict(u) { throw undefinedError(u) }
            return 0
        case .object(let o):
            if let items = try o.iterate(state: self) { return items.count }
            fallthrough
        default:
            throw TemplateError(.type, "object of type '\(value.typeName)' has no len()")
        }
    }

    /// Calls a callable value: macros, bound methods, globals such as `range`.
    public func call(_ callee: Value, _ arguments: CallArguments) throws -> Value {
        switch callee {
        case .object(let o): return try o.call(arguments, state: self)
        case .undefined(let u): throw undefinedError(u)
        default: throw TemplateError(.type, "'\(callee.typeName)' object is not callable")
        }
    }

    /// The text `{{ value }}` writes: `str()` (`None` prints `None`), HTML-escaped under
    /// autoescape unless the value is Markup.
    public func output(_ value: Value) throws -> String {
        switch value {
        case .string(let s): return autoescape ? HTML.escape(s) : s
        case .markup(let s): return s
        case .int(let i): return String(i)
        case .undefined(let u):
            if isStrict(u) { throw undefinedError(u) }
            return ""
        default:
            let s = value.pythonStr
            return autoescape ? HTML.escape(s) : s
        }
    }
}
