import Documents
import FoundationEssentials

/// Reads the YAML that configuration files use into a `Document`, agreeing with PyYAML 6.0's
/// `yaml.safe_load` (YAML 1.1) on every document it accepts, and refusing with a clear error at the
/// place what it does not support. See docs/yaml.md for the list.
///
/// - Supported: block and flow mappings and sequences, plain, single- and double-quoted scalars,
///   literal and folded block scalars, comments, `---` and `...`, PyYAML's YAML 1.1 types
///   (null, bool, int, float, timestamps as the text Python prints for them).
/// - Refused: anchors, aliases, merge keys, tags, complex (`? `) keys, directives, more than one
///   document, nesting deeper than `maximumDepth`, invalid UTF-8, UTF-16.
public enum YAMLReader {
    /// Collections nested deeper than this are refused rather than risk the stack.
    public static let maximumDepth = 256

    public static func read(_ bytes: [UInt8], file: String) throws(DocumentError) -> Document {
        let chars = try decode(bytes, file: file)
        var parser = YAMLParser(chars)
        do {
            return try parser.parseSingleDocument()
        } catch {
            throw documentError(error, chars: chars, file: file)
        }
    }

    public static func read(_ data: Data, file: String) throws(DocumentError) -> Document {
        try read([UInt8](data), file: file)
    }

    public static func read(_ text: String, file: String) throws(DocumentError) -> Document {
        try read(Array(text.utf8), file: file)
    }

    // MARK: Decoding

    /// The code points of UTF-8 text, refusing what PyYAML's reader refuses.
    static func decode(_ bytes: [UInt8], file: String) throws(DocumentError) -> [UInt32] {
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw DocumentError(
                file: file, mark: Mark(line: 1, column: 1),
                message: "UTF-16 text is not supported; save the file as UTF-8")
        }
        var chars: [UInt32] = []
        chars.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                chars.append(scalar.value)
                offset += UTF8.width(scalar)
            case .emptyInput:
                break decoding
            case .error:
                let byte = String(bytes[offset], radix: 16, uppercase: true)
                let failure = YAMLFailure(
                    "invalid UTF-8: byte 0x\(byte.count == 1 ? "0" : "")\(byte) cannot start or continue a character",
                    at: markOf(chars.count, in: chars))
                throw documentError(failure, chars: chars, file: file)
            }
        }
        for (position, ch) in chars.enumerated() where !isPrintable(ch) {
            let hex = String(ch, radix: 16)
            let failure = YAMLFailure(
                "unacceptable character #x\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex): special characters are not allowed",
                at: markOf(position, in: chars))
            throw documentError(failure, chars: chars, file: file)
        }
        return chars
    }

    /// PyYAML's `Reader.NON_PRINTABLE`, inverted.
    static func isPrintable(_ ch: UInt32) -> Bool {
        switch ch {
        case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// The line and column of a code-point offset, counted as PyYAML's reader counts them.
    static func markOf(_ position: Int, in chars: [UInt32]) -> YAMLMark {
        var line = 0
        var column = 0
        var index = 0
        while index < min(position, chars.count) {
            let ch = chars[index]
            let next: UInt32 = index + 1 < chars.count ? chars[index + 1] : 0
            if ch == 0x0A || ch == 0x85 || ch == 0x2028 || ch == 0x2029 || (ch == 0x0D && next != 0x0A) {
                line += 1
                column = 0
            } else if ch != 0xFEFF {
                column += 1
            }
            index += 1
        }
        return YAMLMark(index: position, line: line, column: column)
    }

    // MARK: Errors

    static func documentError(_ failure: YAMLFailure, chars: [UInt32], file: String) -> DocumentError {
        var message = failure.message
        if let context = failure.context, let contextMark = failure.contextMark {
            message += " (\(context) at \(contextMark.line + 1):\(contextMark.column + 1))"
        }
        return DocumentError(
            file: file, mark: Mark(line: failure.mark.line + 1, column: failure.mark.column + 1),
            message: message, lineText: lineText(line: failure.mark.line, in: chars))
    }

    /// The text of a 0-based line, without its break; nil when it is too long to quote.
    static func lineText(line wanted: Int, in chars: [UInt32]) -> String? {
        var line = 0
        var start = 0
        var index = 0
        func isBreak(_ ch: UInt32) -> Bool { ch == 0x0A || ch == 0x0D || ch == 0x85 || ch == 0x2028 || ch == 0x2029 }
        while line < wanted, index < chars.count {
            let ch = chars[index]
            index += 1
            if ch == 0x0D, index < chars.count, chars[index] == 0x0A { index += 1 }
            if isBreak(ch) {
                line += 1
                start = index
            }
        }
        guard line == wanted else { return nil }
        var end = start
        while end < chars.count, !isBreak(chars[end]) { end += 1 }
        guard end - start <= 400 else { return nil }
        var text = String.UnicodeScalarView()
        for ch in chars[start..<end] where ch != 0xFEFF {
            if let scalar = Unicode.Scalar(ch) { text.append(scalar) }
        }
        return String(text)
    }
}
