import Testing

@testable import PromptctlKit

@Test func placeholder() { #expect(Bool(true)) }
