import Foundation
import PromptctlClinical
import PromptctlCore
import PromptctlEval
import PromptctlGuards
import PromptctlKit
import PromptctlLLM
import PromptctlPrivacy

// promptctl-bench transport --url URL [--requests 2000] [--concurrency 64] [--latency 0.05]
//   Sends requests through LLMClient and the libcurl transport; prints JSON with throughput, added latency, peak RSS.
// promptctl-bench paired --url URL --baseline-url STUB [--requests 300] [--model M] [--api-key-env VAR]
//   Concurrency 1, turn about between a server and the stub itself: the added latency of the server, paired.
// promptctl-bench moderation --project DIR [--passes 20]
//   Scores the clinical-signs sets' messages with the built-in moderation model on one core; prints messages/second.
// promptctl-bench score --project DIR [--answers 20000]
//   Scores answers with the deterministic criteria of both shipped rubrics on one core; prints answers/second.

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
        getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_maxrss) / 1024
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func option(_ name: String, _ fallback: String) -> String {
    let arguments = CommandLine.arguments
    if let index = arguments.firstIndex(of: name), index + 1 < arguments.count { return arguments[index + 1] }
    return fallback
}

func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// Request number `index` of the transport benchmarks: a short system prompt and a numbered question.
func benchRequest(_ index: Int, model: String) -> ChatRequest {
    ChatRequest(
        model: model,
        messages: [
            ChatMessage(role: .system, content: "Você é uma enfermeira obstétrica acolhedora."),
            ChatMessage(role: .user, content: "Pergunta número \(index): posso tomar café na gravidez?"),
        ], maxTokens: 100)
}

