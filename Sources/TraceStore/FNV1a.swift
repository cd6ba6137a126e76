/// The 64-bit FNV-1a hash (Fowler–Noll–Vo; offset basis 0xcbf29ce484222325, prime
/// 0x100000001b3, see http://www.isthe.com/chongo/tech/comp/fnv/), used for `run.config_hash`.
public enum FNV1a {
    /// The FNV-1a 64-bit hash of the UTF-8 bytes of `text`.
    /// - Parameter text: the text to hash.
    /// - Returns: the hash value.
    public static func hash64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The FNV-1a 64-bit hash of `text` as 16 lowercase hexadecimal digits (zero-padded).
    /// - Parameter text: the text to hash.
    /// - Returns: e.g. `"cbf29ce484222325"` for the empty string.
    public static func hex64(_ text: String) -> String {
        let digits = String(hash64(text), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
