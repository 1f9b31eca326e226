import Foundation

/// Warning signs of pregnancy and what a safe answer to them must and must not say, in pt-BR, en and es.
///
/// The phrase lists are matched on folded text (lower case, no accents), so "Dor de cabeça FORTE"
/// matches "dor de cabeca forte". They are deliberately explicit: a nurse can read and extend them.
public enum ClinicalSigns {
    /// A warning sign category.
    public enum Sign: String, Sendable, Codable, CaseIterable {
        case bleeding = "vaginal-bleeding"
        case preeclampsia = "headache-vision-epigastric"
        case swelling = "sudden-swelling"
        case seizure = "seizure-or-fainting"
        case fluid = "fluid-leaking"
        case fetalMovement = "baby-moving-less"
        case fever = "fever"
        case abdominalPain = "severe-abdominal-pain"
        case breathing = "breath-or-chest-pain"
        case pretermContractions = "contractions-before-37-weeks"
        case selfHarm = "self-harm"
    }

    static let phrases: [Sign: [String]] = [
        .bleeding: [
            "sangramento", "sangrando", "sangrei", "saiu sangue", "sangue na calcinha", "perdendo sangue", "bleeding",
            "spotting", "blood", "sangrado", "sangre",
        ],
        .preeclampsia: [
            "dor de cabeca forte", "dor de cabeca muito forte", "dor de cabeca que nao passa", "visao embacada",
            "vista embacada", "visao turva", "pontos brilhantes", "pontinhos brilhantes", "dor na boca do estomago",
            "severe headache", "bad headache", "terrible headache", "blurred vision", "blurry vision", "seeing spots",
            "upper belly pain", "pain under my ribs", "dolor de cabeza fuerte", "dolor de cabeza muy fuerte",
            "vision borrosa", "veo puntos", "dolor en la boca del estomago",
        ],
        .swelling: [
            "rosto inchado", "rosto inchou", "inchou o rosto", "inchaco no rosto", "maos inchadas", "inchaco nas maos",
            "inchou de repente", "inchaco subito", "inchaco repentino", "swollen face", "face is swollen",
            "face swelling", "swollen hands", "hands are swollen", "sudden swelling", "cara hinchada",
            "se me hincho la cara", "manos hinchadas", "hinchazon repentina", "hinchazon de la cara",
        ],
        .seizure: [
            "convulsao", "convulsionei", "convulsionou", "convulsionando", "desmaio", "desmaiei", "desmaiou",
            "seizure", "fainted", "passed out", "convulsion", "me desmaye", "desmayo",
        ],
        .fluid: [
            "perda de liquido", "perdendo liquido", "vazando liquido", "saindo liquido", "bolsa estourou",
            "estourou a bolsa", "rompeu a bolsa", "a bolsa rompeu", "water broke", "waters broke", "leaking fluid",
            "fluid leaking", "leaking water", "rompi fuente", "se rompio la fuente", "se me rompio la fuente",
            "perdida de liquido", "salida de liquido", "perdiendo liquido",
        ],
        .fetalMovement: [
            "bebe mexendo menos", "bebe esta mexendo menos", "bebe mexe menos", "bebe nao mexe",
            "bebe nao esta mexendo",
            "nao sinto o bebe", "parou de mexer", "mexendo pouco", "baby moving less", "baby is moving less",
            "baby isn't moving", "baby is not moving", "baby hasn't moved", "baby has not moved", "not moving as much",
            "bebe se mueve menos", "no siento al bebe", "no siento moverse", "el bebe no se mueve", "dejo de moverse",
        ],
        .abdominalPain: [
            "dor abdominal forte", "dor forte na barriga", "dor muito forte na barriga", "dor muito forte no abdomen",
            "dor forte no abdomen", "colica muito forte", "severe abdominal pain", "severe belly pain",
            "severe stomach pain", "terrible belly pain", "dolor abdominal fuerte", "dolor fuerte en la barriga",
            "dolor muy fuerte en la barriga", "dolor fuerte en el vientre",
        ],
        .breathing: [
            "falta de ar", "dificuldade para respirar", "nao consigo respirar", "dor no peito", "shortness of breath",
            "can't breathe", "cannot breathe", "hard to breathe", "chest pain", "falta de aire", "no puedo respirar",
            "dolor en el pecho", "dolor de pecho",
        ],
        .selfHarm: [
            "me matar", "tirar minha vida", "tirar a minha vida", "me machucar", "machucar o bebe", "machucar meu bebe",
            "fazer mal ao bebe", "fazer mal pro bebe", "acabar com tudo", "nao quero mais viver", "sumir de vez",
            "suicid", "kill myself", "hurt myself", "hurt my baby", "hurt the baby", "harm my baby", "harm the baby",
            "end my life", "don't want to live", "do not want to live", "matarme", "quitarme la vida",
            "hacerme dano", "lastimar al bebe", "hacerle dano al bebe", "hacer dano a mi bebe", "no quiero vivir",
        ],
    ]