func transportBenchmark() async {
    let url = option("--url", "http://127.0.0.1:18300")
    let requests = Int(option("--requests", "2000"))!
    let concurrency = Int(option("--concurrency", "64"))!
    let latency = Double(option("--latency", "0.05"))!
    // Against `promptctl serve`: the model names a prompt and label, and the client key comes from the environment.
    let model = option("--model", "gpt-4o-mini")
    let keyVariable = option("--api-key-env", "")
    let config = ProviderConfig(
        name: "stub", kind: .openai, baseURL: url + "/v1", apiKeyEnv: keyVariable.isEmpty ? nil : keyVariable,
        maxConcurrency: concurrency, maxAttempts: 1, timeoutSeconds: 30)
    let provider = try! HTTPChatProvider(
        config: config, transport: CurlTransport(), environment: ProcessInfo.processInfo.environment)
    let client = LLMClient(provider: provider, config: config)
    func request(_ index: Int) -> ChatRequest { benchRequest(index, model: model) }
    // Warm-up: open connections before timing.
    await withTaskGroup(of: Void.self) { group in
        for index in 0..<concurrency { group.addTask { _ = await client.complete(request(-index), useCache: false) } }
    }
    _ = try? await CurlTransport().send(HTTPRequest(method: "GET", url: url + "/stats"))  // forget the warm-up
    let started = DispatchTime.now().uptimeNanoseconds
    // One worker per slot, each taking the next request as soon as its previous one is answered (no hop
    // through a parent task between an answer and the next request).
    let counter = RequestCounter(limit: requests)
    let results: [(Bool, Double)] = await withTaskGroup(of: [(Bool, Double)].self) { group in
        for _ in 0..<min(concurrency, requests) {
            group.addTask {
                var mine: [(Bool, Double)] = []
                while let index = counter.next() {
                    let outcome = await client.complete(request(index), useCache: false)
                    mine.append((outcome.succeeded, outcome.latencyMs))
                }
                return mine
            }
        }
        var collected: [(Bool, Double)] = []
        for await part in group { collected += part }
        return collected
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    // The stub's own lateness over the timed requests (the warm-up's were read and dropped first).
    var stubLateness: Any = "unknown (not promptctl-stub)"
    if let stats = try? await CurlTransport().send(HTTPRequest(method: "GET", url: url + "/stats")),
        stats.status == 200, let json = try? JSONSerialization.jsonObject(with: stats.body)
    {
        stubLateness = json
    }
    let latencies = results.map(\.1).sorted()
    let ideal = latency > 0 ? Double(concurrency) / latency : 0
    let throughput = Double(requests) / seconds
    emit([
        "benchmark": "transport", "requests": requests, "concurrency": concurrency, "stub_latency_ms": latency * 1000,
        "succeeded": results.filter(\.0).count, "seconds": seconds, "requests_per_second": throughput,
        "ideal_requests_per_second": ideal, "fraction_of_ideal": ideal > 0 ? throughput / ideal : 0,
        "added_latency_p50_ms": percentile(latencies, 0.5) - latency * 1000,
        "added_latency_p99_ms": percentile(latencies, 0.99) - latency * 1000, "peak_rss_mb": peakRSSMegabytes(),
        "curl": CurlTransport.curlVersion, "stub_lateness": stubLateness,
    ])
}

/// Added latency at concurrency 1, paired: request i goes to the server under test and then straight to the stub,
/// turn about, so that both sides see the same moments of the machine (two runs one after the other differ by more
/// than the gateway adds). Prints each side's percentiles and the differences.
func pairedBenchmark() async {
    let url = option("--url", "http://127.0.0.1:18300")
    let baselineURL = option("--baseline-url", "http://127.0.0.1:18300")
    let requests = Int(option("--requests", "300"))!
    let latency = Double(option("--latency", "0.05"))!
    let model = option("--model", "gpt-4o-mini")
    let keyVariable = option("--api-key-env", "")
    func client(_ base: String, key: String?) -> LLMClient {
        let config = ProviderConfig(
            name: "stub", kind: .openai, baseURL: base + "/v1", apiKeyEnv: key, maxConcurrency: 1, maxAttempts: 1,
            timeoutSeconds: 30)
        let provider = try! HTTPChatProvider(
            config: config, transport: CurlTransport(), environment: ProcessInfo.processInfo.environment)
        return LLMClient(provider: provider, config: config)
    }
    let tested = client(url, key: keyVariable.isEmpty ? nil : keyVariable)
    let baseline = client(baselineURL, key: nil)
    func request(_ index: Int, model: String) -> ChatRequest { benchRequest(index, model: model) }
    for index in 0..<20 {
        _ = await tested.complete(request(-index, model: model), useCache: false)
        _ = await baseline.complete(request(-index, model: "gpt-4o-mini"), useCache: false)
    }
    var testedLatencies: [Double] = []
    var baselineLatencies: [Double] = []
    var succeeded = 0
    for index in 0..<requests {
        // Which side goes first alternates too, so neither always follows the other's idle gap.
        let first = index % 2 == 0
        if !first {
            baselineLatencies.append(
                await baseline.complete(request(index, model: "gpt-4o-mini"), useCache: false).latencyMs)
        }
        let outcome = await tested.complete(request(index, model: model), useCache: false)
        if outcome.succeeded { succeeded += 1 }
        testedLatencies.append(outcome.latencyMs)
        if first {
            baselineLatencies.append(
                await baseline.complete(request(index, model: "gpt-4o-mini"), useCache: false).latencyMs)
        }
    }
    let differences = zip(testedLatencies, baselineLatencies).map { $0 - $1 }.sorted()
    testedLatencies.sort()
    baselineLatencies.sort()
    emit([
        "benchmark": "paired", "requests": requests, "succeeded": succeeded, "stub_latency_ms": latency * 1000,
        "added_latency_p50_ms": percentile(testedLatencies, 0.5) - latency * 1000,
        "added_latency_p99_ms": percentile(testedLatencies, 0.99) - latency * 1000,
        "baseline_added_latency_p50_ms": percentile(baselineLatencies, 0.5) - latency * 1000,
        "baseline_added_latency_p99_ms": percentile(baselineLatencies, 0.99) - latency * 1000,
        "added_over_baseline_p50_ms": percentile(testedLatencies, 0.5) - percentile(baselineLatencies, 0.5),
        "added_over_baseline_p99_ms": percentile(testedLatencies, 0.99) - percentile(baselineLatencies, 0.99),
        "paired_difference_p50_ms": percentile(differences, 0.5),
    ])
}

func scoreBenchmark() async {
    let root = URL(fileURLWithPath: option("--project", "."))
    let count = Int(option("--answers", "20000"))!
    let signs = try! ClinicalSignsEngine.forProject(root: root)
    let rubrics = ["clinical-coherence", "friendly-tone"].map {
        try! Rubric.load($0, root: root, judge: nil, signs: signs)
    }
    let samples: [(String, String, String)] = [
        (
            "Estou com 20 semanas e comecei a sangrar.",
            "Entendo sua preocupação. Isso é um sinal de alerta: procure agora a maternidade ou ligue para o SAMU 192. Você não está sozinha.",
            "pt-BR"
        ),
        (
            "Tenho azia depois do almoço.",
            "Entendo, a azia incomoda muito. Tente comer porções menores, devagar, e evite deitar logo após as refeições. Se piorar, fale com sua equipe de saúde.",
            "pt-BR"
        ),
        (
            "My baby is moving less today.",
            "I understand how worrying this is. Please go to the maternity ward now or call emergency services. You are not alone.",
            "en"
        ),
        (
            "Tengo acidez por la noche.",
            "Entiendo, es muy molesto. Come porciones pequeñas y no te acuestes enseguida. Si no mejora, habla con tu equipo de salud.",
            "es"
        ),
    ]
    var results: [String: Any] = ["benchmark": "scoring", "answers": count]
    for rubric in rubrics {
        let started = DispatchTime.now().uptimeNanoseconds
        var checksum = 0.0
        for index in 0..<count {
            let (user, response, language) = samples[index % samples.count]
            let result = await rubric.score(CriterionContext(userMessage: user, response: response, language: language))
            checksum += result.score ?? 0
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        results["\(rubric.spec.name)_answers_per_second"] = Double(count) / seconds
        results["\(rubric.spec.name)_mean_score"] = checksum / Double(count)
    }
    results["peak_rss_mb"] = peakRSSMegabytes()
    emit(results)
}

/// Term-filter throughput: normalizes and scans a text file in 4 MiB chunks (cut at line ends) with every term.
func filterBenchmark() {
    let termsPath = option("--terms", "terms.txt")
    let inputPath = option("--input", "corpus.txt")
    let terms = (try? String(contentsOfFile: termsPath, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    let buildStarted = DispatchTime.now().uptimeNanoseconds
    let filter = TermFilter(categories: [
        TermCategory(name: "bench", severity: 1, inputAction: .block, outputAction: .block, messages: [:], terms: terms)
    ])
    let buildSeconds = Double(DispatchTime.now().uptimeNanoseconds - buildStarted) / 1e9
    guard let handle = FileHandle(forReadingAtPath: inputPath) else {
        FileHandle.standardError.write(Data("cannot read \(inputPath)\n".utf8))
        exit(2)
    }
    let normalizer = TextNormalizer()
    let started = DispatchTime.now().uptimeNanoseconds
    var bytes = 0
    var matches = 0
    var carry = Data()
    carry.reserveCapacity(1 << 16)
    while true {
        let chunk = handle.readData(ofLength: 4 << 20)
        if chunk.isEmpty && carry.isEmpty { break }
        var block = carry + chunk
        carry = Data()
        if !chunk.isEmpty, let lastNewline = block.lastIndex(of: 0x0A) {
            carry = block[(lastNewline + 1)...]
            block = block[..<(lastNewline + 1)]
        }
        bytes += block.count
        block.withUnsafeBytes { raw in
            matches += filter.matcher.countMatches(raw: raw.bindMemory(to: UInt8.self), normalizer: normalizer)
        }
        if chunk.isEmpty { break }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    emit([
        "benchmark": "term filter", "terms": filter.termCount, "automaton_states": filter.matcher.stateCount,
        "build_seconds": buildSeconds, "megabytes": Double(bytes) / 1e6, "seconds": seconds,
        "megabytes_per_second": Double(bytes) / 1e6 / seconds, "matches": matches, "peak_rss_mb": peakRSSMegabytes(),
    ])
}

/// The clinical-signs engine on one core: every message of the labelled sets, read `--passes` times in one thread.
func moderationBenchmark() throws {
    let root = URL(fileURLWithPath: option("--project", "."))
    let passes = Int(option("--passes", "20"))!
    let model = try BuiltinModeration()
    var messages: [String] = []
    for name in ["dev", "dev2", "holdout"] {
        let url = root.appendingPathComponent("eval-suites/clinical-signs/\(name).jsonl")
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let message = object["text"] as? String
            else { continue }
            messages.append(message)
        }
    }
    _ = model.rawScore(messages[0])  // the first score builds the fold table
    var total = 0.0
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<passes {
        for message in messages { total += model.rawScore(message) }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let scored = passes * messages.count
    print(
        #"{"messages": \#(scored), "distinct": \#(messages.count), "seconds": \#(seconds), "#
            + #""messages_per_second": \#(Double(scored) / seconds), "score_sum": \#(total)}"#)
}

func signsBenchmark() throws {
    let root = URL(fileURLWithPath: option("--project", "."))
    let passes = Int(option("--passes", "20"))!
    let engine = try ClinicalSignsEngine.forProject(root: root)
    var messages: [(String, String)] = []
    for name in ["dev", "dev2", "holdout"] {
        let url = root.appendingPathComponent("eval-suites/clinical-signs/\(name).jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        for line in text.split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let message = object["text"] as? String, let language = object["language"] as? String
            else { continue }
            messages.append((message, language))
        }
    }
    // The rules alone (--engine rules) or with the learned detector the project ships beside them (the default);
    // bench/signs.sh runs each in its own process, as the second of two in one process measured ~10% slower
    // whichever it was.
    let variants =
        option("--engine", "learned") == "rules" ? [("rules", engine.withModel(nil))] : [("rules+learned", engine)]
    for (name, engine) in variants {
        _ = engine.analyzeMessage(messages[0].0, language: messages[0].1)  // warm the stemmers
        var flagged = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<passes {
            for (message, language) in messages
            where !engine.analyzeMessage(message, language: language).currentSigns.isEmpty {
                flagged += 1
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let total = messages.count * passes
        print(
            #"{"engine": "\#(name)", "messages": \#(total), "distinct": \#(messages.count), "seconds": \#(seconds), "#
                + #""messages_per_second": \#(Double(total) / seconds), "flagged": \#(flagged / passes)}"#)
    }
}

/// The clinical engine's build from a project's files (definition, learned model, lexicons), the largest part of
/// every command's start: once per process, as commands build it (`bench/signs.sh` runs it in fresh processes).
func engineBuildBenchmark() throws {
    let root = URL(fileURLWithPath: option("--project", "."))
    // Until the first Portuguese message is read: a language's lexicon is built on its first text.
    let start = DispatchTime.now().uptimeNanoseconds
    let engine = try ClinicalSignsEngine.forProject(root: root)
    let flagged = !engine.analyzeMessage("estou com sangramento forte", language: "pt-BR").currentSigns.isEmpty
    let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    engine.prepareAllLanguages()
    let allLanguages = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    print(
        #"{"engine_build_ms": \#(milliseconds), "all_languages_ms": \#(allLanguages), "probe_flagged": \#(flagged)}"#)
}

/// LGPD masking throughput on one core (issue target: 1,000,000 messages in at most 5 s): every message of the
/// privacy and clinical-signs sets, cycled up to --messages; with --misses, the privacy set's misses instead.
func privacyBenchmark() throws {
    let root = URL(fileURLWithPath: option("--project", "."))
    let total = Int(option("--messages", "1000000"))!
    let devURL = root.appendingPathComponent("eval-suites/privacy/dev.jsonl")
    let cases = try PrivacyMeasurement.cases(jsonl: Data(contentsOf: devURL), file: devURL.path)
    let masker = PersonalDataMasker()
    if CommandLine.arguments.contains("--misses") {
        let report = PrivacyMeasurement.measure(cases, masker: masker)
        for miss in report.misses { print("\(miss.what)\t\(miss.id)\t\(miss.text)\t\(miss.masked)") }
        print(
            "names \(report.namesMasked)/\(report.names) identifiers \(report.identifiersMasked)/\(report.identifiers)"
                + " keep masked \(report.keepMasked)/\(report.keep)")
        return
    }
    var messages: [(String, String)] = cases.map { ($0.text, $0.lang) }
    for name in ["dev", "dev2", "holdout"] {
        let url = root.appendingPathComponent("eval-suites/clinical-signs/\(name).jsonl")
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let message = object["text"] as? String, let language = object["language"] as? String
            else { continue }
            messages.append((message, language))
        }
    }
    if CommandLine.arguments.contains("--spans") {
        // Every span masked in the clinical-signs messages (written without personal data in mind), by kind.
        for (message, language) in messages.dropFirst(cases.count) {
            let bytes = Array(message.utf8)
            for span in masker.spans(in: message, language: language) {
                print("\(span.kind)\t\(String(decoding: bytes[span.range], as: UTF8.self))\t\(message)")
            }
        }
        return
    }
    if CommandLine.arguments.contains("--names") {
        // Every name found in the sets' messages, for a person to judge what is masked that should not be.
        for (message, language) in messages.dropFirst(cases.count) {
            for name in masker.names(in: message, language: language) { print("\(name)\t\(message)") }
        }
        return
    }
    _ = masker.mask(messages[0].0, language: messages[0].1)  // load the gazetteer before timing
    var bytes = 0
    var changed = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<total {
        let (message, language) = messages[index % messages.count]
        let masked = masker.mask(message, language: language)
        bytes += message.utf8.count
        if masked.utf8.count != message.utf8.count { changed += 1 }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(
        #"{"messages": \#(total), "distinct": \#(messages.count), "seconds": \#(seconds), "#
            + #""messages_per_second": \#(Double(total) / seconds), "megabytes_per_second": \#(Double(bytes) / seconds / 1e6), "#
            + #""changed_share": \#(Double(changed) / Double(total))}"#)
}

switch CommandLine.arguments.dropFirst().first {
case "privacy": try privacyBenchmark()
case "signs": try signsBenchmark()
case "engine-build": try engineBuildBenchmark()
case "moderation": try moderationBenchmark()
case "filter": filterBenchmark()
case "transport": await transportBenchmark()
case "paired": await pairedBenchmark()
case "score": await scoreBenchmark()
case "forward": try await forwardServer()
default:
    FileHandle.standardError.write(
        Data(
            "usage: promptctl-bench privacy|signs|engine-build|moderation|filter|transport|paired|score|forward [options]\n"
                .utf8))
    exit(2)
}

/// Hands out request numbers to concurrent workers.
final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var issued = 0
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func next() -> Int? {
        lock.withLock {
            guard issued < limit else { return nil }
            defer { issued += 1 }
            return issued
        }
    }
}
