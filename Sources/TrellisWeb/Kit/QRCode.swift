import Foundation

/// A QR Code (ISO/IEC 18004) of some bytes: byte mode, error correction level M, the smallest version 1–10 that holds them.
///
/// Section numbers below refer to ISO/IEC 18004:2015. Coordinates are (x, y) = (column, row).
public struct QRCode: Sendable, Equatable {
    public let version: Int // 1...10
    public let size: Int // 17 + 4 * version
    public let modules: [[Bool]] // [row][column], true = dark

    public struct TooLong: Error, Equatable {}

    /// Error correction block structure for level M (Table 9): EC codewords per block,
    /// then (number of blocks, data codewords per block) for group 1 and group 2.
    struct Blocks: Sendable {
        let ecPerBlock: Int
        let group1: (count: Int, data: Int)
        let group2: (count: Int, data: Int)
        var dataCodewords: Int { group1.count * group1.data + group2.count * group2.data }
    }

    /// Table 9, level M, versions 1–10 (index 0 = version 1).
    static let blocksM: [Blocks] = [
        Blocks(ecPerBlock: 10, group1: (1, 16), group2: (0, 0)), // v1: 26 codewords
        Blocks(ecPerBlock: 16, group1: (1, 28), group2: (0, 0)), // v2: 44
        Blocks(ecPerBlock: 26, group1: (1, 44), group2: (0, 0)), // v3: 70
        Blocks(ecPerBlock: 18, group1: (2, 32), group2: (0, 0)), // v4: 100
        Blocks(ecPerBlock: 24, group1: (2, 43), group2: (0, 0)), // v5: 134
        Blocks(ecPerBlock: 16, group1: (4, 27), group2: (0, 0)), // v6: 172
        Blocks(ecPerBlock: 18, group1: (4, 31), group2: (0, 0)), // v7: 196
        Blocks(ecPerBlock: 22, group1: (2, 38), group2: (2, 39)), // v8: 242
        Blocks(ecPerBlock: 22, group1: (3, 36), group2: (2, 37)), // v9: 292
        Blocks(ecPerBlock: 26, group1: (4, 43), group2: (1, 44)) // v10: 346
    ]

    /// Annex E, Table E.1: row/column centres of alignment patterns (index 0 = version 1).
    static let alignmentCentres: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
        [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]
    ]

    public init(text: String) throws { try self.init(bytes: Array(text.utf8)) }

    public init(bytes: [UInt8]) throws { try self.init(bytes: bytes, forcedMask: nil) }

    /// `forcedMask` (0–7) skips the penalty evaluation; it exists so tests can exercise every mask.
    init(bytes: [UInt8], forcedMask: Int?) throws {
        // 7.4.1: the smallest version whose data capacity holds mode + count + data.
        guard
            let version = (1...10).first(where: {
                Self.bitsNeeded(bytes.count, $0) <= Self.blocksM[$0 - 1].dataCodewords * 8
            })
        else { throw TooLong() }
        let blocks = Self.blocksM[version - 1]
        let codewords = Self.interleave(
            Self.encodeData(bytes, version: version, capacity: blocks.dataCodewords), blocks)

        var matrix = Matrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.placeCodewords(codewords)
        // 7.8.3: try all eight masks, keep the one with the lowest penalty.
        let candidates = (forcedMask.map { [$0] } ?? Array(0..<8)).map { mask -> Matrix in
            var m = matrix
            m.applyMask(mask)
            m.drawFormatBits(mask: mask)
            return m
        }
        let best = candidates.min { $0.penalty() < $1.penalty() }!
        self.version = version
        self.size = best.size
        self.modules = best.dark
    }

    // MARK: - 7.4 Data encoding

    /// Mode indicator (4) + character count (8 bits for versions 1–9, 16 for 10–40, Table 3) + 8 bits a byte.
    /// (Any count too big for an 8-bit field already exceeds the capacity of versions 1–9.)
    static func bitsNeeded(_ count: Int, _ version: Int) -> Int {
        4 + (version < 10 ? 8 : 16) + 8 * count
    }

    /// 7.4.5 byte mode, 7.4.9 terminator, padding to a byte and the pad codewords 0xEC, 0x11.
    static func encodeData(_ bytes: [UInt8], version: Int, capacity: Int) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ length: Int) {
            for i in stride(from: length - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, version < 10 ? 8 : 16)
        for b in bytes { append(Int(b), 8) }
        append(0, min(4, capacity * 8 - bits.count)) // terminator, possibly truncated
        append(0, (8 - bits.count % 8) % 8) // pad to a codeword boundary
        var codewords = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        var pad: UInt8 = 0xEC
        while codewords.count < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    // MARK: - 7.5 Error correction; 7.6 interleaving

    /// Splits the data into blocks, appends Reed–Solomon EC to each, then interleaves (7.6).
    static func interleave(_ data: [UInt8], _ structure: Blocks) -> [UInt8] {
        var blocks: [[UInt8]] = []
        var offset = 0
        for (count, length) in [structure.group1, structure.group2] {
            for _ in 0..<count {
                blocks.append(Array(data[offset..<offset + length]))
                offset += length
            }
        }
        let generator = ReedSolomon.generator(degree: structure.ecPerBlock)
        let ec = blocks.map { ReedSolomon.remainder($0, generator) }
        var result: [UInt8] = []
        for i in 0..<blocks.map(\.count).max()! {
            for block in blocks where i < block.count { result.append(block[i]) }
        }
        for i in 0..<structure.ecPerBlock {
            for block in ec { result.append(block[i]) }
        }
        return result
    }
}

