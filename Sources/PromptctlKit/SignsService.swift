import Foundation
import PromptctlClinical
import PromptctlCore
import PromptctlEval
import PromptctlReports

/// `promptctl signs`: explain what the clinical-signs engine reads in a text, and measure it on labelled sets.
public struct SignsService: Sendable {
    /// The engine this project uses (its `guards/clinical-signs.yaml`, or the bundled one).
    public let engine: ClinicalSignsEngine

    /// Loads the project's definition and learned model; a mistake in either is a configuration error (the
    /// definition's with file:line:col). `rulesOnly` leaves the learned model out (unread), to measure the rules alone or train a new one.
    public init(workspace: Workspace, rulesOnly: Bool = false) throws {
        engine = try ClinicalSignsEngine.forProject(root: workspace.root, learned: !rulesOnly)
    }

    /// Creates a service over an engine.
    public init(engine: ClinicalSignsEngine) { self.engine = engine }

    /// A rubric of the project, read with this engine (without LLM judges, which are skipped).
    public func rubric(_ name: String, workspace: Workspace) throws -> Rubric {
        try Rubric.load(name, root: workspace.root, judge: nil, signs: engine)
    }

    /// What the engine read in one text, with the judgement when an answer is given.
    public struct Explanation: Sendable, Codable {
        /// The text read as her message.
        public var message: SignAnalysis
        /// The warning signs described now.
        public var currentSigns: [WarningSign]
        /// The answer's acts and the clinical rules' verdict, when an answer was given.
        public var judgement: ClinicalJudgement?
        /// The answer's tone markers, when an answer was given.
        public var tone: [ToneMention]?
    }

    /// Explains a message, and an answer to it when given.
    public func explain(message: String, answer: String?, language: String, weeks: Int?) -> Explanation {
        let analysis = engine.analyzeMessage(message, language: language, weeks: weeks)
        var explanation = Explanation(message: analysis, currentSigns: analysis.currentSigns)
        if let answer {
            explanation.judgement = engine.judge(message: message, answer: answer, language: language, weeks: weeks)
            explanation.tone = engine.tone(answer, language: language)
        }
        return explanation
    }

    /// Mentions as a table: what, context, cue, and the words (with their spans and concepts when asked).
    public static func table<Kind: RawRepresentable>(_ title: String, _ mentions: [Mention<Kind>], spans: Bool)
        -> String
    where Kind.RawValue == String {
        TextTable(
            headers: [title, "CONTEXT", "CUE", "WORDS"],
            rows: mentions.map { mention in
                [
                    mention.kind.rawValue, mention.context.rawValue, mention.cue.map { "\"\($0.text)\"" } ?? "",
                    mention.words.map {
                        spans ? "\"\($0.text)\" [\($0.start),\($0.end)) \($0.concept)" : "\"\($0.text)\""
                    }
                    .joined(separator: spans ? "; " : " "),
                ]
            }
        ).render()
    }

    // MARK: - Measuring on labelled sets

    /// One labelled message: `sign` is the warning sign it describes now, or nil.
    public struct LabelledMessage: Sendable, Codable {
        /// Its id.
        public var id: String
        /// BCP 47.
        public var language: String
        /// What she wrote.
        public var text: String
        /// The sign described now, nil for none.
        public var sign: String?
        /// How the set's author described it (current, negated, hypothetical, ...).
        public var context: String?
    }

    /// Counts for one group of messages.
    public struct Counts: Sendable, Codable, Hashable {
        /// Messages with a sign.
        public var signMessages = 0
        /// Of those, how many the engine flagged with any current sign (the guard escalates them).
        public var flagged = 0
        /// Of those, how many it flagged with the labelled sign.
        public var flaggedAsLabelled = 0
        /// Messages without a sign.
        public var otherMessages = 0
        /// Of those, how many the engine flagged (false alarms).
        public var falseAlarms = 0

        /// Share of sign messages flagged.
        public var recall: Double { signMessages == 0 ? 1 : Double(flagged) / Double(signMessages) }
        /// Share of sign messages flagged with the right sign.
        public var signRecall: Double { signMessages == 0 ? 1 : Double(flaggedAsLabelled) / Double(signMessages) }
        /// Share of other messages flagged.
        public var falseAlarmRate: Double { otherMessages == 0 ? 0 : Double(falseAlarms) / Double(otherMessages) }
    }

