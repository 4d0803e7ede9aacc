import Documents

/// What PyYAML's `SafeLoader` makes of a plain (unquoted) scalar: its YAML 1.1 implicit resolvers
/// (yaml/resolver.py) and the safe constructors (yaml/constructor.py), without regular expressions.
///
/// - null: empty, `~`, `null`, `Null`, `NULL`
/// - bool: `yes no true false on off`, each lowercase, Capitalised or UPPERCASE
/// - int: `12`, `+1`, `1_000`, `0b101`, `017` (octal), `0x1F`, `1:30` (sexagesimal, 90);
///   `0o17` is a string, as in PyYAML
/// - float: a dot is needed (`1.5`, `1.`, `.5`, `1.0e+3`; `1e3` is a string), `.inf`, `-.inf`,
///   `.nan`, `1:30.5`
/// - timestamp: `2025-10-01` and `2025-10-01 12:00:00[.ffffff][+hh:mm]`, turned into the text
///   that Python's `str()` prints for the `date` or `datetime` PyYAML makes
enum YAMLScalars {
    struct Resolved {
        var document: Document
        /// A timestamp: Python would have a date, which is never equal to a string as a key.
        var isTimestamp = false
    }

    /// Why a plain scalar cannot be constructed (PyYAML raises a ValueError or ConstructorError).
    struct Failure: Error {
        var message: String
    }

