/// How values print, compare and test for truth: Python's `str()`, `repr()`, `==` and `bool()`.
extension Value {
    /// Python's type name, as it appears in error messages.
    public var typeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .markup: return "Markup"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .object(let o): return o.typeName
        }
    }

    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// Python's truth value.
    public var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s), .markup(let s): return !s.isEmpty
        case .list(let l): return l.count != 0
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return d.count != 0
        case .object: return true
        }
    }

    /// Python's `str()`. An undefined prints as the empty string (the lenient policy; the
    /// renderer raises before printing under the strict one).
    public var pythonStr: String {
        switch self {
        case .undefined: return ""
        case .string(let s), .markup(let s): return s
        case .object(let o): return o.pythonStr
        default: return pythonRepr
        }
    }

    /// Python's `repr()`.
    public var pythonRepr: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return Value.formatFloat(d)
        case .string(let s): return Value.reprString(s)
        case .markup(let s): return "Markup(\(Value.reprString(s)))"
        case .list(let l): return "[" + l.elements.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .tuple(let t):
            if t.count == 1 { return "(" + t[0].pythonRepr + ",)" }
            return "(" + t.map(\.pythonRepr).joined(separator: ", ") + ")"
        case .dict(let d):
            let items = d.snapshot.pairs.map { "\($0.pythonRepr): \($1.pythonRepr)" }
            return "{" + items.joined(separator: ", ") + "}"
        case .object(let o): return o.pythonRepr
        }
    }

    /// Python's `repr(float)`: the shortest string that reads back, `1.0`, `1e+16`, `inf`, `nan`.
    public static func formatFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        // Swift's description is also the shortest round-trip form and switches to exponent
        // notation at the same points as Python (1e16 and 1e-5); only the spelling of the exponent
        // differs: Swift writes "1e-05" as Python does, but "5e+16" as "5e+16" too.
        var s = d.description
        if s.utf8.contains(UInt8(ascii: "e")) {
            // Python always writes at least two exponent digits and a sign.
            let parts = s.split(separator: "e", maxSplits: 1)
            var mantissa = String(parts[0])
            var exponent = String(parts[1])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            var sign = "+"
            if exponent.hasPrefix("-") { sign = "-"; exponent.removeFirst() } else if exponent.hasPrefix("+") { exponent.removeFirst() }
            if exponent.count < 2 { exponent = "0" + exponent }
            s = mantissa + "e" + sign + exponent
        }
        return s
    }

    /// Python's `repr(str)`: single quotes unless the string holds a single quote and no double.
    public static func reprString(_ s: String) -> String {
        let quote: Character = (s.contains("'") && !s.contains("\"")) ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if !isPrintable(scalar) {
                    if scalar.value <= 0xff { out += "\\x" + hex(scalar.value, width: 2) }
                    else if scalar.value <= 0xffff { out += "\\u" + hex(scalar.value, width: 4) }
                    else { out += "\\U" + hex(scalar.value, width: 8) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    private static func hex(_ v: UInt32, width: Int) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Python's `str.isprintable()` for one code point, close enough for repr: control and
    /// separator categories other than the ASCII space are escaped.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
            return false
        case .spaceSeparator:
            return scalar == " "
        default:
            return true
        }
    }
}

extension Value {
    /// Python's `==`: `1 == 1.0 == True`, a string equals the same Markup, a list never equals a
    /// tuple, dicts compare without regard to order.
    public func pythonEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int, .int), (.int, .float), (.float, .int), (.float, .float),
             (.bool, .int), (.int, .bool), (.bool, .float), (.float, .bool):
            guard let a = numericValue, let b = other.numericValue else { return false }
            if case .int(let x) = a, case .int(let y) = b { return x == y }
            return a.asDouble == b.asDouble
        case (.string(let a), .string(let b)), (.string(let a), .markup(let b)),
             (.markup(let a), .string(let b)), (.markup(let a), .markup(let b)):
            // By code points, as Python compares: Swift's `==` would equate "é" and "e\u{301}".
            return a.utf8.elementsEqual(b.utf8)
        case (.list(let a), .list(let b)):
            return a === b || Value.sequencesEqual(a.elements, b.elements)
        case (.tuple(let a), .tuple(let b)):
            return Value.sequencesEqual(a, b)
        case (.dict(let a), .dict(let b)):
            if a === b { return true }
            let x = a.snapshot, y = b.snapshot
            guard x.count == y.count else { return false }
            for (key, value) in x.pairs {
                guard let hk = try? HashKey(key), let v = y.value(for: hk), v.pythonEquals(value) else { return false }
            }
            return true
        case (.object(let a), .object(let b)): return a === b
        default: return false
        }
    }

    private static func sequencesEqual(_ a: [Value], _ b: [Value]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where !x.pythonEquals(y) { return false }
        return true
    }

    /// The value as an int or a float when it is a number (booleans count, as in Python).
    public var numericValue: Value? {
        switch self {
        case .bool(let b): return .int(b ? 1 : 0)
        case .int, .float: return self
        default: return nil
        }
    }

    /// A number as a Double; 0 for anything else.
    public var asDouble: Double {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .float(let d): return d
        default: return 0
        }
    }
}

extension Value {
    /// A list value from elements.
    public static func list(_ elements: [Value]) -> Value { .list(ListStorage(elements)) }
    /// A dict value from string keys in order.
    public static func dict(_ pairs: [(String, Value)]) -> Value { .dict(DictStorage(OrderedDict(pairs))) }
}
