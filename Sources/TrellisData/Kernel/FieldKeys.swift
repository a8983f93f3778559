import Crypto
import Fluent
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The keys that encrypt the most sensitive identifiers (SSNs) in the database, kept outside it.
///
/// The key file holds one key per line, `<number> <base64 of 32 bytes>`; lines starting with `#` are
/// comments. The last line is the current key: new values are sealed with it, and values sealed with an
/// earlier one are still read until `trellis key rotate` has resealed them. From each key two are derived
/// (HKDF-SHA256): one seals (AES-256-GCM, the row's id bound in as associated data so a value cannot be
/// moved to another row), the other makes the keyed hash (HMAC-SHA256) that exact search and the duplicate
/// check compare instead of the clear value.
public struct FieldKeys: Sendable {
    public struct Key: Sendable {
        public let number: Int
        let secret: SymmetricKey
        let seal: SymmetricKey
        let index: SymmetricKey

        init(number: Int, secret: SymmetricKey) {
            self.number = number
            self.secret = secret
            seal = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: secret, info: Data("trellis field seal".utf8), outputByteCount: 32)
            index = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: secret, info: Data("trellis field index".utf8), outputByteCount: 32)
        }

        /// What the database keeps to recognise this key without holding it: an HMAC of a fixed text.
        public var check: String {
            Data(HMAC<SHA256>.authenticationCode(for: Data("trellis key check".utf8), using: secret))
                .base64EncodedString()
        }

        var line: String { "\(number) " + secret.withUnsafeBytes { Data($0).base64EncodedString() } }
    }

    public let keys: [Key]
    /// Where they were read from, for messages (a path, or the environment variable's name).
    public let source: String
    /// The key file, when these keys were just made and written to it.
    public var createdFile: String? = nil

    public var current: Key { keys[keys.count - 1] }

    public init(keys: [Key], source: String) {
        precondition(!keys.isEmpty)
        self.keys = keys
        self.source = source
    }

    public func key(_ number: Int) -> Key? { keys.first { $0.number == number } }

    // MARK: Sealing

    /// `k<number>:` then base64 of the nonce, the ciphertext and the tag.
    public func seal(_ clear: String, row: UUID) throws -> String {
        let box = try AES.GCM.seal(Data(clear.utf8), using: current.seal, authenticating: Self.context(row))
        guard let combined = box.combined else { throw FieldKeyError.cannotSeal }
        return "k\(current.number):" + combined.base64EncodedString()
    }

    public func open(_ stored: String, row: UUID) throws -> String {
        guard let (number, body) = Self.split(stored) else { throw FieldKeyError.notSealed }
        guard let key = key(number) else { throw FieldKeyError.unknownKey(number, source: source) }
        guard let data = Data(base64Encoded: String(body)) else { throw FieldKeyError.damaged }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            let clear = try AES.GCM.open(box, using: key.seal, authenticating: Self.context(row))
            return String(decoding: clear, as: UTF8.self)
        } catch {
            throw FieldKeyError.damaged
        }
    }

    /// Sealed bytes (documents): the magic `TRK1`, the key number (4 bytes, big-endian), then the nonce, the
    /// ciphertext and the tag.
    public func seal(bytes clear: Data, row: UUID) throws -> Data {
        let box = try AES.GCM.seal(clear, using: current.seal, authenticating: Self.context(row))
        guard let combined = box.combined else { throw FieldKeyError.cannotSeal }
        var out = Self.magic
        withUnsafeBytes(of: UInt32(current.number).bigEndian) { out.append(contentsOf: $0) }
        out.append(combined)
        return out
    }

    public func open(bytes stored: Data, row: UUID) throws -> Data {
        guard let number = Self.keyNumber(bytes: stored) else { throw FieldKeyError.notSealed }
        guard let key = key(number) else { throw FieldKeyError.unknownKey(number, source: source) }
        do {
            let box = try AES.GCM.SealedBox(combined: stored.dropFirst(8))
            return try AES.GCM.open(box, using: key.seal, authenticating: Self.context(row))
        } catch {
            throw FieldKeyError.damaged
        }
    }

    static let magic = Data("TRK1".utf8)

    public static func keyNumber(bytes stored: Data) -> Int? {
        guard stored.count >= 8, stored.prefix(4) == magic else { return nil }
        return Int(stored.dropFirst(4).prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    /// The key number a stored value was sealed with, or nil when it is not a sealed value.
    public static func keyNumber(_ stored: String) -> Int? { split(stored)?.0 }

    private static func split(_ stored: String) -> (Int, Substring)? {
        guard stored.hasPrefix("k"), let colon = stored.firstIndex(of: ":"),
            let n = Int(stored[stored.index(after: stored.startIndex)..<colon])
        else { return nil }
        return (n, stored[stored.index(after: colon)...])
    }

    private static func context(_ row: UUID) -> Data { Data(row.uuidString.lowercased().utf8) }

    /// The keyed hash of a value, for exact comparison: base64 of HMAC-SHA256 under the current key.
    public func index(_ clear: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(clear.utf8), using: current.index)).base64EncodedString()
    }

    // MARK: The key file

    /// The keys an instance uses: `TRELLIS_KEY` (the file's text itself, for secret stores), else the file at
    /// `TRELLIS_KEY_FILE`, else `trellis.key` in the data directory, created (0600) with a new key when it
    /// does not exist yet.
    public static func configured(environment env: [String: String], dataDirectory: String) throws -> FieldKeys {
        if let text = env["TRELLIS_KEY"], !text.isEmpty {
            return try parse(text, source: "TRELLIS_KEY")
        }
        if let path = env["TRELLIS_KEY_FILE"], !path.isEmpty {
            return try load(path: path, create: false)
        }
        return try load(path: defaultPath(dataDirectory: dataDirectory), create: true)
    }

    /// The key file an instance uses (nil when the key is given as text in `TRELLIS_KEY`).
    public static func path(environment env: [String: String], dataDirectory: String) -> String? {
        if let text = env["TRELLIS_KEY"], !text.isEmpty { return nil }
        if let path = env["TRELLIS_KEY_FILE"], !path.isEmpty { return path }
        return defaultPath(dataDirectory: dataDirectory)
    }

    public static func defaultPath(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("trellis.key")
    }

    public static func load(path: String, create: Bool) throws -> FieldKeys {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            return try parse(text, source: path)
        }
        guard create else { throw FieldKeyError.unreadable(path) }
        if FileManager.default.fileExists(atPath: path) {
            // Another instance may have linked it into place since the read above (it is whole once there).
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw FieldKeyError.unreadable(path)
            }
            return try parse(text, source: path)
        }
        var keys = FieldKeys(keys: [Key(number: 1, secret: SymmetricKey(size: .bits256))], source: path)
        keys.createdFile = path
        do {
            try keys.write(to: path, exclusive: true)
        } catch FieldKeyError.exists {
            // Another instance created it first: use theirs.
            return try load(path: path, create: false)
        }
        return keys
    }

    public static func parse(_ text: String, source: String) throws -> FieldKeys {
        var keys: [Key] = []
        for (i, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, let number = Int(parts[0]), number > 0,
                let bytes = Data(base64Encoded: String(parts[1])), bytes.count == 32
            else { throw FieldKeyError.badLine(source: source, line: i + 1) }
            guard !keys.contains(where: { $0.number == number }) else {
                throw FieldKeyError.badLine(source: source, line: i + 1)
            }
            keys.append(Key(number: number, secret: SymmetricKey(data: bytes)))
        }
        guard !keys.isEmpty else { throw FieldKeyError.empty(source) }
        return FieldKeys(keys: keys, source: source)
    }

    /// The same keys with a new current one after them.
    public func adding() -> FieldKeys {
        let next = (keys.map(\.number).max() ?? 0) + 1
        return FieldKeys(keys: keys + [Key(number: next, secret: SymmetricKey(size: .bits256))], source: source)
    }

    /// The current key alone.
    public func currentOnly() -> FieldKeys { FieldKeys(keys: [current], source: source) }

    public var fileText: String {
        "# Trellis field keys: keep this file safe and with every backup; without it the encrypted fields are lost.\n"
            + "# The last key is the current one. Written by Trellis; see the README, \"What an operator keeps safe\".\n"
            + keys.map(\.line).joined(separator: "\n") + "\n"
    }

    /// Writes the file with mode 0600, whole or not at all: written beside it and synced, then linked into
    /// place when `exclusive` (failing with `.exists` if another process made it first), else renamed over it.
    public func write(to path: String, exclusive: Bool) throws {
        let data = Data(fileText.utf8)
        let temporary = path + ".\(getpid()).\(UUID().uuidString.prefix(8)).new"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw FieldKeyError.unwritable(temporary, String(cString: strerror(errno))) }
        defer { unlink(temporary) }
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == data.count, synced == 0 else { throw FieldKeyError.unwritable(temporary, "short write") }
        if exclusive {
            guard link(temporary, path) == 0 else {
                if errno == EEXIST { throw FieldKeyError.exists }
                throw FieldKeyError.unwritable(path, String(cString: strerror(errno)))
            }
        } else {
            guard rename(temporary, path) == 0 else {
                throw FieldKeyError.unwritable(path, String(cString: strerror(errno)))
            }
        }
    }
}

