import Foundation
import PromptctlCore
import PromptctlKit
import Testing

@testable import PromptctlPrivacy

@Suite("LGPD masking: names from the census gazetteer, Brazilian identifiers, one path everywhere")
struct PrivacyTests {
    let masker = PersonalDataMasker()

    @Test("the development set: at least 98% of names and all identifiers masked, at most 2% of look-alikes")
    func developmentSet() throws {
        let path = repositoryRoot.appendingPathComponent("eval-suites/privacy/dev.jsonl")
        let cases = try PrivacyMeasurement.cases(jsonl: Data(contentsOf: path), file: path.path)
        #expect(cases.count >= 300)
        let report = PrivacyMeasurement.measure(cases, masker: masker)
        let misses = report.misses.map { "\($0.what) \($0.id): \($0.text) → \($0.masked)" }.joined(separator: "\n")
        #expect(report.nameRecall >= 0.98, "\(misses)")
        #expect(report.identifierRecall == 1.0, "\(misses)")
        #expect(report.falseMaskRate <= 0.02, "\(misses)")
    }

    @Test(
        "the issue's examples lose the name, wherever it stands",
        arguments: [
            ("Oi, sou Maria Aparecida", "Maria Aparecida"), ("Joana aqui!", "Joana"),
            ("aqui é a Beatriz", "Beatriz"), ("meu marido João Pedro chegou", "João Pedro"),
            ("a bebê Ana Clara mamou", "Ana Clara"), ("Assinado: Francisca", "Francisca"),
            ("a Tatiane disse que vem amanhã", "Tatiane"), ("oi aqui é a sueli", "sueli"),
        ])
    func issueExamples(text: String, name: String) {
        let masked = masker.mask(text, language: "pt-BR")
        #expect(!masked.contains(name), "\(masked)")
        #expect(masked.contains("[nome]"))
    }

