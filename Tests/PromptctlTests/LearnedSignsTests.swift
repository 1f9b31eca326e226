import Foundation
import PromptctlCore
import PromptctlGuards
import PromptctlKit
import Testing

@testable import PromptctlClinical

/// A model by hand: the given features weigh toward one class; every other weight is zero.
func handMadeModel(
    bias: [Double] = Array(repeating: 0, count: WarningSign.allCases.count + 1), toward sign: WarningSign? = nil,
    features: [String] = [], add: Double = 0.6, veto: Double = 0.7
) -> LearnedSignModel {
    let classes = ["none"] + WarningSign.allCases.map(\.rawValue)
    var row = [Double](repeating: 0, count: classes.count)
    if let sign { row[classes.firstIndex(of: sign.rawValue)!] = 20 }
    return LearnedSignModel(
        format: LearnedSignModel.currentFormat, classes: classes, addThreshold: add, vetoThreshold: veto,
        definitionSHA256: testSigns.definitionSHA256, trainedOn: [], options: .init(), bias: bias,
        weights: Dictionary(uniqueKeysWithValues: features.map { ($0, row) }))
}

/// The learned detector beside the rules: how its verdict joins theirs, how it is trained, and that the shipped
/// model is the one the repository's files build.
@Suite("learned clinical-signs detector")
struct LearnedSignsTests {
    @Test("the detector adds a sign the rules read as negated when its features weigh toward it, with the words")
    func adds() {
        let engine = testSigns.withModel(handMadeModel(toward: .vaginalBleeding, features: ["neg:c:bleeding"]))
        let text = "não estou sangrando"
        #expect(testSigns.withModel(nil).analyzeMessage(text, language: "pt-BR").currentSigns.isEmpty)
        let analysis = engine.analyzeMessage(text, language: "pt-BR")
        #expect(analysis.currentSigns == [.vaginalBleeding])
        #expect(analysis.learned?.outcome == .added)
        let added = analysis.mentions.first { $0.pattern == 0 }
        #expect(added?.kind == .vaginalBleeding)
        #expect(added?.words.map(\.text) == ["sangrando"], "\(String(describing: added))")
    }

    @Test(
        "the detector never adds a sign without one of its findings in the message, however sure it is",
        arguments: ["oi", "bom dia", "tenho 20 semanas", "obrigada 🙏"])
    func needsEvidence(text: String) {
        // Every class but none gets a large intercept: without the evidence gate, each text would be escalated.
        let engine = testSigns.withModel(handMadeModel(bias: [-10] + Array(repeating: 5, count: 11)))
        let analysis = engine.analyzeMessage(text, language: "pt-BR")
        #expect(analysis.currentSigns.isEmpty, "\(text): \(String(describing: analysis.learned))")
        #expect(analysis.learned?.outcome == .unchanged)
    }

    @Test("the detector sets the rules' sign aside when it is sure there is none, and the guard then stays quiet")
    func setsAside() async throws {
        let text = "estou sangrando muito desde ontem"
        let sure = testSigns.withModel(handMadeModel(bias: [10] + Array(repeating: 0, count: 11)))
        let analysis = sure.analyzeMessage(text, language: "pt-BR")
        #expect(analysis.mentions.contains { $0.kind == .vaginalBleeding && $0.isCurrent })
        #expect(analysis.learned?.outcome == .setAside)
        #expect(analysis.currentSigns.isEmpty)
        let quiet = try await ClinicalSignGuard(engine: sure).check(text, stage: .input, language: "pt-BR")
        #expect(quiet.isEmpty)
        // Below the veto threshold the rules' sign stands.
        let unsure = testSigns.withModel(handMadeModel(bias: [0.5] + Array(repeating: 0, count: 11)))
        #expect(unsure.analyzeMessage(text, language: "pt-BR").currentSigns == [.vaginalBleeding])
        let findings = try await ClinicalSignGuard(engine: unsure).check(text, stage: .input, language: "pt-BR")
        #expect(findings.count == 1)
    }

    @Test("training is deterministic, and a model trained on one set reads another set it never saw")
    func training() throws {
        let set = repositoryRoot.appendingPathComponent("eval-suites/clinical-signs/dev.jsonl").path
        let examples = try loadExamples(set)
        var options = LearnedSignModel.TrainingOptions()
        options.iterations = 40
        let engine = testSigns.withModel(nil)
        let first = engine.trainDetector(examples, options: options, addThreshold: 0.6, vetoThreshold: 0.7, sources: [])
        let second = engine.trainDetector(
            examples, options: options, addThreshold: 0.6, vetoThreshold: 0.7, sources: [])
        #expect(try first.encoded() == second.encoded())
        #expect(first.definitionSHA256 == testSigns.definitionSHA256)
        let unseen = try loadExamples(
            repositoryRoot.appendingPathComponent("eval-suites/clinical-signs/dev2.jsonl").path)
        let trained = testSigns.withModel(first)
        let right = unseen.filter { example in
            let probability =
                trained.analyzeMessage(example.text, language: example.language).learned?
                .signProbability ?? 0
            return (probability >= 0.5) == (example.sign != nil)
        }.count
        let accuracy = Double(right) / Double(unseen.count)
        #expect(accuracy >= 0.8, "accuracy on an unseen set \(accuracy)")
    }

