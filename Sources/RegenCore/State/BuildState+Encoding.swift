/// The state file's format: a header (magic, version, payload length and digest), then a table
/// of strings and the files and records, which name strings by index. Every read is bounds
/// checked, so a truncated or corrupt file is refused, never trusted.
extension BuildState {
    static let magic: [UInt8] = Array("REGENST".utf8) + [0]
    /// Bumped whenever the format or the meaning of a digest changes.
    static let version: UInt32 = 1
    static let headerSize = 8 + 4 + 4 + 8 + 8

    func encoded() -> [UInt8] {
        var strings = StringTable()
        var payload = ByteWriter()
        var fileRows = ByteWriter()
        // Dictionary order: the file is read back into dictionaries, and sorting costs more than the
        // rest of the encoding.
        for (path, entry) in files {
            fileRows.u32(strings.index(path))
            fileRows.u8((entry.stamp == nil ? 0 : 1) | (entry.racy ? 2 : 0))
            if let stamp = entry.stamp {
                fileRows.u64(UInt64(bitPattern: stamp.size))
                fileRows.u64(UInt64(bitPattern: stamp.modified))
                fileRows.u64(UInt64(bitPattern: stamp.changed))
                fileRows.u64(stamp.inode)
                fileRows.u64(stamp.device)
            }
            fileRows.u64(entry.digest.value)
        }
        var recordRows = ByteWriter()
        for (key, record) in records {
            recordRows.u32(strings.index(key))
            recordRows.u32(strings.index(record.configID))
            recordRows.u32(strings.index(record.configFile))
            recordRows.u32(UInt32(record.targetCount))
            recordRows.u64(record.settings.value)
            recordRows.u32(strings.index(record.output))
            recordRows.u64(record.outputDigest.value)
            recordRows.u32(UInt32(record.inputs.count))
            for input in record.inputs {
                recordRows.u32(strings.index(input.path))
                recordRows.u64(input.digest.value)
            }
        }
        payload.u32(UInt32(strings.list.count))
        for string in strings.list {
            payload.u32(UInt32(string.utf8.count))
            payload.bytes.append(contentsOf: string.utf8)
        }
        payload.u32(UInt32(files.count))
        payload.bytes += fileRows.bytes
        payload.u32(UInt32(records.count))
        payload.bytes += recordRows.bytes

        var file = ByteWriter()
        file.bytes = Self.magic
        file.u32(Self.version)
        file.u32(0)
        file.u64(UInt64(payload.bytes.count))
        file.u64(Digest(payload.bytes).value)
        file.bytes += payload.bytes
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
        let payload = Array(bytes[headerSize...])
        guard Digest(payload).value == digest else { throw Unusable(reason: "corrupt (its checksum does not match)") }

        var reader = ByteReader(bytes: payload, offset: 0)
        var strings: [String] = []
        let stringCount = try reader.count()
        strings.reserveCapacity(stringCount)
        for _ in 0..<stringCount {
            let length = try reader.count()
            strings.append(String(decoding: try reader.take(length), as: UTF8.self))
        }
        func string(_ reader: inout ByteReader) throws(Unusable) -> String {
            let index = Int(try reader.u32())
            guard index < strings.count else { throw Unusable(reason: "corrupt (a string index is out of range)") }
            return strings[index]
        }
        var state = BuildState()
        for _ in 0..<(try reader.count()) {
            let path = try string(&reader)
            let flags = try reader.u8()
            var stamp: FileStamp?
            if flags & 1 != 0 {
                stamp = FileStamp(size: Int64(bitPattern: try reader.u64()), modified: Int64(bitPattern: try reader.u64()),
                                  changed: Int64(bitPattern: try reader.u64()), inode: try reader.u64(), device: try reader.u64())
            }
            state.files[path] = FileEntry(stamp: stamp, digest: Digest(try reader.u64()), racy: flags & 2 != 0)
        }
        for _ in 0..<(try reader.count()) {
            let key = try string(&reader)
            let configID = try string(&reader)
            let configFile = try string(&reader)
            let targetCount = Int(try reader.u32())
            let settings = Digest(try reader.u64())
            let output = try string(&reader)
            let outputDigest = Digest(try reader.u64())
            var inputs: [Input] = []
            for _ in 0..<(try reader.count()) {
                inputs.append(Input(path: try string(&reader), digest: Digest(try reader.u64())))
            }
            state.records[key] = Record(configID: configID, configFile: configFile, targetCount: targetCount, settings: settings, output: output,
                                        outputDigest: outputDigest, inputs: inputs)
        }
        guard reader.offset == payload.count else { throw Unusable(reason: "corrupt (bytes after the last record)") }
        return state
    }
}

private struct StringTable {
    var list: [String] = []
    var indices: [String: UInt32] = [:]

    mutating func index(_ string: String) -> UInt32 {
        if let index = indices[string] { return index }
        let index = UInt32(list.count)
        list.append(string)
        indices[string] = index
        return index
    }
}

private struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
}

private struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    mutating func take(_ count: Int) throws(BuildState.Unusable) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - offset else { throw BuildState.Unusable(reason: "truncated") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func u8() throws(BuildState.Unusable) -> UInt8 { try take(1).first ?? 0 }

    mutating func u32() throws(BuildState.Unusable) -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func u64() throws(BuildState.Unusable) -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A count, which can never exceed the bytes left (each counted thing takes at least one).
    mutating func count() throws(BuildState.Unusable) -> Int {
        let value = Int(try u32())
        guard value <= bytes.count - offset else { throw BuildState.Unusable(reason: "corrupt (a count is larger than the file)") }
        return value
    }
}
