import Crypto
import Foundation

/// One-time passwords for the second sign-in factor: HOTP (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA1, six
/// digits and 30-second steps, as every authenticator app reads an `otpauth://totp` URI by default.
public enum OneTimeCodes {
    public static let digits = 6
    public static let step: TimeInterval = 30

    /// RFC 4226 §5.3: HMAC-SHA1 over the 8-byte big-endian counter, dynamic truncation, the low `digits`
    /// decimal digits.
    public static func hotp(secret: [UInt8], counter: UInt64, digits: Int = digits) -> String {
        var message = [UInt8](repeating: 0, count: 8)
        for i in 0..<8 { message[i] = UInt8((counter >> (56 - 8 * UInt64(i))) & 0xff) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let code = String(binary % modulus)
        return String(repeating: "0", count: digits - code.count) + code
    }

    /// RFC 6238 §4: the HOTP of the number of whole steps since 1970.
    public static func totp(secret: [UInt8], at time: Date, digits: Int = digits) -> String {
        hotp(secret: secret, counter: counter(at: time), digits: digits)
    }

    public static func counter(at time: Date) -> UInt64 { UInt64(max(0, time.timeIntervalSince1970) / step) }

    /// The step `code` belongs to, when it is the code of the step at `time` or of one step either side (a
    /// phone's clock a little off, or a code typed as it turned over), else nil. The caller refuses a step
    /// already used (RFC 6238 §5.2: each code once).
    public static func matchingStep(_ code: String, secret: [UInt8], at time: Date) -> UInt64? {
        let typed = code.filter { !$0.isWhitespace }
        guard typed.count == digits, typed.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let now = counter(at: time)
        for c in [now, now &- 1, now + 1] where c <= now + 1 {
            if ConstantTime.equal(hotp(secret: secret, counter: c), typed) { return c }
        }
        return nil
    }

    /// A new secret: 20 random bytes (160 bits, RFC 4226's recommended length).
    public static func newSecret() -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: 160)).withUnsafeBytes { Array($0) }
    }

    /// The URI an authenticator app reads from the QR code (Google Authenticator's Key Uri Format).
    public static func uri(secret: [UInt8], account: String, issuer: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let i = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? issuer
        let a = account.addingPercentEncoding(withAllowedCharacters: allowed) ?? account
        return
            "otpauth://totp/\(i):\(a)?secret=\(Base32.encode(secret))&issuer=\(i)&algorithm=SHA1&digits=\(digits)&period=\(Int(step))"
    }
}

/// RFC 4648 §6 base32 (A–Z, 2–7), without padding, as authenticator apps take secrets.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for b in bytes {
            buffer = buffer << 8 | UInt32(b)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Spaces, hyphens, padding and case are ignored; nil when anything else is not base32.
    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for c in text.uppercased().utf8 where c != UInt8(ascii: " ") && c != UInt8(ascii: "-") && c != UInt8(ascii: "=")
        {
            guard let v = alphabet.firstIndex(of: c) else { return nil }
            buffer = buffer << 5 | UInt32(v)
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return out
    }
}

/// Comparison whose time does not depend on where two secrets differ (codes, CSRF tokens).
public enum ConstantTime {
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