    /// One message the engine got wrong.
    public struct Miss: Sendable, Codable {
        /// Its id.
        public var id: String
        /// Its language.
        public var language: String
        /// Its text.
        public var text: String
        /// The labelled sign, or nil.
        public var expected: String?
        /// The signs found now.
        public var found: [WarningSign]
    }

    /// The figures of a labelled message set.
    public struct MessageEvaluation: Sendable, Codable {
        /// All messages.
        public var overall = Counts()
        /// By language.
        public var byLanguage: [String: Counts] = [:]
        /// By labelled sign (false alarms are counted under the sign that fired).
        public var bySign: [String: Counts] = [:]
        /// By sign and language: "sign/language".
        public var bySignAndLanguage: [String: Counts] = [:]
        /// False alarms by the set's context label.
        public var byContext: [String: Counts] = [:]
        /// Every message missed or falsely flagged.
        public var errors: [Miss] = []
        /// Messages per second while classifying the set on one core.
        public var messagesPerSecond: Double = 0
    }

    /// Reads a JSONL set of labelled messages and measures the engine on it.
    public func evaluateMessages(path: String) throws -> MessageEvaluation {
        let messages: [LabelledMessage] = try Self.readJSONL(path)
        var result = MessageEvaluation()
        let start = DispatchTime.now().uptimeNanoseconds
        let found = messages.map { engine.analyzeMessage($0.text, language: $0.language).currentSigns }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        result.messagesPerSecond = elapsed > 0 ? Double(messages.count) / elapsed : 0
        for (message, signs) in zip(messages, found) {
            var keys = ["overall", "language:\(message.language)"]
            if let sign = message.sign {
                keys += ["sign:\(sign)", "pair:\(sign)/\(message.language)"]
            } else {
                keys += ["context:\(message.context ?? "none")"]
                keys += signs.flatMap { ["sign:\($0.rawValue)", "pair:\($0.rawValue)/\(message.language)"] }
            }
            for key in keys {
                result.update(key) { counts in
                    if let sign = message.sign {
                        counts.signMessages += 1
                        if !signs.isEmpty { counts.flagged += 1 }
                        if signs.contains(where: { $0.rawValue == sign }) { counts.flaggedAsLabelled += 1 }
                    } else {
                        counts.otherMessages += 1
                        if !signs.isEmpty { counts.falseAlarms += 1 }
                    }
                }
            }
            if (message.sign == nil) != signs.isEmpty {
                result.errors.append(
                    Miss(
                        id: message.id, language: message.language, text: message.text, expected: message.sign,
                        found: signs))
            }
        }
        return result
    }

    /// One labelled answer.
    public struct LabelledAnswer: Sendable, Codable {
        /// Its id.
        public var id: String
        /// BCP 47.
        public var language: String
        /// Her message.
        public var message: String
        /// The answer.
        public var answer: String
        /// The kind of answer (referral, wait, normalise, diagnose, dose, friendly).
        public var kind: String?
        /// pass or fail.
        public var expected: String
    }

    /// The figures of a labelled answer set: agreement of the clinical rules with the labels, by kind.
    public struct AnswerEvaluation: Sendable, Codable {
        /// By kind: how many, and how many the rules judged as labelled.
        public var byKind: [String: Agreement] = [:]
        /// Every answer judged against its label.
        public var errors: [AnswerMiss] = []

        /// Counts of agreement.
        public struct Agreement: Sendable, Codable, Hashable {
            /// Answers of this kind.
            public var total = 0
            /// Judged as labelled.
            public var agreed = 0
            /// Share judged as labelled.
            public var rate: Double { total == 0 ? 1 : Double(agreed) / Double(total) }
        }
    }

    /// One answer the rules judged against its label.
    public struct AnswerMiss: Sendable, Codable {
        /// Its id.
        public var id: String
        /// Its kind.
        public var kind: String?
        /// The label.
        public var expected: String
        /// Signs found in her message.
        public var signs: [WarningSign]
        /// Why the rules failed it (empty when they passed it).
        public var failures: [String]
        /// Her message.
        public var message: String
        /// The answer.
        public var answer: String
    }

