import Foundation
import PromptctlClinical
import PromptctlCore

/// `promptctl signs train`: the learned detector, rebuilt from the team's labelled messages.
extension SignsService {
    /// What a training run read and wrote.
    public struct TrainingResult: Sendable, Codable {
        /// Where the model was written (relative to the project when inside it).
        public var output: String
        /// Messages learned from, in all.
        public var messages: Int
        /// Of those, messages with a sign.
        public var signMessages: Int
        /// Features the model weighs.
        public var features: Int
        /// The files, with their checksums.
        public var sources: [LearnedSignModel.TrainingSource]
        /// The thresholds recorded in the model.
        public var addThreshold: Double
        /// The veto threshold recorded in the model.
        public var vetoThreshold: Double
    }

    /// Trains the detector on labelled JSONL files (the `signs evaluate` format) with this project's definition,
    /// and writes the model. An unknown sign name is a usage error naming the file and line; nothing is written.
    public func train(
        files: [String], output: String, workspace: Workspace, options: LearnedSignModel.TrainingOptions,
        addThreshold: Double, vetoThreshold: Double
    ) throws -> TrainingResult {
        guard !files.isEmpty else {
            throw PromptctlError(.usage, "no labelled file to learn from", remedy: "name at least one JSONL file")
        }
        var examples: [LabelledSignExample] = []
        var sources: [LearnedSignModel.TrainingSource] = []
        for file in files {
            let path = workspace.absolute(file)
            let messages: [(line: Int, item: LabelledMessage)] = try Self.readNumberedJSONL(path)
            for (line, message) in messages {
                var sign: WarningSign?
                if let name = message.sign {
                    guard let known = WarningSign(rawValue: name) else {
                        throw PromptctlError(
                            .usage, "\(file):\(line): message \(message.id) names an unknown sign \"\(name)\"",
                            remedy: "signs are " + WarningSign.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    sign = known
                }
                examples.append(LabelledSignExample(text: message.text, language: message.language, sign: sign))
            }
            let data = FileManager.default.contents(atPath: path) ?? Data()
            sources.append(
                LearnedSignModel.TrainingSource(
                    file: Project.relativePath(URL(fileURLWithPath: path), root: workspace.root),
                    sha256: ContentHash.sha256(data),
                    messages: messages.count))
        }
        let model = engine.trainDetector(
            examples, options: options, addThreshold: addThreshold, vetoThreshold: vetoThreshold, sources: sources)
        let outputPath = workspace.absolute(output)
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: outputPath).deletingLastPathComponent(), withIntermediateDirectories: true)
            try model.encoded().write(to: URL(fileURLWithPath: outputPath), options: .atomic)
        } catch {
            throw PromptctlError(.infrastructure, "cannot write \(output): \(error.localizedDescription)")
        }
        return TrainingResult(
            output: Project.relativePath(URL(fileURLWithPath: outputPath), root: workspace.root),
            messages: examples.count,
            signMessages: examples.filter { $0.sign != nil }.count, features: model.weights.count, sources: sources,
            addThreshold: addThreshold, vetoThreshold: vetoThreshold)
    }

    /// Why the engine's learned model no longer matches what it was trained with: another definition, or a
    /// training file changed or gone. Empty when it matches, or when there is no model.
    public func modelStaleness(workspace: Workspace) -> [String] {
        guard let model = engine.learnedModel else { return [] }
        var reasons: [String] = []
        if model.definitionSHA256 != engine.definitionSHA256 {
            reasons.append("the definition changed since the model was trained")
        }
        for source in model.trainedOn {
            guard let data = FileManager.default.contents(atPath: workspace.absolute(source.file)) else {
                reasons.append("\(source.file) is missing")
                continue
            }
            if ContentHash.sha256(data) != source.sha256 { reasons.append("\(source.file) changed") }
        }
        return reasons
    }
}

extension SignsService {
    /// The optimiser's settings.
    public typealias TrainingOptions = LearnedSignModel.TrainingOptions
}
