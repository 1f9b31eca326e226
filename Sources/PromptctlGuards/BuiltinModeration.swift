import Foundation
import PromptctlCore

/// The offline moderation: a ridge regression over hashed word and character n-grams, and each word's neighbours in
/// Enelvo's normalisation lexicon, that predicts the share of annotators who would flag a text, trained on ToLD-Br
/// (pt-BR tweets, CC BY-SA 4.0) by scripts/train-moderation.py, plus a small lexicon for en and es.
///
/// The feature extraction here mirrors the training script exactly (folding, tokens, n-grams, FNV-1a hashing,
/// binary presence, L2 norm per block), and a test checks both give the same scores on probe texts.
///
/// In Portuguese the model decides, and the lexicon only names categories, except threats: measured on ToLD-Br,
/// letting lexicon words such as "porra" flag on their own took the macro-F1 from 0.69 to 0.63, because most
/// tweets that use them were not judged toxic (docs/moderation.md).
public struct BuiltinModeration: ModerationProvider {
    public var name: String { "builtin-moderation" }

    struct Metadata: Decodable {
        var format: Int
        var dimension: Int
        var neighbour_dimension: Int
        var neighbour_weight: Double
        var category_dimension: Int
        var categories: [String]
        var bias: Double
        var category_biases: [Double]
        var threshold: Double
    }

    let metadata: Metadata
    let weights: [Float]
    let neighbours: ModerationNeighbours
    let categoryWeights: [[Float]]
    let lexicon: TermFilter
    /// The toxicity score at or above which a text is flagged.
    public private(set) var threshold: Double
    /// Lexicon categories that flag Portuguese text without the model.
    static let portugueseLexiconFlags: Set<String> = ["threat"]

    /// The shipped model, read once per process: every pipeline (and each of the gateway's reloads) shares it.
    private static let shipped = Result { try BuiltinModeration(readingShippedModel: ()) }

    /// Starts reading the shipped model (five megabytes of weights and neighbours) on a thread of its own, so that a
    /// command's other start-up work runs meanwhile; the first `init` waits for it.
    public static func preload() {
        Thread.detachNewThread { _ = shipped }
    }

    /// The shipped model, with its own threshold or another.
    public init(threshold: Double? = nil) throws {
        var model = try Self.shipped.get()
        if let threshold { model.threshold = threshold }
        self = model
    }

    private init(readingShippedModel: Void) throws {
        // The weights and the neighbour table (5 MB) are mapped, not read: each value is copied once, into the
        // arrays the scores use, instead of into a buffer first (a sixth of the model's load at a command's start).
        func mapped(_ name: String, in directory: URL) -> Data? {
            try? Data(contentsOf: directory.appendingPathComponent(name), options: .alwaysMapped)
        }
        guard
            let directory = Bundle.module.url(forResource: "moderation", withExtension: nil, subdirectory: "Resources"),
            let json = FileManager.default.contents(atPath: directory.appendingPathComponent("model.json").path),
            let binary = mapped("weights.bin", in: directory),
            let neighbourTable = mapped("neighbours.bin", in: directory)
        else {
            throw PromptctlError(
                .infrastructure, "the built-in moderation model is missing from the installation",
                remedy: "rebuild promptctl; the model lives in Sources/PromptctlGuards/Resources/moderation")
        }
        let metadata = try JSONDecoder().decode(Metadata.self, from: json)
        guard metadata.format == 3 else {
            throw PromptctlError(
                .infrastructure, "the built-in moderation model has format \(metadata.format), this build reads 3",
                remedy: "retrain it with scripts/train-moderation.py from this version")
        }
        self.metadata = metadata
        let modelWidth = metadata.dimension + metadata.neighbour_dimension
        let expected = modelWidth + metadata.categories.count * metadata.category_dimension
        let valueCount = binary.count / MemoryLayout<Float>.size
        guard valueCount == expected, binary.count % MemoryLayout<Float>.size == 0 else {
            throw PromptctlError(
                .infrastructure, "the built-in moderation weights have \(valueCount) values, expected \(expected)")
        }
        // Little-endian floats, as the training script writes them (every platform Swift builds promptctl for).
        func floats(_ range: Range<Int>) -> [Float] {
            binary.withUnsafeBytes { raw in
                [Float](unsafeUninitializedCapacity: range.count) { buffer, initialized in
                    for (offset, index) in range.enumerated() {
                        buffer[offset] = raw.loadUnaligned(fromByteOffset: index * 4, as: Float.self)
                    }
                    initialized = range.count
                }
            }
        }
        weights = floats(0..<modelWidth)
        neighbours = try ModerationNeighbours(contentsOf: neighbourTable)
        // A table from another training run could point past this model's neighbour block.
        guard neighbours.indices.allSatisfy({ Int($0) < metadata.neighbour_dimension }) else {
            throw PromptctlError(
                .infrastructure, "the built-in moderation's neighbour table does not match its weights",
                remedy: "rebuild promptctl, or retrain with scripts/train-moderation.py")
        }
        categoryWeights = (0..<metadata.categories.count).map { index in
            let start = modelWidth + index * metadata.category_dimension
            return floats(start..<(start + metadata.category_dimension))
        }
        self.threshold = metadata.threshold
        let lexiconURL = directory.appendingPathComponent("lexicon.yaml")
        let diagnostics = DiagnosticCollector()
        lexicon = try TermFilter.load(
            YAMLFile(contentsOf: lexiconURL, displayPath: "moderation/lexicon.yaml"), diagnostics: diagnostics)
    }

