/// Python's string formatting: `format % values` (printf style) and `str.format()` with its
/// format-spec mini-language. With `escaping` (Markup receivers), every substituted value that
/// is not Markup is HTML-escaped, as MarkupSafe does.
enum PythonFormat {
    // MARK: printf style

    static func percent(_ format: String, _ values: Value, state: RenderState, escaping: Bool = false) throws -> String {
        let arguments: [Value]
        var mapping: DictStorage? = nil
        switch values {
        case .tuple(let t): arguments = t
        case .dict(let d): arguments = [values]; mapping = d
        default: arguments = [values]
        }
        var next = 0
        func nextArgument() throws -> Value {
            guard next < arguments.count else { throw TemplateError(.type, "not enough arguments for format string") }
            defer { next += 1 }
            return arguments[next]
        }
        let scalars = Array(format.unicodeScalars)
        var out = ScalarBuffer()
        var i = 0
        var usedMapping = false
        while i < scalars.count {
            let c = scalars[i]
            guard c == "%" else { out.append(c); i += 1; continue }
            i += 1
            guard i < scalars.count else { throw TemplateError(.value, "incomplete format") }
            var value: Value? = nil
            if scalars[i] == "(" {
                guard let d = mapping else { throw TemplateError(.type, "format requires a mapping") }
                var depth = 1, j = i + 1
                while j < scalars.count {
                    if scalars[j] == "(" { depth += 1 } else if scalars[j] == ")" { depth -= 1; if depth == 0 { break } }
                    j += 1
                }
                guard j < scalars.count else { throw TemplateError(.value, "incomplete format key") }
                let key = PyString.make(scalars[(i + 1)..<j])
                guard let v = d[key] else { throw TemplateError(.lookup, Value.reprString(key)) }
                value = v
                usedMapping = true
                i = j + 1
            }
            var left = false, plus = false, space = false, alternate = false, zero = false
            flags: while i < scalars.count {
                switch scalars[i] {
                case "-": left = true
                case "+": plus = true
                case " ": space = true
                case "#": alternate = true
                case "0": zero = true
                default: break flags
                }
                i += 1
            }
            var width = 0
            if i < scalars.count, scalars[i] == "*" {
                width = try state.index(try nextArgument())
                if width < 0 { left = true; width = -width }
                i += 1
            } else {
                while i < scalars.count, let d = scalars[i].asciiDigit { width = width * 10 + d; i += 1 }
            }
            var precision: Int? = nil
            if i < scalars.count, scalars[i] == "." {
                i += 1
                if i < scalars.count, scalars[i] == "*" {
                    precision = try state.index(try nextArgument())
                    i += 1
                } else {
                    var p = 0
                    while i < scalars.count, let d = scalars[i].asciiDigit { p = p * 10 + d; i += 1 }
                    precision = p
                }
            }
            while i < scalars.count, scalars[i] == "h" || scalars[i] == "l" || scalars[i] == "L" { i += 1 }
            guard i < scalars.count else { throw TemplateError(.value, "incomplete format") }
            let conversion = scalars[i]
            i += 1
            if conversion == "%" {
                out.append("%")
                continue
            }
            let argument = try value ?? nextArgument()
            var text: String
            var sign = ""
            var prefix = ""
            var numeric = true
            switch conversion {
            case "s", "r", "a":
                numeric = false
                switch conversion {
                case "s": text = try state.str(argument)
                case "r": text = argument.pythonRepr
                default: text = asciiRepr(argument.pythonRepr)
                }
                if escaping, !(conversion == "s" && argument.isMarkup) { text = HTML.escape(text) }
                if let precision { text = PyString.make(text.unicodeScalars.prefix(precision)) }
            case "d", "i", "u":
                let n: Int
                switch argument {
                case .int(let x): n = x
                case .bool(let b): n = b ? 1 : 0
                case .float(let d):
                    guard d.isFinite, let x = Int(exactly: d.rounded(.towardZero)) else {
                        throw TemplateError(.value, d.isNaN ? "cannot convert float NaN to integer" : "cannot convert float infinity to integer")
                    }
                    n = x
                default:
                    try state.requireDefined(argument)
                    throw TemplateError(.type, "%\(conversion) format: a real number is required, not \(argument.typeName)")
                }
                text = NumberFormat.digits(n.magnitude, radix: 10)
                if let precision, text.count < precision { text = String(repeating: "0", count: precision - text.count) + text }
                sign = n < 0 ? "-" : plus ? "+" : space ? " " : ""
            case "x", "X", "o":
                let n: Int
                switch argument {
                case .int(let x): n = x
                case .bool(let b): n = b ? 1 : 0
                default:
                    try state.requireDefined(argument)
                    throw TemplateError(.type, "%\(conversion) format: an integer is required, not \(argument.typeName)")
                }
                let radix = conversion == "o" ? 8 : 16
                text = NumberFormat.digits(n.magnitude, radix: radix, uppercase: conversion == "X")
                if let precision, text.count < precision { text = String(repeating: "0", count: precision - text.count) + text }
                if alternate { prefix = conversion == "o" ? "0o" : conversion == "x" ? "0x" : "0X" }
                sign = n < 0 ? "-" : plus ? "+" : space ? " " : ""
            case "e", "E", "f", "F", "g", "G":
                guard let number = argument.numericValue else {
                    try state.requireDefined(argument)
                    throw TemplateError(.type, "must be real number, not \(argument.typeName)")
                }
                let d = number.asDouble
                text = NumberFormat.c(d.magnitude, Character(conversion), precision: precision ?? 6, alternate: alternate)
                sign = d.sign == .minus && !d.isNaN ? "-" : plus ? "+" : space ? " " : ""
            case "c":
                numeric = false
                switch argument {
                case .int(let x):
                    guard let scalar = Unicode.Scalar(UInt32(clamping: max(0, x))), x >= 0 else {
                        throw TemplateError(.value, "%c arg not in range(0x110000)")
                    }
                    text = String(scalar)
                case .string(let s) where PyString.length(s) == 1: text = s
                default: throw TemplateError(.type, "%c requires int or char")
                }
            default:
                throw TemplateError(.value, "unsupported format character '\(Character(conversion))' (0x\(String(conversion.value, radix: 16))) at index \(i - 1)")
            }
            if numeric {
                if zero && !left {
                    text = NumberFormat.pad(sign: sign, prefix: prefix, body: text, width: width, align: "=", fill: "0")
                } else {
                    text = NumberFormat.pad(sign: sign, prefix: prefix, body: text, width: width, align: left ? "<" : ">")
                }
                if escaping { text = HTML.escape(text) }
            } else {
                text = NumberFormat.pad(sign: "", body: text, width: width, align: left ? "<" : ">")
            }
            out.append(contentsOf: text.unicodeScalars)
        }
        if mapping == nil && next < arguments.count && !usedMapping {
            throw TemplateError(.type, "not all arguments converted during string formatting")
        }
        return String(out)
    }