extension QRCode {
    /// 7.5.2 Reed–Solomon over GF(256) with the field polynomial x⁸+x⁴+x³+x²+1 (0x11D).
    enum ReedSolomon {
        static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
            var x = Int(a)
            var y = Int(b)
            var product = 0
            while y > 0 {
                if y & 1 == 1 { product ^= x }
                x <<= 1
                if x & 0x100 != 0 { x ^= 0x11D }
                y >>= 1
            }
            return UInt8(product)
        }

        /// Coefficients of ∏(x − αⁱ) for i in 0..<degree, highest power first, the leading 1 omitted.
        static func generator(degree: Int) -> [UInt8] {
            var coefficients = [UInt8](repeating: 0, count: degree - 1) + [1]
            var root: UInt8 = 1
            for _ in 0..<degree {
                for j in 0..<degree {
                    coefficients[j] = multiply(coefficients[j], root)
                    if j + 1 < degree { coefficients[j] ^= coefficients[j + 1] }
                }
                root = multiply(root, 2)
            }
            return coefficients
        }

        /// The remainder of data(x)·x^degree divided by the generator: the EC codewords.
        static func remainder(_ data: [UInt8], _ generator: [UInt8]) -> [UInt8] {
            var result = [UInt8](repeating: 0, count: generator.count)
            for byte in data {
                let factor = byte ^ result.removeFirst()
                result.append(0)
                for i in result.indices { result[i] ^= multiply(generator[i], factor) }
            }
            return result
        }
    }

    /// The symbol under construction: module colours plus which modules are function patterns.
    struct Matrix: Sendable {
        let version: Int
        let size: Int
        var dark: [[Bool]]
        var isFunction: [[Bool]]

        init(version: Int) {
            self.version = version
            self.size = 17 + 4 * version
            self.dark = Array(repeating: Array(repeating: false, count: size), count: size)
            self.isFunction = dark
        }

        mutating func set(_ x: Int, _ y: Int, _ isDark: Bool) {
            dark[y][x] = isDark
            isFunction[y][x] = true
        }

        // MARK: 6.3 Function patterns

        mutating func drawFunctionPatterns() {
            for i in 0..<size { // 6.3.5 timing patterns
                set(6, i, i % 2 == 0)
                set(i, 6, i % 2 == 0)
            }
            drawFinder(3, 3) // 6.3.3 finders + 6.3.4 separators
            drawFinder(size - 4, 3)
            drawFinder(3, size - 4)
            let centres = QRCode.alignmentCentres[version - 1] // 6.3.6 alignment patterns
            for cx in centres {
                for cy in centres where !overlapsFinder(cx, cy) { drawAlignment(cx, cy) }
            }
            drawFormatBits(mask: 0) // reserve 7.9 areas (redrawn later)
            drawVersionBits()
        }

        /// A 7×7 finder centred on (cx, cy) with its light separator ring, clipped to the symbol.
        mutating func drawFinder(_ cx: Int, _ cy: Int) {
            for dy in -4...4 {
                for dx in -4...4 where (0..<size).contains(cx + dx) && (0..<size).contains(cy + dy) {
                    let ring = max(abs(dx), abs(dy))
                    set(cx + dx, cy + dy, ring != 2 && ring != 4)
                }
            }
        }

        func overlapsFinder(_ cx: Int, _ cy: Int) -> Bool {
            let last = size - 7
            return (cx == 6 && cy == 6) || (cx == 6 && cy == last) || (cx == last && cy == 6)
        }

        mutating func drawAlignment(_ cx: Int, _ cy: Int) {
            for dy in -2...2 {
                for dx in -2...2 { set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) }
            }
        }

        /// 7.9.1 format information: level M (00) + mask, BCH(15,5) with generator 0x537, XOR 0x5412.
        mutating func drawFormatBits(mask: Int) {
            let data = (0b00 << 3) | mask
            var rem = data
            for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
            let bits = ((data << 10) | rem) ^ 0x5412
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            // Copy 1, around the top-left finder.
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6))
            set(8, 8, bit(7))
            set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            // Copy 2, split between the top-right and bottom-left finders.
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true) // the dark module (7.9.1)
        }

        /// 7.10 version information (versions 7+): 6 bits + BCH(18,6) with generator 0x1F25, in two 6×3 blocks.
        mutating func drawVersionBits() {
            guard version >= 7 else { return }
            var rem = version
            for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
            let bits = (version << 12) | rem
            for i in 0..<18 {
                let isDark = (bits >> i) & 1 == 1
                let a = size - 11 + i % 3
                let b = i / 3
                set(a, b, isDark) // top-right block
                set(b, a, isDark) // bottom-left block
            }
        }

        // MARK: 7.7.3 Codeword placement

        /// Two-module-wide columns from the right, alternately upward and downward, skipping
        /// the vertical timing column and function modules; leftover (remainder) bits stay light.
        mutating func placeCodewords(_ codewords: [UInt8]) {
            var index = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                let upward = (right + 1) & 2 == 0
                for step in 0..<size {
                    let y = upward ? size - 1 - step : step
                    for x in [right, right - 1] where !isFunction[y][x] && index < codewords.count * 8 {
                        dark[y][x] = (codewords[index >> 3] >> (7 - (index & 7))) & 1 == 1
                        index += 1
                    }
                }
                right -= 2
            }
        }

        // MARK: 7.8 Data masking

        /// Table 10 mask conditions, with i = row and j = column.
        static func maskCondition(_ mask: Int, _ i: Int, _ j: Int) -> Bool {
            switch mask {
            case 0: return (i + j) % 2 == 0
            case 1: return i % 2 == 0
            case 2: return j % 3 == 0
            case 3: return (i + j) % 3 == 0
            case 4: return (i / 2 + j / 3) % 2 == 0
            case 5: return (i * j) % 2 + (i * j) % 3 == 0
            case 6: return ((i * j) % 2 + (i * j) % 3) % 2 == 0
            default: return ((i + j) % 2 + (i * j) % 3) % 2 == 0
            }
        }

        mutating func applyMask(_ mask: Int) {
            for i in 0..<size {
                for j in 0..<size where !isFunction[i][j] && Self.maskCondition(mask, i, j) { dark[i][j].toggle() }
            }
        }

        /// 7.8.3.1 penalty score: N1 = 3, N2 = 3, N3 = 40, N4 = 10.
        func penalty() -> Int {
            let columns = (0..<size).map { x in dark.map { $0[x] } }
            var score = 0
            for line in dark + columns { score += runPenalty(line) + finderLikePenalty(line) }
            for y in 0..<size - 1 { // 2×2 blocks of one colour
                for x in 0..<size - 1 {
                    let c = dark[y][x]
                    if dark[y][x + 1] == c && dark[y + 1][x] == c && dark[y + 1][x + 1] == c { score += 3 }
                }
            }
            let darkCount = dark.reduce(0) { $0 + $1.filter { $0 }.count }
            let total = size * size // 10 points per full 5% away from 50%
            score += 10 * (abs(darkCount * 20 - total * 10) / total)
            return score
        }

        /// Rule 1: each run of 5 + i same-coloured modules in a row or column scores 3 + i.
        func runPenalty(_ line: [Bool]) -> Int {
            var score = 0
            var run = 1
            for k in 1...line.count {
                if k < line.count && line[k] == line[k - 1] {
                    run += 1
                } else {
                    if run >= 5 { score += 3 + (run - 5) }
                    run = 1
                }
            }
            return score
        }

        /// Rule 3: 1:1:3:1:1 dark:light:dark:light:dark with four light modules on either side.
        func finderLikePenalty(_ line: [Bool]) -> Int {
            let pattern: [Bool] = [true, false, true, true, true, false, true]
            let light = [Bool](repeating: false, count: 4)
            return (0...(line.count - 11)).filter { start in
                let window = Array(line[start..<start + 11])
                return window == light + pattern || window == pattern + light
            }.count * 40
        }
    }
}

