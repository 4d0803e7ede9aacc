/// The state file's format: a header (magic, version, payload length and digest), then a table
/// of strings and the files and records, which name strings by index. Every read is bounds
/// checked, so a truncated or corrupt file is refused, never trusted.
extension BuildState {
    static let magic: [UInt8] = Array("REGENST".utf8) + [0]
    /// Bumped whenever the format or the meaning of a digest changes.
    static let version: UInt32 = 1
    static let headerSize = 8 + 4 + 4 + 8 + 8

    /// The file's bytes, with the entries of the files that the records read or wrote (and of
    /// those below a folder they read whole): entries nothing names any more are dropped here.
    func encoded() -> [UInt8] {
        var strings = StringTable(capacity: files.count + records.count * 3)
        var fileRows = ByteWriter()
        fileRows.bytes.reserveCapacity(files.count * 50)
        var fileCount = 0
        /// By string index: whether that path's entry was looked for already.
        var looked: [Bool] = []
        var folders: Set<String> = []
        func path(_ path: String) -> UInt32 {
            let index = strings.index(path)
            if looked.count <= Int(index) { looked += repeatElement(false, count: Int(index) + 1 - looked.count) }
            if !looked[Int(index)] {
                looked[Int(index)] = true
                if let entry = files[path] {
                    fileRows.entry(index, entry)
                    fileCount += 1
                }
            }
            return index
        }
        var recordRows = ByteWriter()
        recordRows.bytes.reserveCapacity(records.count * 120)
        // Dictionary order: the file is read back into dictionaries, and sorting costs more than the
        // rest of the encoding.
        for (key, record) in records {
            recordRows.u32(strings.index(key))
            recordRows.u32(strings.index(record.configID))
            recordRows.u32(path(record.configFile))
            recordRows.u32(UInt32(record.targetCount))
            recordRows.u64(record.settings.value)
            recordRows.u32(path(record.output))
            recordRows.u64(record.outputDigest.value)
            recordRows.u32(UInt32(record.inputs.count))
            for input in record.inputs {
                recordRows.u32(path(input.path))
                recordRows.u64(input.digest.value)
                guard input.path.hasSuffix(FileTable.everything), folders.insert(input.path).inserted else { continue }
                let prefix = String(input.path.dropLast(FileTable.everything.count)) + "/"
                for other in files.keys where other.hasPrefix(prefix) { _ = path(other) }
            }
        }

        // One buffer for the whole file: the header's length and digest are filled in last.
        var file = ByteWriter()
        file.bytes.reserveCapacity(Self.headerSize + strings.utf8Count + 4 * strings.list.count + 8
                                   + fileRows.bytes.count + recordRows.bytes.count)
        file.bytes += Self.magic
        file.u32(Self.version)
        file.u32(0)
        file.u64(0)
        file.u64(0)
        file.u32(UInt32(strings.list.count))
        for string in strings.list {
            file.u32(UInt32(string.utf8.count))
            file.bytes.append(contentsOf: string.utf8)
        }
        file.u32(UInt32(fileCount))
        file.bytes += fileRows.bytes
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
        let fileCount = try reader.count()
        state.files.reserveCapacity(fileCount)
        for _ in 0..<fileCount {
            let path = try string(&reader)
            let flags = try reader.u8()
            var stamp: FileStamp?
            if flags & 1 != 0 {
                stamp = FileStamp(size: Int64(bitPattern: try reader.u64()), modified: Int64(bitPattern: try reader.u64()),
                                  changed: Int64(bitPattern: try reader.u64()), inode: try reader.u64(), device: try reader.u64())
            }
            state.files[path] = FileEntry(stamp: stamp, digest: Digest(try reader.u64()), racy: flags & 2 != 0)
        }
        let recordCount = try reader.count()
        state.records.reserveCapacity(recordCount)
        for _ in 0..<recordCount {
            let key = try string(&reader)
            let configID = try string(&reader)
            let configFile = try string(&reader)
            let targetCount = Int(try reader.u32())
            let settings = Digest(try reader.u64())
            let output = try string(&reader)
            let outputDigest = Digest(try reader.u64())
            let inputCount = try reader.count()
            var inputs: [Input] = []
            inputs.reserveCapacity(inputCount)
            for _ in 0..<inputCount {
                inputs.append(Input(path: try string(&reader), digest: Digest(try reader.u64())))
            }
            state.records[key] = Record(configID: configID, configFile: configFile, targetCount: targetCount, settings: settings, output: output,
                                        outputDigest: outputDigest, inputs: inputs)
        }
        guard reader.offset == bytes.count else { throw Unusable(reason: "corrupt (bytes after the last record)") }
        return state
    }
}

/// The strings of a state file, each once, with its index. Open addressing over XXH64 of the
/// UTF-8 bytes: a Dictionary seeds and finalizes SipHash on every lookup, and encoding the state
/// of 2,000 configs looks up some 25,000 strings, nearly all of them already in the table.
private struct StringTable {
    private(set) var list: [String] = []
    /// The UTF-8 bytes of every string in `list`.
    private(set) var utf8Count = 0
    private var hashes: [UInt64] = []
    /// Indices into `list`, -1 where empty; a power of two long, never more than half full.
    private var slots: [Int32]

    init(capacity: Int) {
        var size = 64
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: -1, count: size)
        list.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
    }

    mutating func index(_ string: String) -> UInt32 {
        var string = string
        let hash = string.withUTF8 { XXHash64.hash(UnsafeRawBufferPointer($0)) }
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if hashes[index] == hash, list[index] == string { return UInt32(index) }
            slot = (slot + 1) & (slots.count - 1)
        }
        let index = list.count
        list.append(string)
        hashes.append(hash)
        utf8Count += string.utf8.count
        slots[slot] = Int32(index)
        if list.count * 2 > slots.count { grow() }
        return UInt32(index)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(index)
        }
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

    /// One file's row: its path (a string index), flags, stamp and digest.
    mutating func entry(_ path: UInt32, _ entry: FileEntry) {
        u32(path)
        u8((entry.stamp == nil ? 0 : 1) | (entry.racy ? 2 : 0))
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