    /// Python's `ascii()` from a `repr()`: non-ASCII code points as escapes.
    static func asciiRepr(_ repr: String) -> String {
        var out = ""
        for c in repr.unicodeScalars {
            if c.value < 0x80 { out.unicodeScalars.append(c) }
            else if c.value <= 0xff { out += "\\x" + hex(c.value, 2) }
            else if c.value <= 0xffff { out += "\\u" + hex(c.value, 4) }
            else { out += "\\U" + hex(c.value, 8) }
        }
        return out
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    // MARK: str.format

    static func format(_ format: String, _ arguments: CallArguments, state: RenderState, escaping: Bool = false) throws -> String {
        var automatic = 0
        var numbering: Bool? = nil  // true: automatic, false: manual
        return try self.format(format, arguments, state: state, escaping: escaping, automatic: &automatic, numbering: &numbering)
    }

    /// `format` with the field numbering shared with nested fields (`{:>{}}`).
    private static func format(_ format: String, _ arguments: CallArguments, state: RenderState, escaping: Bool,
                               automatic: inout Int, numbering: inout Bool?) throws -> String {
        let scalars = Array(format.unicodeScalars)
        var out = ScalarBuffer()
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "}" {
                guard i + 1 < scalars.count, scalars[i + 1] == "}" else {
                    throw TemplateError(.value, "Single '}' encountered in format string")
                }
                out.append("}")
                i += 2
                continue
            }
            guard c == "{" else { out.append(c); i += 1; continue }
            if i + 1 < scalars.count, scalars[i + 1] == "{" { out.append("{"); i += 2; continue }
            // Find the matching close brace, allowing one level of nesting in the spec.
            var depth = 1, j = i + 1
            while j < scalars.count {
                if scalars[j] == "{" { depth += 1 } else if scalars[j] == "}" { depth -= 1; if depth == 0 { break } }
                j += 1
            }
            guard j < scalars.count else {
                throw TemplateError(.value, i + 1 < scalars.count ? "expected '}' before end of string" : "Single '{' encountered in format string")
            }
            let field = Array(scalars[(i + 1)..<j])
            i = j + 1
            // field_name[!conversion][:spec]
            var nameEnd = field.endIndex
            var bracket = false
            for (k, ch) in field.enumerated() {
                if ch == "[" { bracket = true } else if ch == "]" { bracket = false }
                if !bracket && (ch == "!" || ch == ":") { nameEnd = k; break }
            }
            let name = Array(field[..<nameEnd])
            var conversion: Unicode.Scalar? = nil
            var spec = ""
            var rest = field[nameEnd...]
            if rest.first == "!" {
                rest = rest.dropFirst()
                guard let conv = rest.first else { throw TemplateError(.value, "end of string while looking for conversion specifier") }
                conversion = conv
                rest = rest.dropFirst()
                if let next = rest.first, next != ":" { throw TemplateError(.value, "expected ':' after conversion specifier") }
            }
            if rest.first == ":" {
                spec = PyString.make(rest.dropFirst())
            }
            // Resolve the field name.
            var k = 0
            while k < name.count, name[k] != ".", name[k] != "[" { k += 1 }
            let head = PyString.make(name[..<k])
            var value: Value
            if head.isEmpty {
                if numbering == false {
                    throw TemplateError(.value, "cannot switch from manual field specification to automatic field numbering")
                }
                numbering = true
                value = try positional(arguments, automatic)
                automatic += 1
            } else if let index = Int(head), head.unicodeScalars.allSatisfy({ $0.asciiDigit != nil }) {
                if numbering == true {
                    throw TemplateError(.value, "cannot switch from automatic field numbering to manual field specification")
                }
                numbering = false
                value = try positional(arguments, index)
            } else {
                guard let v = arguments.keyword.first(where: { $0.0 == head })?.1 else {
                    throw TemplateError(.lookup, Value.reprString(head))
                }
                value = v
            }
            while k < name.count {
                if name[k] == "." {
                    var e = k + 1
                    while e < name.count, name[e] != ".", name[e] != "[" { e += 1 }
                    let attribute = PyString.make(name[(k + 1)..<e])
                    let found = try state.attributeOnly(of: value, attribute)
                    guard !found.isUndefined else {
                        throw TemplateError(.type, "'\(value.typeName)' object has no attribute '\(attribute)'")
                    }
                    value = found
                    k = e
                } else if name[k] == "[" {
                    var e = k + 1
                    while e < name.count, name[e] != "]" { e += 1 }
                    guard e < name.count else { throw TemplateError(.value, "Missing ']' in format string") }
                    let keyText = PyString.make(name[(k + 1)..<e])
                    let key: Value = Int(keyText).map { .int($0) } ?? .string(keyText)
                    let found = try state.item(of: value, key)
                    guard !found.isUndefined else { throw TemplateError(.lookup, key.pythonRepr) }
                    value = found
                    k = e + 1
                } else {
                    throw TemplateError(.value, "Only '.' or '[' may follow ']' in format field specifier")
                }
            }
            // Nested fields in the spec come after the field itself in the numbering.
            if spec.unicodeScalars.contains("{") {
                spec = try self.format(spec, arguments, state: state, escaping: false,
                                       automatic: &automatic, numbering: &numbering)
            }
            switch conversion {
            case nil: break
            case "r": value = .string(value.pythonRepr)
            case "s": value = .string(try state.str(value))
            case "a": value = .string(asciiRepr(value.pythonRepr))
            case let other?:
                throw TemplateError(.value, "Unknown conversion specifier \(Character(other))")
            }
            var text: String
            if escaping, case .markup(let s) = value {
                if !spec.isEmpty { throw TemplateError(.value, "Unsupported format specification for Markup.") }
                text = s
            } else {
                text = try formatValue(value, spec: spec, state: state)
                if escaping { text = HTML.escape(text) }
            }
            out.append(contentsOf: text.unicodeScalars)
        }
        return String(out)
    }

