/// The numeric filters: `abs`, `int`, `float`, `round`, `filesizeformat`.
extension Filters {
    static let numbers: [String: FilterFunction] = [
        "abs": { value, args, state in
            try Signature.none("abs", args)
            switch value {
            case .int(let i):
                if i == Int.min { throw TemplateError(.value, "integer overflow") }
                return .int(abs(i))
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let d): return .float(abs(d))
            default: throw TemplateError(.type, "bad operand type for abs(): '\(state.typeName(of: value))'")
            }
        },
        "int": { value, args, state in
            let a = try Signature("do_int", ["default", "base"]).bind(args)
            let fallback = a[0] ?? .int(0)
            let base = try a[1].map { try state.index($0) } ?? 10
            switch value {
            case .int: return value
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let d): return truncated(d) ?? fallback
            case .string(let s), .markup(let s):
                if let i = try PyNumber.parseInt(s, base: base) { return .int(i) }
                if let d = PyNumber.parseFloat(s) { return truncated(d) ?? fallback }
                return fallback
            case .undefined(let u): throw state.undefinedError(u)
            default: return fallback
            }
        },
        "float": { value, args, state in
            let a = try Signature("do_float", ["default"]).bind(args)
            let fallback = a[0] ?? .float(0)
            switch value {
            case .int(let i): return .float(Double(i))
            case .bool(let b): return .float(b ? 1 : 0)
            case .float: return value
            case .string(let s), .markup(let s): return PyNumber.parseFloat(s).map { .float($0) } ?? fallback
            case .undefined(let u): throw state.undefinedError(u)
            default: return fallback
            }
        },
        "round": { value, args, state in
            let a = try Signature("do_round", ["precision", "method"]).bind(args)
            let precision = try a[0].map { try state.index($0) } ?? 0
            let method = try a[1].map { try state.str($0) } ?? "common"
            guard ["common", "ceil", "floor"].contains(method) else {
                throw TemplateError(.runtime, "method must be common, ceil or floor")
            }
            guard let number = value.numericValue else {
                throw TemplateError(.type, "type \(state.typeName(of: value)) doesn't define __round__ method")
            }
            if method == "common" {
                if case .int(let i) = number { return .int(roundInteger(i, precision)) }
                return .float(NumberFormat.round(number.asDouble, precision))
            }
            let scale = pow10(precision)
            let scaled = number.asDouble * scale
            let rounded = method == "ceil" ? scaled.rounded(.up) : scaled.rounded(.down)
            return .float(rounded / scale)
        },
        "filesizeformat": { value, args, state in
            let a = try Signature("do_filesizeformat", ["binary"]).bind(args)
            let binary = try a[0].map { try state.truthy($0) } ?? false
            let bytes: Double
            switch value {
            case .int, .bool, .float: bytes = value.asDouble
            case .string(let s), .markup(let s):
                guard let d = PyNumber.parseFloat(s) else {
                    throw TemplateError(.value, "could not convert string to float: \(Value.reprString(s))")
                }
                bytes = d
            case .undefined(let u): throw state.undefinedError(u)
            default:
                throw TemplateError(.type, "float() argument must be a string or a real number, not '\(value.typeName)'")
            }
            let base: Double = binary ? 1024 : 1000
            let prefixes = binary ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
                                  : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
            if bytes == 1 { return .string("1 Byte") }
            if bytes < base {
                guard let whole = truncated(bytes), case .int(let n) = whole else { return .string("\(Value.formatFloat(bytes)) Bytes") }
                return .string("\(n) Bytes")
            }
            var unit = base
            for prefix in prefixes {
                unit *= base
                if bytes < unit || prefix == prefixes.last {
                    return .string(NumberFormat.c(base * bytes / unit, "f", precision: 1) + " " + prefix)
                }
            }
            return .string("")
        },
    ]

    /// `int(float)`: toward zero; nil for infinities and NaN (Python raises, `int` falls back).
    static func truncated(_ d: Double) -> Value? {
        guard d.isFinite, let i = Int(exactly: d.rounded(.towardZero)) else { return nil }
        return .int(i)
    }

    /// `round(int, ndigits)`: unchanged for ndigits ≥ 0, else to a multiple of 10^-ndigits,
    /// ties to even.
    static func roundInteger(_ i: Int, _ digits: Int) -> Int {
        guard digits < 0 else { return i }
        guard -digits < 19 else { return 0 }
        var scale = 1
        for _ in 0..<(-digits) { scale *= 10 }
        let quotient = i / scale, remainder = i % scale
        var q = quotient
        let twice = abs(remainder) * 2
        if twice > scale || (twice == scale && quotient % 2 != 0) { q += remainder < 0 ? -1 : 1 }
        let (r, overflow) = q.multipliedReportingOverflow(by: scale)
        return overflow ? i : r
    }

    static func pow10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(n) { result *= 10 }
        return n < 0 ? 1 / result : result
    }
}

