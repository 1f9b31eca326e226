import Foundation
import PromptctlCore

// The learned detector's side of the engine: the features it reads, how its verdict joins the rules', and how it
// is trained. The features are the engine's own reading, so the model and the rules see the same words.

extension ConceptSet {
    /// Calls `body` with each concept index in the set, ascending, without building an array.
    func forEachMember(_ body: (Int) -> Void) {
        func each(_ word: UInt64, _ offset: Int) {
            var bits = word
            while bits != 0 {
                body(offset + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        each(words.0, 0)
        each(words.1, 64)
        each(words.2, 128)
        each(words.3, 192)
    }
}

/// A feature before it is named: what kind, in which cue's reach.
enum LearnedFeatureKey {
    case question
    case cue(Int)
    case concept(MentionContext, Int)
    case word(MentionContext, String, Int32)
    case pair(String, Int32, String, Int32)
}

/// Rows of a model's features, reachable from the engine's reading without building names.
struct LearnedFeatureIndex: Sendable {
    /// By concept index times 6 plus the mode's slot.
    var concepts: [Int32]
    /// By cue kind.
    var cues: [Int32]
    var question: Int32 = -1
    /// By stem number times 6 plus the mode's slot (stems numbered after the index was built have no row).
    var words: [Int32] = []
    /// By previous stem's number in the high half and the stem's in the low half.
    var pairs: [Int64: Int32] = [:]
}

extension MentionContext {
    /// Its place among the six feature modes.
    var featureSlot: Int {
        switch self {
        case .current: 0
        case .negated: 1
        case .hypothetical: 2
        case .historical: 3
        case .otherPerson: 4
        case .informational: 5
        }
    }
}

extension ClinicalSignsEngine {
    /// The short name of the cue context a word is read in, as a feature prefix.
    static func featurePrefix(_ context: MentionContext) -> String {
        switch context {
        case .current: ""
        case .negated: "neg:"
        case .hypothetical: "hyp:"
        case .historical: "his:"
        case .otherPerson: "oth:"
        case .informational: "inf:"
        }
    }

    /// Walks a message's features: each word's stem and each concept of the definition, marked with the forward cue
    /// whose reach it is in (a denial ends at a comma, every cue at "mas"/"but"/"pero" and at the sentence's end;
    /// the writer's own "eu" ends someone else's story); pairs of neighbouring stems; the cues themselves; and
    /// whether a sentence asks. Training names the features; scoring looks them up without building names.
    func walkFeatures(_ reading: Reading, _ visit: (LearnedFeatureKey, Range<Int>) -> Void) {
        for (sentenceIndex, units) in reading.sentences.enumerated() {
            let words = reading.words[sentenceIndex]
            if reading.questions[sentenceIndex], let last = units.last {
                visit(.question, last.range.upperBound..<last.range.upperBound)
            }
            var mode: MentionContext = .current
            var chain = -1
            var previous = "^"
            var previousNumber = Self.boundaryNumbers.start
            for unit in units {
                if unit.chain != chain {
                    if mode == .negated { mode = .current }
                    chain = unit.chain
                    previous = ","
                    previousNumber = Self.boundaryNumbers.comma
                }
                if unit.concepts.intersects(cueSets.terminator) {
                    mode = .current
                    previous = "|"
                    previousNumber = Self.boundaryNumbers.terminator
                }
                if unit.concepts.intersects(cueSets.speaker), mode == .otherPerson || mode == .historical {
                    mode = .current
                }
                if unit.concepts.intersects(cueSets.allCues) {
                    for (kindIndex, kind) in ContextCueKind.allCases.enumerated()
                    where unit.concepts.contains(cueConcepts[kindIndex]) {
                        visit(.cue(kindIndex), unit.range)
                        if kind.reachesForward, let context = kind.context { mode = context }
                    }
                }
                if !unit.concepts.isEmpty {
                    unit.concepts.forEachMember { index in
                        if !cueSets.allCues.contains(index) { visit(.concept(mode, index), unit.range) }
                    }
                }
                for word in words[unit.position..<unit.position + unit.length] where !word.isNumber {
                    visit(.word(mode, word.stem, word.stemNumber), word.range)
                    visit(.pair(previous, previousNumber, word.stem, word.stemNumber), word.range)
                    previous = word.stem
                    previousNumber = word.stemNumber
                }
            }
        }
    }

    /// The part of the sentence around a character offset, between the terminators ("mas", "but", "pero") on
    /// either side, as a reading of its own.
    func segment(of reading: Reading, around offset: Int) -> Reading? {
        for (index, units) in reading.sentences.enumerated() {
            guard let at = units.firstIndex(where: { $0.range.contains(offset) || $0.range.lowerBound >= offset })
            else { continue }
            var first = at
            while first > 0, !units[first - 1].concepts.intersects(cueSets.terminator) { first -= 1 }
            var last = at
            while last + 1 < units.count, !units[last + 1].concepts.intersects(cueSets.terminator) { last += 1 }
            var all = ConceptSet()
            for unit in units[first...last] { all.formUnion(unit.concepts) }
            return Reading(
                sentences: [Array(units[first...last])], words: [reading.words[index]],
                questions: [reading.questions[index]], all: all, source: reading.source)
        }
        return nil
    }

    /// The feature's name in a model file.
    func featureName(_ key: LearnedFeatureKey) -> String {
        switch key {
        case .question: "q"
        case .cue(let kind): "k:" + ContextCueKind.allCases[kind].rawValue
        case .concept(let mode, let index): Self.featurePrefix(mode) + "c:" + definition.conceptNames[index]
        case .word(let mode, let stem, _): Self.featurePrefix(mode) + "w:" + stem
        case .pair(let previous, _, let stem, _): "b:" + previous + "_" + stem
        }
    }

    /// A message's features by name (training).
    func learnedFeatures(_ reading: Reading) -> [LearnedFeature] {
        var features: [LearnedFeature] = []
        walkFeatures(reading) { key, range in features.append(LearnedFeature(name: featureName(key), range: range)) }
        return features
    }

    /// A message's features as rows of the model (scoring), each row once, with where it was written.
    func learnedRows(_ reading: Reading, index: LearnedFeatureIndex) -> [(Int, Range<Int>)] {
        var rows: [(Int, Range<Int>)] = []
        rows.reserveCapacity(64)
        walkFeatures(reading) { key, range in
            let row: Int32
            switch key {
            case .question: row = index.question
            case .cue(let kind): row = index.cues[kind]
            case .concept(let mode, let concept): row = index.concepts[concept * 6 + mode.featureSlot]
            case .word(let mode, _, let number):
                let slot = Int(number) * 6 + mode.featureSlot
                row = number >= 0 && slot < index.words.count ? index.words[slot] : -1
            case .pair(_, let previous, _, let number):
                row = index.pairs[Int64(previous) << 32 | Int64(UInt32(bitPattern: number))] ?? -1
            }
            // A message has a few dozen features: a scan is cheaper than hashing them into a set.
            if row >= 0, !rows.contains(where: { $0.0 == Int(row) }) { rows.append((Int(row), range)) }
        }
        return rows
    }

    /// The model's features laid out for scoring without building their names.
    /// Numbers for the pair features' boundaries (a sentence's start, a comma, "mas"): negative, so no stem has them.
    static let boundaryNumbers = (start: Int32(-2), comma: Int32(-3), terminator: Int32(-4))

    static func featureIndex(
        for detector: LearnedDetector, definition: ClinicalDefinitionFile, stems: StemInterner
    ) -> LearnedFeatureIndex {
        var index = LearnedFeatureIndex(
            concepts: [Int32](repeating: -1, count: definition.conceptNames.count * 6),
            cues: [Int32](repeating: -1, count: ContextCueKind.allCases.count))
        index.question = Int32(detector.featureIndex["q"] ?? -1)
        for (kindIndex, kind) in ContextCueKind.allCases.enumerated() {
            index.cues[kindIndex] = Int32(detector.featureIndex["k:" + kind.rawValue] ?? -1)
        }
        var conceptByName: [String: Int] = [:]
        for (offset, name) in definition.conceptNames.enumerated() { conceptByName[name] = offset }
        for (name, row) in detector.featureIndex {
            if name.hasPrefix("b:") {
                let body = name.dropFirst(2)
                // Stems never hold "_": the first one splits the pair.
                guard let split = body.firstIndex(of: "_") else { continue }
                let first = String(body[..<split])
                let firstNumber: Int32 =
                    switch first {
                    case "^": boundaryNumbers.start
                    case ",": boundaryNumbers.comma
                    case "|": boundaryNumbers.terminator
                    default: stems.number(first)
                    }
                let second = stems.number(String(body[body.index(after: split)...]))
                index.pairs[Int64(firstNumber) << 32 | Int64(UInt32(bitPattern: second))] = Int32(row)
                continue
            }
            var rest = Substring(name)
            var slot = MentionContext.current.featureSlot
            for mode in MentionContext.allCases where mode != .current {
                let prefix = Self.featurePrefix(mode)
                if rest.hasPrefix(prefix) {
                    slot = mode.featureSlot
                    rest = rest.dropFirst(prefix.count)
                    break
                }
            }
            if rest.hasPrefix("w:") {
                let number = Int(stems.number(String(rest.dropFirst(2))))
                if index.words.count < (number + 1) * 6 {
                    index.words.append(contentsOf: repeatElement(-1, count: (number + 1) * 6 - index.words.count))
                }
                index.words[number * 6 + slot] = Int32(row)
            } else if rest.hasPrefix("c:"), let concept = conceptByName[String(rest.dropFirst(2))] {
                index.concepts[concept * 6 + slot] = Int32(row)
            }
        }
        return index
    }

    static let numberReadings: Set<String> = [
        NumberConcept.pressureHigh.rawValue, NumberConcept.feverReading.rawValue,
    ]

    /// The detector's reading of a message given the rules' mentions: what it would add or set aside.
    func learnedReading(_ reading: Reading, mentions: [SignMention], detector: LearnedDetector)
        -> (reading: LearnedSignReading, added: SignMention?)
    {
        // Only signs with evidence in the message may be added: a greeting or "tenho 20 semanas" has none, whatever
        // the words that often open a message about a sign.
        // Nor a sign the definition rules out for this whole message ("38 semanas" for contractions before 37,
        // laughter for self-harm): every one of its patterns is excluded by a concept the message has.
        let candidates = (1...detector.signs.count).filter { index in
            let sign = detector.signs[index - 1]
            guard signEvidence[sign]?.intersects(reading.all) ?? false else { return false }
            return !(signPatterns[sign] ?? []).allSatisfy { $0.unlessMessage.intersects(reading.all) }
        }
        let rulesFound = mentions.contains(where: \.isCurrent)
        // Most messages have no sign and nothing to add: the model is not asked.
        if !rulesFound, candidates.isEmpty {
            return (LearnedSignReading(sign: nil, signProbability: 0, outcome: .unchanged, words: []), nil)
        }
        // The rules' sign is set aside only when the detector, reading the part of the sentence that holds each
        // of the rules' mentions (up to "mas"/"but"/"pero"), is sure there is none there, and sure of it for the
        // whole message too: the rest of the message cannot outvote a sign found in plain words ("não tive
        // sangramento mas estou com febre de 39").
        var scored: (probabilities: [Double], rows: [(Int, Range<Int>)])?
        var vetoes = rulesFound
        if rulesFound {
            for mention in mentions where mention.isCurrent {
                // A reading the rules took from a number alone ("15 por 10", "38.6") stands: the model reads
                // words, not values.
                if mention.words.allSatisfy({ Self.numberReadings.contains($0.concept) }) {
                    vetoes = false
                    break
                }
                guard let part = segment(of: reading, around: mention.words.first?.start ?? 0) else {
                    vetoes = false
                    break
                }
                let partRows = learnedRows(part, index: learnedIndex!)
                let partScore = (probabilities: detector.probabilities(partRows), rows: partRows)
                if scored == nil { scored = partScore }
                if partScore.probabilities[0] < detector.model.vetoThreshold {
                    // A sign the rules found stands: the part already scored is what the explanation shows.
                    vetoes = false
                    break
                }
            }
        }
        if !rulesFound || vetoes || scored == nil {
            let rows = learnedRows(reading, index: learnedIndex!)
            scored = (detector.probabilities(rows), rows)
        }
        let (probabilities, known) = scored!
        let signProbability = candidates.reduce(0) { $0 + probabilities[$1] }
        let best =
            candidates.max { probabilities[$0] < probabilities[$1] }
            ?? probabilities.indices.dropFirst().max { probabilities[$0] < probabilities[$1] } ?? 1
        let sign = detector.signs[best - 1]
        var outcome = LearnedSignReading.Outcome.unchanged
        if vetoes, probabilities[0] >= detector.model.vetoThreshold {
            outcome = .setAside
        } else if !rulesFound, !candidates.isEmpty, signProbability >= detector.model.addThreshold {
            outcome = .added
        }
        let learned = LearnedSignReading(
            sign: sign, signProbability: (signProbability * 1000).rounded() / 1000, outcome: outcome, words: [])
        // Words are named only for a verdict that changes something (finding them costs as much as the scoring).
        guard outcome != .unchanged else { return (learned, nil) }
        // The words that weighed most toward the verdict shown: the sign, or none when it sets the rules aside.
        let target = outcome == .setAside ? 0 : best
        var source = OriginalText(reading.source)
        var bestByRange: [Range<Int>: (weight: Double, name: String)] = [:]
        for (row, range) in known where range.upperBound > range.lowerBound {
            let base = row * detector.classCount
            let weight = detector.weights[base + target] - detector.weights[base + (target == 0 ? best : 0)]
            if weight > (bestByRange[range]?.weight ?? 0) {
                bestByRange[range] = (weight, detector.names[row])
            }
        }
        let words = bestByRange.sorted { $0.value.weight > $1.value.weight }.prefix(3)
            .sorted { $0.key.lowerBound < $1.key.lowerBound }
            .map { range, best in
                MatchedWords(
                    text: source.cut(range), start: range.lowerBound, end: range.upperBound,
                    concept: "learned " + best.name)
            }
        var explained = learned
        explained.words = words
        let added =
            outcome == .added
            ? SignMention(kind: sign, context: .current, cue: nil, words: words, pattern: 0) : nil
        return (explained, added)
    }

    /// Trains a detector on labelled messages with this engine's reading. Deterministic: the same messages and
    /// definition give the same model.
    public func trainDetector(
        _ examples: [LabelledSignExample], options: LearnedSignModel.TrainingOptions, addThreshold: Double,
        vetoThreshold: Double, sources: [LearnedSignModel.TrainingSource]
    ) -> LearnedSignModel {
        let classes = ["none"] + WarningSign.allCases.map(\.rawValue)
        let classCount = classes.count
        let featureSets = examples.map { example -> [String] in
            let language = ClinicalLanguage(tag: example.language) ?? .pt
            let reading = read(example.text, language: language, weeks: nil)
            return Array(Set(learnedFeatures(reading).map(\.name)))
        }
        var counts: [String: Int] = [:]
        for names in featureSets { for name in names { counts[name, default: 0] += 1 } }
        let vocabulary = counts.filter { $0.value >= options.minimumCount }.keys.sorted()
        var index: [String: Int] = [:]
        for (offset, name) in vocabulary.enumerated() { index[name] = offset }
        let rows = featureSets.map { names in names.compactMap { index[$0] }.sorted() }
        let targets = examples.map { example in example.sign.map { classes.firstIndex(of: $0.rawValue)! } ?? 0 }

        var weights = [Double](repeating: 0, count: vocabulary.count * classCount)
        var bias = [Double](repeating: 0, count: classCount)
        var firstMoment = weights
        var secondMoment = weights
        var biasFirst = bias
        var biasSecond = bias
        let (beta1, beta2, epsilon) = (0.9, 0.999, 1e-8)
        let count = Double(max(1, examples.count))
        for iteration in 1...max(1, options.iterations) {
            var gradient = [Double](repeating: 0, count: weights.count)
            var biasGradient = [Double](repeating: 0, count: classCount)
            for (row, target) in zip(rows, targets) {
                let value = row.isEmpty ? 0 : 1 / Double(row.count).squareRoot()
                var scores = bias
                for feature in row {
                    let base = feature * classCount
                    for c in 0..<classCount { scores[c] += weights[base + c] * value }
                }
                var difference = softmax(scores)
                difference[target] -= 1
                for c in 0..<classCount { biasGradient[c] += difference[c] }
                for feature in row {
                    let base = feature * classCount
                    for c in 0..<classCount { gradient[base + c] += difference[c] * value }
                }
            }
            let correction1 = 1 - Foundation.pow(beta1, Double(iteration))
            let correction2 = 1 - Foundation.pow(beta2, Double(iteration))
            for i in weights.indices {
                let g = gradient[i] / count + options.l2 * weights[i]
                firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * g
                secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * g * g
                weights[i] -=
                    options.learningRate * (firstMoment[i] / correction1)
                    / ((secondMoment[i] / correction2).squareRoot() + epsilon)
            }
            for c in 0..<classCount {
                let g = biasGradient[c] / count
                biasFirst[c] = beta1 * biasFirst[c] + (1 - beta1) * g
                biasSecond[c] = beta2 * biasSecond[c] + (1 - beta2) * g * g
                bias[c] -=
                    options.learningRate * (biasFirst[c] / correction1)
                    / ((biasSecond[c] / correction2).squareRoot() + epsilon)
            }
        }
        func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
        var table: [String: [Double]] = [:]
        for (offset, name) in vocabulary.enumerated() {
            let row = weights[offset * classCount..<(offset + 1) * classCount].map(rounded)
            if row.contains(where: { $0 != 0 }) { table[name] = row }
        }
        return LearnedSignModel(
            format: LearnedSignModel.currentFormat, classes: classes, addThreshold: addThreshold,
            vetoThreshold: vetoThreshold, definitionSHA256: definitionSHA256, trainedOn: sources, options: options,
            bias: bias.map(rounded), weights: table)
    }
}