    /// Folds like the training script: NFD, no combining marks, lower case, runs longer than two squeezed.
    static func fold(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars
        where !(0x300...0x36F).contains(scalar.value) {
            scalars.append(scalar)
        }
        let lowered = String(scalars).lowercased()
        var output = String.UnicodeScalarView()
        var last: Unicode.Scalar?
        var run = 0
        for scalar in lowered.unicodeScalars {
            run = scalar == last ? run + 1 : 1
            last = scalar
            if run <= 2 { output.append(scalar) }
        }
        return String(output)
    }

    /// Each Latin-1 scalar's fold when it is a single scalar below 0x100 (`fold` of that scalar alone), else
    /// 0xFFFF. Worked out from `fold` itself, so the two cannot disagree.
    static let latin1Folds: [UInt16] = (0..<0x100).map { value in
        let folded = fold(String(Unicode.Scalar(UInt8(value)))).unicodeScalars
        guard folded.count == 1, let only = folded.first, only.value < 0x100 else { return 0xFFFF }
        return UInt16(only.value)
    }

    /// `fold(text)`'s bytes for text of Latin-1 scalars (Portuguese, Spanish and English as people type them), without
    /// Foundation's decomposition and Unicode lower-casing, which were most of a moderation score's time; nil for any
    /// other text. Every scalar here folds alone (canonical decomposition and lower-casing of Latin-1 look at no
    /// neighbour), and runs of three or more of the same folded scalar keep two, as in `fold`.
    static func latin1Fold(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var last: UInt16 = 0xFFFF
        var run = 0
        for scalar in text.unicodeScalars {
            guard scalar.value < 0x100 else { return nil }
            let folded = latin1Folds[Int(scalar.value)]
            guard folded != 0xFFFF else { return nil }
            run = folded == last ? run + 1 : 1
            last = folded
            // Tokens are ASCII letters and digits: any other scalar only separates them, so one byte stands for it.
            if run <= 2 { output.append(folded < 0x80 ? UInt8(folded) : 0x80) }
        }
        return output
    }

    /// ASCII letter-or-digit runs of the folded text, without ToLD-Br's "@user" placeholder.
    static func tokens(_ text: String) -> [String] {
        guard let folded = latin1Fold(text) else { return foldedTokens(text) }
        return tokens(folded: folded)
    }

    /// `tokens` through `fold` alone (the reference for the Latin-1 path).
    static func foldedTokens(_ text: String) -> [String] { tokens(folded: Array(fold(text).utf8)) }

    static func tokens(folded: [UInt8]) -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        for byte in folded {
            if (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) {
                current.append(byte)
            } else if !current.isEmpty {
                result.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { result.append(String(decoding: current, as: UTF8.self)) }
        return result.filter { $0 != "user" }
    }

    static func fnv1a(_ text: String) -> UInt32 { fnv1a(0x811C_9DC5, text.utf8) }

    /// Hashed, binary, L2-normalised features: every present index weighs 1/sqrt(present count).
    static func features(_ text: String, dimension: Int) -> [Int: Double] {
        features(words: tokens(text), dimension: dimension)
    }

    /// The same features from tokens already made, so that one score folds its text once.
    static func features(words: [String], dimension: Int) -> [Int: Double] {
        let indices = featureIndices(words: words, dimension: dimension)
        guard !indices.isEmpty else { return [:] }
        let value = 1 / Double(indices.count).squareRoot()
        return Dictionary(uniqueKeysWithValues: indices.map { ($0, value) })
    }

    /// FNV-1a continued over more bytes (hashing "c:" then a slice equals hashing their concatenation).
    @inline(__always)
    static func fnv1a<Bytes: Sequence<UInt8>>(_ seed: UInt32, _ bytes: Bytes) -> UInt32 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash
    }

    /// The present feature indices, sorted and without repeats: word, word-pair and character 2–6-gram hashes.
    ///
    /// Hashed straight from the bytes, without a string per feature or a set: this ran on every message and every
    /// answer the gateway releases, and building the feature names was most of the moderation's time.
    static func featureIndices(words: [String], dimension: Int) -> [Int] {
        var indices = featureHashes(words: words, dimension: dimension)
        // Sorted and deduplicated through a bitmap of the dimension (32 KB for 2^18), read in order: cheaper than
        // sorting the few hundred indices of a message, which was a quarter of a score's time.
        var bits = [UInt64](repeating: 0, count: (dimension + 63) / 64)
        for index in indices { bits[index >> 6] |= 1 << UInt64(index & 63) }
        indices.removeAll(keepingCapacity: true)
        for (word, value) in bits.enumerated() where value != 0 {
            var remaining = value
            while remaining != 0 {
                indices.append(word << 6 | remaining.trailingZeroBitCount)
                remaining &= remaining - 1
            }
        }
        return indices
    }