/// Python's `int(str, base)` and `float(str)` parsers: surrounding whitespace, a sign,
/// underscores between digits; `inf`/`nan` for floats. No hexadecimal floats.
enum PyNumber {
    static func parseInt(_ text: String, base: Int) throws -> Int? {
        // An invalid base is a ValueError that the `int` filter catches like any other.
        guard base == 0 || (2...36).contains(base) else { return nil }
        var s = Substring(PyString.asciiDigits(PyString.strip(text, nil)))
        var negative = false
        if let first = s.first, first == "+" || first == "-" { negative = first == "-"; s = s.dropFirst() }
        var radix = base
        let lower = s.lowercased()
        for (prefix, r) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) && (base == r || base == 0) {
            radix = r
            s = s.dropFirst(2)
            if s.first == "_" { s = s.dropFirst() }
            break
        }
        if radix == 0 {
            // Base 0 without a prefix: decimal, and no leading zeros unless the number is zero.
            radix = 10
            if s.count > 1, s.first == "0", s.contains(where: { $0 != "0" && $0 != "_" }) { return nil }
        }
        guard !s.isEmpty, !s.hasPrefix("_"), !s.hasSuffix("_"), !s.contains("__") else { return nil }
        let digits = s.filter { $0 != "_" }
        guard let magnitude = Int(digits, radix: radix) else { return nil }
        return negative ? -magnitude : magnitude
    }

    static func parseFloat(_ text: String) -> Double? {
        var s = Substring(PyString.asciiDigits(PyString.strip(text, nil)))
        var sign = 1.0
        if let first = s.first, first == "+" || first == "-" { sign = first == "-" ? -1 : 1; s = s.dropFirst() }
        switch s.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: break
        }
        // digits [. digits] [e [sign] digits], underscores only between digits.
        var cleaned = ""
        var previousDigit = false
        var sawDigit = false, sawExponentDigit = false, inExponent = false, sawPoint = false
        var chars = s.makeIterator()
        var pending: Character? = chars.next()
        while let c = pending {
            pending = chars.next()
            if c.isASCII, c.isNumber {
                cleaned.append(c); previousDigit = true
                if inExponent { sawExponentDigit = true } else { sawDigit = true }
            } else if c == "_" {
                guard previousDigit, let next = pending, next.isASCII, next.isNumber else { return nil }
                previousDigit = false
            } else if c == "." && !sawPoint && !inExponent {
                sawPoint = true; previousDigit = false; cleaned.append(c)
            } else if (c == "e" || c == "E") && !inExponent && sawDigit {
                inExponent = true; previousDigit = false; cleaned.append("e")
                if let next = pending, next == "+" || next == "-" { cleaned.append(next); pending = chars.next() }
            } else {
                return nil
            }
        }
        guard sawDigit, !inExponent || sawExponentDigit, let d = Double(cleaned) else { return nil }
        return sign * d
    }
}