    private static func positional(_ arguments: CallArguments, _ index: Int) throws -> Value {
        guard index < arguments.positional.count else {
            throw TemplateError(.lookup, "Replacement index \(index) out of range for positional args tuple")
        }
        return arguments.positional[index]
    }

    /// Python's `format(value, spec)`.
    static func formatValue(_ value: Value, spec: String, state: RenderState) throws -> String {
        if spec.isEmpty { return try state.str(value) }
        let parsed = try Spec(spec)
        switch value {
        case .string(let s), .markup(let s):
            if let type = parsed.type, type != "s" {
                throw TemplateError(.value, "Unknown format code '\(type)' for object of type 'str'")
            }
            if parsed.sign != nil { throw TemplateError(.value, "Sign not allowed in string format specifier") }
            if parsed.align == "=" { throw TemplateError(.value, "'=' alignment not allowed in string format specifier") }
            var text = s
            if let precision = parsed.precision { text = PyString.make(s.unicodeScalars.prefix(precision)) }
            return NumberFormat.pad(sign: "", body: text, width: parsed.width, align: parsed.align ?? "<", fill: parsed.fill)
        case .int, .bool:
            let n = value.numericValue.map { if case .int(let i) = $0 { return i } else { return 0 } } ?? 0
            if let type = parsed.type, "eEfFgG%".contains(type) {
                return try formatFloat(Double(n), parsed)
            }
            return try formatInteger(n, parsed)
        case .float(let d):
            return try formatFloat(d, parsed)
        case .undefined(let u) where state.isStrict(u):
            throw state.undefinedError(u)
        default:
            throw TemplateError(.type, "unsupported format string passed to \(value.typeName).__format__")
        }
    }

