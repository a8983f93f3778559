import TrellisCore

typealias Client = TrellisCore.Client
