import Foundation

/// Prints a page Trellis rendered to PDF with headless Chromium (`--print-to-pdf`), the browser's own print
/// engine, so the PDF is what the print view shows. The page is written to a private temporary directory
/// (0700, file 0600) for the few seconds Chromium needs, then removed. Without Chromium on the server there
/// is no PDF (the caller says so; the browser's own print still works).
enum PDFRenderer {
    /// At most two Chromiums at once: a PDF takes a core for a second or two.
    static let slots = Slots(limit: 2)

    actor Slots {
        let limit: Int
        private var busy = 0
        init(limit: Int) { self.limit = limit }
        func acquire() -> Bool {
            guard busy < limit else { return false }
            busy += 1
            return true
        }
        func release() { busy = max(0, busy - 1) }
    }

    /// `TRELLIS_CHROMIUM`, or the first Chromium or Chrome found in the usual places.
    static var chromium: String? {
        let env = ProcessInfo.processInfo.environment["TRELLIS_CHROMIUM"]
        return ([env].compactMap { $0 } + ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"])
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Thrown when two PDFs are already being made.
    struct Busy: Error {}

    /// The page as PDF, or nil without Chromium; `Busy` when two are already being made.
    static func render(html: String, timeout: TimeInterval = 60) async throws -> Data? {
        guard let binary = chromium else { return nil }
        guard await slots.acquire() else { throw Busy() }
        do {
            let pdf = try await print(html, with: binary, timeout: timeout)
            await slots.release()
            return pdf
        } catch {
            await slots.release()
            throw error
        }
    }

    private static func print(_ html: String, with binary: String, timeout: TimeInterval) async throws -> Data? {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("trellis-pdf-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? fm.removeItem(at: dir) }
        let input = dir.appendingPathComponent("letter.html")
        let output = dir.appendingPathComponent("letter.pdf")
        guard fm.createFile(atPath: input.path, contents: Data(html.utf8), attributes: [.posixPermissions: 0o600])
        else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-pdf-header-footer",
            "--user-data-dir=" + dir.appendingPathComponent("profile").path, "--print-to-pdf=" + output.path,
            input.absoluteString
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in done.resume() }
            do { try process.run() } catch {
                process.terminationHandler = nil
                done.resume(throwing: error)
                return
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if process.isRunning { process.terminate() }
            }
        }
        guard process.terminationStatus == 0, let pdf = fm.contents(atPath: output.path),
            pdf.starts(with: Array("%PDF".utf8))
        else { return nil }
        return pdf
    }
}
