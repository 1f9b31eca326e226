import ArgumentParser
import Foundation
import PromptctlKit

struct SignsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signs",
        abstract: "The clinical-signs engine: explain what it reads in a message or an answer, and measure it.",
        subcommands: [Explain.self, Evaluate.self, Train.self])

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Show why a message does or does not describe a warning sign now (and judge an answer to it).",
            discussion: """
                Every mention is listed with its sign, the matched words with their character spans, and its context
                (current, negated, hypothetical, historical, other-person, informational). Only current mentions count.
                With --answer, the answer's acts (referral, urgency, normalising, waiting, diagnosis, dose) and the
                clinical rules' verdict are shown too. Exit 0 either way: this explains, it does not gate.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Her message.") var text: String
        @Option(help: "An answer to judge against the clinical rules.") var answer: String?
        @Option(help: "The conversation's language (pt-BR, en, es).") var language: String = "pt-BR"
        @Option(help: "Gestational weeks, when the conversation knows them.") var weeks: Int?
        @Option(help: "Output format.") var format: TableOrJSON = .table
        @Flag(help: "Leave the learned detector out: the rules alone.") var rulesOnly = false

        func run() async throws {
            let service = try SignsService(workspace: global.workspace, rulesOnly: rulesOnly)
            let explanation = service.explain(message: text, answer: answer, language: language, weeks: weeks)
            if format == .json {
                Console.out(try CommandValues.json(explanation))
                return
            }
            Console.out(SignsService.render(explanation))
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "Measure the engine on a labelled set: recall and false alarms per sign and language.",
            discussion: """
                A message set has JSONL lines {"id", "language", "text", "sign": SIGN or null, "context"}. An answer set
                (--answers) has lines {"id", "language", "message", "answer", "kind", "expected": "pass" or "fail"}.
                Exit 1 when recall is below --min-recall or false alarms above --max-false-alarms (message sets), or
                agreement below --min-agreement (answer sets).
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The labelled JSONL file.") var file: String
        @Flag(help: "The file is a set of labelled answers, judged by the clinical rules.") var answers = false
        @Option(help: "The file is a set of answers rated warm or cold; agreement with this rubric is measured.")
        var tone: String?
        @Option(help: "Lowest acceptable recall (0-1).") var minRecall: Double = 0.95
        @Option(help: "Highest acceptable false-alarm rate (0-1).") var maxFalseAlarms: Double = 0.05
        @Option(help: "Lowest acceptable agreement for answer sets (0-1).") var minAgreement: Double = 0.9
        @Flag(help: "List every message the engine got wrong.") var showErrors = false
        @Flag(help: "Leave the learned detector out: measure the rules alone.") var rulesOnly = false
        @Option(help: "Output format.") var format: TableOrJSON = .table

        func validate() throws {
            for (name, value) in [("--min-recall", minRecall), ("--max-false-alarms", maxFalseAlarms)]
            where !(0...1).contains(value) {
                throw ValidationError("\(name) must be between 0 and 1")
            }
        }

        func run() async throws {
            let workspace = global.workspace
            let service = try SignsService(workspace: workspace, rulesOnly: rulesOnly)
            for reason in service.modelStaleness(workspace: workspace) {
                Console.error(
                    "warning: the learned clinical-signs model is stale: \(reason) (run promptctl signs train)")
            }
            let path = workspace.absolute(file)
            if let tone {
                let result = try await service.evaluateTone(
                    path: path, rubric: try service.rubric(tone, workspace: workspace))
                Console.out(
                    format == .json
                        ? try CommandValues.json(result) : SignsService.render(result, showErrors: showErrors))
                if (result.byLanguage["all"]?.rate ?? 0) < minAgreement { throw ExitCode(1) }
                return
            }
            if answers {
                let result = try service.evaluateAnswers(path: path)
                Console.out(
                    format == .json
                        ? try CommandValues.json(result) : SignsService.render(result, showErrors: showErrors))
                if (result.byKind["all"]?.rate ?? 0) < minAgreement { throw ExitCode(1) }
                return
            }
            let result = try service.evaluateMessages(path: path)
            Console.out(
                format == .json ? try CommandValues.json(result) : SignsService.render(result, showErrors: showErrors))
            if result.overall.recall < minRecall || result.overall.falseAlarmRate > maxFalseAlarms {
                throw ExitCode(1)
            }
        }
    }

    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Rebuild the learned detector that works beside the rules, from labelled message sets.",
            discussion: """
                Reads JSONL message sets ({"id", "language", "text", "sign": SIGN or null}), reads each message with the
                project's definition (stems, concepts, context cues) and fits a logistic regression; the model, with
                the checksums of its definition and files, goes to guards/clinical-signs.model.json. The detector adds
                a sign the rules missed when the probability of a sign reaches --add-threshold, and sets the rules'
                signs aside when the probability of none reaches --veto-threshold. The same files give the same model.
                Choose the thresholds on messages the model was not trained on (signs evaluate).
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Labelled JSONL message sets.") var files: [String]
        @Option(help: "Where to write the model.") var output: String = "guards/clinical-signs.model.json"
        @Option(help: "Probability of a sign at which the detector adds one (0-1).") var addThreshold: Double = 0.5
        @Option(help: "Probability of none at which the rules' signs are set aside (0-1).")
        var vetoThreshold: Double = 0.8
        @Option(help: "Full passes of the optimiser.") var iterations: Int = 150
        @Option(help: "Output format.") var format: TableOrJSON = .table

        func validate() throws {
            for (name, value) in [("--add-threshold", addThreshold), ("--veto-threshold", vetoThreshold)]
            where !(0...1).contains(value) {
                throw ValidationError("\(name) must be between 0 and 1")
            }
            if iterations < 1 { throw ValidationError("--iterations must be at least 1") }
        }

        func run() async throws {
            let workspace = global.workspace
            let service = try SignsService(workspace: workspace, rulesOnly: true)
            var options = SignsService.TrainingOptions()
            options.iterations = iterations
            let result = try service.train(
                files: files, output: output, workspace: workspace, options: options, addThreshold: addThreshold,
                vetoThreshold: vetoThreshold)
            if format == .json {
                Console.out(try CommandValues.json(result))
                return
            }
            Console.out(
                "wrote \(result.output): \(result.features) features from \(result.messages) messages "
                    + "(\(result.signMessages) with a sign); add at \(result.addThreshold), set aside at "
                    + "\(result.vetoThreshold)")
        }
    }
}
