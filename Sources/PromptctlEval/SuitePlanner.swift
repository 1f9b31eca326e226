import Foundation
import PromptctlCore
import PromptctlRendering

/// Expands a suite into its matrix and checks that every cell can be rendered before anything is sent.
public enum SuitePlanner {
    /// The candidate versions a suite selects.
    public static func candidates(of suite: SuiteSpec, in project: Project) throws -> [PromptVersion] {
        var result: [PromptVersion] = []
        for selector in suite.prompts {
            switch selector {
            case .reference(let reference):
                result.append(try project.resolve(reference))
            case .filter(let language, let persona, let tag):
                for id in project.promptIDs {
                    guard let latest = project.versions(of: id).last else { continue }
                    if let language, latest.language != language { continue }
                    if let persona, latest.persona != persona { continue }
                    if let tag, !latest.tags.contains(tag) { continue }
                    result.append(latest)
                }
            }
        }
        var seen: Set<String> = []
        return result.filter { seen.insert($0.key).inserted }
    }

    /// Builds the plan; `only` keeps just the candidates with these prompt ids (CI: the changed ones).
    ///
    /// The cases stream from the suite once: each is checked against every version it runs on (so a case that
    /// cannot be rendered is found before anything is sent), ids are checked unique, and the items of the run
    /// (its shard's, when sharded) are counted. Nothing per case is kept but its id, for the uniqueness check.
    public static func plan(
        suite: SuiteSpec, project: Project, providers: [String], rubricThresholds: [String: Double],
        candidateOverride: [PromptVersion]? = nil, judge: String? = nil, shard: EvalShard? = nil
    ) throws -> EvalPlan {
        let candidates = try candidateOverride ?? candidates(of: suite, in: project)
        guard !providers.isEmpty else {
            throw PromptctlError(
                .config, "suite \(suite.name) names no provider",
                remedy: "add 'providers: [NAME]' or pass --provider NAME")
        }
        let renderer = PromptRenderer(project: project)
        var pairings: [EvalPairing] = []
        var problems: [Diagnostic] = []
        var sides: [(PromptVersion, EvalSide)] = []
        for candidate in candidates {
            var baselineKey: String?
            if let label = suite.baseline, let version = project.labels.version(of: candidate.id, label: label),
                version != candidate.version,
                let baseline = project.versions(of: candidate.id).first(where: { $0.version == version })
            {
                baselineKey = baseline.key
                if !sides.contains(where: { $0.0.key == baseline.key && $0.1 == .baseline }) {
                    sides.append((baseline, .baseline))
                }
            }
            pairings.append(EvalPairing(candidate: candidate.key, baseline: baselineKey))
            sides.append((candidate, .candidate))
        }
        var renderable: [(PromptVersion, EvalSide)] = []
        for (prompt, side) in sides {
            do {
                _ = try renderer.prepare(prompt)
                renderable.append((prompt, side))
            } catch let error as PromptctlError {
                problems += error.diagnostics
            }
        }
        var versions = renderable.map { prompt, side in
            PlannedVersion(
                side: side, promptID: prompt.id, promptVersion: prompt.version.description, language: prompt.language,
                persona: prompt.persona, items: 0)
        }
        let perCase = providers.count * suite.repeats
        let cursor = CaseCursor(suite)
        var seen: Set<String> = []
        var caseCount = 0
        while let evalCase = try cursor.next() {
            caseCount += 1
            if !seen.insert(evalCase.id).inserted {
                problems.append(
                    .error(
                        "case id '\(evalCase.id)' is used twice", at: evalCase.location, hint: "case ids must be unique"
                    ))
                continue
            }
            let counted = shard?.contains(caseID: evalCase.id) ?? true
            for (index, (prompt, _)) in renderable.enumerated() where EvalPlan.matches(evalCase, versions[index]) {
                do {
                    // The templates compiled above; checking the values against the declarations finds
                    // what rendering each case would.
                    _ = try renderer.resolveValues(
                        for: prompt, values: evalCase.vars.filter { prompt.variable(named: $0.key) != nil })
                    if counted { versions[index].items += perCase }
                } catch let error as PromptctlError {
                    problems += error.diagnostics.map {
                        var diagnostic = $0
                        diagnostic.message = "case '\(evalCase.id)' with \(prompt.key): \(diagnostic.message)"
                        diagnostic.location = diagnostic.location ?? evalCase.location
                        return diagnostic
                    }
                }
            }
        }
        problems += cursor.diagnostics.diagnostics
        guard caseCount > 0 || !problems.isEmpty else {
            throw PromptctlError(
                .config, "suite \(suite.name) has no cases",
                remedy: "add cases under 'cases:' in \(suite.file); an empty suite proves nothing")
        }
        if !problems.isEmpty {
            throw PromptctlError(
                .config, "suite \(suite.name) has cases that cannot be rendered", diagnostics: problems)
        }
        if versions.filter({ $0.side == .candidate }).allSatisfy({ $0.items == 0 }) && shard == nil {
            throw PromptctlError(
                .config, "suite \(suite.name) selects no case for its prompts",
                remedy: candidates.isEmpty
                    ? "no prompt matches the suite's 'prompts:' selection"
                    : "give cases a language that matches the prompts (\(Set(candidates.map(\.language)).sorted().joined(separator: ", ")))"
            )
        }
        return EvalPlan(
            suite: suite.name, suiteFile: suite.file, versions: versions, providers: providers,
            repeats: suite.repeats, itemCount: versions.reduce(0) { $0 + $1.items }, shard: shard,
            pairings: pairings, rubrics: suite.rubrics, thresholds: suite.thresholds,
            rubricThresholds: rubricThresholds, judge: judge)
    }
}
