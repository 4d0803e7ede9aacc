/// One `struct inotify_event` record as the kernel queues it.
struct InotifyEvent: Equatable, Sendable {
    var watch: Int32
    var mask: InotifyMask
    var cookie: UInt32
    /// The entry's name inside the watched folder; empty for events about the folder itself.
    var name: String

    /// `wd`, `mask`, `cookie` and `len`: four 32-bit fields before the name.
    static let headerSize = 16

    /// Parses the records in `bytes`. A record is a 16-byte header followed by `len` bytes of
    /// name, NUL-padded. A truncated or malformed tail is left unparsed: `consumed` says where
    /// parsing stopped (the kernel never splits a record, so it is `bytes.count` in practice).
    static func parse(_ bytes: UnsafeRawBufferPointer) -> (events: [InotifyEvent], consumed: Int) {
        var events: [InotifyEvent] = []
        var offset = 0
        while bytes.count - offset >= headerSize {
            let watch = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let cookie = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            guard length <= bytes.count - offset - headerSize else { break }
            let nameStart = offset + headerSize
            let nameBytes = UnsafeRawBufferPointer(rebasing: bytes[nameStart ..< nameStart + length])
            let end = nameBytes.firstIndex(of: 0) ?? nameBytes.count
            let name = String(decoding: nameBytes[..<end], as: UTF8.self)
            events.append(InotifyEvent(watch: watch, mask: InotifyMask(rawValue: mask), cookie: cookie, name: name))
            offset = nameStart + length
        }
        return (events, offset)
    }
}
