/// Decodes the inside of a string literal the way Jinja2 does:
/// `value.encode("ascii", "backslashreplace").decode("unicode-escape")`, i.e. Python's escapes.
enum StringLiteral {
    /// A message for a literal Python would refuse, in the words of its codec.
    struct DecodeError: Error {
        var message: String
    }

    /// `bytes` is the UTF-8 between the quotes, newlines already normalized.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(DecodeError) -> String {
        // Fast path: no escapes at all.
        if !bytes.contains(UInt8(ascii: "\\")) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        let n = bytes.count
        var i = 0
        var runStart = 0

        func flush(_ end: Int) {
            if end > runStart {
                scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<end]),
                                                  as: UTF8.self).unicodeScalars)
            }
        }
        func hexValue(_ b: UInt8) -> UInt32? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }

        while i < n {
            guard bytes[i] == UInt8(ascii: "\\") else { i += 1; continue }
            flush(i)
            // The lexer guarantees a character after every backslash; be safe anyway.
            guard i + 1 < n else {
                throw DecodeError(message: "\\ at end of string")
            }
            let c = bytes[i + 1]
            var next = i + 2
            switch c {
            case UInt8(ascii: "\n"): break
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "'"): scalars.append("'")
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "a"): scalars.append("\u{07}")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "v"): scalars.append("\u{0B}")
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = UInt32(c - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, next < n, bytes[next] >= UInt8(ascii: "0"), bytes[next] <= UInt8(ascii: "7") {
                    value = value * 8 + UInt32(bytes[next] - UInt8(ascii: "0"))
                    next += 1
                    digits += 1
                }
                // At most 0o777, always a valid scalar.
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let width = c == UInt8(ascii: "x") ? 2 : (c == UInt8(ascii: "u") ? 4 : 8)
                var value: UInt32 = 0
                for k in 0..<width {
                    guard next + k < n, let h = hexValue(bytes[next + k]) else {
                        let shape = c == UInt8(ascii: "x") ? "\\xXX" : (c == UInt8(ascii: "u") ? "\\uXXXX" : "\\UXXXXXXXX")
                        throw DecodeError(message: "truncated \(shape) escape")
                    }
                    value = value &* 16 &+ h
                }
                next += width
                if value > 0x10FFFF {
                    throw DecodeError(message: "illegal Unicode character")
                }
                guard let scalar = Unicode.Scalar(value) else {
                    // Python would make a lone surrogate, which no UTF-8 output can hold.
                    throw DecodeError(message: "surrogate code points are not supported in string literals")
                }
                scalars.append(scalar)
            case UInt8(ascii: "N"):
                throw DecodeError(message: "\\N{...} escapes are not supported; write the character itself")
            default:
                if c >= 0x80 {
                    // Python first turns the non-ASCII character into `\xNN`/`\uNNNN`, so the
                    // backslash pairs with that escape: `\é` comes out as the four characters `\xe9`.
                    var end = i + 2
                    while end < n, bytes[end] & 0xC0 == 0x80 { end += 1 }
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<end]), as: UTF8.self)
                    for scalar in text.unicodeScalars {
                        scalars.append(contentsOf: pythonBackslashReplace(scalar).unicodeScalars)
                    }
                    next = end
                } else {
                    // An unknown escape keeps its backslash.
                    scalars.append("\\")
                    scalars.append(Unicode.Scalar(c))
                }
            }
            i = next
            runStart = next
        }
        flush(n)
        return String(scalars)
    }

    private static func pythonBackslashReplace(_ scalar: Unicode.Scalar) -> String {
        let v = scalar.value
        let (prefix, width) = v < 0x100 ? ("\\x", 2) : (v < 0x10000 ? ("\\u", 4) : ("\\U", 8))
        let digits = String(v, radix: 16)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
