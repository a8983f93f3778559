import TrellisCore

// Vapor and Plot export types with the same names as domain types; inside this module the
// domain's win.
typealias Client = TrellisCore.Client
typealias PasswordHasher = TrellisCore.PasswordHasher
typealias Language = TrellisCore.Language