    /// Every feature's index, in the order made, repeats included.
    static func featureHashes(words: [String], dimension: Int) -> [Int] {
        let modulus = UInt32(dimension)
        let start: UInt32 = 0x811C_9DC5
        let wordSeed = fnv1a(start, "w:".utf8)
        let pairSeed = fnv1a(start, "b:".utf8)
        let gramSeed = fnv1a(start, "c:".utf8)
        var indices: [Int] = []
        indices.reserveCapacity(words.count * 30)
        for word in words { indices.append(Int(fnv1a(wordSeed, word.utf8) % modulus)) }
        if words.count > 1 {
            for index in 0..<(words.count - 1) {
                let first = fnv1a(fnv1a(pairSeed, words[index].utf8), CollectionOfOne(UInt8(ascii: " ")))
                indices.append(Int(fnv1a(first, words[index + 1].utf8) % modulus))
            }
        }
        var padded: [UInt8] = []
        for word in words {
            padded.removeAll(keepingCapacity: true)
            padded.append(UInt8(ascii: "#"))
            padded.append(contentsOf: word.utf8)
            padded.append(UInt8(ascii: "#"))
            padded.withUnsafeBufferPointer { bytes in
                for size in 2...6 where bytes.count >= size {
                    for offset in 0...(bytes.count - size) {
                        let slice = UnsafeBufferPointer(rebasing: bytes[offset..<(offset + size)])
                        indices.append(Int(fnv1a(gramSeed, slice) % modulus))
                    }
                }
            }
        }
        return indices
    }

    /// `start` plus each index's weight times `value`, in index order (the order `score` adds them in).
    static func score(_ start: Double, indices: [Int], value: Double, weights: [Float], offset: Int = 0) -> Double {
        var sum = start
        for index in indices { sum = sum + Double(weights[offset + index]) * value }
        return sum
    }

    static func sigmoid(_ value: Double) -> Double { 1 / (1 + exp(-value)) }

    /// `start` plus each present feature's weight times its value, added in index order: a Set's or Dictionary's
    /// order changes with every process, and so would the score's last digits, and every report that prints it.
    static func score(_ start: Double, _ features: [Int: Double], weights: [Float], offset: Int = 0) -> Double {
        features.keys.sorted().reduce(start) { sum, index in
            sum + Double(weights[offset + index]) * features[index, default: 0]
        }
    }

    /// The neighbour block's indices (before its offset) for a text: each token's neighbours, deduplicated.
    func neighbourFeatures(_ text: String) -> Set<Int> { neighbourFeatures(words: Self.tokens(text)) }

    func neighbourFeatures(words: [String]) -> Set<Int> {
        var present: Set<Int> = []
        for token in words {
            for index in neighbours.neighbours(ofTokenHash: Self.fnv1a(token)) { present.insert(Int(index)) }
        }
        return present
    }

    /// The model's raw score for a (Portuguese) text: about the share of annotators who would flag it.
    public func rawScore(_ text: String) -> Double {
        let words = Self.tokens(text)
        let indices = Self.featureIndices(words: words, dimension: metadata.dimension)
        let score =
            indices.isEmpty
            ? metadata.bias
            : Self.score(
                metadata.bias, indices: indices, value: 1 / Double(indices.count).squareRoot(), weights: weights)
        let present = neighbourFeatures(words: words).sorted()
        guard !present.isEmpty else { return score }
        let value = metadata.neighbour_weight / Double(present.count).squareRoot()
        return Self.score(score, indices: present, value: value, weights: weights, offset: metadata.dimension)
    }

    /// The toxicity score in [0, 1] (the raw score, clamped).
    public func toxicity(_ text: String) -> Double { min(1, max(0, rawScore(text))) }

    public func moderate(_ text: String, language: String) async throws -> ModerationResult {
        var scores: [String: Double] = [:]
        var categories: [String] = []
        var flagged = false
        let portuguese = LanguageTag.primary(language) == "pt"
        if portuguese {
            let toxic = toxicity(text)
            scores["toxic"] = toxic
            flagged = toxic >= threshold
            if flagged {
                let features = Self.features(text, dimension: metadata.category_dimension)
                for (index, category) in metadata.categories.enumerated() {
                    let logit = Self.score(
                        metadata.category_biases[index], features, weights: categoryWeights[index])
                    let score = Self.sigmoid(logit)
                    scores[category] = score
                    if score >= 0.5 { categories.append(category) }
                }
                if categories.isEmpty { categories = ["toxic"] }
            }
        }
        for match in lexicon.scan(text) where !categories.contains(match.category) {
            let flags = !portuguese || Self.portugueseLexiconFlags.contains(match.category)
            guard flags || flagged else { continue }
            if flagged && categories == ["toxic"] { categories = [] }  // a named category replaces the generic one
            categories.append(match.category)
            scores[match.category] = max(scores[match.category] ?? 0, 0.9)
            flagged = true
        }
        return ModerationResult(flagged: flagged, categories: categories, scores: scores, source: name)
    }
}
