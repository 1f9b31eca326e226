import Foundation
import PromptctlCore

/// A detector learned from the team's labelled messages, beside the rules: multinomial logistic regression over
/// the words the engine reads (Snowball stems after WhatsApp spellings), the concepts of the definition file, and
/// the ConText cue whose reach each word is in ("não", "se", "minha irmã", "na outra gravidez").
///
/// Why beside the rules: the rules understand the language they were written for and explain themselves word by
/// word, but every paraphrase they were not written for is missed, and every cue they were not written for is a
/// false alarm. The detector generalises from the same stems and cues; the engine lets it add a sign the rules
/// missed when it is confident, and set aside the rules' sign when it is confident there is none. Both thresholds
/// are in the model file, chosen on messages the model was not trained on.
public struct LearnedSignModel: Codable, Sendable, Equatable {
    /// The file format's version.
    public var format: Int
    /// The classes: "none", then the warning signs.
    public var classes: [String]
    /// A sign is added when the probability of any sign reaches this.
    public var addThreshold: Double
    /// The rules' signs are set aside when the probability of none reaches this.
    public var vetoThreshold: Double
    /// SHA-256 of the definition file the features were read with.
    public var definitionSHA256: String
    /// The labelled files the model was trained on.
    public var trainedOn: [TrainingSource]
    /// How it was trained.
    public var options: TrainingOptions
    /// One intercept per class.
    public var bias: [Double]
    /// The features that weigh, sorted by name.
    public private(set) var features: [String]
    /// One weight per class for each feature, row after row in the order of `features`.
    public private(set) var weightMatrix: [Double]

    /// One weight per class for each feature, by feature name.
    public var weights: [String: [Double]] {
        Dictionary(
            uniqueKeysWithValues: features.enumerated().map { offset, name in
                (name, Array(weightMatrix[offset * classes.count..<(offset + 1) * classes.count]))
            })
    }

    /// Creates a model (training builds one; tests build small ones by hand).
    public init(
        format: Int, classes: [String], addThreshold: Double, vetoThreshold: Double, definitionSHA256: String,
        trainedOn: [TrainingSource], options: TrainingOptions, bias: [Double], weights: [String: [Double]]
    ) {
        self.format = format
        self.classes = classes
        self.addThreshold = addThreshold
        self.vetoThreshold = vetoThreshold
        self.definitionSHA256 = definitionSHA256
        self.trainedOn = trainedOn
        self.options = options
        self.bias = bias
        let sorted = weights.sorted { $0.key < $1.key }
        features = sorted.map(\.key)
        weightMatrix = sorted.flatMap(\.value)
    }

    enum CodingKeys: String, CodingKey {
        case format, classes, addThreshold, vetoThreshold, definitionSHA256, trainedOn, options, bias, features
        case weights
    }

    // The weights are the bulk of the file (about 10,000 features × 12 classes). As JSON numbers they took 45 ms
    // of every command's start to decode; as whole thousandths (the training's rounding, so nothing is lost) in
    // little-endian 32-bit integers, base64-encoded, they take well under a millisecond. Names stay readable.

