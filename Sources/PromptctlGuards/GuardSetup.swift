import Foundation
import PromptctlClinical
import PromptctlCore
import PromptctlLLM

/// The guards a project's files describe (`guards/policy.yaml`, its term lists, the warning-sign definition), read
/// and checked, and the release pipeline built from them: what `eval`, `serve`, `guard` and `prompts lint` share.
public struct GuardSetup: Sendable {
    /// The project's root folder; relative paths in the policy are read from here.
    public let projectRoot: URL
    /// The environment, for the moderation provider's key.
    public let environment: [String: String]

    /// Creates the setup for a project.
    public init(projectRoot: URL, environment: [String: String]) {
        self.projectRoot = projectRoot
        self.environment = environment
    }

    public func policy() throws -> GuardPolicy {
        let url = projectRoot.appendingPathComponent(GuardPolicy.path)
        guard FileManager.default.fileExists(atPath: url.path) else { return GuardPolicy() }
        return try GuardPolicy.load(YAMLFile(contentsOf: url, displayPath: GuardPolicy.path))
    }

    /// The term filter named by the policy, if any.
    public func termFilter(_ policy: GuardPolicy) throws -> TermFilter? {
        guard let path = policy.termsFile else { return nil }
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : projectRoot.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw PromptctlError(
                .config, "the term lists \(path) do not exist",
                remedy:
                    "create it, or write 'terms: none' in guards/policy.yaml to turn the term filter off on purpose",
                diagnostics: [.error("the term lists \(path) do not exist", at: policy.termsLocation)])
        }
        let diagnostics = DiagnosticCollector()
        let filter = try TermFilter.load(YAMLFile(contentsOf: url, displayPath: path), diagnostics: diagnostics)
        try diagnostics.throwIfErrors("\(path) has errors")
        return filter
    }

    /// The policy and its term filter, refused when they leave a stage without any guard by accident.
    public func configuration() throws -> (GuardPolicy, TermFilter?) {
        let policy = try policy()
        let filter = try termFilter(policy)
        try policy.checkEveryStageGuarded(by: filter)
        return (policy, filter)
    }

    /// Problems in the guard policy and term lists, for `prompts lint`.
    public func lint() -> [Diagnostic] {
        let policyFile = projectRoot.appendingPathComponent("guards/policy.yaml").path
        let termsFile = projectRoot.appendingPathComponent("guards/terms.yaml").path
        guard FileManager.default.fileExists(atPath: policyFile) || FileManager.default.fileExists(atPath: termsFile)
        else {
            return [
                .warning(
                    "no guards/policy.yaml or guards/terms.yaml: releases cannot be checked", at: nil,
                    hint: "copy guards/ from a fresh clone")
            ]
        }
        var diagnostics: [Diagnostic] = []
        // The policy and term lists, then the warning-sign definition: each reports its own mistakes.
        for check in [{ _ = try configuration() }, { _ = try ClinicalSignsEngine.forProject(root: projectRoot) }] {
            do {
                try check()
            } catch let error as PromptctlError {
                diagnostics += error.asDiagnostics
            } catch {
                diagnostics.append(.error("the guards cannot be read: \(error)", at: nil))
            }
        }
        return diagnostics
    }

    /// The pipeline every release goes through.
    public func pipeline(
        transport: any HTTPTransport, moderation override: ModerationProviderName? = nil,
        signs: ClinicalSignsEngine? = nil
    ) throws -> ReleasePipeline {
        let (policy, filter) = try configuration()
        var guards: [any TextGuard] = []
        if let filter { guards.append(filter) }
        var inputGuards = guards
        var outputGuards = guards
        let clinical = ClinicalSignGuard(
            engine: try signs ?? ClinicalSignsEngine.forProject(root: projectRoot), inputAction: policy.clinicalInput,
            outputAction: policy.clinicalOutput)
        inputGuards.append(clinical)
        if let provider = try policy.moderationProvider(
            override ?? policy.moderation, transport: transport, environment: environment)
        {
            let moderation = ModerationGuard(
                provider: provider, inputAction: policy.inputAction, outputAction: policy.outputAction)
            inputGuards.append(moderation)
            outputGuards.append(moderation)
        }
        return ReleasePipeline(
            inputGuards: inputGuards, outputGuards: outputGuards, unavailablePolicy: policy.unavailable,
            clinical: clinical, maxTextBytes: policy.maxTextBytes)
    }

    /// One line of `guard check` input.
}
