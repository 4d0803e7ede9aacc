/// Rendered text, kept as UTF-8 bytes until the render ends: appending many short pieces to a
/// `String` re-examines its storage on every append, which showed as a fifth of a simple loop.
struct Output {
    private(set) var bytes: [UInt8] = []

    var count: Int { bytes.count }

    mutating func append(_ text: String) {
        // Native strings hand out their bytes for one copy; the generic path goes byte by byte.
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: text.utf8) }
    }

    /// The text; the bytes came from Swift strings, so they are valid UTF-8.
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
