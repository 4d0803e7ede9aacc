/// A malformed JSON text at a byte offset; `JSONReader` turns the offset into a line and column.
struct JSONFailure: Error {
    var offset: Int
    var message: String
}

/// A byte-level JSON parser with an explicit stack, so that deep nesting costs heap, not stack.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    /// Marks are asked for in increasing offsets: the column of the last one is remembered so that
    /// a long line (a minified file) is walked once, not once per value.
    private var line = 1
    private var lineStart = 0
    private var columnOffset = 0
    private var column = 1

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private struct Frame {
        var isObject: Bool
        var mark: Mark
        var items: [Document] = []
        var members: [Document.Member] = []
        /// Built once an object has many members; small objects look duplicates up by a scan.
        var keyIndex: [ExactKey: Int]?
        var key: Document = .null(Mark(line: 0, column: 0))
        var keyText = ""

        mutating func add(_ value: Document) {
            if let index = existingIndex() {
                members[index].value = value
                return
            }
            keyIndex?[ExactKey(keyText)] = members.count
            members.append(Document.Member(key: key, value: value))
            if keyIndex == nil, members.count == 16 {
                var index: [ExactKey: Int] = [:]
                for (offset, member) in members.enumerated() {
                    if let text = member.key.stringValue { index[ExactKey(text)] = offset }
                }
                keyIndex = index
            }
        }

        private func existingIndex() -> Int? {
            if let keyIndex { return keyIndex[ExactKey(keyText)] }
            let wanted = ExactKey(keyText)
            return members.firstIndex { ExactKey($0.key.stringValue ?? "") == wanted }
        }
    }

    mutating func parseDocument() throws(JSONFailure) -> Document {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            position = 3
            columnOffset = 3
        }
        skipWhitespace()
        var stack: [Frame] = []
        var value: Document
        parsing: while true {
            // Here a value must start at `position` (whitespace skipped).
            guard position < bytes.count else { throw failure("Expecting value") }
            switch bytes[position] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = bytes[position] == UInt8(ascii: "{")
                let start = mark(at: position)
                guard stack.count < JSONReader.maximumDepth else {
                    throw failure("nesting deeper than \(JSONReader.maximumDepth) levels")
                }
                position += 1
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: isObject ? "}" : "]") {
                    position += 1
                    value = isObject ? .object([], start) : .array([], start)
                } else {
                    var frame = Frame(isObject: isObject, mark: start)
                    if isObject { try parseKey(into: &frame) }
                    stack.append(frame)
                    continue parsing
                }
            case UInt8(ascii: "\""):
                let start = mark(at: position)
                value = .string(try parseString(), start)
            default:
                value = try parseScalar()
            }
            // A complete value: hand it to the enclosing containers, closing those that end here.
            while var frame = stack.popLast() {
                if frame.isObject {
                    frame.add(value)
                } else {
                    frame.items.append(value)
                }
                skipWhitespace()
                let close = UInt8(ascii: frame.isObject ? "}" : "]")
                if position < bytes.count, bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                    if frame.isObject { try parseKey(into: &frame) }
                    stack.append(frame)
                    continue parsing
                } else if position < bytes.count, bytes[position] == close {
                    position += 1
                    value = frame.isObject ? .object(frame.members, frame.mark) : .array(frame.items, frame.mark)
                } else {
                    throw failure("Expecting ',' delimiter")
                }
            }
            break
        }
        skipWhitespace()
        if position < bytes.count { throw failure("Extra data") }
        return value
    }

    /// A member's key and its colon, leaving `position` at the start of the value.
    private mutating func parseKey(into frame: inout Frame) throws(JSONFailure) {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw failure("Expecting property name enclosed in double quotes")
        }
        let start = mark(at: position)
        let text = try parseString()
        frame.key = .string(text, start)
        frame.keyText = text
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
            throw failure("Expecting ':' delimiter")
        }
        position += 1
        skipWhitespace()
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0D:
                position += 1
            case 0x0A:
                position += 1
                line += 1
                lineStart = position
            default:
                return
            }
        }
    }

    private mutating func mark(at offset: Int) -> Mark {
        if columnOffset < lineStart {
            columnOffset = lineStart
            column = 1
        }
        while columnOffset < offset {
            if bytes[columnOffset] & 0xC0 != 0x80 { column += 1 }
            columnOffset += 1
        }
        return Mark(line: line, column: column)
    }

    private func failure(_ message: String, at offset: Int? = nil) -> JSONFailure {
        JSONFailure(offset: offset ?? position, message: message)
    }

    private func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let pointer = word.utf8Start
        for index in 0..<count where bytes[position + index] != pointer[index] { return false }
        return true
    }

    // MARK: Literals and numbers

    private mutating func parseScalar() throws(JSONFailure) -> Document {
        let start = mark(at: position)
        let byte = bytes[position]
        if byte == UInt8(ascii: "t"), matches("true") {
            position += 4
            return .bool(true, start)
        }
        if byte == UInt8(ascii: "f"), matches("false") {
            position += 5
            return .bool(false, start)
        }
        if byte == UInt8(ascii: "n"), matches("null") {
            position += 4
            return .null(start)
        }
        if matches("NaN") || matches("Infinity") || matches("-Infinity") {
            throw failure("NaN and Infinity are not valid JSON")
        }
        return try parseNumber(start)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, the longest match, as Python's scanner.
    private mutating func parseNumber(_ start: Mark) throws(JSONFailure) -> Document {
        let begin = position
        var index = position
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("Expecting value") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let integerEnd = index
        var isFloat = false
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), isDigit(bytes[index + 1]) {
            index += 2
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            isFloat = true
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            var next = index + 1
            if next < bytes.count, bytes[next] == UInt8(ascii: "+") || bytes[next] == UInt8(ascii: "-") { next += 1 }
            if next < bytes.count, isDigit(bytes[next]) {
                index = next
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
                isFloat = true
            }
        }
        position = index
        if isFloat {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[begin..<index]), as: UTF8.self)
            guard let double = Double(text) else { throw failure("invalid number '\(text)'", at: begin) }
            return .float(double, start)
        }
        var value = 0
        for offset in (negative ? begin + 1 : begin)..<integerEnd {
            let digit = Int(bytes[offset] &- UInt8(ascii: "0"))
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if overflow1 || overflow2 {
                throw failure("integer is too large (beyond 64 bits)", at: begin)
            }
            value = sum
        }
        return .int(value, start)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    // MARK: Strings

    /// The string whose opening quote is at `position`; leaves `position` after the closing quote.
    private mutating func parseString() throws(JSONFailure) -> String {
        let quote = position
        var index = position + 1
        var runStart = index
        var escaped: [UInt8]?
        while true {
            guard index < bytes.count else {
                throw failure("Unterminated string starting at", at: quote)
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                break
            } else if byte == UInt8(ascii: "\\") {
                if escaped == nil { escaped = [] }
                escaped?.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                index = try parseEscape(at: index, quote: quote, into: &escaped)
                runStart = index
            } else if byte < 0x20 {
                throw failure("Invalid control character at", at: index)
            } else if byte < 0x80 {
                index += 1
            } else {
                index = try validateUTF8(at: index)
            }
        }
        position = index + 1
        let run = UnsafeBufferPointer(rebasing: bytes[runStart..<index])
        guard var escaped else { return String(decoding: run, as: UTF8.self) }
        escaped.append(contentsOf: run)
        return String(decoding: escaped, as: UTF8.self)
    }

    /// Decodes the escape whose backslash is at `index`; returns the offset after it.
    private func parseEscape(at index: Int, quote: Int, into output: inout [UInt8]?) throws(JSONFailure) -> Int {
        guard index + 1 < bytes.count else { throw failure("Unterminated string starting at", at: quote) }
        let simple: UInt8
        switch bytes[index + 1] {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            var code = try hex4(at: index + 2, uAt: index + 1)
            var end = index + 6
            if code >= 0xD800, code < 0xDC00, end + 1 < bytes.count,
               bytes[end] == UInt8(ascii: "\\"), bytes[end + 1] == UInt8(ascii: "u") {
                let low = try hex4(at: end + 2, uAt: end + 1)
                if low >= 0xDC00, low < 0xE000 {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    end += 6
                }
            }
            guard let scalar = Unicode.Scalar(code) else {
                throw failure(
                    "lone surrogate \\u\(String(code, radix: 16)) cannot be represented in a string", at: index)
            }
            output?.append(contentsOf: Array(String(Character(scalar)).utf8))
            return end
        default:
            throw failure("Invalid \\escape", at: index)
        }
        output?.append(simple)
        return index + 2
    }

    private func hex4(at index: Int, uAt: Int) throws(JSONFailure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("Invalid \\uXXXX escape", at: uAt) }
        var code: UInt32 = 0
        for offset in index..<(index + 4) {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("Invalid \\uXXXX escape", at: uAt)
            }
            code = code << 4 | UInt32(digit)
        }
        return code
    }

    /// Checks the multi-byte UTF-8 sequence at `index`; returns the offset after it.
    private func validateUTF8(at index: Int) throws(JSONFailure) -> Int {
        let lead = bytes[index]
        let length: Int
        var lowest: UInt8 = 0x80
        var highest: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowest = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; highest = 0x9F
        case 0xF0: length = 4; lowest = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; highest = 0x8F
        default: throw invalidUTF8(at: index)
        }
        guard index + length <= bytes.count else { throw invalidUTF8(at: index) }
        let second = bytes[index + 1]
        guard second >= lowest, second <= highest else { throw invalidUTF8(at: index) }
        for offset in (index + 2)..<(index + length) where bytes[offset] & 0xC0 != 0x80 {
            throw invalidUTF8(at: index)
        }
        return index + length
    }

    private func invalidUTF8(at index: Int) -> JSONFailure {
        let hex = String(bytes[index], radix: 16, uppercase: true)
        return failure("invalid UTF-8: byte 0x\(hex.count == 1 ? "0" + hex : hex) cannot start or continue a character", at: index)
    }
}

/// A key compared by its code points, as Python compares `str` keys (Swift's `String` equality
/// would merge canonically equivalent spellings such as a precomposed and a decomposed "é").
struct ExactKey: Hashable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: ExactKey, rhs: ExactKey) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