    static func resolve(_ text: String, mark: Mark) throws(Failure) -> Resolved {
        let chars = Array(text.utf8)
        guard let first = chars.first else { return Resolved(document: .null(mark)) }
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
             UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            if let value = booleans[text] { return Resolved(document: .bool(value, mark)) }
        default:
            break
        }
        if "-+0123456789.".utf8.contains(first), isFloat(chars) {
            return Resolved(document: .float(try constructFloat(text), mark))
        }
        if "-+0123456789".utf8.contains(first), isInt(chars) {
            return Resolved(document: .int(try constructInt(text), mark))
        }
        if text == "<<" {
            throw Failure(message: "could not determine a constructor for the tag 'tag:yaml.org,2002:merge'")
        }
        if text == "~" || text == "null" || text == "Null" || text == "NULL" {
            return Resolved(document: .null(mark))
        }
        if first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9"), let stamp = Timestamp(chars) {
            return Resolved(document: .string(try stamp.pythonText(), mark), isTimestamp: true)
        }
        if text == "=" {
            throw Failure(message: "could not determine a constructor for the tag 'tag:yaml.org,2002:value'")
        }
        return Resolved(document: .string(text, mark))
    }

    static let booleans: [String: Bool] = {
        var table: [String: Bool] = [:]
        for (word, value) in [("yes", true), ("no", false), ("true", true), ("false", false), ("on", true), ("off", false)] {
            table[word] = value
            table[word.prefix(1).uppercased() + word.dropFirst()] = value
            table[word.uppercased()] = value
        }
        return table
    }()

    // MARK: Matching

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    private static func isDigitOrUnderscore(_ c: UInt8) -> Bool { isDigit(c) || c == UInt8(ascii: "_") }

    /// The offset after an optional sign.
    private static func afterSign(_ s: [UInt8]) -> Int {
        s.first == UInt8(ascii: "-") || s.first == UInt8(ascii: "+") ? 1 : 0
    }

    /// `(:[0-5]?[0-9])+` from `i`, each part followed by one of `terminators` or the end.
    private static func sexagesimalParts(_ s: [UInt8], from start: Int, then terminators: [UInt8]) -> Int? {
        var i = start
        var parts = 0
        while i < s.count, s[i] == UInt8(ascii: ":") {
            i += 1
            let endsAt = { (j: Int) in j == s.count || s[j] == UInt8(ascii: ":") || terminators.contains(s[j]) }
            if i + 1 < s.count, s[i] >= UInt8(ascii: "0"), s[i] <= UInt8(ascii: "5"), isDigit(s[i + 1]), endsAt(i + 2) {
                i += 2
            } else if i < s.count, isDigit(s[i]), endsAt(i + 1) {
                i += 1
            } else {
                return nil
            }
            parts += 1
        }
        return parts > 0 ? i : nil
    }

    static func isInt(_ s: [UInt8]) -> Bool {
        let start = afterSign(s)
        let rest = s[start...]
        guard let first = rest.first else { return false }
        func all(_ slice: ArraySlice<UInt8>, _ test: (UInt8) -> Bool) -> Bool { !slice.isEmpty && slice.allSatisfy(test) }
        if rest.starts(with: "0b".utf8), all(rest.dropFirst(2), { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") || $0 == UInt8(ascii: "_") }) {
            return true
        }
        if first == UInt8(ascii: "0"), all(rest.dropFirst(), { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7")) || $0 == UInt8(ascii: "_") }) {
            return true
        }
        if rest.count == 1, first == UInt8(ascii: "0") { return true }
        if first != UInt8(ascii: "0"), isDigit(first), rest.dropFirst().allSatisfy(isDigitOrUnderscore) { return true }
        if rest.starts(with: "0x".utf8), all(rest.dropFirst(2), { $0.isHexDigit || $0 == UInt8(ascii: "_") }) {
            return true
        }
        if first != UInt8(ascii: "0"), isDigit(first) {
            var i = start + 1
            while i < s.count, isDigitOrUnderscore(s[i]) { i += 1 }
            return sexagesimalParts(s, from: i, then: []) == s.count
        }
        return false
    }

    static func isFloat(_ s: [UInt8]) -> Bool {
        let start = afterSign(s)
        var i = start
        /// `(?:[eE][-+][0-9]+)?$` from `j`.
        func exponentThenEnd(_ j: Int) -> Bool {
            if j == s.count { return true }
            guard s[j] | 0x20 == UInt8(ascii: "e"), j + 2 < s.count,
                  s[j + 1] == UInt8(ascii: "-") || s[j + 1] == UInt8(ascii: "+") else { return false }
            return s[(j + 2)...].allSatisfy(isDigit)
        }
        if i < s.count, isDigit(s[i]) {
            while i < s.count, isDigitOrUnderscore(s[i]) { i += 1 }
            if i < s.count, s[i] == UInt8(ascii: ".") {
                var j = i + 1
                while j < s.count, isDigitOrUnderscore(s[j]) { j += 1 }
                return exponentThenEnd(j)
            }
            guard let j = sexagesimalParts(s, from: i, then: [UInt8(ascii: ".")]), j < s.count,
                  s[j] == UInt8(ascii: ".") else { return false }
            return s[(j + 1)...].allSatisfy(isDigitOrUnderscore)
        }
        guard i < s.count, s[i] == UInt8(ascii: ".") else { return false }
        let word = String(decoding: s[(i + 1)...], as: UTF8.self)
        if word == "inf" || word == "Inf" || word == "INF" { return true }
        if start == 0, word == "nan" || word == "NaN" || word == "NAN" { return true }
        if start == 0, i + 1 < s.count, isDigit(s[i + 1]) {
            var j = i + 1
            while j < s.count, isDigitOrUnderscore(s[j]) { j += 1 }
            return exponentThenEnd(j)
        }
        return false
    }

    // MARK: Construction

    static func constructInt(_ text: String) throws(Failure) -> Int {
        var value = Substring(text.replacingOccurrences("_"))
        var negative = false
        if value.first == "-" { negative = true }
        if value.first == "-" || value.first == "+" { value = value.dropFirst() }
        let tooLarge = Failure(message: "integer \(text) is too large (beyond 64 bits)")
        func parse(_ digits: Substring, radix: Int) throws(Failure) -> Int {
            guard !digits.isEmpty else {
                throw Failure(message: "invalid literal for int() with base \(radix): ''")
            }
            // Parse the magnitude and apply the sign with overflow checks (Int.min is reachable).
            guard let magnitude = UInt64(digits, radix: radix) else { throw tooLarge }
            if negative {
                guard magnitude <= UInt64(Int64.max) + 1 else { throw tooLarge }
                return magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude)
            }
            guard magnitude <= UInt64(Int64.max) else { throw tooLarge }
            return Int(magnitude)
        }
        if value == "0" { return 0 }
        if value.hasPrefix("0b") { return try parse(value.dropFirst(2), radix: 2) }
        if value.hasPrefix("0x") { return try parse(value.dropFirst(2), radix: 16) }
        if value.hasPrefix("0") { return try parse(value, radix: 8) }
        if value.contains(":") {
            var total = 0
            var base = 1
            for part in value.split(separator: ":", omittingEmptySubsequences: false).reversed() {
                guard let digit = Int(part) else { throw tooLarge }
                let (product, overflow1) = digit.multipliedReportingOverflow(by: base)
                let (sum, overflow2) = total.addingReportingOverflow(product)
                let (nextBase, overflow3) = base.multipliedReportingOverflow(by: 60)
                if overflow1 || overflow2 { throw tooLarge }
                total = sum
                base = overflow3 ? Int.max : nextBase
            }
            return negative ? -total : total
        }
        return try parse(value, radix: 10)
    }

    static func constructFloat(_ text: String) throws(Failure) -> Double {
        var value = Substring(text.replacingOccurrences("_").lowercased())
        var sign = 1.0
        if value.first == "-" { sign = -1 }
        if value.first == "-" || value.first == "+" { value = value.dropFirst() }
        if value == ".inf" { return sign * .infinity }
        if value == ".nan" { return .nan }
        if value.contains(":") {
            var total = 0.0
            var base = 1.0
            for part in value.split(separator: ":", omittingEmptySubsequences: false).reversed() {
                guard let digit = Double(part) else { throw Failure(message: "could not convert string to float: '\(part)'") }
                total += digit * base
                base *= 60
            }
            return sign * total
        }
        guard let double = Double(value) else { throw Failure(message: "could not convert string to float: '\(value)'") }
        return sign * double
    }
}

extension UInt8 {
    var isHexDigit: Bool {
        (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9")) || (self | 0x20 >= UInt8(ascii: "a") && self | 0x20 <= UInt8(ascii: "f"))
    }
}

extension String {
    /// The string without any `character` (Foundation-free `replacingOccurrences(of:with: "")`).
    func replacingOccurrences(_ character: Character) -> String {
        String(filter { $0 != character })
    }
}