    /// Reads a JSONL set of labelled answers and measures the clinical rules on it.
    public func evaluateAnswers(path: String) throws -> AnswerEvaluation {
        let answers: [LabelledAnswer] = try Self.readJSONL(path)
        var result = AnswerEvaluation()
        for item in answers {
            let judgement = engine.judge(message: item.message, answer: item.answer, language: item.language)
            let agreed = judgement.passed == (item.expected == "pass")
            for key in ["all", item.kind ?? "none", "language:\(item.language)"] {
                result.byKind[key, default: .init()].total += 1
                if agreed { result.byKind[key, default: .init()].agreed += 1 }
            }
            if !agreed {
                result.errors.append(
                    AnswerMiss(
                        id: item.id, kind: item.kind, expected: item.expected, signs: judgement.message.currentSigns,
                        failures: judgement.failures.map(\.description), message: item.message, answer: item.answer))
            }
        }
        return result
    }

    /// One answer rated warm or cold by the team.
    public struct RatedAnswer: Sendable, Codable {
        /// Its id.
        public var id: String
        /// BCP 47.
        public var language: String
        /// Her message.
        public var message: String?
        /// The answer.
        public var answer: String
        /// warm or cold.
        public var rating: String
    }

    /// Agreement of a rubric's pass/fail with the team's warm/cold ratings.
    public struct ToneEvaluation: Sendable, Codable {
        /// By language ("all" too).
        public var byLanguage: [String: AnswerEvaluation.Agreement] = [:]
        /// Cohen's kappa over all answers.
        public var kappa: Double = 0
        /// Answers the rubric judged against their rating.
        public var errors: [String] = []
    }

    /// Scores every rated answer with the rubric (its deterministic criteria) and measures agreement with the ratings.
    public func evaluateTone(path: String, rubric: Rubric) async throws -> ToneEvaluation {
        let answers: [RatedAnswer] = try Self.readJSONL(path)
        var result = ToneEvaluation()
        var table = [[0, 0], [0, 0]]  // [rated warm][judged warm]
        for item in answers {
            let score = await rubric.score(
                CriterionContext(userMessage: item.message ?? "", response: item.answer, language: item.language))
            let judgedWarm = score.passed
            let ratedWarm = item.rating == "warm"
            table[ratedWarm ? 1 : 0][judgedWarm ? 1 : 0] += 1
            for key in ["all", item.language] {
                result.byLanguage[key, default: .init()].total += 1
                if judgedWarm == ratedWarm { result.byLanguage[key, default: .init()].agreed += 1 }
            }
            if judgedWarm != ratedWarm {
                result.errors.append(
                    "\(item.id) rated \(item.rating), rubric \(String(format: "%.2f", score.score ?? 0)): \(item.answer)"
                )
            }
        }
        let total = Double(answers.count)
        let observed = Double(table[0][0] + table[1][1]) / total
        let expected =
            (Double(table[0][0] + table[0][1]) * Double(table[0][0] + table[1][0])
                + Double(table[1][0] + table[1][1]) * Double(table[0][1] + table[1][1])) / (total * total)
        result.kappa = expected < 1 ? (observed - expected) / (1 - expected) : 1
        return result
    }

    static func readJSONL<Item: Decodable>(_ path: String) throws -> [Item] {
        try readNumberedJSONL(path).map(\.item)
    }

    /// The items of a JSONL file with the line each stands on (1-based), for errors that name it.
    static func readNumberedJSONL<Item: Decodable>(_ path: String) throws -> [(line: Int, item: Item)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PromptctlError(.usage, "cannot read \(path)", remedy: "check that the file exists and is readable")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var items: [(line: Int, item: Item)] = []
        let decoder = JSONDecoder()
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            do {
                items.append((index + 1, try decoder.decode(Item.self, from: Data(trimmed.utf8))))
            } catch {
                throw PromptctlError(
                    .usage, "\(path):\(index + 1): not a valid line (\(error.localizedDescription))",
                    remedy: "each line is one JSON object with the fields the set needs")
            }
        }
        if items.isEmpty {
            throw PromptctlError(.usage, "\(path) has no lines", remedy: "a labelled set needs at least one line")
        }
        return items
    }
}

extension SignsService.MessageEvaluation {
    mutating func update(_ key: String, _ change: (inout SignsService.Counts) -> Void) {
        let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
        switch parts[0] {
        case "overall": change(&overall)
        case "language": change(&byLanguage[parts[1], default: .init()])
        case "sign": change(&bySign[parts[1], default: .init()])
        case "pair": change(&bySignAndLanguage[parts[1], default: .init()])
        default: change(&byContext[parts[1], default: .init()])
        }
    }
}