// MARK: - Rendering

extension QRCode {
    /// An SVG drawing: a white background, a 4-module quiet zone, one <path> of the dark modules (shape-rendering="crispEdges"), viewBox in modules, width/height attributes in pixels given by `scale`, role="img" and an aria-label passed in (XML-escaped).
    public func svg(scale: Int = 4, label: String) -> String {
        let side = size + 8
        let scale = max(1, scale)
        var path = "" // one rectangle per horizontal run
        for (y, row) in modules.enumerated() {
            var x = 0
            while x < size {
                guard row[x] else {
                    x += 1
                    continue
                }
                let start = x
                while x < size && row[x] { x += 1 }
                path += "M\(start + 4),\(y + 4)h\(x - start)v1h-\(x - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(side * scale)" height="\(side * scale)" \
            viewBox="0 0 \(side) \(side)" role="img" aria-label="\(Self.xmlEscape(label))">\
            <rect width="\(side)" height="\(side)" fill="#fff"/>\
            <path fill="#000" shape-rendering="crispEdges" d="\(path)"/></svg>
            """
    }

    /// A binary PGM (P5) image with a 4-module quiet zone, `scale` pixels a module, for testing with a decoder.
    public func pgm(scale: Int = 4) -> [UInt8] {
        let scale = max(1, scale)
        let side = (size + 8) * scale
        var image = Array("P5\n\(side) \(side)\n255\n".utf8)
        image.reserveCapacity(image.count + side * side)
        for py in 0..<side {
            for px in 0..<side {
                let x = px / scale - 4
                let y = py / scale - 4
                let isDark = (0..<size).contains(x) && (0..<size).contains(y) && modules[y][x]
                image.append(isDark ? 0 : 255)
            }
        }
        return image
    }

    static let xmlEntities: [Character: String] = [
        "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;"
    ]

    static func xmlEscape(_ s: String) -> String {
        s.reduce(into: "") { out, c in out += xmlEntities[c] ?? String(c) }
    }
}
