import Foundation
import Testing
@testable import TrellisData
@testable import TrellisWeb

/// The second factor's codes against RFC 4226's and RFC 6238's published test values, and the enrolment QR
/// code read back by a real decoder (Debian's zbar-tools; issue 15, point 2).
@Suite("One-time codes and QR")
struct OneTimeCodeTests {
    /// RFC 4226 Appendix D and RFC 6238 Appendix B share this secret: "12345678901234567890".
    static let secret = Array("12345678901234567890".utf8)

    @Test func hotpMatchesRFC4226() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"
        ]
        for (count, code) in expected.enumerated() {
            #expect(OneTimeCodes.hotp(secret: Self.secret, counter: UInt64(count)) == code)
        }
    }

    @Test func totpMatchesRFC6238() {
        // Appendix B, SHA-1, eight digits.
        let expected: [(TimeInterval, String)] = [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"), (20_000_000_000, "65353130")
        ]
        for (t, code) in expected {
            #expect(OneTimeCodes.totp(secret: Self.secret, at: Date(timeIntervalSince1970: t), digits: 8) == code)
        }
        // Six digits (what authenticator apps show) are the low six of the same number.
        #expect(OneTimeCodes.totp(secret: Self.secret, at: Date(timeIntervalSince1970: 59)) == "287082")
    }

    @Test func aCodeIsAcceptedOneStepEitherSideAndNoFurther() {
        let now = Date(timeIntervalSince1970: 1_781_524_800)
        let step = OneTimeCodes.counter(at: now)
        for delta in [-1, 0, 1] {
            let code = OneTimeCodes.hotp(secret: Self.secret, counter: UInt64(Int(step) + delta))
            #expect(OneTimeCodes.matchingStep(code, secret: Self.secret, at: now) == UInt64(Int(step) + delta))
        }
        for delta in [-3, -2, 2, 3] {
            let code = OneTimeCodes.hotp(secret: Self.secret, counter: UInt64(Int(step) + delta))
            #expect(OneTimeCodes.matchingStep(code, secret: Self.secret, at: now) == nil)
        }
        #expect(OneTimeCodes.matchingStep("12345", secret: Self.secret, at: now) == nil)
        #expect(OneTimeCodes.matchingStep("abcdef", secret: Self.secret, at: now) == nil)
    }

    @Test func base32RoundTripsAndMatchesRFC4648() {
        // RFC 4648 §10, without padding.
        for (text, encoded) in [
            ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI")
        ] {
            #expect(Base32.encode(Array(text.utf8)) == encoded)
            #expect(Base32.decode(encoded.lowercased()) == Array(text.utf8))
        }
        let secret = OneTimeCodes.newSecret()
        #expect(secret.count == 20)
        #expect(Base32.decode(Base32.encode(secret)) == secret)
        #expect(Base32.decode("not base32!") == nil)
    }

    /// Runs the decoder on a thread of its own: waiting for a process on one of the test pool's two threads
    /// starved the other tests' database connections (their requests timed out).
    static func decode(_ zbar: String, _ path: String) async throws -> String {
        try await OffThread.run {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: zbar)
            p.arguments = ["--quiet", "--raw", "-Sbinary", path]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            var read = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            if read.last == 0x0A { read.removeLast() }
            return String(decoding: read, as: UTF8.self)
        }
    }

    @Test func theEnrolmentQRCodeReadsBackAsItsURI() async throws {
        let zbar = "/usr/bin/zbarimg"
        guard FileManager.default.isExecutableFile(atPath: zbar) else {
            // CI installs zbar-tools (.ci/run), so this is checked there on every run.
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "zbar-tools is missing")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var inputs = [
            "otpauth://totp/Trellis:a?secret=GEZDGNBV&issuer=Trellis", "x", String(repeating: "7", count: 213)
        ]
        for name in ["casemanager1", "josé.ruiz", "田中", "o'brien@example.org"] {
            inputs.append(
                OneTimeCodes.uri(secret: OneTimeCodes.newSecret(), account: name, issuer: "Trellis Riverside"))
        }
        for (i, text) in inputs.enumerated() {
            let code = try QRCode(text: text)
            let file = dir.appendingPathComponent("\(i).pgm")
            try Data(code.pgm(scale: 3)).write(to: file)
            let read = try await Self.decode(zbar, file.path)
            #expect(read == text, "input \(i), version \(code.version)")
        }
        #expect(throws: QRCode.TooLong.self) { try QRCode(text: String(repeating: "7", count: 214)) }
        let svg = try QRCode(text: inputs[3]).svg(scale: 4, label: "QR <code>")
        #expect(svg.hasPrefix("<svg") && svg.contains("aria-label=\"QR &lt;code&gt;\""))
    }
}
