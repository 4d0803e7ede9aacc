/// The state file's format: a header (magic, version, payload length and digest), then the
/// files (path and entry) and the records, which name files by their place in that list. Every
/// read is bounds checked, so a truncated or corrupt file is refused, never trusted.
extension BuildState {
    static let magic: [UInt8] = Array("REGENST".utf8) + [0]
    /// Bumped whenever the format or the meaning of a digest changes.
    static let version: UInt32 = 2
    static let headerSize = 8 + 4 + 4 + 8 + 8

    /// The file's bytes, with the files that the records read or wrote (and those below a
    /// folder they read whole), numbered afresh: files nothing names any more are dropped here.
    func encoded() -> [UInt8] {
        /// By `FileID`: the file's number in the file being written, -1 while it has none.
        var renumbered = [Int32](repeating: -1, count: paths.count)
        /// Positions in `paths`, in their new order.
        var kept: [Int] = []
        kept.reserveCapacity(paths.count)
        func number(_ id: FileID) -> UInt32 {
            if renumbered[id.position] < 0 {
                renumbered[id.position] = Int32(kept.count)
                kept.append(id.position)
                if FileTable.standsForFolder(paths[id.position]) {
                    let prefix = String(paths[id.position].dropLast(FileTable.everything.count)) + "/"
                    for (index, other) in paths.enumerated() where other.hasPrefix(prefix) { _ = number(FileID(index)) }
                }
            }
            return UInt32(renumbered[id.position])
        }
        var recordRows = ByteWriter()
        recordRows.bytes.reserveCapacity(records.count * 120)
        // Dictionary order: the file is read back into a dictionary, and sorting costs more than
        // the rest of the encoding.
        for (key, record) in records {
            recordRows.string(key)
            recordRows.string(record.configID)
            recordRows.u32(number(record.configFile))
            recordRows.u32(UInt32(record.targetCount))
            recordRows.u64(record.settings.value)
            recordRows.u32(number(record.output))
            recordRows.u64(record.outputDigest.value)
            recordRows.u32(UInt32(record.inputs.count))
            for input in record.inputs {
                recordRows.u32(number(input.file))
                recordRows.u64(input.digest.value)
            }
        }

        // One buffer for the whole file: the header's length and digest are filled in last.
        var file = ByteWriter()
        file.bytes.reserveCapacity(Self.headerSize + 4 + kept.count * 80 + 4 + recordRows.bytes.count)
        file.bytes += Self.magic
        file.u32(Self.version)
        file.u32(0)
        file.u64(0)
        file.u64(0)
        file.u32(UInt32(kept.count))
        for position in kept {
            file.string(paths[position])
            file.entry(entries[position])
        }
        file.u32(UInt32(records.count))
        file.bytes += recordRows.bytes
        let digest = file.bytes.withUnsafeBytes { Digest(bytes: UnsafeRawBufferPointer(rebasing: $0[Self.headerSize...])) }
        file.patch(UInt64(file.bytes.count - Self.headerSize), at: 16)
        file.patch(digest.value, at: 24)
        return file.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(Unusable) -> BuildState {
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else {
            throw Unusable(reason: "not a Regen build state file")
        }
        var header = ByteReader(bytes: bytes, offset: 8)
        let version = try header.u32()
        guard version == Self.version else {
            throw Unusable(reason: "written by another version of Regen (format \(version), this one reads \(Self.version))")
        }
        _ = try header.u32()
        let length = try header.u64()
        let digest = try header.u64()
        guard UInt64(bytes.count - headerSize) == length else { throw Unusable(reason: "truncated") }
        let payloadDigest = bytes.withUnsafeBytes { Digest(bytes: UnsafeRawBufferPointer(rebasing: $0[headerSize...])) }
        guard payloadDigest == Digest(digest) else { throw Unusable(reason: "corrupt (its checksum does not match)") }

        var reader = ByteReader(bytes: bytes, offset: headerSize)
        var state = BuildState()
        let fileCount = try reader.count()
        for _ in 0..<fileCount {
            let path = try reader.string()
            let flags = try reader.u8()
            var entry: FileEntry?
            if flags & 4 != 0 {
                var stamp: FileStamp?
                if flags & 1 != 0 {
                    stamp = FileStamp(size: Int64(bitPattern: try reader.u64()), modified: Int64(bitPattern: try reader.u64()),
                                      changed: Int64(bitPattern: try reader.u64()), inode: try reader.u64(), device: try reader.u64())
                }
                entry = FileEntry(stamp: stamp, digest: Digest(try reader.u64()), racy: flags & 2 != 0)
            }
            _ = state.add(path, entry)
        }
        func file(_ reader: inout ByteReader) throws(Unusable) -> FileID {
            let index = Int(try reader.u32())
            guard index < fileCount else { throw Unusable(reason: "corrupt (a file number is out of range)") }
            return FileID(index)
        }
        let recordCount = try reader.count()
        state.records.reserveCapacity(recordCount)
        for _ in 0..<recordCount {
            let key = try reader.string()
            let configID = try reader.string()
            let configFile = try file(&reader)
            let targetCount = Int(try reader.u32())
            let settings = Digest(try reader.u64())
            let output = try file(&reader)
            let outputDigest = Digest(try reader.u64())
            let inputCount = try reader.count()
            var inputs: [Input] = []
            inputs.reserveCapacity(inputCount)
            for _ in 0..<inputCount {
                inputs.append(Input(file: try file(&reader), digest: Digest(try reader.u64())))
            }
            state.records[key] = Record(configID: configID, configFile: configFile, targetCount: targetCount, settings: settings,
                                        output: output, outputDigest: outputDigest, inputs: inputs)
        }
        guard reader.offset == bytes.count else { throw Unusable(reason: "corrupt (bytes after the last record)") }
        return state
    }
}

private struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u32(_ value: UInt32) { integer(value) }
    mutating func u64(_ value: UInt64) { integer(value) }

