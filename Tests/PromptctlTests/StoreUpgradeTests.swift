import Foundation
import Testing

@testable import PromptctlStore

@Suite("store upgrades: results stored before v12 get their columns from the detail they were written with")
struct StoreUpgradeTests {
    @Test("a v11 SQLite file: review candidates keep her message, scores and categories; metrics keep the findings")
    func resultColumnsBackfilled() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = directory.path("old.sqlite")
        let detail = """
            {"userMessage":"estou sangrando","output":"Procure a maternidade agora.",
            "rubrics":[{"rubric":"clinical-coherence","score":0.75},{"rubric":"friendly-tone","score":null}],
            "guardDecision":{"action":"escalate","findings":[{"category":"warning-sign","action":"escalate"},
            {"category":"medication","action":"redact"},{"category":"warning-sign","action":"escalate"}]}}
            """
        let at = "2026-11-25 12:00:00.000"
        try AppDatabase.legacyFile(
            path: path, upTo: "v11-eval-result-cases",
            statements: [
                """
                INSERT INTO eval_run (id, suite, suite_file, started_at, status, plan)
                VALUES ('r1', 's', 'f', '\(at)', 'finished', x'7b7d')
                """,
                """
                INSERT INTO eval_result (run_id, item_key, side, prompt_id, prompt_version, language, persona, provider,
                model, case_id, repeat_index, output, error, prompt_tokens, cached_tokens, completion_tokens, cost_usd,
                latency_ms, cache_hit, guard_action, score, passed, needs_review, detail, created_at)
                VALUES ('r1', 'k1', 'candidate', 'triagem', '1.0.0', 'pt-BR', 'gestante', 'stub', 'm', 'c1', 0,
                'Procure a maternidade agora.', NULL, 1, 0, 1, 0, 1, 0, 'escalate', 0.75, 1, 1,
                CAST('\(detail.replacingOccurrences(of: "\n", with: ""))' AS BLOB), '\(at)'),
                ('r1', 'k2', 'candidate', 'triagem', '1.0.0', 'pt-BR', 'gestante', 'stub', 'm', 'c2', 0,
                'ok', NULL, 1, 0, 1, 0, 1, 0, NULL, NULL, 1, 0, CAST('not json' AS BLOB), '\(at)')
                """,
            ])
        let store = try AppDatabase(path: path)
        #expect(try store.appliedMigrations().last == "v12-eval-result-columns")
        let candidates = try store.reviewCandidates(keys: ["eval:1", "eval:2"])
        #expect(candidates.count == 2)
        let first = try #require(candidates.first)
        #expect(first.userMessage == "estou sangrando")
        #expect(first.response == "Procure a maternidade agora.")
        #expect(first.scores == ["clinical-coherence": 0.75])
        #expect(first.guardAction == "escalate")
        #expect(first.guardCategories == ["medication", "warning-sign"])
        // A detail that is not JSON loses nothing else: the row is still a candidate, with empty columns.
        #expect(candidates.last?.userMessage == "" && candidates.last?.scores == [:])
        let counts = try store.guardDecisionCounts().map { "\($0.category)|\($0.action)|\($0.count)" }
        #expect(counts == ["medication|redact|1", "warning-sign|escalate|2"])
    }
}
