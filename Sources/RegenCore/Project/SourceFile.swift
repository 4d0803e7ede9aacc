import Documents

/// The bytes of a configuration file and the name messages give it, so that an error found while
/// decoding a parsed document can quote the line it points at.
struct SourceFile: Sendable {
    var name: String
    var bytes: [UInt8]

    /// Lines longer than this are not quoted (a minified file is one long line).
    static let longestQuotedLine = 400

    /// The text of line `number` (1-based) without its line break.
    func line(_ number: Int) -> String? {
        var current = 1
        var start = 0
        var index = 0
        while index < bytes.count, current < number {
            if bytes[index] == 0x0A {
                current += 1
                start = index + 1
            }
            index += 1
        }
        guard current == number, start <= bytes.count else { return nil }
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        guard end - start <= Self.longestQuotedLine else { return nil }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// An error at `mark` in this file, quoting the line.
    func error(at mark: Mark, _ message: String) -> Diagnostic {
        Diagnostic(file: name, mark: mark, lineText: line(mark.line), message)
    }
}
