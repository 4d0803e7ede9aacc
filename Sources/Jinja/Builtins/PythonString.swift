/// Python's `str` algorithms. Python strings are sequences of code points, so everything here
/// counts, indexes and compares Unicode scalars (searching works on UTF-8 bytes, which match at
/// code point boundaries only), never Swift's grapheme clusters.
enum PyString {
    // MARK: Classes of code points

    /// Python's `len(str)`: the number of code points, counted on the UTF-8 bytes (every byte
    /// that is not a continuation byte starts one); `unicodeScalars.count` is far slower.
    static func length(_ s: String) -> Int {
        if let count = s.utf8.withContiguousStorageIfAvailable({ bytes in
            bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        }) {
            return count
        }
        return s.unicodeScalars.count
    }

    /// A string from code points. Much faster than `String.UnicodeScalarView`'s appends, which
    /// re-examine the string on every scalar.
    static func make<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.underestimatedCount)
        for scalar in scalars { UTF8.encode(scalar) { bytes.append($0) } }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `str.isspace()` for one code point.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII {
            switch c.value {
            case 0x09...0x0d, 0x1c...0x20: return true
            default: return false
            }
        }
        return c.properties.isWhitespace
    }

    static func isAlpha(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// `str.isdecimal()` for one code point, and regular expressions' `\d`.
    static func isDecimal(_ c: Unicode.Scalar) -> Bool { c.properties.numericType == .decimal }

    static func isDigit(_ c: Unicode.Scalar) -> Bool {
        c.properties.numericType == .decimal || c.properties.numericType == .digit
    }

    static func isAlnum(_ c: Unicode.Scalar) -> Bool {
        isAlpha(c) || c.properties.numericType != nil
    }

    /// Python's regular-expression `\w` on str patterns.
    static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        c == "_" || isAlnum(c)
    }

    // MARK: Case

    static func upper(_ s: String) -> String { s.uppercased() }
    static func lower(_ s: String) -> String { s.lowercased() }

    static func upper(_ c: Unicode.Scalar) -> String {
        if c.isASCII { return String(Character(("a"..."z").contains(c) ? Unicode.Scalar(UInt8(c.value) ^ 0x20) : c)) }
        return c.properties.uppercaseMapping
    }
    static func lower(_ c: Unicode.Scalar) -> String {
        if c.isASCII { return String(Character(("A"..."Z").contains(c) ? Unicode.Scalar(UInt8(c.value) ^ 0x20) : c)) }
        return c.properties.lowercaseMapping
    }
    static func titlecase(_ c: Unicode.Scalar) -> String { c.properties.titlecaseMapping }

    /// `str.capitalize()`: the first code point in title case, the rest in lower case.
    static func capitalize(_ s: String) -> String {
        var scalars = s.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return "" }
        var out = titlecase(first)
        while let c = scalars.next() { out += lower(c) }
        return out
    }

    /// `str.title()`: upper case after an uncased code point, lower case after a cased one.
    static func title(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var previousCased = false
        for c in s.unicodeScalars {
            if c.properties.isUppercase || c.properties.generalCategory == .titlecaseLetter {
                out += previousCased ? lower(c) : String(c)
                previousCased = true
            } else if c.properties.isLowercase {
                out += previousCased ? String(c) : titlecase(c)
                previousCased = true
            } else {
                out.unicodeScalars.append(c)
                previousCased = false
            }
        }
        return out
    }

    static func swapcase(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if c.properties.isUppercase { out += lower(c) }
            else if c.properties.isLowercase { out += upper(c) }
            else { out.unicodeScalars.append(c) }
        }
        return out
    }

    /// `str.casefold()`, approximated by lower case with the German sharp s folded.
    static func casefold(_ s: String) -> String {
        lower(s).replacingAll("ß", with: "ss")
    }

    /// `str.islower()` / `str.isupper()`: some cased code point, and all of them in that case.
    static func isCase(_ s: String, upper: Bool) -> Bool {
        var sawCased = false
        for c in s.unicodeScalars {
            if c.properties.generalCategory == .titlecaseLetter { return false }
            if c.properties.isUppercase {
                if !upper { return false }
                sawCased = true
            } else if c.properties.isLowercase {
                if upper { return false }
                sawCased = true
            }
        }
        return sawCased
    }

    /// `str.istitle()`: upper case only after uncased code points, lower case only after cased
    /// ones, and at least one cased code point.
    static func isTitle(_ s: String) -> Bool {
        var previousCased = false, sawCased = false
        for c in s.unicodeScalars {
            if c.properties.isUppercase || c.properties.generalCategory == .titlecaseLetter {
                if previousCased { return false }
                previousCased = true
                sawCased = true
            } else if c.properties.isLowercase {
                if !previousCased { return false }
                previousCased = true
                sawCased = true
            } else {
                previousCased = false
            }
        }
        return sawCased
    }

    /// `str.isX()` for a class of code points: not empty, and every code point in the class.
    static func all(_ s: String, _ predicate: (Unicode.Scalar) -> Bool) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy(predicate)
    }

    // MARK: Searching (UTF-8 bytes)

    /// The byte offset of the first match of `needle` at or after `from`, or nil.
    static func firstMatch(_ haystack: [UInt8], _ needle: [UInt8], from: Int = 0) -> Int? {
        let n = needle.count, h = haystack.count
        if n == 0 { return from <= h ? from : nil }
        guard h >= n, from <= h - n else { return nil }
        let first = needle[0]
        var i = from
        while i <= h - n {
            if haystack[i] == first {
                var j = 1
                while j < n && haystack[i + j] == needle[j] { j += 1 }
                if j == n { return i }
            }
            i += 1
        }
        return nil
    }

    /// The byte offset of the last match of `needle` that ends at or before `end`, or nil.
    static func lastMatch(_ haystack: [UInt8], _ needle: [UInt8], end: Int? = nil) -> Int? {
        let n = needle.count
        let limit = end ?? haystack.count
        var i = limit - n
        while i >= 0 {
            var j = 0
            while j < n && haystack[i + j] == needle[j] { j += 1 }
            if j == n { return i }
            i -= 1
        }
        return nil
    }

    /// The number of code points in the first `bytes` bytes of a UTF-8 buffer.
    static func scalarCount(_ utf8: [UInt8], upTo bytes: Int) -> Int {
        var count = 0
        for i in 0..<bytes where utf8[i] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// `str.count(sub)`: non-overlapping occurrences; the empty string occurs len+1 times.
    static func count(_ s: String, _ sub: String) -> Int {
        if sub.isEmpty { return PyString.length(s) + 1 }
        let h = Array(s.utf8), n = Array(sub.utf8)
        var total = 0, from = 0
        while let i = firstMatch(h, n, from: from) {
            total += 1
            from = i + n.count
        }
        return total
    }

    /// `str.find(sub)` as a code point index, or -1.
    static func find(_ s: String, _ sub: String) -> Int {
        let h = Array(s.utf8)
        guard let i = firstMatch(h, Array(sub.utf8)) else { return -1 }
        return scalarCount(h, upTo: i)
    }

    /// `str.rfind(sub)` as a code point index, or -1.
    static func rfind(_ s: String, _ sub: String) -> Int {
        let h = Array(s.utf8)
        guard let i = lastMatch(h, Array(sub.utf8)) else { return -1 }
        return scalarCount(h, upTo: i)
    }

    /// `str.replace(old, new, count)`; a negative count replaces all.
    static func replace(_ s: String, _ old: String, _ new: String, count: Int = -1) -> String {
        if count == 0 { return s }
        if old.isEmpty {
            // Python inserts `new` before every code point and at the end.
            var out = "", done = 0
            for c in s.unicodeScalars {
                if count < 0 || done < count { out += new; done += 1 }
                out.unicodeScalars.append(c)
            }
            if count < 0 || done < count { out += new }
            return out
        }
        let h = Array(s.utf8), n = Array(old.utf8)
        guard var match = firstMatch(h, n) else { return s }
        var out = [UInt8]()
        out.reserveCapacity(h.count)
        var from = 0, done = 0
        let replacement = Array(new.utf8)
        while true {
            out.append(contentsOf: h[from..<match])
            out.append(contentsOf: replacement)
            from = match + n.count
            done += 1
            if count >= 0 && done >= count { break }
            guard let next = firstMatch(h, n, from: from) else { break }
            match = next
        }
        out.append(contentsOf: h[from...])
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Splitting and stripping

    /// `str.split(sep, maxsplit)`; a nil separator splits on runs of whitespace.
    static func split(_ s: String, _ sep: String?, maxsplit: Int = -1) throws -> [String] {
        guard let sep else {
            var parts: [String] = []
            var current = ScalarBuffer()
            var inWord = false
            var scalars = Array(s.unicodeScalars)[...]
            while let c = scalars.first {
                if isSpace(c) {
                    if inWord {
                        parts.append(String(current))
                        current = ScalarBuffer()
                        inWord = false
                    }
                    scalars = scalars.dropFirst()
                    continue
                }
                if !inWord && maxsplit >= 0 && parts.count >= maxsplit {
                    // The rest, trailing whitespace included, is the last part.
                    parts.append(PyString.make(scalars))
                    return parts
                }
                inWord = true
                current.append(c)
                scalars = scalars.dropFirst()
            }
            if inWord { parts.append(String(current)) }
            return parts
        }
        if sep.isEmpty { throw TemplateError(.value, "empty separator") }
        let h = Array(s.utf8), n = Array(sep.utf8)
        var parts: [String] = []
        var from = 0
        while maxsplit < 0 || parts.count < maxsplit, let i = firstMatch(h, n, from: from) {
            parts.append(string(h[from..<i]))
            from = i + n.count
        }
        parts.append(string(h[from...]))
        return parts
    }

    /// `str.rsplit(sep, maxsplit)`.
    static func rsplit(_ s: String, _ sep: String?, maxsplit: Int = -1) throws -> [String] {
        if maxsplit < 0 { return try split(s, sep) }
        guard let sep else {
            var parts: [String] = []
            var scalars = Array(s.unicodeScalars)[...]
            while true {
                while let c = scalars.last, isSpace(c) { scalars = scalars.dropLast() }
                if scalars.isEmpty { break }
                if parts.count >= maxsplit {
                    parts.append(PyString.make(scalars))
                    break
                }
                var end = scalars.endIndex
                while end > scalars.startIndex, !isSpace(scalars[end - 1]) { end -= 1 }
                parts.append(PyString.make(scalars[end...]))
                scalars = scalars[..<end]
            }
            return parts.reversed()
        }
        if sep.isEmpty { throw TemplateError(.value, "empty separator") }
        let h = Array(s.utf8), n = Array(sep.utf8)
        var parts: [String] = []
        var end = h.count
        while parts.count < maxsplit, let i = lastMatch(h, n, end: end) {
            parts.append(string(h[(i + n.count)..<end]))
            end = i
        }
        parts.append(string(h[..<end]))
        return parts.reversed()
    }

    /// `str.strip(chars)`, `lstrip`, `rstrip`; nil chars strips whitespace.
    static func strip(_ s: String, _ chars: String?, left: Bool = true, right: Bool = true) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        let strips: (Unicode.Scalar) -> Bool = { c in set.map { $0.contains(c) } ?? isSpace(c) }
        let scalars = s.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        if left { while start < end, strips(scalars[start]) { start = scalars.index(after: start) } }
        if right {
            while end > start {
                let before = scalars.index(before: end)
                guard strips(scalars[before]) else { break }
                end = before
            }
        }
        if start == scalars.startIndex && end == scalars.endIndex { return s }
        return String(scalars[start..<end])
    }

    /// `str.splitlines(keepends)`.
    static func splitlines(_ s: String, keepends: Bool = false) -> [String] {
        var lines: [String] = []
        forEachLine(of: s) { bytes, line, end in
            let slice = UnsafeBufferPointer(rebasing: bytes[line.lowerBound..<(keepends ? end : line.upperBound)])
            lines.append(String(decoding: slice, as: UTF8.self))
        }
        return lines
    }

    /// Jinja2's `indent` filter on `s`: the lines of `s + "\n"` as `splitlines` finds them, joined
    /// by `\n`, every line but the first prefixed with `indentation` (empty lines only when
    /// `blank`). Built in one pass over the bytes: splitting into strings and joining them again
    /// cost several times more on long texts.
    static func indent(_ s: String, with indentation: String, blank: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 16)
        var isFirst = true
        forEachLine(of: s + "\n") { text, line, _ in
            if !isFirst {
                bytes.append(0x0a)
                if blank || !line.isEmpty { bytes.append(contentsOf: indentation.utf8) }
            }
            isFirst = false
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[line]))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 bytes of `s`, the byte range of each line without its break,
    /// and where the line's break ends, splitting as `str.splitlines()` does.
    /// The breaks are \n \v \f \r \x1c-\x1e (one byte), U+0085 (C2 85), U+2028 and U+2029
    /// (E2 80 A8/A9); `\r\n` is one break.
    private static func forEachLine(of s: String,
                                    _ body: (UnsafeBufferPointer<UInt8>, Range<Int>, Int) -> Void) {
        var text = s
        text.withUTF8 { bytes in
            var start = 0
            var index = 0
            let count = bytes.count
            while index < count {
                var length = 0
                switch bytes[index] {
                case 0x0d:
                    length = index + 1 < count && bytes[index + 1] == 0x0a ? 2 : 1
                case 0x0a...0x0c, 0x1c...0x1e:
                    length = 1
                case 0xc2:
                    if index + 1 < count, bytes[index + 1] == 0x85 { length = 2 }
                case 0xe2:
                    if index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xa8 || bytes[index + 2] == 0xa9 {
                        length = 3
                    }
                default:
                    break
                }
                guard length > 0 else {
                    index += 1
                    continue
                }
                body(bytes, start..<index, index + length)
                index += length
                start = index
            }
            if start < count { body(bytes, start..<count, count) }
        }
    }

    /// `str.partition(sep)` (or `rpartition`) as three strings.
    static func partition(_ s: String, _ sep: String, fromEnd: Bool) throws -> (String, String, String) {
        if sep.isEmpty { throw TemplateError(.value, "empty separator") }
        let h = Array(s.utf8), n = Array(sep.utf8)
        let match = fromEnd ? lastMatch(h, n) : firstMatch(h, n)
        guard let i = match else { return fromEnd ? ("", "", s) : (s, "", "") }
        return (string(h[..<i]), sep, string(h[(i + n.count)...]))
    }

    // MARK: Padding

    /// `str.center(width, fill)`, with CPython's placement of the odd space.
    static func center(_ s: String, _ width: Int, fill: Unicode.Scalar = " ") -> String {
        let length = PyString.length(s)
        guard width > length else { return s }
        let margin = width - length
        let left = margin / 2 + (margin & width & 1)
        return pad(left, fill) + s + pad(margin - left, fill)
    }

    static func ljust(_ s: String, _ width: Int, fill: Unicode.Scalar = " ") -> String {
        let length = PyString.length(s)
        return width > length ? s + pad(width - length, fill) : s
    }

    static func rjust(_ s: String, _ width: Int, fill: Unicode.Scalar = " ") -> String {
        let length = PyString.length(s)
        return width > length ? pad(width - length, fill) + s : s
    }

    /// `str.zfill(width)`: zeros after a leading sign.
    static func zfill(_ s: String, _ width: Int) -> String {
        let length = PyString.length(s)
        guard width > length else { return s }
        let zeros = pad(width - length, "0")
        if let first = s.unicodeScalars.first, first == "+" || first == "-" {
            return String(first) + zeros + String(s.unicodeScalars.dropFirst())
        }
        return zeros + s
    }

    /// Unicode decimal digits (`١٢`, `１２`) as ASCII digits, as Python's `int()` and `float()`
    /// accept them.
    static func asciiDigits(_ s: String) -> String {
        guard !s.utf8.allSatisfy({ $0 < 0x80 }) else { return s }
        var out = ScalarBuffer()
        for c in s.unicodeScalars {
            if c.value >= 0x80, c.properties.numericType == .decimal, let v = c.properties.numericValue,
               let digit = Unicode.Scalar(UInt32(0x30 + Int(v))) {
                out.append(digit)
            } else {
                out.append(c)
            }
        }
        return String(out)
    }

    static func pad(_ n: Int, _ fill: Unicode.Scalar) -> String {
        n > 0 ? String(repeating: String(fill), count: n) : ""
    }
}