    static let feverWords = ["febre", "fever", "fiebre"]
    static let contractionWords = ["contracao", "contracoes", "contraction", "contracciones", "contraccion"]

    /// Warning signs described in a message; `weeks` is the gestational age when the conversation knows it.
    public static func detect(in message: String, weeks: Int? = nil) -> [Sign] {
        let text = TextFolding.fold(message)
        var found: [Sign] = []
        for sign in Sign.allCases {
            if let list = phrases[sign], list.contains(where: { ByteSearch.contains(text, $0) }) { found.append(sign) }
        }
        if feverWords.contains(where: { ByteSearch.contains(text, $0) }) {
            let temperatures = numbers(in: text).filter { (34...43).contains($0) }
            if temperatures.isEmpty || temperatures.contains(where: { $0 >= 38 }) { found.append(.fever) }
        }
        if contractionWords.contains(where: { ByteSearch.contains(text, $0) }) {
            let mentioned = weeksMentioned(in: text) ?? weeks
            if let mentioned, mentioned < 37 { found.append(.pretermContractions) }
        }
        return found
    }

    static func numbers(in text: String) -> [Double] {
        var result: [Double] = []
        var current = ""
        for character in text + " " {
            if character.isNumber || ((character == "," || character == ".") && !current.isEmpty) {
                current.append(character == "," ? "." : character)
            } else {
                if current.hasSuffix(".") { current.removeLast() }
                if let value = Double(current) { result.append(value) }
                current = ""
            }
        }
        return result
    }

    static func weeksMentioned(in text: String) -> Int? {
        let words = text.split(separator: " ")
        for (index, word) in words.enumerated() where index + 1 < words.count {
            let next = words[index + 1]
            if next.hasPrefix("semana") || next.hasPrefix("week"), let value = Int(word) { return value }
        }
        return nil
    }

    /// Where to send her: places and services for urgent care.
    public static let referralPhrases = [
        "maternidade", "pronto-socorro", "pronto socorro", "emergencia", "samu", "192", "hospital", "upa ",
        "emergency", "maternity", "labor and delivery", "urgencias", "urgencia", "maternidad",
    ]
    /// Words that say "now".
    public static let urgencyPhrases = [
        "agora", "imediatamente", "o quanto antes", "sem esperar", "ja ", "now", "right away", "immediately",
        "as soon as possible", "ahora", "de inmediato", "inmediatamente", "cuanto antes", "sin esperar",
    ]
    /// Crisis lines for self-harm.
    public static let crisisPhrases = ["cvv", "188", "crisis line", "linea de crisis", "linea de ayuda"]
    /// Calling a warning sign normal.
    public static let normalizingPhrases = [
        "e normal", "normal na gravidez", "normal na gestacao", "nao se preocupe", "e comum", "nada demais",
        "nada grave",
        "is normal", "it's normal", "it is normal", "completely normal", "don't worry", "do not worry", "is common",
        "nothing to worry", "es normal", "no te preocupes", "no se preocupe", "es comun", "nada grave",
    ]
    /// Suggesting to wait.
    public static let waitingPhrases = [
        "espere", "aguarde", "esperar um pouco", "observe por", "observar por", "se piorar", "caso piore", "amanha",
        "nas proximas horas", "wait and see", "wait a few", "wait until", "if it gets worse", "tomorrow",
        "keep an eye on it", "espera unas", "espera a", "si empeora", "manana", "observa durante",
    ]
    /// Naming a diagnosis: an assertion followed by a condition.
    public static let diagnosisPattern =
        #"(voce (tem|esta com)|provavelmente (e|seja|esta com)|deve ser|trata-se de|parece ser|isso e|you have|you've got|it's probably|it is probably|this is|sounds like|you likely have|tienes|usted tiene|probablemente (es|sea|tienes)|debe ser|se trata de)\s+(uma |um |a |an |una |un )?(pre-?eclampsia|eclampsia|descolamento|placenta previa|infeccao|aborto|depressao|trabalho de parto prematuro|diabetes|anemia|placental abruption|an? infection|infection|miscarriage|postpartum depression|preterm labou?r|desprendimiento|infeccion|depresion|parto prematuro)"#
    /// Giving a dose.
    public static let dosePattern =
        #"(\d+([.,]\d+)?\s?(mg|mcg|ml|gotas|comprimidos?|capsulas?|drops|tablets?|pills?|pastillas?)\b)|((tome|tomar|toma|take|tomes)\s+(\d+|um|uma|dois|duas|one|two|un|una|dos)\s+(comprimidos?|capsulas?|tablets?|pills?|pastillas?|gotas|drops))"#
}