    /// Reads the file's fields; the weights from their packed form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(Int.self, forKey: .format)
        guard format == Self.currentFormat else { throw OtherFormat(format: format) }
        classes = try container.decode([String].self, forKey: .classes)
        addThreshold = try container.decode(Double.self, forKey: .addThreshold)
        vetoThreshold = try container.decode(Double.self, forKey: .vetoThreshold)
        definitionSHA256 = try container.decode(String.self, forKey: .definitionSHA256)
        trainedOn = try container.decode([TrainingSource].self, forKey: .trainedOn)
        options = try container.decode(TrainingOptions.self, forKey: .options)
        bias = try container.decode([Double].self, forKey: .bias)
        features = try container.decode([String].self, forKey: .features)
        guard let packed = Data(base64Encoded: try container.decode(String.self, forKey: .weights)),
            packed.count == features.count * classes.count * 4
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .weights, in: container,
                debugDescription: "the weights are not \(features.count) × \(classes.count) packed thousandths")
        }
        weightMatrix = packed.withUnsafeBytes { raw in
            (0..<packed.count / 4).map { index in
                Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))) / 1000
            }
        }
    }

    /// Writes the file's fields; the weights packed as whole thousandths.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(classes, forKey: .classes)
        try container.encode(addThreshold, forKey: .addThreshold)
        try container.encode(vetoThreshold, forKey: .vetoThreshold)
        try container.encode(definitionSHA256, forKey: .definitionSHA256)
        try container.encode(trainedOn, forKey: .trainedOn)
        try container.encode(options, forKey: .options)
        try container.encode(bias, forKey: .bias)
        try container.encode(features, forKey: .features)
        var packed = Data(capacity: weightMatrix.count * 4)
        for weight in weightMatrix {
            let thousandths = (weight * 1000).rounded()
            guard let value = Int32(exactly: thousandths) else {
                throw EncodingError.invalidValue(
                    weight, .init(codingPath: [CodingKeys.weights], debugDescription: "a weight beyond ±2,147,483"))
            }
            withUnsafeBytes(of: value.littleEndian) { packed.append(contentsOf: $0) }
        }
        try container.encode(packed.base64EncodedString(), forKey: .weights)
    }

    /// The current file format.
    public static let currentFormat = 2
    /// The path of the model inside a project, beside its definition.
    public static let projectPath = "guards/clinical-signs.model.json"

    /// A labelled file the model learned from, with its checksum so a changed file shows the model is stale.
    public struct TrainingSource: Codable, Sendable, Equatable {
        /// Path relative to the project.
        public var file: String
        /// SHA-256 of its bytes.
        public var sha256: String
        /// How many messages it holds.
        public var messages: Int

        /// Creates a source record.
        public init(file: String, sha256: String, messages: Int) {
            self.file = file
            self.sha256 = sha256
            self.messages = messages
        }
    }

    /// The optimiser's settings (full-batch Adam on the cross-entropy with an L2 penalty).
    public struct TrainingOptions: Codable, Sendable, Equatable {
        /// Full passes over the data.
        public var iterations: Int = 150
        /// Adam's step size.
        public var learningRate: Double = 0.05
        /// The L2 penalty on the weights.
        public var l2: Double = 1e-5
        /// A feature seen in fewer messages than this is left out.
        public var minimumCount: Int = 2

        /// The defaults.
        public init() {}
    }

    /// A file written in another format: its fields cannot be read as this one's.
    struct OtherFormat: Error {
        var format: Int
    }

    /// Reads a model file; a malformed one is a configuration error naming the file.
    public static func load(_ data: Data, displayPath: String) throws -> LearnedSignModel {
        let model: LearnedSignModel
        do {
            model = try JSONDecoder().decode(LearnedSignModel.self, from: data)
        } catch let other as OtherFormat {
            throw PromptctlError(
                .config, "\(displayPath) has model format \(other.format); this promptctl reads \(currentFormat)",
                remedy: "rebuild it with `promptctl signs train`")
        } catch {
            throw PromptctlError(
                .config, "\(displayPath) is not a clinical-signs model: \(error)",
                remedy: "rebuild it with `promptctl signs train`")
        }
        guard model.classes.first == "none", model.bias.count == model.classes.count,
            zip(model.features, model.features.dropFirst()).allSatisfy({ $0 < $1 })
        else {
            throw PromptctlError(
                .config, "\(displayPath) is inconsistent: one intercept per class and features sorted, each once",
                remedy: "rebuild it with `promptctl signs train`")
        }
        for name in model.classes.dropFirst() where WarningSign(rawValue: name) == nil {
            throw PromptctlError(
                .config, "\(displayPath) names an unknown sign \"\(name)\"",
                remedy: "rebuild it with `promptctl signs train`")
        }
        return model
    }

    /// The file's bytes: sorted keys and weights rounded to 0.001, so a retrain on the same data gives the same
    /// file; compact, as the weights are read by the engine, not by people (`signs explain` shows what weighed).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// One labelled message to learn from.
public struct LabelledSignExample: Sendable {
    /// What she wrote.
    public var text: String
    /// BCP 47.
    public var language: String
    /// The sign she describes now, or nil.
    public var sign: WarningSign?

    /// Creates an example.
    public init(text: String, language: String, sign: WarningSign?) {
        self.text = text
        self.language = language
        self.sign = sign
    }
}

/// What the learned detector read in a message and what it changed.
public struct LearnedSignReading: Sendable, Codable, Hashable {
    /// What the detector did to the rules' verdict.
    public enum Outcome: String, Sendable, Codable, Hashable {
        /// Nothing: it agrees, or is not confident enough to change anything.
        case unchanged
        /// It added a sign the rules did not find now.
        case added
        /// It set aside the rules' signs: it is confident that no sign is described now.
        case setAside = "set-aside"
    }

    /// The most probable sign; nil when the model was not asked (no sign found and no evidence of one).
    public var sign: WarningSign?
    /// The probability that a sign with evidence in the message (one of its findings) is described now.
    public var signProbability: Double
    /// What it changed.
    public var outcome: Outcome
    /// The words that weighed most for its verdict, with their spans.
    public var words: [MatchedWords]
}

/// A model ready to score messages: features by index, weights in one flat array.
struct LearnedDetector: Sendable {
    let model: LearnedSignModel
    let featureIndex: [String: Int]
    /// Feature names by row, for explanations.
    let names: [String]
    let weights: [Double]
    let classCount: Int
    let signs: [WarningSign]

    init(model: LearnedSignModel) {
        self.model = model
        classCount = model.classes.count
        signs = model.classes.dropFirst().compactMap(WarningSign.init(rawValue:))
        var index: [String: Int] = [:]
        index.reserveCapacity(model.features.count)
        for (offset, name) in model.features.enumerated() { index[name] = offset }
        featureIndex = index
        names = model.features
        weights = model.weightMatrix
    }

    /// Class probabilities for a message's feature rows (each once), as in training: binary features scaled to
    /// unit length, so a long message does not shout.
    func probabilities(_ rows: [(Int, Range<Int>)]) -> [Double] {
        let value = rows.isEmpty ? 0 : 1 / Double(rows.count).squareRoot()
        var scores = model.bias
        for (row, _) in rows {
            let base = row * classCount
            for c in 0..<classCount { scores[c] += weights[base + c] * value }
        }
        return softmax(scores)
    }
}

func softmax(_ scores: [Double]) -> [Double] {
    let top = scores.max() ?? 0
    let exps = scores.map { Foundation.exp($0 - top) }
    let sum = exps.reduce(0, +)
    return exps.map { $0 / sum }
}

/// One feature of a message: its name and where it was written.
struct LearnedFeature: Sendable {
    var name: String
    var range: Range<Int>
}
