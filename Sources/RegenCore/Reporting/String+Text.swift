import Glibc

/// What `regen` needs of Foundation's `String` methods, which FoundationEssentials leaves out.
extension String {
    /// C's `printf` formatting (`%.2f`, `%02d`): numbers with a fixed number of places. The C
    /// locale is in force (nothing calls `setlocale`), so the decimal point is always `.`.
    init(cFormat format: String, _ arguments: CVarArg...) {
        var buffer = [CChar](repeating: 0, count: 64)
        var length = 0
        while true {
            length = Swift.max(0, Int(withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) }))
            if length < buffer.count { break }
            buffer = [CChar](repeating: 0, count: length + 1)
        }
        self.init(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Without white space and line breaks at either end.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
