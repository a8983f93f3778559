import Foundation

/// Work that blocks (SQLite's C API walking a whole file or copying it, a child process) runs on a thread of its
/// own: on Swift's cooperative pool (two threads on a two-core machine) it would stall every other task, and on
/// NIO's blocking pool it would hold one of the threads every SQLite query needs.
public enum OffThread {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<T, any Error>) in
            let thread = Thread {
                do { done.resume(returning: try work()) } catch { done.resume(throwing: error) }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
