import Foundation

extension String { public var nilIfEmpty: String? { isEmpty ? nil : self } }

extension Optional {
    public func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let w): return try await f(w)
        case .none: return nil
        }
    }
}