extension String {
    /// All occurrences of `old` replaced, by code point (not by grapheme, as Foundation would).
    func replacingAll(_ old: String, with new: String) -> String {
        PyString.replace(self, old, new)
    }

    /// Python's `in` on strings: is `needle` a substring, by code points.
    func containsSubstring(_ needle: String) -> Bool {
        if needle.isEmpty { return true }
        return PyString.firstMatch(Array(utf8), Array(needle.utf8)) != nil
    }

    /// The length Python's `len()` gives.
    var scalarCount: Int { PyString.length(self) }
}

/// A string built code point by code point, kept as UTF-8 bytes until it is done: appending to a
/// `String.UnicodeScalarView` re-examines the string on every scalar and dominated filter time.
struct ScalarBuffer {
    private(set) var bytes: [UInt8] = []

    init() {}

    var isEmpty: Bool { bytes.isEmpty }

    mutating func append(_ scalar: Unicode.Scalar) {
        if scalar.isASCII {
            bytes.append(UInt8(truncatingIfNeeded: scalar.value))
        } else {
            UTF8.encode(scalar) { bytes.append($0) }
        }
    }

    mutating func append<S: Sequence>(contentsOf scalars: S) where S.Element == Unicode.Scalar {
        for scalar in scalars { append(scalar) }
    }
}

extension String {
    init(_ buffer: ScalarBuffer) {
        self = String(decoding: buffer.bytes, as: UTF8.self)
    }
}