    @Test(
        "a name that is also a word is decided by its context",
        arguments: [
            ("O chá revelação vai ser todo rosa e branco", nil as String?),
            ("Minha filha vai se chamar Rosa", "Rosa"),
            ("Socorro!!! minha bolsa estourou", nil), ("Minha sogra, dona Socorro, mandou lembranças", "Socorro"),
            ("Dores no pé da barriga é normal?", nil), ("Minha tia Dores veio me ver", "Dores"),
            ("Moro em Vitória da Conquista", nil),
            ("Minha avó Vitória Régia Santos vem amanhã", "Vitória Régia Santos"),
            ("Glória a Deus, nasceu!", nil), ("Will the flu shot hurt the baby?", nil),
            ("Is June too late for the flu shot?", nil), ("Mi vecina Luz me regaló ropa", "Luz"),
            ("la luz del sol le molesta", nil), ("O postinho da Vila Rosa abre sábado?", nil),
        ])
    func ambiguousNames(text: String, name: String?) {
        let found = masker.names(in: text, language: text.hasPrefix("Will") || text.hasPrefix("Is") ? "en" : nil)
        if let name { #expect(found == [name], "\(found)") } else { #expect(found.isEmpty, "\(found)") }
    }

    @Test(
        "identifiers by shape and check digits",
        arguments: [
            ("meu cpf 529.982.247-25 ok", PersonalDataKind.cpf, "529.982.247-25"),
            ("cpf 52998224725", .cpf, "52998224725"),
            ("cartão SUS 978 5142 6367 8973 obrigada", .cns, "978 5142 6367 8973"),
            ("zap +55 (11) 98765-4321!", .phone, "+55 (11) 98765-4321"), ("liga 11987654321", .phone, "11987654321"),
            ("fixo 3456-7890", .phone, "3456-7890"), ("RG 12.345.678-9 SSP", .rg, "12.345.678-9"),
            ("CEP 01310-100", .cep, "01310-100"),
            (
                "moro na Rua Sete de Setembro, 1348 apto 276.", .address,
                "Rua Sete de Setembro, 1348 apto 276"
            ),
            ("Data de nascimento: 25 de junho de 1994", .birthdate, "25 de junho de 1994"),
            ("nasci em 03/04/1990", .birthdate, "03/04/1990"),
            ("me manda em mari.s@uol.com.br", .email, "mari.s@uol.com.br"),
            (
                "entra em https://exemplo.com/ficha?cpf=52998224725 hoje", .url,
                "https://exemplo.com/ficha?cpf=52998224725"
            ),
        ])
    func identifiers(text: String, kind: PersonalDataKind, span: String) {
        let bytes = Array(text.utf8)
        let found = masker.spans(in: text).map { ($0.kind, String(decoding: bytes[$0.range], as: UTF8.self)) }
        #expect(found.contains { $0.0 == kind && $0.1 == span }, "\(found)")
    }

    @Test("the CNS check rule: one digit changed is no longer a card, and measures stay")
    func checkDigits() {
        var digits = Array("978514263678973").map { Int(String($0))! }
        #expect(Scan.cnsIsValid(digits))
        digits[14] = (digits[14] + 1) % 10
        #expect(!Scan.cnsIsValid(digits))
        #expect(Scan.cpfIsValid(Array("52998224725").map { Int(String($0))! }))
        #expect(masker.spans(in: "nasceu com 3,2kg e 49cm, 38 graus, pressão 14 por 9, 12/03").isEmpty)
    }

    @Test("promptctl.yaml review.privacy.mask_messages_at_rest: imported messages reach the disk masked")
    func maskedAtRest() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let config = try directory.read("promptctl.yaml")
        try directory.write("promptctl.yaml", config + "review:\n  privacy:\n    mask_messages_at_rest: true\n")
        let line: [String: Any] = [
            "id": "m-1", "timestamp": "2026-03-02T10:00:00Z", "conversation_id": "c-1",
            "user_message": "Oi, sou Maria Aparecida, CPF 529.982.247-25, zap 11 98765-4321",
            "response": "Olá Maria Aparecida! Procure a UBS.", "model": "gpt-4o-mini", "tokens_in": 10,
            "tokens_out": 10,
        ]
        let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        try directory.write("messages.jsonl", String(decoding: data, as: UTF8.self) + "\n")
        let service = CostService(workspace: Workspace(project: directory.url.path, environment: [:]))
        #expect(try service.importMessages("messages.jsonl") == (1, 1))
        #expect(try service.importMessages("messages.jsonl") == (1, 0))  // still idempotent
        var stored = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path(".promptctl")) {
            stored += try Data(contentsOf: URL(fileURLWithPath: directory.path(".promptctl/\(file)")))
        }
        for secret in ["Maria Aparecida", "529.982.247-25", "98765-4321"] {
            #expect(stored.range(of: Data(secret.utf8)) == nil, "\(secret) reached the disk")
        }
        #expect(stored.range(of: Data("[nome]".utf8)) != nil)
    }

    @Test("an unknown key under review.privacy is exit 2 with file:line:column")
    func unknownKey() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let config = try directory.read("promptctl.yaml")
        try directory.write("promptctl.yaml", config + "review:\n  privacy:\n    mask_mesages_at_rest: true\n")
        let run = try runPromptctl(["prompts", "list"], in: directory.url)
        #expect(run.status == 2)
        #expect(run.stderr.contains("promptctl.yaml:") && run.stderr.contains("mask_mesages_at_rest"), "\(run.stderr)")
    }

    @Test("promptctl review privacy-check measures a file: json figures, exit 1 below the thresholds")
    func privacyCheckCommand() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let good =
            #"{"id":"a","lang":"pt-BR","text":"Sou a Joana, CPF 529.982.247-25","names":["Joana"],"identifiers":[{"kind":"cpf","text":"529.982.247-25"}],"keep":[]}"#
        let bad = #"{"id":"b","lang":"pt-BR","text":"tenho muita fé","names":["fé"],"identifiers":[],"keep":[]}"#
        try directory.write("good.jsonl", good + "\n")
        try directory.write("bad.jsonl", good + "\n" + bad + "\n")
        let pass = try runPromptctl(["review", "privacy-check", "good.jsonl", "--format", "json"], in: directory.url)
        #expect(pass.status == 0, "\(pass.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(pass.stdout.utf8)) as? [String: Any]
        #expect(object?["namesMasked"] as? Int == 1 && object?["identifiersMasked"] as? Int == 1)
        let fail = try runPromptctl(["review", "privacy-check", "bad.jsonl"], in: directory.url)
        #expect(fail.status == 1)
        try directory.write("broken.jsonl", "{not json\n")
        #expect(try runPromptctl(["review", "privacy-check", "broken.jsonl"], in: directory.url).status == 2)
    }
}