    /// `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`
    struct Spec {
        var fill: Character = " "
        var align: Character? = nil
        var sign: Character? = nil
        var alternate = false
        var width = 0
        var grouping: Character? = nil
        var precision: Int? = nil
        var type: Character? = nil

        init(_ text: String) throws {
            let chars = Array(text)
            var i = 0
            let aligns: Set<Character> = ["<", ">", "^", "="]
            if chars.count >= 2, aligns.contains(chars[1]) {
                fill = chars[0]; align = chars[1]; i = 2
            } else if let first = chars.first, aligns.contains(first) {
                align = first; i = 1
            }
            if i < chars.count, "+- ".contains(chars[i]) { sign = chars[i]; i += 1 }
            if i < chars.count, chars[i] == "z" { i += 1 }
            if i < chars.count, chars[i] == "#" { alternate = true; i += 1 }
            if i < chars.count, chars[i] == "0" {
                if align == nil { fill = "0"; align = "=" }
                i += 1
            }
            while i < chars.count, let d = chars[i].wholeNumberValue, chars[i].isASCII { width = width * 10 + d; i += 1 }
            if i < chars.count, chars[i] == "," || chars[i] == "_" { grouping = chars[i]; i += 1 }
            if i < chars.count, chars[i] == "." {
                i += 1
                var p = 0, any = false
                while i < chars.count, let d = chars[i].wholeNumberValue, chars[i].isASCII { p = p * 10 + d; i += 1; any = true }
                guard any else { throw TemplateError(.value, "Format specifier missing precision") }
                precision = p
            }
            if i < chars.count { type = chars[i]; i += 1 }
            if i < chars.count { throw TemplateError(.value, "Invalid format specifier '\(text)' for object") }
        }
    }

