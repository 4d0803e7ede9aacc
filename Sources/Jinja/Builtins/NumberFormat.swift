#if canImport(Glibc)
import Glibc
#endif

/// The number formatting that Python's `%` operator and `format()` share: C's conversions for
/// floats (glibc rounds exactly, as CPython's own dtoa does), and padding with a sign.
enum NumberFormat {
    /// glibc's `strfromd` (C23), not variadic and not exported by the Glibc module.
    private typealias FromDouble = @convention(c) (UnsafeMutablePointer<CChar>, Int, UnsafePointer<CChar>, Double) -> Int32
    private static let strfromd: FromDouble? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "strfromd") else { return nil }
        return unsafeBitCast(symbol, to: FromDouble.self)
    }()

    /// C's `printf` conversion of one double: `conversion` is one of `e E f F g G`.
    static func c(_ d: Double, _ conversion: Character, precision: Int, alternate: Bool = false) -> String {
        if !alternate, let fromDouble = strfromd, precision <= 60, let letter = conversion.asciiValue {
            // The common case (`%.2f`) without building a C va_list, which boxes the argument,
            // and with the format spelled into the buffer's tail rather than built as a String.
            let output = 400
            return withUnsafeTemporaryAllocation(of: CChar.self, capacity: output + 8) { buffer in
                let digits = max(precision, 0)
                let spec = buffer.baseAddress! + output
                var length = 0
                func put(_ byte: UInt8) {
                    spec[length] = CChar(bitPattern: byte)
                    length += 1
                }
                put(UInt8(ascii: "%"))
                put(UInt8(ascii: "."))
                if digits >= 10 { put(0x30 + UInt8(digits / 10)) }
                put(0x30 + UInt8(digits % 10))
                put(letter)
                put(0)
                let written = Int(fromDouble(buffer.baseAddress!, output, spec, d))
                guard written >= 0, written < output else { return Value.formatFloat(d) }
                return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: written), as: UTF8.self)
            }
        }
        let spec = "%" + (alternate ? "#" : "") + "." + String(min(max(precision, 0), 400)) + String(conversion)
        var capacity = 128
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let written = withVaList([d]) { vsnprintf(&buffer, capacity, spec, $0) }
            if written < 0 { return Value.formatFloat(d) }
            if Int(written) < capacity {
                return String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            capacity = Int(written) + 1
        }
    }

    /// Python's `round(x, ndigits)` for a float: correctly rounded, ties to even on the exact
    /// binary value, as CPython does it (through a decimal string).
    static func round(_ d: Double, _ digits: Int) -> Double {
        guard d.isFinite else { return d }
        if digits >= 0 {
            if digits > 300 { return d }
            return Double(c(d, "f", precision: digits)) ?? d
        }
        let scale = pow(10.0, Double(-digits))
        guard scale.isFinite else { return copysign(0, d) }
        return (d / scale).rounded(.toNearestOrEven) * scale
    }

    /// Digits of an integer in a radix, without sign.
    static func digits(_ magnitude: UInt, radix: Int, uppercase: Bool = false) -> String {
        String(magnitude, radix: radix, uppercase: uppercase)
    }

    /// Inserts a group separator every `size` digits into a run of integer digits.
    static func group(_ integer: String, separator: Character, every size: Int = 3) -> String {
        let digits = Array(integer)
        var out: [Character] = []
        out.reserveCapacity(digits.count + digits.count / size)
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % size == 0 { out.append(separator) }
            out.append(ch)
        }
        return String(out)
    }

    /// `sign + prefix + body` padded to `width`: with `fill` on the side `align` says; `=` puts
    /// the padding between the sign (and prefix) and the digits.
    static func pad(sign: String, prefix: String = "", body: String, width: Int, align: Character,
                    fill: Character = " ") -> String {
        let length = PyString.length(sign) + PyString.length(prefix) + PyString.length(body)
        guard width > length else { return sign + prefix + body }
        let padding = width - length
        let fillString = String(fill)
        switch align {
        case "<": return sign + prefix + body + String(repeating: fillString, count: padding)
        case "^":
            let left = padding / 2
            return String(repeating: fillString, count: left) + sign + prefix + body
                + String(repeating: fillString, count: padding - left)
        case "=": return sign + prefix + String(repeating: fillString, count: padding) + body
        default: return String(repeating: fillString, count: padding) + sign + prefix + body
        }
    }
}