    /// Little-endian, byte by byte: appending single bytes is cheaper than appending a buffer.
    private mutating func integer<T: FixedWidthInteger>(_ value: T) {
        var rest = value
        for _ in 0..<MemoryLayout<T>.size {
            bytes.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
    }

    /// Its UTF-8 length, then its bytes.
    mutating func string(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            u32(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// What a file's path is followed by: flags (1: a stamp, 2: racy, 4: an entry), its stamp and
    /// its digest.
    mutating func entry(_ entry: FileEntry?) {
        guard let entry else { return u8(0) }
        u8(4 | (entry.stamp == nil ? 0 : 1) | (entry.racy ? 2 : 0))
        if let stamp = entry.stamp {
            u64(UInt64(bitPattern: stamp.size))
            u64(UInt64(bitPattern: stamp.modified))
            u64(UInt64(bitPattern: stamp.changed))
            u64(stamp.inode)
            u64(stamp.device)
        }
        u64(entry.digest.value)
    }

    /// Overwrites the 8 bytes at `offset`.
    mutating func patch(_ value: UInt64, at offset: Int) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self) }
    }
}

private struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    mutating func take(_ count: Int) throws(BuildState.Unusable) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - offset else { throw BuildState.Unusable(reason: "truncated") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// Its UTF-8 length, then its bytes.
    mutating func string() throws(BuildState.Unusable) -> String {
        let length = try count()
        return String(decoding: try take(length), as: UTF8.self)
    }

    mutating func u8() throws(BuildState.Unusable) -> UInt8 { try integer() }
    mutating func u32() throws(BuildState.Unusable) -> UInt32 { try integer() }
    mutating func u64() throws(BuildState.Unusable) -> UInt64 { try integer() }

    /// A little-endian integer, loaded whole: a state file holds tens of thousands of them.
    private mutating func integer<T: FixedWidthInteger>() throws(BuildState.Unusable) -> T {
        let size = MemoryLayout<T>.size
        guard size <= bytes.count - offset else { throw BuildState.Unusable(reason: "truncated") }
        defer { offset += size }
        return T(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) })
    }

    /// A count, which can never exceed the bytes left (each counted thing takes at least one).
    mutating func count() throws(BuildState.Unusable) -> Int {
        let value = Int(try u32())
        guard value <= bytes.count - offset else { throw BuildState.Unusable(reason: "corrupt (a count is larger than the file)") }
        return value
    }
}
