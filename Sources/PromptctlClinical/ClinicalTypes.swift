/// A warning sign of pregnancy or the postpartum: a woman who describes one now must go to urgent care now.
public enum WarningSign: String, Sendable, Codable, CaseIterable, Hashable {
    /// Vaginal bleeding in pregnancy, and heavy bleeding after birth.
    case vaginalBleeding = "vaginal-bleeding"
    /// Severe headache, blurred vision or spots, pain in the upper belly, high blood pressure (pre-eclampsia).
    case headacheVisionEpigastric = "headache-vision-epigastric"
    /// Sudden swelling of the face or hands.
    case suddenSwelling = "sudden-swelling"
    /// A seizure, or fainting.
    case seizureOrFainting = "seizure-or-fainting"
    /// Fluid leaking from the vagina; the waters breaking.
    case fluidLeaking = "fluid-leaking"
    /// The baby moving less, or not at all.
    case babyMovingLess = "baby-moving-less"
    /// Fever of 38 °C or more.
    case fever
    /// Severe abdominal pain.
    case severeAbdominalPain = "severe-abdominal-pain"
    /// Shortness of breath or chest pain.
    case breathOrChestPain = "breath-or-chest-pain"
    /// Contractions before 37 weeks.
    case contractionsBefore37Weeks = "contractions-before-37-weeks"
    /// Thoughts of harming herself or the baby.
    case selfHarm = "self-harm"
}

/// How a mention of a sign stands in its sentence (ConText's values, Harkema et al. 2009).
public enum MentionContext: String, Sendable, Codable, CaseIterable, Hashable {
    /// She describes it now: the only context that counts as a warning sign.
    case current
    /// Denied: "não tive sangramento", "no bleeding".
    case negated
    /// Supposed: "se eu tiver febre", "what if my water breaks".
    case hypothetical
    /// In the past, another pregnancy: "na outra gravidez tive pré-eclâmpsia".
    case historical
    /// About someone else: "minha irmã teve convulsão".
    case otherPerson = "other-person"
    /// A question about signs in general: "quais são os sinais de alerta?".
    case informational
}

/// What an answer does, as the clinical rules read it.
public enum AnswerAct: String, Sendable, Codable, CaseIterable, Hashable {
    /// Sends her to a place or service of urgent care (maternidade, pronto-socorro, SAMU 192, emergency).
    case referral
    /// Says to go now ("agora", "imediatamente", "não espere").
    case urgency
    /// Gives a crisis line (CVV 188) for thoughts of self-harm.
    case crisisLine = "crisis-line"
    /// Calls the sign normal or says not to worry.
    case normalising
    /// Suggests waiting: rest and see, tomorrow, the next appointment.
    case waiting
    /// Sends her only if it gets worse ("se piorar, vá à maternidade").
    case conditional
    /// Names a diagnosis ("provavelmente é pré-eclâmpsia").
    case diagnosis
    /// Gives a medicine dose.
    case dose
    /// Says she need not go ("não precisa ir ao hospital").
    case dismissal
}

/// Friendly-tone markers read by the same engine.
public enum ToneMarker: String, Sendable, Codable, CaseIterable, Hashable {
    /// Validation and warmth: "ótima pergunta", "entendo", "sinto muito".
    case empathy
    /// Speaking to her: "você", "te", "sua", imperatives such as "procure".
    case secondPerson = "second-person"
}

/// One matched word: what was written, where, and the concept it stands for.
public struct MatchedWords: Sendable, Codable, Hashable {
    /// The words as written.
    public var text: String
    /// Character offsets [start, end) in the original text.
    public var start: Int
    /// End offset (exclusive).
    public var end: Int
    /// The concept they stand for ("bleeding", "severe", "temperature-high").
    public var concept: String
}

/// A context cue that changed how a mention counts.
public struct ContextCue: Sendable, Codable, Hashable {
    /// The context it gives.
    public var context: MentionContext
    /// The cue as written ("não", "se", "minha irmã").
    public var text: String
    /// Character offsets of the cue.
    public var start: Int
    /// End offset (exclusive).
    public var end: Int
}

/// One mention of something the engine recognises (a sign in her message, an act in an answer, a tone marker),
/// with its words and its context: everything needed to explain a decision.
public struct Mention<Kind: Sendable & Codable & Hashable>: Sendable, Codable, Hashable {
    /// What was recognised.
    public var kind: Kind
    /// Current, negated, hypothetical, historical, about someone else, or informational.
    public var context: MentionContext
    /// The cue behind a context other than current.
    public var cue: ContextCue?
    /// The words that matched, each with its concept.
    public var words: [MatchedWords]
    /// Which of the definition's patterns matched (1-based, as in the YAML).
    public var pattern: Int

    /// Whether it counts: described as happening now.
    public var isCurrent: Bool { context == .current }
}

/// A warning sign mentioned in a message.
public typealias SignMention = Mention<WarningSign>
/// An act found in an answer.
public typealias AnswerMention = Mention<AnswerAct>
/// A tone marker found in an answer.
public typealias ToneMention = Mention<ToneMarker>

/// What the engine read in her message.
public struct SignAnalysis: Sendable, Codable, Hashable {
    /// The language the message was read in.
    public var language: ClinicalLanguage
    /// Every mention, current or not, in text order; a sign the learned detector added comes last, with
    /// pattern 0.
    public var mentions: [SignMention]
    /// What the learned detector read, when the engine has one.
    public var learned: LearnedSignReading?

    /// Creates an analysis.
    public init(language: ClinicalLanguage, mentions: [SignMention], learned: LearnedSignReading? = nil) {
        self.language = language
        self.mentions = mentions
        self.learned = learned
    }

    /// The warning signs described now, without repeats, in definition order: the rules' current mentions and the
    /// detector's addition, or none when the detector set the rules' signs aside.
    public var currentSigns: [WarningSign] {
        if learned?.outcome == .setAside { return [] }
        return WarningSign.allCases.filter { sign in mentions.contains { $0.kind == sign && $0.isCurrent } }
    }
}

/// What the engine read in an answer.
public struct AnswerAnalysis: Sendable, Codable, Hashable {
    /// The language the answer was read in.
    public var language: ClinicalLanguage
    /// Every act found, current or not, in text order.
    public var mentions: [AnswerMention]

    /// The first mention of an act that counts (not negated, not hypothetical).
    public func asserted(_ act: AnswerAct) -> AnswerMention? { mentions.first { $0.kind == act && $0.isCurrent } }

    /// The first mention of an act that is current or conditional on what she describes ("se você está sangrando,
    /// vá agora"): a referral restating her situation still sends her.
    public func offered(_ act: AnswerAct) -> AnswerMention? {
        mentions.first { $0.kind == act && ($0.context == .current || $0.context == .hypothetical) }
    }
}
