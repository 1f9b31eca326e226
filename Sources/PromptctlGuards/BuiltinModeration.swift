import Foundation
import PromptctlCore

/// The offline moderation: a logistic regression over hashed word and character n-grams, trained on ToLD-Br
/// (pt-BR tweets, CC BY-SA 4.0) by scripts/train-moderation.py, plus a small lexicon for en and es.
///
/// The feature extraction here mirrors the training script exactly (folding, tokens, n-grams, FNV-1a hashing,
/// sublinear counts, L2 norm), and a test checks both give the same probabilities on probe texts.
public struct BuiltinModeration: ModerationProvider {
    public var name: String { "builtin-moderation" }

    struct Metadata: Decodable {
        var dimension: Int
        var category_dimension: Int
        var categories: [String]
        var bias: Double
        var category_biases: [Double]
        var threshold: Double
    }

    let metadata: Metadata
    let weights: [Float]
    let categoryWeights: [[Float]]
    let lexicon: TermFilter
    /// The probability at or above which a text is flagged.
    public let threshold: Double

    /// Loads the shipped model.
    public init(threshold: Double? = nil) throws {
        guard
            let directory = Bundle.module.url(forResource: "moderation", withExtension: nil, subdirectory: "Resources"),
            let json = FileManager.default.contents(atPath: directory.appendingPathComponent("model.json").path),
            let binary = FileManager.default.contents(atPath: directory.appendingPathComponent("weights.bin").path)
        else {
            throw PromptctlError(
                .infrastructure, "the built-in moderation model is missing from the installation",
                remedy: "rebuild promptctl; the model lives in Sources/PromptctlGuards/Resources/moderation")
        }
        let metadata = try JSONDecoder().decode(Metadata.self, from: json)
        self.metadata = metadata
        let floats = binary.withUnsafeBytes { raw in
            Array(raw.bindMemory(to: Float.self))
        }
        let expected = metadata.dimension + metadata.categories.count * metadata.category_dimension
        guard floats.count == expected else {
            throw PromptctlError(
                .infrastructure, "the built-in moderation weights have \(floats.count) values, expected \(expected)")
        }
        weights = Array(floats[0..<metadata.dimension])
        categoryWeights = (0..<metadata.categories.count).map { index in
            let start = metadata.dimension + index * metadata.category_dimension
            return Array(floats[start..<(start + metadata.category_dimension)])
        }
        self.threshold = threshold ?? metadata.threshold
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

    /// ASCII letter-or-digit runs of the folded text, without ToLD-Br's "@user" placeholder.
    static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        for byte in fold(text).utf8 {
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

    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash
    }

    /// Hashed, sublinear, L2-normalised features.
    static func features(_ text: String, dimension: Int) -> [Int: Double] {
        let words = tokens(text)
        var names = words.map { "w:" + $0 }
        if words.count > 1 {
            for index in 0..<(words.count - 1) { names.append("b:" + words[index] + " " + words[index + 1]) }
        }
        for word in words {
            let padded = Array(("#" + word + "#").utf8)
            for size in 3...5 where padded.count >= size {
                for start in 0...(padded.count - size) {
                    names.append("c:" + String(decoding: padded[start..<(start + size)], as: UTF8.self))
                }
            }
        }
        var counts: [Int: Int] = [:]
        for name in names { counts[Int(fnv1a(name) % UInt32(dimension)), default: 0] += 1 }
        var values = counts.mapValues { 1 + log(Double($0)) }
        let norm = sqrt(values.values.reduce(0) { $0 + $1 * $1 })
        if norm > 0 { values = values.mapValues { $0 / norm } }
        return values
    }

    static func sigmoid(_ value: Double) -> Double { 1 / (1 + exp(-value)) }

    /// The model's probability that a (Portuguese) text is toxic.
    public func probability(_ text: String) -> Double {
        let logit = Self.features(text, dimension: metadata.dimension).reduce(metadata.bias) { sum, entry in
            sum + Double(weights[entry.key]) * entry.value
        }
        return Self.sigmoid(logit)
    }

    public func moderate(_ text: String, language: String) async throws -> ModerationResult {
        var scores: [String: Double] = [:]
        var categories: [String] = []
        var flagged = false
        if LanguageTag.primary(language) == "pt" {
            let toxic = probability(text)
            scores["toxic"] = toxic
            flagged = toxic >= threshold
            if flagged {
                let features = Self.features(text, dimension: metadata.category_dimension)
                for (index, category) in metadata.categories.enumerated() {
                    let logit = features.reduce(metadata.category_biases[index]) { sum, entry in
                        sum + Double(categoryWeights[index][entry.key]) * entry.value
                    }
                    let score = Self.sigmoid(logit)
                    scores[category] = score
                    if score >= 0.5 { categories.append(category) }
                }
                if categories.isEmpty { categories = ["toxic"] }
            }
        }
        for match in lexicon.scan(text) where !categories.contains(match.category) {
            categories.append(match.category)
            scores[match.category] = max(scores[match.category] ?? 0, 0.9)
            flagged = true
        }
        return ModerationResult(flagged: flagged, categories: categories, scores: scores, source: name)
    }
}