    private static func formatInteger(_ n: Int, _ spec: Spec) throws -> String {
        if spec.precision != nil { throw TemplateError(.value, "Precision not allowed in integer format specifier") }
        var prefix = ""
        var body: String
        var groupSize = 3
        switch spec.type {
        case nil, "d", "n": body = String(n.magnitude)
        case "b": body = String(n.magnitude, radix: 2); prefix = "0b"; groupSize = 4
        case "o": body = String(n.magnitude, radix: 8); prefix = "0o"; groupSize = 4
        case "x": body = String(n.magnitude, radix: 16); prefix = "0x"; groupSize = 4
        case "X": body = String(n.magnitude, radix: 16, uppercase: true); prefix = "0X"; groupSize = 4
        case "c":
            guard n >= 0, let scalar = Unicode.Scalar(UInt32(clamping: n)) else {
                throw TemplateError(.value, "%c arg not in range(0x110000)")
            }
            return NumberFormat.pad(sign: "", body: String(scalar), width: spec.width, align: spec.align ?? "<", fill: spec.fill)
        case let other?:
            throw TemplateError(.value, "Unknown format code '\(other)' for object of type 'int'")
        }
        if !spec.alternate { prefix = "" }
        if let g = spec.grouping { body = NumberFormat.group(body, separator: g, every: groupSize) }
        let sign = n < 0 ? "-" : spec.sign == "+" ? "+" : spec.sign == " " ? " " : ""
        return NumberFormat.pad(sign: sign, prefix: prefix, body: body, width: spec.width, align: spec.align ?? ">", fill: spec.fill)
    }

    private static func formatFloat(_ d: Double, _ spec: Spec) throws -> String {
        let magnitude = d.magnitude
        var body: String
        switch spec.type {
        case nil:
            if let precision = spec.precision {
                body = NumberFormat.c(magnitude, "g", precision: max(precision, 1), alternate: spec.alternate)
                if body.allSatisfy({ $0.isNumber }) { body += ".0" }
            } else {
                body = Value.formatFloat(magnitude)
            }
        case "e", "E", "f", "F", "g", "G":
            body = NumberFormat.c(magnitude, spec.type ?? "g", precision: spec.precision ?? 6, alternate: spec.alternate)
        case "n":
            body = NumberFormat.c(magnitude, "g", precision: spec.precision ?? 6, alternate: spec.alternate)
        case "%":
            body = NumberFormat.c(magnitude * 100, "f", precision: spec.precision ?? 6, alternate: spec.alternate) + "%"
        case let other?:
            throw TemplateError(.value, "Unknown format code '\(other)' for object of type 'float'")
        }
        if let g = spec.grouping {
            let end = body.firstIndex { !$0.isASCII || !$0.isNumber } ?? body.endIndex
            body = NumberFormat.group(String(body[..<end]), separator: g) + body[end...]
        }
        let negative = d.sign == .minus && !d.isNaN
        let sign = negative ? "-" : spec.sign == "+" ? "+" : spec.sign == " " ? " " : ""
        return NumberFormat.pad(sign: sign, body: body, width: spec.width, align: spec.align ?? ">", fill: spec.fill)
    }
}

extension Unicode.Scalar {
    /// The value of an ASCII digit, or nil.
    var asciiDigit: Int? {
        (0x30...0x39).contains(value) ? Int(value - 0x30) : nil
    }
}
