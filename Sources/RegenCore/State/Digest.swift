/// A 64-bit content digest: XXH64 (seed 0) of a file's bytes, or of several digests combined.
/// Not cryptographic: it tells "these bytes changed" from "these bytes are the same", which is
/// all an incremental build needs, at several GB/s.
struct Digest: Hashable, Sendable, CustomStringConvertible {
    var value: UInt64

    init(_ value: UInt64) { self.value = value }

    /// A file that does not exist (a dependency on a file yet to be created).
    static let absent = Digest(0x6162_7365_6e74_0000)
    /// A file that exists but could not be read (not a regular file, no permission, too large).
    static let unreadable = Digest(0x756e_7265_6164_0000)

    init(bytes: UnsafeRawBufferPointer) { value = XXHash64.hash(bytes) }

    init(_ bytes: [UInt8]) { value = bytes.withUnsafeBytes { XXHash64.hash($0) } }

    init(_ text: String) {
        var text = text
        value = text.withUTF8 { XXHash64.hash(UnsafeRawBufferPointer($0)) }
    }

    var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Builds one digest from a sequence of fields (strings are length-prefixed, so that
/// `["ab", "c"]` and `["a", "bc"]` differ).
struct DigestBuilder {
    private var bytes: [UInt8] = []

    mutating func add(_ text: String) {
        add(UInt64(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    mutating func add(_ number: UInt64) {
        withUnsafeBytes(of: number.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func add(_ digest: Digest) { add(digest.value) }

    mutating func add(_ flag: Bool) { bytes.append(flag ? 1 : 0) }

    var digest: Digest { Digest(bytes) }
}

/// xxHash64 (Yann Collet's XXH64, seed 0), written out here: Regen takes no package dependencies
/// and Foundation has no fast non-cryptographic hash.
enum XXHash64 {
    private static let prime1: UInt64 = 11_400_714_785_074_694_791
    private static let prime2: UInt64 = 14_029_467_366_897_019_727
    private static let prime3: UInt64 = 1_609_587_929_392_839_161
    private static let prime4: UInt64 = 9_650_029_242_287_828_579
    private static let prime5: UInt64 = 2_870_177_450_012_600_261

    @inline(__always)
    private static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        rotate(accumulator &+ input &* prime2, 31) &* prime1
    }

    @inline(__always)
    private static func merge(_ accumulator: UInt64, _ value: UInt64) -> UInt64 {
        (accumulator ^ round(0, value)) &* prime1 &+ prime4
    }

    static func hash(_ input: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let count = input.count
        var offset = 0
        @inline(__always) func word64(_ at: Int) -> UInt64 {
            UInt64(littleEndian: input.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        }
        @inline(__always) func word32(_ at: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: input.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        }
        var hash: UInt64
        if count >= 32 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while offset + 32 <= count {
                v1 = round(v1, word64(offset))
                v2 = round(v2, word64(offset + 8))
                v3 = round(v3, word64(offset + 16))
                v4 = round(v4, word64(offset + 24))
                offset += 32
            }
            hash = rotate(v1, 1) &+ rotate(v2, 7) &+ rotate(v3, 12) &+ rotate(v4, 18)
            hash = merge(hash, v1)
            hash = merge(hash, v2)
            hash = merge(hash, v3)
            hash = merge(hash, v4)
        } else {
            hash = seed &+ prime5
        }
        hash &+= UInt64(count)
        while offset + 8 <= count {
            hash ^= round(0, word64(offset))
            hash = rotate(hash, 27) &* prime1 &+ prime4
            offset += 8
        }
        if offset + 4 <= count {
            hash ^= word32(offset) &* prime1
            hash = rotate(hash, 23) &* prime2 &+ prime3
            offset += 4
        }
        while offset < count {
            hash ^= UInt64(input[offset]) &* prime5
            hash = rotate(hash, 11) &* prime1
            offset += 1
        }
        hash ^= hash >> 33
        hash &*= prime2
        hash ^= hash >> 29
        hash &*= prime3
        hash ^= hash >> 32
        return hash
    }
}
