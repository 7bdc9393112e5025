/// SHA-1 (FIPS 180-4), for NSEC3 owner hashes (RFC 5155 section 5) only: NSEC3 fixes the
/// hash, so its weakness for signatures does not matter here.
///
/// The state, the pending block and the message schedule are inline values, so hashing
/// allocates nothing and can run on the query path.
public struct SHA1 {
    public static let digestLength = 20

    private var h0: UInt32 = 0x6745_2301
    private var h1: UInt32 = 0xEFCD_AB89
    private var h2: UInt32 = 0x98BA_DCFE
    private var h3: UInt32 = 0x1032_5476
    private var h4: UInt32 = 0xC3D2_E1F0
    /// Bytes not yet compressed, fewer than 64.
    private var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var blockCount = 0
    private var totalLength: UInt64 = 0

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        totalLength &+= UInt64(bytes.count)
        var index = 0
        while index < bytes.count {
            let taken = Swift.min(64 - blockCount, bytes.count - index)
            withUnsafeMutableBytes(of: &block) { pending in
                for offset in 0..<taken {
                    pending[blockCount + offset] = bytes[index + offset]
                }
            }
            blockCount += taken
            index += taken
            if blockCount == 64 {
                compressBlock()
                blockCount = 0
            }
        }
    }

    /// Pads the message, compresses the last blocks and writes the 20-byte digest to `output`.
    public mutating func finish(into output: UnsafeMutableRawPointer) {
        let bitLength = totalLength &* 8
        withUnsafeMutableBytes(of: &block) { $0[blockCount] = 0x80 }
        blockCount += 1
        if blockCount > 56 {
            withUnsafeMutableBytes(of: &block) { pending in
                for offset in blockCount..<64 { pending[offset] = 0 }
            }
            compressBlock()
            blockCount = 0
        }
        withUnsafeMutableBytes(of: &block) { pending in
            for offset in blockCount..<56 { pending[offset] = 0 }
            for offset in 0..<8 { pending[56 + offset] = UInt8(truncatingIfNeeded: bitLength >> (56 - 8 * UInt64(offset))) }
        }
        compressBlock()
        store(h0, output, 0)
        store(h1, output, 4)
        store(h2, output, 8)
        store(h3, output, 12)
        store(h4, output, 16)
    }

    @inline(__always)
    private func store(_ word: UInt32, _ output: UnsafeMutableRawPointer, _ offset: Int) {
        output.storeBytes(of: UInt8(word >> 24), toByteOffset: offset, as: UInt8.self)
        output.storeBytes(of: UInt8((word >> 16) & 0xFF), toByteOffset: offset + 1, as: UInt8.self)
        output.storeBytes(of: UInt8((word >> 8) & 0xFF), toByteOffset: offset + 2, as: UInt8.self)
        output.storeBytes(of: UInt8(word & 0xFF), toByteOffset: offset + 3, as: UInt8.self)
    }

    private mutating func compressBlock() {
        // A 16-word window of the message schedule (FIPS 180-4 section 6.1.2, step 1),
        // extended in place: word t lives at t mod 16.
        var schedule: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        var a = h0, b = h1, c = h2, d = h3, e = h4
        withUnsafeBytes(of: &block) { pending in
            withUnsafeMutableBytes(of: &schedule) { raw in
                let w = raw.bindMemory(to: UInt32.self)
                for t in 0..<16 {
                    w[t] = UInt32(pending[4 * t]) << 24 | UInt32(pending[4 * t + 1]) << 16
                        | UInt32(pending[4 * t + 2]) << 8 | UInt32(pending[4 * t + 3])
                }
                for t in 0..<80 {
                    let word: UInt32
                    if t < 16 {
                        word = w[t]
                    } else {
                        let mixed = w[(t - 3) & 15] ^ w[(t - 8) & 15] ^ w[(t - 14) & 15] ^ w[t & 15]
                        word = (mixed << 1) | (mixed >> 31)
                        w[t & 15] = word
                    }
                    let f: UInt32
                    let k: UInt32
                    switch t {
                    case 0..<20:
                        f = (b & c) | (~b & d)
                        k = 0x5A82_7999
                    case 20..<40:
                        f = b ^ c ^ d
                        k = 0x6ED9_EBA1
                    case 40..<60:
                        f = (b & c) | (b & d) | (c & d)
                        k = 0x8F1B_BCDC
                    default:
                        f = b ^ c ^ d
                        k = 0xCA62_C1D6
                    }
                    let temp = ((a << 5) | (a >> 27)) &+ f &+ e &+ k &+ word
                    e = d
                    d = c
                    c = (b << 30) | (b >> 2)
                    b = a
                    a = temp
                }
            }
        }
        h0 &+= a
        h1 &+= b
        h2 &+= c
        h3 &+= d
        h4 &+= e
    }
}