public enum FieldKeyError: Error, CustomStringConvertible, Equatable {
    case notSealed, damaged, cannotSeal, exists
    case unknownKey(Int, source: String)
    case unreadable(String)
    case unwritable(String, String)
    case badLine(source: String, line: Int)
    case empty(String)
    /// The database holds values sealed with keys the configured keys lack (or have different bytes for).
    case missing([Int], source: String)

    public var description: String {
        switch self {
        case .notSealed: return "A field that should be encrypted is stored in clear."
        case .damaged: return "An encrypted field does not open with its key: it was altered, or the key is wrong."
        case .cannotSeal: return "The field could not be encrypted."
        case .exists: return "The key file exists already."
        case .unknownKey(let n, let source): return "Key \(n) is not in \(source)."
        case .unreadable(let path):
            return "The key file \(path) cannot be read. Restore it from your backup, or unset TRELLIS_KEY_FILE."
        case .unwritable(let path, let why): return "The key file \(path) cannot be written: \(why)."
        case .badLine(let source, let line):
            return "\(source), line \(line): expected a key number and 32 bytes in base64, each number once."
        case .empty(let source): return "\(source) holds no key."
        case .missing(let numbers, let source):
            let list = numbers.map(String.init).joined(separator: ", ")
            return
                "This database holds SSNs and documents encrypted with key \(list), which \(source) does not hold (or holds different bytes for). Start Trellis with the key file that belongs to this database (restore it from the backup taken with it); nothing was changed."
        }
    }
}

/// A database configuration that carries the field keys, so every store made from a database (and from each
/// of its transactions) finds them.
struct KeyedConfiguration: DatabaseConfiguration {
    var base: any DatabaseConfiguration
    let keys: FieldKeys
    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }
    func makeDriver(for databases: Databases) -> any DatabaseDriver { base.makeDriver(for: databases) }
}

extension Database {
    /// The field keys this database was configured with.
    var fieldKeys: FieldKeys {
        get throws {
            guard let keyed = context.configuration as? KeyedConfiguration else { throw FieldKeyError.cannotSeal }
            return keyed.keys
        }
    }
}