    @Test("the shipped model is the repository's, trained with the committed definition and labelled files")
    func shippedModelIsFresh() throws {
        let repository = try Data(contentsOf: repositoryRoot.appendingPathComponent(LearnedSignModel.projectPath))
        let bundled = try Data(
            contentsOf: repositoryRoot.appendingPathComponent(
                "Sources/PromptctlClinical/Resources/clinical-signs.model.json"))
        #expect(repository == bundled, "copy guards/clinical-signs.model.json to Sources/PromptctlClinical/Resources/")
        let service = try SignsService(workspace: Workspace(project: repositoryRoot.path, environment: [:]))
        #expect(service.engine.learnedModel != nil)
        #expect(service.modelStaleness(workspace: Workspace(project: repositoryRoot.path, environment: [:])) == [])
    }

    @Test("scoring finds the same features by stem number as training does by name, on every development message")
    func indexedFeaturesMatchNames() throws {
        let detector = try #require(testSigns.detector)
        let index = try #require(testSigns.learnedIndex)
        var compared = 0
        for name in ["dev", "dev4", "everyday"] {
            let path = repositoryRoot.appendingPathComponent("eval-suites/clinical-signs/\(name).jsonl").path
            for example in try loadExamples(path) {
                let reading = testSigns.read(
                    example.text, language: ClinicalLanguage(tag: example.language) ?? .pt, weeks: nil)
                let byName = Set(testSigns.learnedFeatures(reading).compactMap { detector.featureIndex[$0.name] })
                let byNumber = Set(testSigns.learnedRows(reading, index: index).map(\.0))
                #expect(byName == byNumber, "\(example.text)")
                compared += 1
            }
        }
        #expect(compared > 1000)
    }

    @Test("a model file that is not one is a configuration error naming it")
    func brokenModel() throws {
        #expect(throws: PromptctlError.self) {
            try LearnedSignModel.load(Data("{\"format\": 1}".utf8), displayPath: "guards/clinical-signs.model.json")
        }
        // A model written by an earlier promptctl (weights as JSON numbers) names its format and the remedy.
        let earlier = Data(
            #"{"format": 1, "classes": ["none"], "bias": [0], "weights": {"c:bleeding": [0.5]}}"#.utf8)
        let error = try #require(throws: PromptctlError.self) {
            try LearnedSignModel.load(earlier, displayPath: "guards/clinical-signs.model.json")
        }
        #expect(error.message.contains("has model format 1; this promptctl reads 2"), "\(error.message)")
        #expect(error.remedy?.contains("signs train") == true)
        var model = handMadeModel()
        model.classes[3] = "nosebleed"
        #expect(throws: PromptctlError.self) {
            try LearnedSignModel.load(try model.encoded(), displayPath: "m.json")
        }
    }
}

/// Reads a labelled set as training examples.
func loadExamples(_ path: String) throws -> [LabelledSignExample] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return LabelledSignExample(
            text: object["text"] as! String, language: object["language"] as! String,
            sign: (object["sign"] as? String).flatMap(WarningSign.init(rawValue:)))
    }
}

/// `promptctl signs train` and the model's effect on the command line.
@Suite("learned clinical-signs detector on the command line")
struct LearnedSignsCLITests {
    @Test("signs train writes a model the project then uses; a changed training file makes it stale")
    func trainCommand() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let lines = try String(
            contentsOf: repositoryRoot.appendingPathComponent("eval-suites/clinical-signs/dev.jsonl"), encoding: .utf8)
        try directory.write("labelled.jsonl", lines)
        let run = try runPromptctl(
            ["signs", "train", "labelled.jsonl", "--iterations", "30", "--format", "json"], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(result["output"] as? String == "guards/clinical-signs.model.json")
        #expect((result["messages"] as? Int ?? 0) > 500)
        let explained = try runPromptctl(
            ["signs", "explain", "estou sangrando", "--format", "json"], in: directory.url)
        #expect(explained.stdout.contains("\"learned\""), "\(explained.stdout)")
        let rulesOnly = try runPromptctl(
            ["signs", "explain", "estou sangrando", "--rules-only", "--format", "json"], in: directory.url)
        #expect(!rulesOnly.stdout.contains("\"learned\""))
        try directory.write("labelled.jsonl", lines + "\n")
        let stale = try runPromptctl(["signs", "evaluate", "labelled.jsonl"], in: directory.url)
        #expect(stale.stderr.contains("labelled.jsonl changed"), "\(stale.stderr)")
    }

    @Test("signs train refuses an unknown sign name, naming the file, line and message, and writes nothing")
    func unknownSign() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        try directory.write(
            "labelled.jsonl",
            #"{"id": "a", "language": "pt-BR", "text": "sangrando", "sign": null}"# + "\n\n"
                + #"{"id": "b", "language": "pt-BR", "text": "sangrando", "sign": "nosebleed"}"# + "\n")
        let run = try runPromptctl(
            ["signs", "train", "labelled.jsonl", "--output", "out/model.json"], in: directory.url)
        #expect(run.status == 2)
        #expect(
            run.stderr.contains("labelled.jsonl:3: message b names an unknown sign \"nosebleed\""), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("out/model.json").path))
    }
}
