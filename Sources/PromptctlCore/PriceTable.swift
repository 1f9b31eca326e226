import Foundation
import Yams

/// Prices per million tokens for one model.
public struct ModelPrice: Sendable, Hashable, Codable {
    /// Input tokens.
    public var input: Double
    /// Input tokens served from the provider's prompt cache.
    public var cachedInput: Double
    /// Output tokens.
    public var output: Double

    /// Creates a price.
    public init(input: Double, cachedInput: Double? = nil, output: Double) {
        self.input = input
        self.cachedInput = cachedInput ?? input
        self.output = output
    }

    /// The cost in dollars of a call's tokens.
    public func cost(promptTokens: Int, cachedPromptTokens: Int, completionTokens: Int) -> Double {
        let cached = min(cachedPromptTokens, promptTokens)
        return
            (Double(promptTokens - cached) * input + Double(cached) * cachedInput + Double(completionTokens) * output)
            / 1_000_000
    }
}

/// The price table (`prices.yaml`): per provider and model, per million tokens, in US dollars.
public struct PriceTable: Sendable, Hashable, Codable {
    /// `provider/model` or `model` → price.
    public var prices: [String: ModelPrice]

    /// Creates a table.
    public init(prices: [String: ModelPrice] = [:]) { self.prices = prices }

    /// The price for a model: `provider/model`, then `model`, then the longest configured prefix
    /// (so `gpt-4o-mini-2024-07-18` is priced as `gpt-4o-mini`).
    public func price(provider: String, model: String) -> ModelPrice? {
        if let price = prices["\(provider)/\(model)"] ?? prices[model] { return price }
        let candidates = prices.keys.filter { key in
            let bare = key.contains("/") ? String(key.split(separator: "/", maxSplits: 1)[1]) : key
            let scoped = !key.contains("/") || key.hasPrefix(provider + "/")
            return scoped && model.hasPrefix(bare)
        }
        return candidates.max { $0.count < $1.count }.flatMap { prices[$0] }
    }

    /// Reads the table; every entry needs input and output.
    public static func load(_ file: YAMLFile, diagnostics: DiagnosticCollector) throws -> PriceTable {
        let root = try file.parse()
        guard let reader = MappingReader(root, file: file.displayPath, diagnostics: diagnostics, context: "price table")
        else { return PriceTable() }
        var table = PriceTable()
        _ = reader.string("currency")
        if let models = reader.mapping("models", required: true) {
            for entry in models.entries() {
                guard
                    let price = MappingReader(
                        entry.value, file: file.displayPath, diagnostics: diagnostics,
                        context: "price of '\(entry.key)'")
                else { continue }
                let input = price.double("input", in: 0...10_000, required: true)
                let cached = price.double("cached_input", in: 0...10_000)
                let output = price.double("output", in: 0...10_000, required: true)
                price.rejectUnknownKeys()
                if let input, let output {
                    if input < 0 || output < 0 || (cached ?? 0) < 0 {
                        diagnostics.error("prices cannot be negative", at: entry.keyLocation)
                    }
                    table.prices[entry.key] = ModelPrice(input: input, cachedInput: cached, output: output)
                }
            }
        }
        reader.rejectUnknownKeys()
        return table
    }
}
