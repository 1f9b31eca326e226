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
    /// One weight per class for each feature.
    public var weights: [String: [Double]]

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
        self.weights = weights
    }

    /// The current file format.
    public static let currentFormat = 1
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

    /// Reads a model file; a malformed one is a configuration error naming the file.
    public static func load(_ data: Data, displayPath: String) throws -> LearnedSignModel {
        let model: LearnedSignModel
        do {
            model = try JSONDecoder().decode(LearnedSignModel.self, from: data)
        } catch {
            throw PromptctlError(
                .config, "\(displayPath) is not a clinical-signs model: \(error)",
                remedy: "rebuild it with `promptctl signs train`")
        }
        guard model.format == currentFormat else {
            throw PromptctlError(
                .config, "\(displayPath) has model format \(model.format); this promptctl reads \(currentFormat)",
                remedy: "rebuild it with `promptctl signs train`")
        }
        guard model.classes.first == "none", model.bias.count == model.classes.count,
            model.weights.values.allSatisfy({ $0.count == model.classes.count })
        else {
            throw PromptctlError(
                .config, "\(displayPath) is inconsistent: every weight row needs one value per class",
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
        var names: [String] = []
        var weights: [Double] = []
        index.reserveCapacity(model.weights.count)
        weights.reserveCapacity(model.weights.count * model.classes.count)
        for (name, row) in model.weights.sorted(by: { $0.key < $1.key }) {
            index[name] = index.count
            names.append(name)
            weights.append(contentsOf: row)
        }
        featureIndex = index
        self.names = names
        self.weights = weights
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
