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
        "the second development set (written by someone who never saw the rules): a guard against regressions")
    func secondDevelopmentSet() throws {
        // Measured on first sight: names 83.3%, identifiers 53.0%, look-alikes masked 16.3%. The rules were then
        // written while reading its misses, so these floors only keep what was gained; the issue's targets are for
        // text nobody has read (docs/privacy.md).
        let path = repositoryRoot.appendingPathComponent("eval-suites/privacy/dev2.jsonl")
        let cases = try PrivacyMeasurement.cases(jsonl: Data(contentsOf: path), file: path.path)
        #expect(cases.count == 300)
        let report = PrivacyMeasurement.measure(cases, masker: masker)
        let misses = report.misses.map { "\($0.what) \($0.id): \($0.text) → \($0.masked)" }.joined(separator: "\n")
        #expect(report.nameRecall >= 0.90, "\(misses)")
        #expect(report.identifierRecall == 1.0, "\(misses)")
        #expect(report.falseMaskRate <= 0.035, "\(misses)")
    }

    /// A development set's floors: measured on first sight, then kept from falling back.
    struct SetFloor: Sendable, CustomTestStringConvertible {
        var file: String
        var names: Double
        var identifiers: Double
        var lookAlikes: Double
        var testDescription: String { file }
    }

    @Test(
        "the fourth to fourteenth development sets (written by people who never saw the rules): floors",
        arguments: [
            // First sight (2026-12-01): names 91.8%, identifiers 86.4%, look-alikes 5.3%; after: 95.9 / 92.0 / 3.1.
            SetFloor(file: "dev4", names: 0.98, identifiers: 0.96, lookAlikes: 0.014),
            // First sight: 86.1% / 90.1% / 3.2%; after: 92.1 / 92.8 / 3.2.
            SetFloor(file: "dev5", names: 0.935, identifiers: 0.98, lookAlikes: 0.021),
            // First sight (after dev4 and dev5's round): 93.9% / 91.9% / 3.0%; after: 95.4 / 95.0 / 2.2.
            SetFloor(file: "dev6", names: 0.97, identifiers: 0.975, lookAlikes: 0.009),
            // First sight: 94.8% / 89.5% / 3.4%; after: 96.9 / 95.3 / 3.0.
            SetFloor(file: "dev7", names: 0.975, identifiers: 0.995, lookAlikes: 0.031),
            // Written to be hard (celebrities, people-named places and streets): 87.6% / 88.4% / 11.2%; after: 90.1 /
            // 89.5 / 10.9. Celebrities' names are masked as anyone's (docs/privacy.md).
            SetFloor(file: "dev8", names: 0.925, identifiers: 0.985, lookAlikes: 0.1),
            // Written to be mostly identifiers: 93.3% / 78.1% / 1.5%; after: 93.3 / 83.3 / 1.5.
            SetFloor(file: "dev9", names: 0.96, identifiers: 0.925, lookAlikes: 0.006),
            // Forwarded lists, group chats, spaced and odd-case names: 84.7% / 94.9% / 3.1%; after: 86.3 / 94.9 / 3.1.
            SetFloor(file: "dev10", names: 0.925, identifiers: 0.975, lookAlikes: 0.013),
            // Migrants and expats, mixed languages, capitalised words at a sentence's start: 93.5% / 97.0% / 2.1%;
            // after: 94.8 / 97.0 / 2.1.
            SetFloor(file: "dev11", names: 0.965, identifiers: 0.995, lookAlikes: 0.022),
            // Names opening the message with what the person does or has, and look-alikes in the same places:
            // 87.0% / 98.5% / 8.2%; after: 90.3 / 98.5 / 8.2 (brands and hospitals without "Hospital" before them).
            SetFloor(file: "dev12", names: 0.955, identifiers: 0.995, lookAlikes: 0.066),
            // Written as a held-out set stressing home addresses (46 of them), then read when it showed addresses
            // were the weak part: 96.0% / 77.5% / 8.2% on first sight; after: 96.0 / 89.2 / 8.2.
            SetFloor(file: "dev13", names: 0.975, identifiers: 0.955, lookAlikes: 0.044),
            // Written to be mostly look-alikes in the places names stand (hospitals, schools and programmes named after
            // people, saints, brands, characters): 91.5% / 98.2% / 22.5% on first sight, no rule written for it yet.
            SetFloor(file: "dev14", names: 0.94, identifiers: 0.995, lookAlikes: 0.177),
            // Written to be mostly home addresses as people type them (185 of them, lower case, settlements, floors,
            // en and es shapes): 93.8% / 62.6% / 2.7% on first sight; after session 11's round: 94.3 / 74.8 / 3.6;
            // after session 12's: 95.5 / 87.4 / 4.1 (the address cue takes some towns for the address).
            SetFloor(file: "dev15", names: 0.955, identifiers: 0.915, lookAlikes: 0.028),
            // Session 12 (2026-12-01), written by helpers who never saw the rules: dev16 mostly home addresses (211
            // identifiers), first sight 93.8% / 66.8% / 5.2%, after the session 94.4 / 80.6 / 5.2; dev17 names in
            // every position, first sight 95.9% / 98.8% / 1.1%, after 97.1 / 98.8 / 1.1.
            // Session 13: the town after an address stays (its state, the way to it): dev15 look-alikes 4.1 → 2.7%,
            // dev16 5.2 → 3.4%.
            // Session 16: "estrada vicinal km 8" now reads as a rural road, so one farm's address goes on to ", Zona Rural",
            // which the address rules keep with it and this set's labels count as a kept word (4.0 → 4.6%).
            SetFloor(file: "dev16", names: 0.965, identifiers: 0.875, lookAlikes: 0.047),
            SetFloor(file: "dev17", names: 0.98, identifiers: 0.985, lookAlikes: 0.007),
            // Session 13 (2026-12-01): dev18, 240 messages with 219 identifiers (mostly addresses, voice messages and
            // forms, every region), first sight 94.4% / 78.5% / 9.1%, after the session's rules 94.4 / 92.7 / 5.6.
            SetFloor(file: "dev18", names: 0.97, identifiers: 0.94, lookAlikes: 0.049),
            // dev19, 300 messages of names many lists lack (Indigenous, Haitian, Angolan, Irish, rare spellings),
            // first sight 88.6% / 97.8% / 2.0%, after the session's name rules 94.3 / 96.7 / 2.0 (one address now
            // stops before "Riverside", which the labels count as her neighbourhood).
            SetFloor(file: "dev19", names: 0.955, identifiers: 0.975, lookAlikes: 0.021),
            // Session 14 (relatives writing for her, forms in capitals, voice transcripts, mixed languages): first
            // sight 94.8% / 97.7% / 2.9% (session 13's start: 93.8 / 97.7 / 3.2); after the session 96.8 / 97.7 / 1.8.
            // Every floor above was raised at the end of session 14 to just under that day's figures.
            SetFloor(file: "dev21", names: 0.97, identifiers: 0.97, lookAlikes: 0.015),
            // Written as a held-out set in session 14 and measured on first sight (session 13's start 93.7 / 86.3 /
            // 4.4, session 14's middle 94.9 / 93.8 / 4.9), then read for its misses: 96.1 / 93.8 / 4.9 after.
            SetFloor(file: "dev20", names: 0.97, identifiers: 0.94, lookAlikes: 0.045),
            // Session 15, a helper's 240 messages of addresses written every way (after a dash or in brackets, a line
            // at a time, with the way to the door, cross streets, districts that share a town's name): first sight
            // 92.8% / 72.7% / 7.3% (set 23), 93.4 / 82.3 / 6.3 after the session's address rules.
            SetFloor(file: "dev23", names: 0.94, identifiers: 0.85, lookAlikes: 0.059),
            // Session 15, a helper's 300 general messages (new regions, migrants, forms and forwarded notes, names where
            // they are hardest): first sight 89.2% / 97.8% / 5.6% with both the session's start and its address rules;
            // after the session's name and look-alike rules 93.5 / 97.8 / 4.2.
            SetFloor(file: "dev25", names: 0.945, identifiers: 0.985, lookAlikes: 0.043),
            // Session 16, a helper's 300 general messages (names that are words in each language, lists, nicknames,
            // quilombos and hills named after people): first sight 90.1% / 94.3% / 8.0%; after the session's rules
            // (places by their kind, lists joined by "and", lower case after her introduction) 92.4 / 94.3 / 5.2.
            SetFloor(file: "dev26", names: 0.945, identifiers: 0.96, lookAlikes: 0.05),
            // Session 16, a second helper set of 300 (Welsh, South African, Filipino, Haitian, Cuban and Andean women,
            // quilombos and favelas, names in capitals): first sight 89.6% / 94.5% / 5.1% with the session's rules up
            // to then, 93.2 / 94.5 / 5.1 after its last ones.
            SetFloor(file: "dev28", names: 0.93, identifiers: 0.94, lookAlikes: 0.048),
            // Session 17, a helper's 300 general messages (twins, the NICU, surrogacy, rides to the maternity, rural
            // addresses, names after verbs and in questions): first sight 92.1% / 90.3% / 5.1%; after the session's
            // rules (trades before a name, a name's generation, Our Lady, abbreviated streets, "4 May", an unknown word
            // before a surname, lists to their "and" or "&") 94.2 / 91.2 / 4.8. The same rules moved dev8, dev9,
            // dev13, dev14, dev19, dev21 and dev25 up, and one held-out file: set 29's names 95.1 → 95.4%. Then
            // "bairro Nova Brasília" and "Vila Esperança, casa 2": 92.9% of identifiers; "Morag from Aberdeen
            // here": 94.5% of names.
            SetFloor(file: "dev30", names: 0.94, identifiers: 0.925, lookAlikes: 0.049),
            // Session 18, a helper's 300 general messages (names that are words, in pairs with the same word used as
            // one; forms pasted in; places named after people): first sight 95.0% / 98.9% / 5.1% (its due dates and
            // visits, labelled to stay, counted as dates under the date policy); after the session's rules (form
            // fields of a place, "Dona Neném", ordinary words the name lists hold, nationalities) 95.4 / 98.9 / 4.3.
            SetFloor(file: "dev31", names: 0.95, identifiers: 0.985, lookAlikes: 0.045),
            // Session 19, a helper's 300 messages from more writers (health agents relaying, migrants writing
            // Portuguese, group chats, pasted confirmations): first sight 93.8% / 96.9% / 2.8% under the documented
            // policies (its 11 dates, 13 neighbourhoods, settlements and directions inside addresses and an RG's
            // issuer, labelled to stay, counted as identifiers; raw 93.1 / 96.2 / 7.3); after the session's rules
            // (an English question's subject, a town's word ending an address, directions home, "Hope" named again,
            // plans and laboratories) 95.4 / 99.2 / 0.8.
            SetFloor(file: "dev32", names: 0.95, identifiers: 0.99, lookAlikes: 0.01),
            // Session 19, a second helper set of 300 (follow-ups by nickname, partners and in-laws, paperwork with
            // numbers; English from Nigeria, India, Ireland; Spanish from Peru, Bolivia, Cuba, Spain), measured
            // after set 32's rules as held-out text: 96.3% / 96.0% / 4.3% under the documented policies (8 dates, 10
            // neighbourhoods and settlements, an RG's issuer; raw 96.3 / 95.2 / 7.9); after its own rules (feasts,
            // a saint's hospital in lower case, a date naming a place, fundraisers, "niño", "me dicen", "otra vez")
            // 97.7 / 97.6 / 2.9.
            SetFloor(file: "dev33", names: 0.97, identifiers: 0.97, lookAlikes: 0.03),
            // Session 19, a third helper set of 300 (an ordinary week: short everyday questions, many with no personal
            // data and many look-alikes), measured after set 33's rules as held-out text: 94.3% / 99.0% / 2.8% under
            // the documented policies (9 dates, 6 neighbourhoods inside addresses; raw 94.3 / 98.9 / 6.2); after its
            // own rules (a possessive before a name and a person's verb, a phone closing a signature, holy days,
            // hospitals written short) 94.6 / 99.0 / 1.9.
            // (Session 20: 2.1% since the count sees a word after "¡": "¡Jesús, María y José!" masks "María".)
            SetFloor(file: "dev34", names: 0.94, identifiers: 0.99, lookAlikes: 0.022),
            // Session 19, a fourth helper set of 300 asked for the hard everyday cases (names opening a message with
            // no cue, names in lower case, nicknames, words used both as names and as words, pets, and brands, shops
            // and hospitals named after people), measured after set 34's rules: 84.1% / 97.0% / 7.4% under the
            // documented policies (10 dates, 11 neighbourhoods and settlements, two RG issuers; raw 84.1 / 97.2 /
            // 11.0); after a first round of its rules (giving birth, her food and shops before their brand, a
            // lower-case name opening a sentence before a person's verb, "seguro social") 84.8 / 97.7 / 6.7. A regression guard: most
            // of its misses are the known limits.
            SetFloor(file: "dev35", names: 0.84, identifiers: 0.965, lookAlikes: 0.07),
            // Session 20, a helper's 300 messages as women type on a phone (several people in one message, names
            // after prepositions and emoji, pasted forms, receipts and lab results), measured after set 35's rules as
            // held-out text: 94.3% / 97.7% / 3.5% under the documented policies (6 dates, 11 neighbourhoods and
            // landmarks of directions home; raw 94.3 / 97.4 / 7.5); after its own rules (Spanish and Portuguese
            // questions with "puede"/"pode", "me and Nate walked", "minha doula é a Nzinga", brands and services that
            // no list of names holds, "hospital infantil", specialist centres, a record's check digit, a member ID's
            // letters, "le … a") 97.0 / 99.2 / 2.4.
            SetFloor(file: "dev36", names: 0.96, identifiers: 0.99, lookAlikes: 0.025),
            // Session 21, a helper's 300 messages where people act with no introduction (names opening a sentence,
            // families by their surname, nicknames then full names, names in capitals or alone on a line) and
            // addresses of many shapes, measured after set 36's rules as held-out text: 90.8% / 100% / 3.1% under
            // the documented policies (4 dates, 13 neighbourhoods, settlements and landmarks of her address, an RG's
            // issuer; raw 90.8 / 100 / 7.4); after its own rules (a family's surname in the plural, a capital city
            // few carry as a name, a name alone on its line, a kiss before her name, what a person from a group
            // brought, "la de la recepción", what only a baby is or does) 93.9 / 100 / 2.8.
            SetFloor(file: "dev37", names: 0.93, identifiers: 0.99, lookAlikes: 0.03),
            // Session 21, a second helper set: one ordinary week (plain questions, people in passing, pasted
            // confirmations and lab results), measured after set 37's rules as held-out text: 96.8% / 97.5% / 1.6%
            // under the documented policies (13 dates, 9 neighbourhoods, settlements and addresses with a number; raw
            // 96.8 / 96.5 / 7.1); after its rules (a pet's name, the hour after a date, a clause's subject, the
            // subject after a verb of coming, "Faith here", a brand's "'s") 97.9 / 97.5 / 0.8.
            SetFloor(file: "dev38", names: 0.97, identifiers: 0.97, lookAlikes: 0.01),
            // Session 21, a third helper set (migrants and visitors writing in English or Spanish, teenagers, older
            // mothers, women writing for a sister or a daughter, pasted texts from clinics, pharmacies, schools and
            // employers), measured with the session's last rules before anyone read it: 96.4% / 100% / 1.3% under
            // the documented policies (9 dates, 14 neighbourhoods, settlements and landmarks of the way home; raw
            // 96.4 / 100 / 5.9); after the rooming-in ward ("alojamento conjunto") 96.4 / 100 / 1.1.
            SetFloor(file: "dev39", names: 0.96, identifiers: 1.0, lookAlikes: 0.012),
            // Session 21, a fourth helper set (the days around a birth: the last weeks, labour, visitors, feeding,
            // check-ups, registering the name, going back to work), measured with the session's code before anyone
            // read it: 93.4% / 100% / 1.6% under the documented policies (a birth's date, 9 neighbourhoods, towns and
            // landmarks of her address, an RG's issuer; raw 93.4 / 100 / 4.8); after its rules (asked to do
            // something, driving someone, "my MIL", "my eldest", "Jesus (meu sogro)"; "is due" taken back: "Summer is
            // due any day now" is the season) 95.1 / 100 / 1.2.
            SetFloor(file: "dev40", names: 0.95, identifiers: 1.0, lookAlikes: 0.013),
            // Session 21, a fifth helper set (a plain month of traffic from every kind of woman and region), measured
            // with the session's last code before anyone read it, and kept as it was (no rule written from it):
            // 97.4% / 100% / 1.3% under the documented policies (2 dates, 8 neighbourhoods and settlements of her
            // address, an RG's issuer; a member number's acronym beside its mask; raw 97.4 / 98.7 / 4.1).
            SetFloor(file: "dev41", names: 0.97, identifiers: 1.0, lookAlikes: 0.014),
            // Session 22, a sixth helper set (a third of it voice-to-text: all lower case, no punctuation, numbers,
            // e-mails and addresses spelled out in words), measured once on first sight: 86.0% / 92.2% / 3.7%; rules
            // for kinds of its misses (a common name after "dona"/"doutora", English ordinal days) then 87.5 / 93.9.
            SetFloor(file: "dev42", names: 0.855, identifiers: 0.92, lookAlikes: 0.038),
            // Session 23, a seventh helper set (an ordinary week written largely by others for her: health agents,
            // husbands, forwarded group chats; immigrant women in Spanish, Portuguese and simple English), on first
            // sight with session 22's code: 91.8% / 94.6% / 2.5%; after the rules for its kinds (a common name in
            // lower case after a person word or signed with "aqui", pets named after a pet word) 94.4 / 94.6 / 2.5.
            SetFloor(file: "dev43", names: 0.94, identifiers: 0.94, lookAlikes: 0.026),
            // Session 23, an eighth helper set (the months after the birth: the baby's name in every form, the
            // registry, benefits, pets; a third voice-to-text), on first sight with the session's code as of its
            // date rule: 90.0% / 96.1% / 1.5% (session 22's code 89.8 / 95.5 / 1.5); after a name given with "is
            // called"/"chama" and what goes on after it, 91.1 / 96.1 / 1.5.
            SetFloor(file: "dev44", names: 0.905, identifiers: 0.955, lookAlikes: 0.016),
            // Session 23, a ninth helper set (a plain month of traffic from every kind of woman, region and stage), on
            // first sight with the session's code (all its rules above): 94.8% / 90.3% / 0.3% (session 22's code
            // 92.9% names); after numbers said with "e", "ponto", "traço" and "plus", surnames after a name she
            // gives, Spanish-listed names before a person's verb: 95.7 / 93.2 / 0.3.
            SetFloor(file: "dev45", names: 0.95, identifiers: 0.93, lookAlikes: 0.006),
            // Session 23, a tenth helper set (another plain month, a big capital's periphery and its towns), on first
            // sight with the session's last code: 91.0% / 95.0% / 2.2% (session 22's code 89.7 / 92.1 / 2.2); after
            // "o nome dele é" and a name signed after "this is"/"it's" ("calling", "again", "from" a place), 92.3.
            SetFloor(file: "dev46", names: 0.92, identifiers: 0.95, lookAlikes: 0.023),
            // Session 24, an eleventh helper set (the South and Centre-West, with immigrant women from Venezuela,
            // Bolivia, Paraguay, Haiti and Africa; foreign documents), on first sight with session 23's code: 92.8% /
            // 94.4% / 2.9%; after a street, a block and a lot said aloud, a name thanked or told by her role, "seu",
            // a person's predicate after a person word, saints and towns in lower case, a country that is a name in a
            // person's context, a capitalised month after "mi": 97.0 / 96.3 / 2.0.
            SetFloor(file: "dev47", names: 0.965, identifiers: 0.96, lookAlikes: 0.021),
            // Session 24, a twelfth helper set (the North and Northeast interior: riverside communities, rural side
            // roads, parteiras, indigenous and Venezuelan women), on first sight with session 23's code 91.6% /
            // 90.0% / 2.4%, with this session's code as of set 47's rules 92.9 / 90.0 / 2.4; after its kinds (where
            // she lives or is from, a road's kilometre, a short date before its hour, Our Lady's titles in a name,
            // an everyday name after her article, "here is") 95.0 / 95.5 / 2.2.
            SetFloor(file: "dev48", names: 0.945, identifiers: 0.95, lookAlikes: 0.023),
            // Session 24, a thirteenth helper set (the Southeast: the Baixada Fluminense, Belo Horizonte, Vitória,
            // Campinas; teenagers, women over forty, expats), on first sight with the session's last rules: 94.7% /
            // 97.1% / 3.4% (session 23's code: 93.1 / 97.1 / 3.4); kept as it was but for Spanish churches and the
            // United States' states as places: 94.7 / 97.1 / 2.9. Its misses are mostly maternities known by their
            // patron's name alone ("vamos para el Mário Gatti", "já to no Sofia Feldman").
            SetFloor(file: "dev49", names: 0.945, identifiers: 0.97, lookAlikes: 0.02),
            // Session 25, a fourteenth helper set (the Northeast capitals; partners, mothers-in-law and health agents
            // writing for her; voice notes; forms, receipts and bracelets pasted in), on first sight with session 24's
            // code 95.7% / 83.5% / 3.6% (9 of its identifiers are bare appointment days, "dia 18", "martes 22",
            // which the earlier sets label as look-alikes); after its kinds (hospitals called after their patron,
            // her neighbourhood before her street, dates said as three numbers, a document's number read out in
            // pieces, receipts' hidden CPFs) 96.6 / 91.1 / 2.2.
            SetFloor(file: "dev50", names: 0.96, identifiers: 0.91, lookAlikes: 0.023),
            // Session 25, a fifteenth helper set (a plain month from every region and stage; forwarded family-group
            // messages and copied screens; women from abroad), on first sight with the session's last rules: 97.0% /
            // 94.7% / 2.1% (session 24's code 97.0 / 94.3 / 2.2); kept as it was. Its identifier misses are mostly
            // rural addresses whose "zona rural de <town>" the helper counts in, which earlier sets keep.
            SetFloor(file: "dev51", names: 0.965, identifiers: 0.94, lookAlikes: 0.022),
            // Session 26, a sixteenth helper set (answers to the service's intake questions, low literacy and phonetic
            // spelling, voice notes, rural, riverside, Indigenous and quilombola communities, papers typed out), on
            // first sight with session 25's code 96.7% / 86.1% / 4.9%; after its kinds (peoples after "sou", "el"
            // and spoken years in dates, split CPFs, home places by a place word, kilometres of a road, a
            // settlement's lot, rivers and a rural address's town left out, schools) 97.2 / 92.9 / 2.0.
            SetFloor(file: "dev52", names: 0.97, identifiers: 0.925, lookAlikes: 0.021),
            // Session 26, a seventeenth helper set (the first year after the birth; grandmothers, partners, doulas and
            // health agents writing for her; the first year's papers; the Southeast, South and Centre-West), on first
            // sight with the session's rules: 97.4% / 93.9% / 2.8%; with "el" before a date in figures, 94.8% of
            // identifiers.
            SetFloor(file: "dev53", names: 0.97, identifiers: 0.945, lookAlikes: 0.029),
        ])
    func laterDevelopmentSets(floor: SetFloor) throws {
        let path = repositoryRoot.appendingPathComponent("eval-suites/privacy/\(floor.file).jsonl")
        let cases = try PrivacyMeasurement.cases(jsonl: Data(contentsOf: path), file: path.path)
        #expect(cases.count >= 240)
        let report = PrivacyMeasurement.measure(cases, masker: masker)
        let misses = report.misses.map { "\($0.what) \($0.id): \($0.text) → \($0.masked)" }.joined(separator: "\n")
        #expect(report.nameRecall >= floor.names, "\(misses)")
        #expect(report.identifierRecall >= floor.identifiers, "\(misses)")
        #expect(report.falseMaskRate <= floor.lookAlikes, "\(misses)")
    }

    @Test(
        "documents, plates, registrations, numbers and e-mails said in words, handles and calendar dates",
        arguments: [
            ("meu CRNM é F287431-K e ainda", "F287431-K"), ("passaporte N1923847.", "N1923847"),
            ("placa RIO2A18 ontem", "RIO2A18"), ("Palio branco HNT-4471, vão", "HNT-4471"),
            ("patente argentina AC 457 KD, ¿puede", "AC 457 KD"), ("(CRM-SP 154873) me passou", "CRM-SP 154873"),
            ("a enfermeira (COREN-PE 345.678) foi", "COREN-PE 345.678"),
            ("mi CURP es GOMA900314MDFRRN09 por", "GOMA900314MDFRRN09"),
            ("RG 1387654022 SSP/BA e cpf", "1387654022 SSP/BA"),
            ("Identidade 23.481.905-3 Detran RJ, nome", "23.481.905-3 Detran RJ"),
            ("la cédula venezolana V-24.567.890 y", "V-24.567.890"), ("UK postcode LS6 2QB in case", "LS6 2QB"),
            (
                "meu celular é 31 nove nove oito sete dois quatro cinco um zero pode",
                "31 nove nove oito sete dois quatro cinco um zero"
            ),
            (
                "mi número es cero cuatro dos cuatro, uno dos tres, cuatro cinco seis siete, es",
                "cero cuatro dos cuatro, uno dos tres, cuatro cinco seis siete"
            ),
            (
                "my phone is six one seven, two two four, nine eight zero one.",
                "six one seven, two two four, nine eight zero one"
            ),
            ("meu email é maria ponto eduarda arroba gmail ponto com", "maria ponto eduarda arroba gmail ponto com"),
            ("me segue no insta @mae.da.helena que", "@mae.da.helena"),
            ("me adiciona: facebook.com/joana.souza.79", "facebook.com/joana.souza.79"),
            ("Liga no fixo (0xx71) 3245-8890 depois", "(0xx71) 3245-8890"),
            ("liguem pro (11) 3456-7788 ramal 214, pede", "(11) 3456-7788 ramal 214"),
            ("nasci em 12 de março de 98, então", "12 de março de 98"),
            ("meu aniversário é dia 10/06, vou", "dia 10/06"),
            ("Nasc: 23.8.01. CPF", "23.8.01"), ("Grace was born on June 3rd at home", "June 3rd"),
            ("I was born March 3rd, 1990 so", "March 3rd, 1990"), ("DPP 12/11", "12/11"),
            ("nació el 8 de diciembre, día de la Virgen", "el 8 de diciembre"), ("nasc. 05/2023 e a vacina", "05/2023"),
            ("o Davi nasceu dia 5 e até agora", "dia 5"),
        ])
    func documentsAndDates(text: String, span: String) {
        let bytes = Array(text.utf8)
        let found = masker.spans(in: text).map { String(decoding: bytes[$0.range], as: UTF8.self) }
        #expect(found.contains(span), "\(found)")
    }

    @Test(
        "addresses of every Brazilian shape, with their complements, neighbourhood and directions, but not the town",
        arguments: [
            (
                "moro no Sítio Boa Esperança, estrada vicinal do Córrego Fundo km 7, zona rural de Itapetinga.",
                "Sítio Boa Esperança, estrada vicinal do Córrego Fundo km 7, zona rural"
            ),
            (
                "endereço: QR 404 Conjunto 12 Casa 5, Samambaia Norte, cep 72300-000.",
                "QR 404 Conjunto 12 Casa 5, Samambaia Norte"
            ),
            (
                "Moro na BR-116, km 412, depois do posto de gasolina, casa amarela do lado da borracharia. É zona",
                "BR-116, km 412, depois do posto de gasolina, casa amarela do lado da borracharia"
            ),
            (
                "eu moro na ocupação Vila Esperança, barraco 17, perto da igreja Assembleia de Deus, em Manaus.",
                "ocupação Vila Esperança, barraco 17, perto da igreja Assembleia de Deus"
            ),
            (
                "Loteamento Parque das Águas, Rua 14, Qd 9 Lt 22 - Aparecida de Goiânia.",
                "Loteamento Parque das Águas, Rua 14, Qd 9 Lt 22"
            ),
            (
                "a gente mora na Travessa São Benedito s/n, perto da escola, em Soure",
                "Travessa São Benedito s/n, perto da escola"
            ),
            ("É no Beco da Alegria, 33, Morro do Borel. Minha mãe", "Beco da Alegria, 33, Morro do Borel"),
            ("end rua tiradentes 1200 vila sao joao barretos", "rua tiradentes 1200 vila sao joao"),
            ("Moro na R. Osvaldo Cruz 77, Centro, em Magé", "R. Osvaldo Cruz 77, Centro"),
            ("moro na aldeia Jaguapiru em Dourados", "aldeia Jaguapiru"),
            ("we live way out at 2231 County Road 14 outside", "2231 County Road 14"),
            // The neighbourhood runs on past an abbreviation's period, and a neighbourhood that shares its name with
            // a large town elsewhere stays one when its own town follows.
            ("moro na Rua Santa Luzia 77 casa 4, Jd. São Luís. a agente", "Rua Santa Luzia 77 casa 4, Jd. São Luís"),
            ("vivimos en Rua Newton Prado 240, casa 5, Bom Retiro. Ayer", "Rua Newton Prado 240, casa 5, Bom Retiro"),
            (
                "I live at Av. Atlântica 3400, apto 1201, Copacabana, Rio de Janeiro",
                "Av. Atlântica 3400, apto 1201, Copacabana"
            ),
            ("moro no Sítio Boa Esperança, zona rural, Caruaru", "Sítio Boa Esperança, zona rural"),
            (
                "endereço: Rua 15 de Novembro 1020, sala 2 (é a loja de roupas, moro em cima), Centro, Blumenau",
                "Rua 15 de Novembro 1020, sala 2 (é a loja de roupas, moro em cima), Centro"
            ),
            (
                "moro em Natal, bairro Ponta Negra, Rua Praia de Muriú 301, cond. Mar Azul casa 9, a visita",
                "bairro Ponta Negra, Rua Praia de Muriú 301, cond. Mar Azul casa 9"
            ),
            ("moro na Travessa São Jorge 12 B, Vila Nova, Recife", "Travessa São Jorge 12 B, Vila Nova"),
            ("we live at 412 Bergen St, 2nd floor, Park Slope, Brooklyn", "412 Bergen St, 2nd floor, Park Slope"),
            (
                "send it to 27 Elmwood Road, Flat 2, Headingley, Leeds please",
                "27 Elmwood Road, Flat 2, Headingley"
            ),
            // A neighbourhood in lower case after the number (closed by a comma, the end or a state), one written
            // before its street with its word anchoring it, a street named by a date in lower case, and a city of
            // half a million in several words after the address is its town.
            ("end: r. xv de novembro 1020 fundos centro, cascavel", "r. xv de novembro 1020 fundos centro"),
            ("rua Itapeva 540 cj 81 bela vista sp", "rua Itapeva 540 cj 81 bela vista"),
            ("moro no jardim miriam, rua tres 12. nao sei o cep", "jardim miriam, rua tres 12"),
            ("Jd. Helena, rua Sebastiao Pereira 1122. o nome", "Jd. Helena, rua Sebastiao Pereira 1122"),
            ("moro na rua 7 de setembro 120 perto do posto", "rua 7 de setembro 120 perto do posto"),
            ("moro na Vila Embratel, rua 4 casa 18, São Luís", "Vila Embratel, rua 4 casa 18"),
            ("Avenida Rio Branco 156 sala 1801 Centro Rio de Janeiro - att", "Avenida Rio Branco 156 sala 1801 Centro"),
            ("rua das Flores 12 casa 3 obrigada", "rua das Flores 12 casa 3"),
            // Parts written before the street, a street named without its type where she says she lives, a rural
            // route, a suffix followed by the sentence, a district by its word.
            ("unit 3B, 1450 Sunset Boulevard, Echo Park. it's me", "unit 3B, 1450 Sunset Boulevard, Echo Park"),
            ("we're at 311 Maple Grove Rd now", "311 Maple Grove Rd"),
            (
                "RR 2 Box 145, County Road 12, near the Baptist church. ask",
                "RR 2 Box 145, County Road 12, near the Baptist church"
            ),
            (
                "moro na Pedro Álvares Cabral, é o 230, fundos, Jardim Ângela",
                "Pedro Álvares Cabral, é o 230, fundos, Jardim Ângela"
            ),
            (
                "Rua Otávio Tarquínio de Souza, 1049. Bloco 1, apto 23, Campo Belo. abraço",
                "Rua Otávio Tarquínio de Souza, 1049. Bloco 1, apto 23, Campo Belo"
            ),
            ("vivo en colonia Roma Norte, calle Orizaba 87 int 4, CDMX", "colonia Roma Norte, calle Orizaba 87 int 4"),
            // The house number said in a sentence, and "nº" after a lower-case name.
            ("moro na Tiradentes, é o 1180, fundos. portão azul", "Tiradentes, é o 1180, fundos"),
            (
                "Rua Domingos de Morais, perto do metrô, é o número 2400, apto 81. a recepção",
                "Rua Domingos de Morais, perto do metrô, é o número 2400, apto 81"
            ),
            ("é a rua Marechal Deodoro, o numero é 70, casa 2, lá", "rua Marechal Deodoro, o numero é 70, casa 2"),
            ("rua tiradentes nº 88 - Lapa. a doula", "rua tiradentes nº 88 - Lapa"),
            ("la correcta es Calle Real 45, portal 2, 3º B, Triana, Sevilla", "Calle Real 45, portal 2, 3º B, Triana"),
            ("la dirección es Manzana B Lote 12, Urb. Los Jardines, Chiclayo", "Manzana B Lote 12, Urb. Los Jardines"),
            // Where she says "my address is", the rest of the sentence up to the town, whatever its shape.
            (
                "endereço certo é av. juscelino kubitschek 2300 - ap 904 torre sul - itaim. qualquer coisa",
                "av. juscelino kubitschek 2300 - ap 904 torre sul - itaim"
            ),
            ("la matrona nos visita, mi dire: Los Carrera 1450 depto 33, Concepción", "Los Carrera 1450 depto 33"),
            ("meu endereço novo: Rua das Acácias 45, BH. obrigada", "Rua das Acácias 45"),
            (
                "fica na 2ª travessa da rua Bela Vista, casa 6, Liberdade, Salvador",
                "2ª travessa da rua Bela Vista, casa 6, Liberdade"
            ),
            ("numero 45 da rua Maranhão, Bairro dos Estados. é casa", "numero 45 da rua Maranhão, Bairro dos Estados"),
            (
                "fica na esquina da Rua Amazonas com a Av. Brasil, prédio azul, ap 302. beijos",
                "Rua Amazonas com a Av. Brasil, prédio azul, ap 302"
            ),
            (
                "Vivo en calle Hidalgo s/n, frente a la iglesia, colonia Centro, en Oaxaca",
                "calle Hidalgo s/n, frente a la iglesia, colonia Centro"
            ),
            // A district of a Brazilian city is her neighbourhood, not the town (IBGE's municipalities say which).
            ("cep 08210-000, Rua Dona Matilde 77 Itaquera. ok", "Rua Dona Matilde 77 Itaquera"),
            (
                "The address is Av. Atlântica 2964, apt 801, Copacabana, Rio. Please",
                "Av. Atlântica 2964, apt 801, Copacabana"
            ),
            // A place followed by its town (or the town's abbreviation) is the neighbourhood.
            ("mi dirección: c/ Mayor 14, 3º izq, Lavapiés, Madrid 28012", "c/ Mayor 14, 3º izq, Lavapiés"),
            ("Av. Libertador 1200 piso 3 depto B, Palermo, CABA", "Av. Libertador 1200 piso 3 depto B, Palermo"),
            ("vivo en Jr. Huallaga 450 dpto 201, Cercado de Lima", "Jr. Huallaga 450 dpto 201, Cercado de Lima"),
            // A note in brackets keeps its closing bracket.
            ("hey i moved!! 18 Cherry Ln (blue door) by the park", "18 Cherry Ln (blue door)"),
            // The house number said in words (a voice message transcribed).
            (
                "mensagem de voz: moro na rua dos girassóis número cento e vinte, pode vir",
                "rua dos girassóis número cento e vinte"
            ),
            (
                "é rua Quinze de Novembro quarenta e oito, Santa Terezinha. ok",
                "rua Quinze de Novembro quarenta e oito, Santa Terezinha"
            ),
            (
                "é avenida tancredo neves número mil duzentos e trinta e quatro apartamento quarenta e dois, aqui",
                "avenida tancredo neves número mil duzentos e trinta e quatro apartamento quarenta e dois"
            ),
            ("audio: es calle Hidalgo número ciento veinte, en Oaxaca", "calle Hidalgo número ciento veinte"),
            // English, French and Spanish shapes: a suffix's compass point, a street without a suffix before its
            // apartment, the type after the number, a unit before a slash, a Canadian rural route.
            ("it's 88 Queen St W, 12th floor, unit 1204, Toronto.", "88 Queen St W, 12th floor, unit 1204"),
            ("address 4400 Broadway Apt 12, NYC", "4400 Broadway Apt 12"),
            ("Apt 7, 3300 Rue Sherbrooke Est, Montréal", "Apt 7, 3300 Rue Sherbrooke Est"),
            ("delivered to Unit 5/42 Beach Rd, Bondi NSW 2026?", "Unit 5/42 Beach Rd"),
            ("we live on a farm, RR 2 Site 5 Box 14, near Red Deer. the road", "RR 2 Site 5 Box 14"),
            ("Estoy en Paseo de la Castellana 120, 5º D, Madrid, hasta", "Paseo de la Castellana 120, 5º D"),
            ("Calle 10 Norte #4-22, barrio Granada, Cali. pregunte", "Calle 10 Norte #4-22, barrio Granada"),
            (
                "Edificio Los Samanes, piso 8 apto 8-B, avenida Francisco de Miranda, Chacao, Caracas.",
                "Edificio Los Samanes, piso 8 apto 8-B, avenida Francisco de Miranda, Chacao"
            ),
            // Street types typed in a hurry, a road's kilometre, a street without a name, "d'água".
            (
                "meu endereço rau dos jasmins 78 casa 1 jadim das flores, desculpa",
                "rau dos jasmins 78 casa 1 jadim das flores"
            ),
            (
                "estrda velha de itu 1500 chacara 22 bairro do Cururuquara, aqui",
                "estrda velha de itu 1500 chacara 22 bairro do Cururuquara"
            ),
            ("moro no km 7 da Estrada da Colônia, sítio 12, Bastos.", "km 7 da Estrada da Colônia, sítio 12"),
            (
                "mora no sitio boa esperança, estrada da cachoeira km 23, zona rural de Itabuna.",
                "sitio boa esperança, estrada da cachoeira km 23, zona rural"
            ),
            (
                "é rua sem nome, casa 3, depois do campo de futebol, comunidade Santa Luzia. Santarém",
                "rua sem nome, casa 3, depois do campo de futebol, comunidade Santa Luzia"
            ),
            (
                "é rua principal, 4ª casa depois da caixa d'água, vila dos pescadores, em Cabedelo",
                "rua principal, 4ª casa depois da caixa d'água, vila dos pescadores"
            ),
            (
                "vivo en C/ Alcalá 145, 2º izq, barrio de Salamanca, 28009 Madrid",
                "C/ Alcalá 145, 2º izq, barrio de Salamanca"
            ),
            ("32 Rue Ste-Catherine app. 5, Montréal QC H2X 1Y4", "32 Rue Ste-Catherine app. 5"),
            // The town after the address stays, with its state or after directions to it.
            ("end atualizado: rua Alvorada 200, ap 11, Sinop MT. bjs", "rua Alvorada 200, ap 11"),
            (
                "moramos no Assentamento Che Guevara, lote 45, perto de Marabá. o carro",
                "Assentamento Che Guevara, lote 45"
            ),
        ])
    func addresses(text: String, span: String) {
        let bytes = Array(text.utf8)
        let found = masker.spans(in: text).filter { $0.kind == .address }.map {
            String(decoding: bytes[$0.range], as: UTF8.self)
        }
        #expect(found == [span], "\(found)")
    }

    @Test(
        "her town is where she writes from: Palermo is Buenos Aires' neighbourhood in Spanish, Campeche Florianópolis'",
        arguments: [
            (
                "mi dirección es Av. Libertador 1200 piso 3 depto B, Palermo. la partera", "es",
                "Av. Libertador 1200 piso 3 depto B, Palermo"
            ),
            (
                "moro na Servidão Manoel Pedro da Silva, 80, Campeche. a Dra.", "pt-BR",
                "Servidão Manoel Pedro da Silva, 80, Campeche"
            ),
            ("vivo en Calle 60 #450, Campeche. gracias", "es", "Calle 60 #450"),
            (
                "esqueci de falar o apto: Teodoro Sampaio 1020 ap 51, Pinheiros", "pt-BR",
                "Teodoro Sampaio 1020 ap 51, Pinheiros"
            ),
            (
                "rua nova s/n em frente ao posto de saúde, bairro São Pedro. pode vir", "pt-BR",
                "rua nova s/n em frente ao posto de saúde, bairro São Pedro"
            ),
            // A letter glued to a street's number or a door's, a Queens house number, a ground floor.
            ("vivo en el barrio Belén, calle 30A #76-12. gracias", "es", "barrio Belén, calle 30A #76-12"),
            ("We live at 66 Division St #3R. the baby", "en", "66 Division St #3R"),
            ("address on file is wrong: 47-12 Queens Blvd Apt 6F. call me", "en", "47-12 Queens Blvd Apt 6F"),
            (
                "calle Juan de Garay 870 PB dto 2, San Telmo. soy la mamá", "es",
                "calle Juan de Garay 870 PB dto 2, San Telmo"
            ),
            // After an English address, a name no gazetteer knows as a town is her neighbourhood; a thanks is not.
            (
                "can the nurse come to 88 Jefferson Ave, unit 12, Bed-Stuy? buzzer", "en",
                "88 Jefferson Ave, unit 12, Bed-Stuy"
            ),
            ("it's 12 Elm St, Apt 2, Thanks!", "en", "12 Elm St, Apt 2"),
            ("it's 12 Elm St, Apt 2, Thank You!", "en", "12 Elm St, Apt 2"),
            // Session 15: a district that GeoNames counts as a town too; a bairro by its abbreviation; an address a
            // line at a time; a hyphenated street; the way to her door; cross streets; a neighbourhood written first.
            (
                "Rua Voluntários da Pátria, 3300 - casa 2 - Santana. meu telefone", "pt-BR",
                "Rua Voluntários da Pátria, 3300 - casa 2 - Santana"
            ),
            (
                "I'm on 560 W 174th St Apt 4F, Washington Heights. so the nurse", "en",
                "560 W 174th St Apt 4F, Washington Heights"
            ),
            ("correct: 47-12 Queens Blvd Apt 6F, Sunnyside, NY 11104. ok", "en", "47-12 Queens Blvd Apt 6F, Sunnyside"),
            (
                "a gente mora na Rua Tiradentes 540 casa 1, Bº Industrial, ele para", "pt-BR",
                "Rua Tiradentes 540 casa 1, Bº Industrial"
            ),
            (
                "e o endereço?\nRua João Pessoa\nnumero 45\nCentro\nera isso", "pt-BR",
                "Rua João Pessoa\nnumero 45\nCentro"
            ),
            (
                "moro na Rodovia Rio-Santos km 180, casa 3, Boracéia, Bertioga. o posto", "pt-BR",
                "Rodovia Rio-Santos km 180, casa 3, Boracéia"
            ),
            (
                "I live at 9 Chapel Hill Rd lot 4, the trailer with the ramp", "en",
                "9 Chapel Hill Rd lot 4, the trailer with the ramp"
            ),
            (
                "vivo en calle 8 entre 5 y 6, casa esquinera de color verde", "es",
                "calle 8 entre 5 y 6, casa esquinera de color verde"
            ),
            (
                "moro na Vila Madalena, na Rua Harmonia 400 casa 2. a madrinha", "pt-BR",
                "Vila Madalena, na Rua Harmonia 400 casa 2"
            ),
            ("Setor Pedro Ludovico, Rua 1024 qd 47 lt 8. Ana", "pt-BR", "Setor Pedro Ludovico, Rua 1024 qd 47 lt 8"),
            // Session 16: "fds" for "fundos"; a São Paulo district with the state after it and the city left out; a
            // bairro in brackets by its abbreviation.
            ("moro na Rua Pará 240 (Bº Uberaba) Curitiba", "pt-BR", "Rua Pará 240 (Bº Uberaba)"),
            ("a gente mora no Sítio Boa Vista, linha 7, km 12. a agente", "pt-BR", "Sítio Boa Vista, linha 7, km 12"),
            ("moro na estrada vicinal km 8, perto da ponte", "pt-BR", "estrada vicinal km 8, perto da ponte"),
            (
                "moro na rua das acácias 230 centro perto da padaria. a ana", "pt-BR",
                "rua das acácias 230 centro perto da padaria"
            ),
            ("endereço Rua Goiás 45 fds, Vila Operária, Maringá", "pt-BR", "Rua Goiás 45 fds, Vila Operária"),
            (
                "mando aqui: Rua Vergueiro, 7200 - ap 64 - Ipiranga - SP - 04270-000", "pt-BR",
                "Rua Vergueiro, 7200 - ap 64 - Ipiranga"
            ),
            (
                "nome: Ana\nrua: Olavo Bilac\nnº: 45\ncompl: fundos\nbairro: vila rica\ncidade: Campinas", "pt-BR",
                "rua: Olavo Bilac\nnº: 45\ncompl: fundos\nbairro: vila rica"
            ),
            // A sentence that goes on after the address is no description of the house; New York's neighbours across
            // the river are towns.
            ("moro na Rua X 12, a casa é rosa e o bebê", "pt-BR", "Rua X 12"),
            ("send it to 75 Clinton Ave, Jersey City", "en", "75 Clinton Ave"),
            // Session 25: her neighbourhood between "moro em" and her street, with no neighbourhood's word; after her
            // town and a comma too. A town of 20,000 or a region stays.
            ("moro em Curado, Rua Vinte 40. ela", "pt-BR", "Curado, Rua Vinte 40"),
            ("moro em Jaboatão, Sucupira, Rua Dez 18. e aí", "pt-BR", "Sucupira, Rua Dez 18"),
            ("Moro no Ibura de Baixo, Rua H 12", "pt-BR", "Ibura de Baixo, Rua H 12"),
            ("moro em Caruaru, Rua Sete 120", "pt-BR", "Rua Sete 120"),
            ("moro na Zona Norte, Rua Sete 120", "pt-BR", "Rua Sete 120"),
            // A street named by a number or a date said aloud.
            ("moro na rua sete de setembro número doze", "pt-BR", "rua sete de setembro número doze"),
            ("moro na Rua Trinta e Um, 45. obrigada", "pt-BR", "Rua Trinta e Um, 45"),
        ])
    func addressesInTheirLanguage(text: String, language: String, span: String) {
        let bytes = Array(text.utf8)
        let found = masker.spans(in: text, language: language).filter { $0.kind == .address }.map {
            String(decoding: bytes[$0.range], as: UTF8.self)
        }
        #expect(found == [span], "\(found)")
    }

    @Test("a town after an address is the town, not a name, though the census lists it (Petrolina, 656 women)")
    func townAfterAddress() {
        let masked = masker.mask("Loteamento Morada do Sol, quadra F lote 22, Petrolina. fone", language: "pt-BR")
        #expect(masked == "[endereço], Petrolina. fone")
    }

    @Test(
        "what stays: readings, measures, obstetric notes, towns, months, saints, institutions and diseases",
        arguments: [
            "pressão 16/11 e dor de cabeça", "PRESSÃO 16X11 E DOR", "G2P1A0 com 3,2kg", "tomar 1/2 comprimido 24/7",
            // Public schools by their network's abbreviation (session 26).
            "escola: EE Dom Pedro II", "escola: EMEF Carolina Maria de Jesus", "a CMEI Tia Nair fechou",
            "moro na rua das flores um pouco longe", "moramos na rua da praia dois anos",
            "a Rua Augusta ta fechada hj?", "Bill from the hospital came today, $4,300 for the NICU",
            "Calle Morelos esquina con Hidalgo está la Farmacia Guadalajara",
            "el consultorio queda por la calle Hidalgo, cerca del parque",
            "mora em Lorena-SP e diz", "Sou de Esperança, na Paraíba, e", "moro no Brás e trabalho na costura",
            "Someone told me about Chagas disease", "she was born at Mercy Hospital", "Ai Jesus, o bebê não dorme",
            "vive en Los Ángeles y dice", "se fue a Chile a trabajar", "nasceu no dia de São Cosme e Damião",
            "pela Lei Maria da Penha", "no programa Mãe Paranaense", "a lancha pra Belém sai cedo",
            "Vou na BR-116 amanhã", "o Disque Saúde 136 funciona", "the nurse at the Albert Einstein hospital said",
            "to esperando aqui na Policlínica Dr. Gilberto desde cedo", "ela só dorme com a Galinha Pintadinha",
            "moro na Bahia 3 anos e nunca", "meu endereço é o mesmo de antes",
            "nací en San José, Costa Rica, pero vivo aquí", "el dolor está entre la espalda y la cadera",
            "fui pra rua\n2 vezes hoje", "vou na Drogasil comprar o Nan Supreme que o pediatra liberou",
            "comprei Nestogeno, 800 g, no mercado", "el mismo día de la Virgen de los Ángeles, mi mamá dice",
            "a rabeta leva 2h até Belém", "consulta agendada na USF Lobato às 13h",
            "moro em natal. o hospital januario cicco tem uti neonatal?", "PLEASE HELP, 34 WEEKS AND BLEEDING",
            "DOR DE CABEÇA FORTE, 32 SEMANAS, PRESSÃO ALTA", "BOA NOITE, 32 SEMANAS",
            "que llegue bien, de parte de Dios", "a rua: horrível\nbairro: perigoso",
            "ask for help with the baby. If it continues, book a visit",
            "Vá agora à maternidade para examinarem você e o bebê. Não vá dirigindo.",
            "Separei os comprimidos. Só queria que alguém soubesse.", "oi, ganhei bebe de cesaria faz 6 dias",
            "O Ministério da Saúde recomenda seis consultas, na Unidade Básica de Saúde mais próxima",
        ])
    func staysUnmasked(text: String) {
        let language = text.contains(" en ") || text.contains(" a Chile") ? "es" : text.contains(" the ") ? "en" : nil
        #expect(masker.mask(text, language: language) == text)
    }

    @Test(
        "a trade right before a name makes it one, across no article; a name's generation belongs to it; an unknown word before a surname is a first name",
        arguments: [
            ("the driver Kwabena was kind, the doorman Kofi too", "en", ["Kwabena", "Kofi"]),
            ("la niñera Yoselin no vino hoy", "es", ["Yoselin"]),
            ("a farmacêutica da Extrafarma mandou usar pomada", "pt-BR", []),
            ("o motorista do Uber cancelou", "pt-BR", []),
            ("o Roberto Carlos Filho chegou", "pt-BR", ["Roberto Carlos Filho"]),
            ("Francisco Neto tem febre desde ontem", "pt-BR", ["Francisco Neto"]),
            ("nome Kelly Cristina R. Alves", "pt-BR", ["Kelly Cristina R. Alves"]),
            // A first name no list has, before a common surname; not where a place stands.
            ("a consulta da Yurani Silva é amanhã", "pt-BR", ["Yurani Silva"]),
            ("Buenas, Xiomara Hernández Ruiz, 33 años", "es", ["Xiomara Hernández Ruiz"]),
            ("trabalho na Faria Lima e a UBS fecha cedo", "pt-BR", []),
            // A list goes on past its commas to its "and" or "&".
            ("confirmed: Aunty Bisi, Kwesi, Yaw and her twins", "en", ["Bisi", "Kwesi", "Yaw"]),
            ("Aunty Bisi & Kwesi came, Johnson & Johnson too", "en", ["Bisi", "Kwesi"]),
            // Where she is from between her name and "here".
            ("Morag from Aberdeen here, can I take Gaviscon?", "en", ["Morag"]),
            ("Gaviscon from Boots here is cheaper", "en", []),
            ("Joana de Parintins aqui, tudo bem?", "pt-BR", ["Joana"]),
        ])
    func tradesAndGenerations(text: String, language: String, names: [String]) {
        #expect(masker.names(in: text, language: language) == names)
    }

    @Test(
        "a form's place fields and labels, ordinary words the name lists hold, a nickname after Dona, numbers listed with a slash, nationalities",
        arguments: [
            ("Cidade: Vitória/ES\nBairro: Centro", "pt-BR", "Cidade: Vitória/ES\nBairro: Centro"),
            ("ela mora em Recife/PE", "pt-BR", "ela mora em Recife/PE"),
            ("Tel: (27) 3222-1100 / (27) 99988-7766", "pt-BR", "Tel: [telefone] / [telefone]"),
            ("tomei um cacau quente e o bebe mexeu", "pt-BR", "tomei um cacau quente e o bebe mexeu"),
            ("a Cacau chegou ontem", "pt-BR", "a [nome] chegou ontem"),
            ("sou a filha da Dona Neném, lá do sítio", "pt-BR", "sou a filha da Dona [nome], lá do sítio"),
            ("o neném da Dona Maria nasceu", "pt-BR", "o neném da Dona [nome] nasceu"),
            ("meu plano é Unimed e o dela Bradesco", "pt-BR", "meu plano é Unimed e o dela Bradesco"),
            ("my husband is Polish and his mom is Catholic", "en", "my husband is Polish and his mom is Catholic"),
            ("my husband is Kevin", "en", "my husband is [nome]"),
            // No article before a town abroad: after "na"/"da" a common given name is a person.
            ("dei banho na Helena e ela dormiu", "pt-BR", "dei banho na [nome] e ela dormiu"),
            ("moro em Helena agora", "pt-BR", "moro em Helena agora"),
            ("parto humanizado no Sofia Feldman", "pt-BR", "parto humanizado no Sofia Feldman"),
            // In capitals "DE" before a surname is the name's particle, not Delaware after the town Cláudia.
            ("PACIENTE: ANA CLAUDIA DE OLIVEIRA\nHEMOGLOBINA: 10,2", "pt-BR", "PACIENTE: [nome]\nHEMOGLOBINA: 10,2"),
            ("we moved to Dover DE last year", "en", "we moved to Dover DE last year"),
            // A family name written first belongs to the name after it.
            ("the midwife on call was Nguyen Thi Lan", "en", "the midwife on call was [nome]"),
        ])
    func formFieldsAndOrdinaryWords(text: String, language: String, masked: String) {
        #expect(masker.mask(text, language: language) == masked)
    }

    @Test(
        "an English question's subject before a person's verb; a town's word, weeks and a road's kilometre end an address; a record's lettered prefix and an SSN's last figures",
        arguments: [
            (
                "did Siobhan call you back about my glucose test?", "en",
                "did [nome] call you back about my glucose test?"
            ),
            (
                "can Eilidh come to the birth as well as my mum?", "en",
                "can [nome] come to the birth as well as my mum?"
            ),
            ("Mum: how's Freya doing? Me: she's good", "en", "Mum: how's [nome] doing? Me: she's good"),
            ("has Callum gone back to work?", "en", "has [nome] gone back to work?"),
            ("does Medicaid cover a home birth?", "en", "does Medicaid cover a home birth?"),
            ("can Tylenol help with the headache?", "en", "can Tylenol help with the headache?"),
            ("is Medicaid going to pay for it?", "en", "is Medicaid going to pay for it?"),
            ("did June come early for you too?", "en", "did June come early for you too?"),
            (
                "é Sítio Boa Esperança, km 12 da BR-316 depois da porteira azul, município de Picos", "pt-BR",
                "é [endereço], município de Picos"
            ),
            (
                "Gestante Raiane, aldeia Lagoa Quieta, 28 sem, PA 90x60", "pt-BR",
                "Gestante [nome], [endereço], 28 sem, PA 90x60"
            ),
            ("moro na Rodovia SP-55 km 120 casa 3 em São Sebastião", "pt-BR", "moro na [endereço] em São Sebastião"),
            ("Rua Guaraná, 45, Cidade de Deus", "pt-BR", "[endereço]"),
            ("Hospital number: RJ1 0044871", "en", "Hospital number: [número]"),
            ("SSN: ***-**-4471 Insurance: Aetna", "en", "SSN: ***-**-[número] Insurance: Aetna"),
            // A not-name the message named is her again; a thing she owns stays.
            (
                "Hope and Summer are my twins. Summer has a rash, Hope doesn't.", "en",
                "[nome] and [nome] are my twins. [nome] has a rash, [nome] doesn't."
            ),
            ("Hope so! Hope you are well", "en", "Hope so! Hope you are well"),
            ("a secretaria Rose q me passou o email", "pt-BR", "a secretaria [nome] q me passou o email"),
            ("liguei na Secretaria de Saúde", "pt-BR", "liguei na Secretaria de Saúde"),
            // The way to her door after "moro": a house, or directions in two parts.
            (
                "moro depois da ponte do igarapé, segunda casa depois da igreja de madeira azul, pergunta pela casa do seu Zé",
                "pt-BR", "moro [endereço], pergunta pela casa do seu [nome]"
            ),
            ("moro perto do centro, é tranquilo", "pt-BR", "moro perto do centro, é tranquilo"),
            ("moro perto da UBS e longe do hospital", "pt-BR", "moro perto da UBS e longe do hospital"),
            ("I live just past the gas station, the second house on the left", "en", "I live just [endereço]"),
            // A word of her language before a number is a place's part; a name before her age stays a name.
            (
                "Location: Royal Infirmary, antenatal clinic, Ward 6", "en",
                "Location: Royal Infirmary, antenatal clinic, Ward 6"
            ),
            ("my daughter Grace 2 weeks", "en", "my daughter [nome] 2 weeks"),
            // The greeting and the church stay; the sister is named.
            (
                "A Paz do Senhor! aqui é a irmã Cleide da Assembleia de Deus", "pt-BR",
                "A Paz do Senhor! aqui é a irmã [nome] da Assembleia de Deus"
            ),
            ("a Paz Oliveira chegou", "pt-BR", "a [nome] chegou"),
            // Health plans, laboratories, services and plural nouns before an apostrophe.
            ("ele atende pelo Bradesco Saúde", "pt-BR", "ele atende pelo Bradesco Saúde"),
            ("laboratorio Sabin ou o Fleury?", "pt-BR", "laboratorio Sabin ou o Fleury?"),
            ("a Maria da Saúde chegou", "pt-BR", "a [nome] da [nome] chegou"),
            ("me mandaron de la EPS Sura para el Hospital", "es", "me mandaron de la EPS Sura para el Hospital"),
            ("ACS do polo base Amarante", "pt-BR", "ACS do polo base Amarante"),
            ("born at Liverpool Women's", "en", "born at Liverpool Women's"),
        ])
    func questionsTownsAndRecords(text: String, language: String, masked: String) {
        #expect(masker.mask(text, language: language) == masked)
    }

    @Test(
        "a question with 'puede'/'pode' and a verb of coming; joined to the one who writes; 'é a' after a person word; brands no name list holds; an institution's kind",
        arguments: [
            ("¿Puede entrar Yaritza conmigo al parto?", "es", "¿Puede entrar [nome] conmigo al parto?"),
            ("¿Yesenia puede quedarse conmigo esta noche?", "es", "¿[nome] puede quedarse conmigo esta noche?"),
            ("A Rosilda pode vir amanhã?", "pt-BR", "A [nome] pode vir amanhã?"),
            ("¿Puede tomar Buscopan una embarazada?", "es", "¿Puede tomar Buscopan una embarazada?"),
            ("¿Puedo llevar Tylenol al hospital?", "es", "¿Puedo llevar Tylenol al hospital?"),
            ("A Unimed pode cobrir o parto?", "pt-BR", "A Unimed pode cobrir o parto?"),
            ("me and Tayshawn walked to the park", "en", "me and [nome] walked to the park"),
            ("yo y Pili fuimos al hospital", "es", "yo y [nome] fuimos al hospital"),
            ("me and Netflix all night lol", "en", "me and Netflix all night lol"),
            ("bonswa, eu é Guerline, vou no hospital", "pt-BR", "bonswa, eu é [nome], vou no hospital"),
            ("minha doula é a Nzinga, angolana", "pt-BR", "minha doula é a [nome], angolana"),
            ("meu marido é o Brasil todo", "pt-BR", "meu marido é o Brasil todo"),
            ("minha filha tá com febre e a Ambev demitiu", "pt-BR", "minha filha tá com febre e a Ambev demitiu"),
            ("a Natura mandou o kit", "pt-BR", "a Natura mandou o kit"),
            ("como o Samu acha a casa?", "pt-BR", "como o Samu acha a casa?"),
            ("Rosilda perguntou se pode visitar", "pt-BR", "[nome] perguntou se pode visitar"),
            (
                "tá internado no hospital infantil Lucídio Portella", "pt-BR",
                "tá internado no hospital infantil Lucídio Portella"
            ),
            ("levei no hospital municipal e a Rosa atendeu", "pt-BR", "levei no hospital municipal e a [nome] atendeu"),
            ("Local: Centro de Especialidades Lineu Araújo", "pt-BR", "Local: Centro de Especialidades Lineu Araújo"),
            ("a Ana do centro de referência disse", "pt-BR", "a [nome] do centro de referência disse"),
            // Spanish doubles a person spoken to with "le … a"; a brand or a place the lists know stays.
            (
                "¿le dijiste a Yoandri que ya estoy en el hospital?", "es",
                "¿le dijiste a [nome] que ya estoy en el hospital?"
            ),
            ("le pregunté a Google", "es", "le pregunté a Google"),
            // A name that is also a word, called before a Spanish past said to "tú"; a topic before a question stays.
            ("Rosa, ¿llamaste a la clínica?", "es", "[nome], ¿llamaste a la clínica?"),
            ("Luz, ¿le dijiste a la doctora?", "es", "[nome], ¿le dijiste a la doctora?"),
            ("Ecografía, ¿me la cubren?", "es", "Ecografía, ¿me la cubren?"),
            ("les conté a Madrid", "es", "les conté a Madrid"),
            // A record's or an account's number with its check digit; a term stays.
            ("o prontuário da minha filha é 45782-0", "pt-BR", "o prontuário da minha filha é [número]"),
            ("a conta é 12345-6", "pt-BR", "a conta é [número]"),
            ("ganhei no 2023-2", "pt-BR", "ganhei no 2023-2"),
            // A member ID's letters before its figures; a document's own name stays beside its mask.
            ("member ID XGH 448 201 773, group 40021", "en", "member ID [rg], group 40021"),
            ("card number CPF 123.456.789-09", "pt-BR", "card number CPF [cpf]"),
        ])
    func modalQuestionsSpeakerAndInstitutions(text: String, language: String, masked: String) {
        #expect(masker.mask(text, language: language) == masked)
    }

    @Test(
        "a family by its surname in the plural; a capital city few carry as a name; a name alone on its line; a kiss before her name; a person known by her group",
        arguments: [
            // Portuguese and Spanish keep a family's surname singular after a plural article; English adds an "s".
            ("os Nascimento vieram almoçar", "pt-BR", "os [nome] vieram almoçar"),
            ("fui na casa dos Cavalcanti ontem", "pt-BR", "fui na casa dos [nome] ontem"),
            ("los Quispe nos regalaron la cuna", "es", "los [nome] nos regalaron la cuna"),
            ("the Nguyens next door brought food", "en", "the [nome] next door brought food"),
            ("os nascimentos de março", "pt-BR", "os nascimentos de março"),
            ("tomei os Buscopan que sobraram", "pt-BR", "tomei os Buscopan que sobraram"),
            ("compro nas Casas Bahia", "pt-BR", "compro nas Casas Bahia"),
            ("the Philips pump is loud", "en", "the Philips pump is loud"),
            ("Maria das Neves ligou", "pt-BR", "[nome] ligou"),
            // A Brazilian city five hundred times larger than the census's count of its name is the city.
            ("Brasília é longe demais", "pt-BR", "Brasília é longe demais"),
            ("Teresina tá 40 graus", "pt-BR", "Teresina tá 40 graus"),
            ("Brooklyn is teething", "en", "[nome] is teething"),
            // A census name alone on a line of a longer message; a cry to a saint stays.
            ("nasceu!!\nBernardo\n3,2 kg", "pt-BR", "nasceu!!\n[nome]\n3,2 kg"),
            ("oi\nSocorro\nestou com dor", "pt-BR", "oi\nSocorro\nestou com dor"),
            // A name that also opens a church's name, with a person word in apposition; a place where one stands.
            ("quem fica com ele é a Imaculada, a babá", "pt-BR", "quem fica com ele é a [nome], a babá"),
            ("vivo en El Alto, mi hijo nació", "es", "vivo en El Alto, mi hijo nació"),
            // A kiss that opens the last phrase, then her name.
            ("call me after 6. xx Saoirse", "en", "call me after 6. xx [nome]"),
            // A person known by her group, and what she brought or her own baby; an invoice that came stays.
            ("Joy from church brought lasagna", "en", "[nome] from church brought lasagna"),
            ("Dawn from the baby group had her baby", "en", "[nome] from the baby group had her baby"),
            ("Bill from the hospital came today", "en", "Bill from the hospital came today"),
            ("Faith from the church group brought soup", "en", "[nome] from the church group brought soup"),
            ("Nurse from the front desk said hi", "en", "Nurse from the front desk said hi"),
            // Two lower-case names joined by "and"; two flowers stay.
            ("a joana e o beto brigaram", "pt-BR", "a [nome] e o [nome] brigaram"),
            ("comprei rosa e margarida", "pt-BR", "comprei rosa e margarida"),
            // At a sentence's start, the one who does something to her; a feeling that gives, or a cry, stays.
            ("Consuelo me dio consuelo", "es", "[nome] me dio consuelo"),
            ("Rosa me deu um bolo", "pt-BR", "[nome] me deu um bolo"),
            ("Consuelo me da saber que no soy la única", "es", "Consuelo me da saber que no soy la única"),
            ("Socorro me ajuda", "pt-BR", "Socorro me ajuda"),
            // Denied, an introduction says what she is not.
            ("no soy la única con grietas", "es", "no soy la única con grietas"),
            ("hola soy la yaniris", "es", "hola soy la [nome]"),
            // Since session 23 a pet's name is masked as a daughter's is (a given name; the conservative reading).
            (
                "posso deixar a Mel (minha cachorra) cheirar o bebe?", "pt-BR",
                "posso deixar a [nome] (minha cachorra) cheirar o bebe?"
            ),
            ("a Mel (minha filha) chorou", "pt-BR", "a [nome] (minha filha) chorou"),
            // A clause's subject after "and"/"porque" before a person's verb; the subject after a verb of coming or
            // calling; what was sent after "me mandó" stays.
            ("up at 5 every day and Callum sleeps through it", "en", "up at 5 every day and [nome] sleeps through it"),
            ("¿Llamó Xiomara? quedó en avisarme", "es", "¿Llamó [nome]? quedó en avisarme"),
            ("ya llegó Yonathan del trabajo", "es", "ya llegó [nome] del trabajo"),
            ("me mandó Progesterona 200mg", "es", "me mandó Progesterona 200mg"),
            ("and Tylenol helps", "en", "and Tylenol helps"),
            // Her name and "here" opening the message, even a name that is also a word.
            ("Faith here again, baby is better", "en", "[nome] here again, baby is better"),
            // Portuguese has no "'s": a word with it is a brand's English name.
            ("me deu um kit da Johnson's", "pt-BR", "me deu um kit da Johnson's"),
            // The way to her door after "to get here" runs to the sentence's end; a way that names no house or
            // direction stays.
            (
                "pra chegar aqui passa a ponte do rio, entra na segunda porteira, casa de taipa do lado do pé de manga. vem quando?",
                "pt-BR", "pra chegar aqui [endereço]. vem quando?"
            ),
            ("pra chegar aqui demorou 2 horas", "pt-BR", "pra chegar aqui demorou 2 horas"),
            (
                "to get to my place turn left after the gas station, second house on the right", "en",
                "to get to my place [endereço]"
            ),
            // A shelter's sector and tent, as a block and its lot; a hospital's sector stays.
            ("estoy en el refugio, sector 4, carpa 12", "es", "estoy en el refugio, [endereço]"),
            ("trabalho no setor 3 da fábrica", "pt-BR", "trabalho no setor 3 da fábrica"),
            // After "that"/"que", a clause's subject; after "is", only a patient is in a care unit; a pronoun with
            // its verb is no one's name.
            ("tell Dr. Lee that Precious has been vomiting", "en", "tell Dr. [nome] that [nome] has been vomiting"),
            ("dice que Benja tiene reflujo", "es", "dice que [nome] tiene reflujo"),
            ("Pray for us, Hope is in the NICU", "en", "Pray for us, [nome] is in the NICU"),
            ("They're still in the NICU", "en", "They're still in the NICU"),
            ("We're feeding every 2 hours", "en", "We're feeding every 2 hours"),
            // The maternity's rooming-in ward is no housing estate.
            ("fiquei no alojamento conjunto 2 dias", "pt-BR", "fiquei no alojamento conjunto 2 dias"),
            // The hour after a date is no year.
            ("Date: Tue 3 June 10:40", "en", "Date: Tue [data] 10:40"),
            // "the one from" where she works, in apposition; a city's "the one of the north" stays.
            ("Carmen, la de la recepción, me dio otra cita", "es", "[nome], la de la recepción, me dio otra cita"),
            ("Rosa, a do posto, falou", "pt-BR", "[nome], a do posto, falou"),
            ("Lima, la del norte, es bonita", "es", "Lima, la del norte, es bonita"),
            // Only a baby keeps spitting up; "is due" says nothing ("Summer is due any day now" is the season).
            ("Iris keeps spitting up after feeds", "en", "[nome] keeps spitting up after feeds"),
            ("Summer is due any day now", "en", "Summer is due any day now"),
            // Asked to do something, driving someone, a person word as an acronym or "my eldest" in brackets,
            // "Jesus (meu sogro)".
            ("ask Declan to bring coffee", "en", "ask [nome] to bring coffee"),
            ("let Google know", "en", "let Google know"),
            ("Tom is driving us to St Mary's now", "en", "[nome] is driving us to St Mary's now"),
            ("Xiaoling (my MIL) wants to help", "en", "[nome] (my MIL) wants to help"),
            ("Summer (my eldest) keeps waking the baby", "en", "[nome] (my eldest) keeps waking the baby"),
            ("o Jesus (meu sogro) quer levar ela", "pt-BR", "o [nome] (meu sogro) quer levar ela"),
            ("the summer is hot", "en", "the summer is hot"),
        ])
    func familiesCitiesLinesAndGroups(text: String, language: String, masked: String) {
        #expect(masker.mask(text, language: language) == masked)
    }

    @Test("the count finds a name after '¿', '¡', a quotation mark or an emoji as a whole word")
    func wholeWordsAfterPunctuation() throws {
        let cases = try PrivacyMeasurement.cases(
            jsonl: Data(
                #"""
                {"id": "q1", "lang": "es", "text": "¿Amparo puede traer al bebé?", "names": ["Amparo"], "identifiers": [], "keep": []}
                {"id": "q2", "lang": "es", "text": "¡Jesús, María y José! ya tengo 5 cm", "names": [], "identifiers": [], "keep": ["María"]}
                {"id": "q3", "lang": "pt-BR", "text": "😍Valentina mamou direitinho", "names": ["Valentina"], "identifiers": [], "keep": []}
                """#.utf8), file: "inline.jsonl")
        let report = PrivacyMeasurement.measure(cases, masker: masker)
        // Both names are found and masked; the kept "María" after "¡Jesús, " is seen, and counted as masked (before,
        // a byte of "¿", "¡" or an emoji beside a word hid it from the count either way).
        #expect(report.names == 2 && report.namesMasked == 2)
        #expect(report.keep == 1 && report.keepMasked == 1)
    }

    @Test(
        "feasts, a saint's hospital in lower case, a date that names a place, a fundraiser, an office's number; 'niño', 'me dicen', 'otra vez'",
        arguments: [
            (
                "Faltam 2 semanas pra Páscoa e eu com 39 semanas", "pt-BR",
                "Faltam 2 semanas pra Páscoa e eu com 39 semanas"
            ),
            ("Bom dia, Círio de Nazaré no domingo", "pt-BR", "Bom dia, Círio de Nazaré no domingo"),
            ("a Nazaré chegou", "pt-BR", "a [nome] chegou"),
            (
                "a Ana me disse que o são luiz não deixa doula entrar", "pt-BR",
                "a [nome] me disse que o são luiz não deixa doula entrar"
            ),
            ("comprei na Rua 25 de Março", "pt-BR", "comprei na Rua 25 de Março"),
            ("nasceu dia 25 de março", "pt-BR", "nasceu [data]"),
            ("Soy matrona del Hospital 12 de Octubre", "es", "Soy matrona del Hospital 12 de Octubre"),
            ("roses on the ward for Valentine's Day", "en", "roses on the ward for Valentine's Day"),
            (
                "roses on the ward for Valentine's Day and Oliver arrived this morning", "en",
                "roses on the ward for Valentine's Day and [nome] arrived this morning"
            ),
            ("a carteirinha dela na Sul América", "pt-BR", "a carteirinha dela na Sul América"),
            ("Harper's shots are today", "en", "[nome]'s shots are today"),
            ("Registration No: BBMP/2024/0012345", "en", "Registration No: [número]"),
            ("donate at https://www.gofundme.com/f/ayuda-bebe-yaritza-lima", "en", "donate at [url]"),
            ("Vivo en la Zona Villa Adela de El Alto", "es", "Vivo en la Zona Villa Adela de El Alto"),
            ("mi niño Yeison tiene 9 meses", "es", "mi niño [nome] tiene 9 meses"),
            ("me llamo Inmaculada pero me dicen Inma", "es", "me llamo [nome] pero me dicen [nome]"),
            ("Ainhoa otra vez jaja, mi pareja pregunta", "es", "[nome] otra vez jaja, mi pareja pregunta"),
            // Identifiers from Ireland and the UK, and a card whose first group mixes letters and figures.
            (
                "National Insurance number, it's JR 41 87 22 D. Is it safe?", "en",
                "National Insurance number, it's [número]. Is it safe?"
            ),
            (
                "my address: 12 Main St, Ballincollig, Co. Cork, P31 X2Y7", "en",
                "my address: [endereço], Ballincollig, Co. Cork, [cep]"
            ),
            ("numero da carteirinha 0H4M 0012 7733 0019", "pt-BR", "numero da carteirinha [número]"),
            ("o protocolo G2P1 e o exame 3X ao dia", "pt-BR", "o protocolo G2P1 e o exame 3X ao dia"),
            // Her possessive before a name and a person's verb; holy days, a shrine town, hospitals written short.
            ("mi Pepito ya tiene 1 año y todavía toma teta", "es", "mi [nome] ya tiene 1 año y todavía toma teta"),
            ("Sexta Feira Santa tem consulta?", "pt-BR", "Sexta Feira Santa tem consulta?"),
            ("ir pra Aparecida do Norte no feriado", "pt-BR", "ir pra Aparecida do Norte no feriado"),
            (
                "HOSP MUN DR. JOSE DE CARVALHO FLORENCE: Sra. Ana", "pt-BR",
                "HOSP MUN DR. JOSE DE CARVALHO FLORENCE: Sra. [nome]"
            ),
            ("ele pode assistir a cesárea no Sírio-Libanês?", "pt-BR", "ele pode assistir a cesárea no Sírio-Libanês?"),
            // A phone masked after a signature closes the message; a postcode after a town does not make it a name.
            ("Thanks for the help, Fiona MacLeod, 087 123 4567", "en", "Thanks for the help, [nome], [telefone]"),
            ("my address is now Rhiwbina, Cardiff CF14 6HR", "en", "my address is now Rhiwbina, Cardiff [cep]"),
            // A person's possessive after "had" makes the word at a sentence's start her.
            ("Iris had her 2 month jabs today", "en", "[nome] had her 2 month jabs today"),
            ("Tylenol has its own dose chart", "en", "Tylenol has its own dose chart"),
            // Only a person gives birth; her food and shops are brands after their noun.
            ("Yessenia dio a luz en el Rebagliati", "es", "[nome] dio a luz en el Rebagliati"),
            ("a luz acabou e deu a volta", "pt-BR", "a luz acabou e deu a volta"),
            ("biscoito Maria pro bebe pode?", "pt-BR", "biscoito Maria pro bebe pode?"),
            ("comprei na loja Marisa as calcinhas", "pt-BR", "comprei na loja Marisa as calcinhas"),
            ("Yoandri no llega todavía del trabajo", "es", "[nome] no llega todavía del trabajo"),
            ("Jo never slept like that", "en", "[nome] never slept like that"),
            // A weight in kilos or pounds is a baby's, a dose is not; a therapist's word before her name.
            ("Hope was 2.9kg at the weigh in", "en", "[nome] was 2.9kg at the weigh in"),
            ("Paracetamol was 1g every 6 hours", "en", "Paracetamol was 1g every 6 hours"),
            ("Davi pesou 3,2 kg hoje", "pt-BR", "[nome] pesou 3,2 kg hoje"),
            ("Angélica, a fono do hospital, ensinou a pega", "pt-BR", "[nome], a fono do hospital, ensinou a pega"),
            // After a title, a surname in lower case though it is also a word.
            ("a dra neves pediu ultrassom", "pt-BR", "a dra [nome] pediu ultrassom"),
            ("o dr. vai ver amanhã", "pt-BR", "o dr. vai ver amanhã"),
        ])
    func feastsSaintsAndFollowUps(text: String, language: String, masked: String) {
        #expect(masker.mask(text, language: language) == masked)
    }

    @Test(
        "Our Lady in three languages and a street after its abbreviation stay; a day before a capitalised month is a date",
        arguments: [
            (
                "la misa en la Parroquia Nuestra Señora de la Paz", "es",
                "la misa en la Parroquia Nuestra Señora de la Paz"
            ),
            ("la Virgen del Carmen nos cuida", "es", "la Virgen del Carmen nos cuida"),
            ("we go to Our Lady of Guadalupe church", "en", "we go to Our Lady of Guadalupe church"),
            ("fui na farmácia da Av. Getúlio Vargas ontem", "pt-BR", "fui na farmácia da Av. Getúlio Vargas ontem"),
            ("el consultorio de la Dra. Paz queda cerca", "es", "el consultorio de la Dra. [nome] queda cerca"),
            ("her BCG was on 4 May, polio on the 4th of May", "en", "her BCG was on [data], polio on the [data]"),
            (
                "moro na Localidade Mucambo, casa amarela depois da ponte. a",
                "pt-BR", "moro na [endereço]. a"
            ),
            // A neighbourhood named after a town it qualifies, and a vila of houses with her house in it.
            (
                "mudei pra Av. 15 de Novembro, 880, bairro Nova Brasília, Santana. Qual posto", "pt-BR",
                "mudei pra [endereço], Santana. Qual posto"
            ),
            (
                "to na minha mãe: Vila Esperança, casa 2, depois da padaria. pode mandar", "pt-BR",
                "to na minha mãe: [endereço]. pode mandar"
            ),
            // Where she lives, her neighbourhood is part of her address (session 24's policy; a district of 50,000
            // people stays: see the neighbourhoods' test).
            ("moro na Vila Madalena e trabalho no centro", "pt-BR", "moro na [endereço] e trabalho no centro"),
        ])
    func ourLadyStreetsAndDates(text: String, language: String, masked: String) {
        #expect(masker.mask(text, language: language) == masked)
    }

    @Test(
        "a chat transcript's speakers are names; a form's labels are not",
        arguments: [
            ("Tasha: anyone else up?\nMeg: yes omg\nTasha: glad it's not just me", "en", ["Tasha", "Meg", "Tasha"]),
            (
                "[19:02] Yesenia: alguien sabe si cubre el tamiz?\n[19:05] Rocío: ya no existe", "es",
                ["Yesenia", "Rocío"]
            ),
            ("Paciente: em acompanhamento\nEndereço: não informado\nObs: retorno em 7 dias", "pt-BR", []),
        ])
    func transcriptSpeakers(text: String, language: String, names: [String]) {
        #expect(masker.names(in: text, language: language) == names)
    }

    @Test(
        "\"it's\" introduces her (it is, never a possessive), but a day or a month after it is the date",
        arguments: [
            ("hey it's Bree, i moved!!", ["Bree"]), ("it’s Jenna. the swelling is worse", ["Jenna"]),
            ("it's Monday already and", []), ("it's getting worse at night", []), ("it's April, right?", []),
            ("Harper's first shots", ["Harper"]),
        ])
    func itIs(text: String, names: [String]) {
        #expect(masker.names(in: text, language: "en") == names)
    }

    @Test(
        "names joined by hyphens, in capitals after a cue, with an initial, next to a place, and never a month after",
        arguments: [
            ("Meu marido Mohammad Al-Hamwi não fala", "Mohammad Al-Hamwi"),
            ("Bonjou, mwen se Wideline Jean-Baptiste. eu falo pouco", "Wideline Jean-Baptiste"),
            ("Baby Emi Sato-Oliveira, 3.1kg", "Emi Sato-Oliveira"),
            ("PACIENTE MARIA YOSHIKO HIGA, 29 ANOS", "MARIA YOSHIKO HIGA"),
            ("NOMBRE: GÉNESIS ALEJANDRA MORENO PÁEZ. FECHA", "GÉNESIS ALEJANDRA MORENO PÁEZ"),
            ("paciente: rosana m. teixeira d.n. 1/4/89", "rosana m. teixeira"),
            ("nome maria aparecida santos rg 34.902.117-8", "maria aparecida santos"),
            ("Segue meus dados: Ana Clara Rezende Fonseca, RG MG-14.582.307", "Ana Clara Rezende Fonseca"),
            ("Belén, mi hermana, vive en Belém do Pará", "Belén"), ("comprei o enxoval azul pra Celeste 💙", "Celeste"),
            ("Hello, Abena Mensah from Ghana, studying", "Abena Mensah"),
            ("meu ex Anderson tá me ameaçando", "Anderson"), ("o Wilson chegou do trabalho agora", "Wilson"),
            ("My wife June gave birth in June, and", "June"),
            ("a Julianinha chegou cedo hoje", "Julianinha"), ("Pedrito ya camina solito", "Pedrito"),
            ("A MARIA CECÍLIA NASCEU!!! 3,2kg", "MARIA CECÍLIA"), ("o bebê da Maria Rita chorou", "Maria Rita"),
            ("qualquer coisa liga pra Mariana Akemi", "Mariana Akemi"),
        ])
    func harderNames(text: String, name: String) {
        let language =
            text.contains("mi hermana") ? "es" : text.contains("My wife") || text.contains("Hello") ? "en" : nil
        let found = masker.names(in: text, language: language)
        #expect(found == [name], "\(found)")
    }

    @Test(
        "a name told by the grammar around it: a person's verb, brackets, a possessive, 'and I', a naming verb",
        arguments: [
            ("Grace was born last night at 2am", "en", "Grace"), ("Luz nació el martes a las 6", "es", "Luz"),
            ("Hope is 3 months now and sleeps", "en", "Hope"), ("Liam has a fever of 100.8", "en", "Liam"),
            ("Pilar ya tiene 6 meses y no come", "es", "Pilar"), ("Harper's shots are on Monday", "en", "Harper"),
            ("so my husband (kev) just sat there", "en", "kev"),
            ("o Will (meu namorado) não quer ver", "pt-BR", "Will"),
            ("Joy and I are home now", "en", "Joy"), ("Le pusimos Ángel de nombre", "es", "Ángel"),
            ("oi sou a mae do joao pedro, ele ta com febre", "pt-BR", "joao pedro"),
            ("minha filha mais velha, a Mercedes, tá com ciúmes", "pt-BR", "Mercedes"),
            ("Mi matrona, Itziar Etxeberria, me ha dicho", "es", "Itziar Etxeberria"),
            ("Jesús, mi esposo, no puede venir", "es", "Jesús"),
            ("Socorro é o nome da minha mãe", "pt-BR", "Socorro"),
            ("Luz es el nombre de mi hija", "es", "Luz"), ("Summer and her brother have colds", "en", "Summer"),
            ("Fedno trabalha de noite e eu fico sozinha", "pt-BR", "Fedno"),
            ("Dawn is my doula, she's coming at 6", "en", "Dawn"), ("Ruby weighed 9lb 2oz today", "en", "Ruby"),
            ("Tina tá com mastite e febre", "pt-BR", "Tina"), ("Noah's health card is expired", "en", "Noah"),
            // Session 15: what a baby does, in the progressive; a kiss or her surnames after a name that closes the
            // message.
            ("Brayden was screaming all night", "en", "Brayden"),
            ("a Kauany tava gritando a noite toda", "pt-BR", "Kauany"),
            ("call me if you get lost. Chidinma x", "en", "Chidinma"),
            ("Daddy Declan is panicking more than the baby", "en", "Declan"),
            ("Hi, Siobhan here from Cork, my little one is in the NICU", "en", "Siobhan"),
            ("my little one Saoirse was born at 33 weeks", "en", "Saoirse"),
            ("Our little Destiny arrived 2 weeks early", "en", "Destiny"),
            ("nasceu!!! Apolo, 51cm, 3,720kg, às 4h20 da manhã", "pt-BR", "Apolo"),
            ("we'll see you Tuesday at 10:30. Cherry & baby Ava 💕", "en", "Cherry|Ava"),
            ("ESCREVE AI: CAMILA APARECIDA DE SOUZA, 28 ANOS, G3P2A0", "pt-BR", "CAMILA APARECIDA DE SOUZA"),
            ("May (my sister) will be my birth partner", "en", "May"),
            ("Oi, sou eu a Kiame, angolana", "pt-BR", "Kiame"),
            ("un abrazo fuerte de parte de Luzmila desde Iquitos", "es", "Luzmila"),
            ("My address for the home visit is on file. Ask for Bridget at the front desk", "en", "Bridget"),
            ("mi dirección es manzana K lote 9. Yesenia Quispe Mamani", "es", "Yesenia Quispe Mamani"),
            // Session 13: capitals, lower case after her article, lists, "here" after an unknown word.
            ("O JOÃO PEDRO JA TEM 6 MESES, POSSO DAR AGUA?", "pt-BR", "JOÃO PEDRO"),
            ("WALDIRENE AQUI TO SEM CREDITO ME LIGA", "pt-BR", "WALDIRENE"),
            ("a kethlyn ta com febre desde ontem", "pt-BR", "kethlyn"),
            ("Siobhan, Niamh and Aoife are all due in March", "en", "Siobhan|Niamh|Aoife"),
            ("Destiny and Faith (my girls) both have ear infections", "en", "Destiny|Faith"),
            ("Tsehay here (from Ethiopia), is it normal to bleed", "en", "Tsehay"),
            ("Buenas, le escribe Nahomi Chambi. ¿El paracetamol", "es", "Nahomi Chambi"),
            ("TAINÁ GUAJAJARA, 19 anos, primeira gestação", "pt-BR", "TAINÁ GUAJAJARA"),
            ("Mercedes da recepção disse que eu tenho que trazer", "pt-BR", "Mercedes"),
            ("a maria do posto falou q a vacina pode", "pt-BR", "maria"),
            ("Cruz, mi hijo mayor, tiene 4 años y quiere", "es", "Cruz"),
            ("Rose, the lactation consultant, said to pump", "en", "Rose"),
            // Session 14: a message that opens by calling her, then asks something of her.
            ("Graça, me liga qdo puder, tô no posto", "pt-BR", "Graça"),
            ("Sol, ¿ya te dieron el resultado del hisopado?", "es", "Sol"),
            ("Glória, a rosa que vc mandou chegou linda", "pt-BR", "Glória"),
            ("Dawn from the lactation team said to try the football hold", "en", "Dawn"),
            // Names copied from a form in capitals, whole.
            (
                "Paciente: ROSÂNGELA APARECIDA DOS SANTOS FERREIRA | DN 12/03/1990", "pt-BR",
                "ROSÂNGELA APARECIDA DOS SANTOS FERREIRA"
            ),
            (
                "o aluno JOÃO PEDRO ALVES DE OLIVEIRA (turma Maternal II) apresentou febre", "pt-BR",
                "JOÃO PEDRO ALVES DE OLIVEIRA"
            ),
            ("ANA CLARA DE JESUS ARAUJO — confirma se é esse o nome?", "pt-BR", "ANA CLARA DE JESUS ARAUJO"),
            ("Alegría se llama mi nieta, nació ayer en Roraima", "es", "Alegría"),
            // Where she is from is no part of her name: a town of 20,000 or more after "de" that is no surname.
            ("Sou a Ingrid Schmitt de Pomerode, meu bebê está com o umbigo vermelho", "pt-BR", "Ingrid Schmitt"),
            ("Che, soy Florencia, de Rosario, vivo en Florianópolis.", "es", "Florencia"),
            ("Sou a Maria de Lourdes Silva, gestante", "pt-BR", "Maria de Lourdes Silva"),
            ("Domingo, mi esposo, quiere cortar el cordón", "es", "Domingo"),
            ("Graça, a ACS, passou aqui hj e anotou meu cartão", "pt-BR", "Graça"),
            ("Faith didn't latch at all today, I'm pumping", "en", "Faith"),
            ("Ángel se llama mi bebé y es un ángel de verdad", "es", "Ángel"),
            ("May was born at 39+2 weeks, 3.4kg, all good!", "en", "May"),
            ("we are thinking of naming her Journee, is that too much?", "en", "Journee"),
            ("Asunción, la partera del pueblo, me revisó y dice que viene de nalgas", "es", "Asunción"),
            ("Senhora Luzia Pereira, sua consulta foi agendada", "pt-BR", "Luzia Pereira"),
            ("Favor de recogerlo. Maestra Yaneth", "es", "Yaneth"),
            ("My baby boy Chidi is jaundiced", "en", "Chidi"),
            // Session 16: lower case after her introduction and article, partners in es/en shorthand, names joined
            // by "and" to a name found, a list closed by "and"; a name stops before where she is from.
            ("oi sou a franzi, tudo bem?", "pt-BR", "franzi"), ("hola soy la yaniris del barrio", "es", "yaniris"),
            ("Mi novio Anyelo no contesta", "es", "Anyelo"), ("my bf Reece says he'll come", "en", "Reece"),
            ("Los mellis Bauti y Benja cumplen 3 meses", "es", "Bauti y Benja"),
            ("thanks Kimoya, Efua and Adjoa for the visit", "en", "Kimoya|Efua|Adjoa"),
            ("it works a treat. thanks Becca and Siobhan x", "en", "Becca|Siobhan"),
            ("Aarav and Anaya, our twins, were born at 34 weeks", "en", "Aarav|Anaya"),
            ("Kemuel e Davi, meus sobrinhos, pegaram catapora", "pt-BR", "Kemuel|Davi"),
            ("Hace un año perdí a mi Ixchel a las 39 semanas", "es", "Ixchel"),
            // "here" after a greeting, a pair and "both", what a person thinks, the Andean baby, a sentence in capitals.
            ("Sawubona, Nomvula here. the baby has a rash", "en", "Nomvula"),
            ("Kagiso and Palesa both have colds", "en", "Kagiso|Palesa"), ("Sizwe thinks it's teething", "en", "Sizwe"),
            ("la guagua Killa tiene fiebre", "es", "Killa"),
            ("MI HIJO YORDANIS TIENE FIEBRE DESDE AYER", "es", "YORDANIS"),
            ("MI HIJA MARIA NECESITA EL CARNÉ", "es", "MARIA"),
            // Signed after a kiss or a hug and "da"/"from", or after a comma and her article; an appointment's.
            ("alguma dica? beijos da Tay", "pt-BR", "Tay"), ("manda os resultados por favor, a Yari", "pt-BR", "Yari"),
            ("thanks for everything, love from Jessa", "en", "Jessa"),
            ("o Haruto tem puericultura dia 9", "pt-BR", "Haruto"),
            // An American first name the Brazilian census lacks (1990 US census, via names 0.3.0).
            ("I went to the clinic with Tonya yesterday", "en", "Tonya"),
            // A given name's diminutive after "gu"/"qu", and its augmentative.
            ("fui no mercado com Thiaguinho ontem", "pt-BR", "Thiaguinho"),
            ("ganhei um buquê do Marcão", "pt-BR", "Marcão"),
            ("Will has been feeding every 2 hours", "en", "Will"),
            ("Faith Nakamura, calling about my shot", "en", "Faith Nakamura"),
            ("a Ana e a Dhully vieram me ver", "pt-BR", "Ana|Dhully"),
            ("Cida do Córrego do Euclides aqui, a menina tá chorando", "pt-BR", "Cida"),
            ("oi é a Tuane do Jacarezinho, o posto fechou", "pt-BR", "Tuane"),
            ("Aqui é a Lavínia de Sena Madureira, o ônibus atrasou", "pt-BR", "Lavínia"),
            ("a Dra Márcia Tavares do CAISM disse", "pt-BR", "Márcia Tavares"),
            // Spelled out letter by letter, as on the phone.
            ("oi aqui é a J E S S I C A mãe do bebê", "pt-BR", "J E S S I C A"),
            ("Nome da bebê: H E L O Í S A 💖 nasceu às 03:40", "pt-BR", "H E L O Í S A"),
            ("el nombre es n a y e l i, con i latina al final", "es", "n a y e l i"),
        ])
    func grammaticalNames(text: String, language: String, name: String) {
        let found = masker.names(in: text, language: language)
        // Several names are written "A|B|C".
        #expect(found == name.split(separator: "|").map(String.init), "\(found)")
    }

    @Test(
        "not names though capitalised: pronouns, possessives and brands; cities where a place stands",
        arguments: [
            ("Ella dice que no siente al bebé", "es"), ("She's too scared to ring anyone", "en"),
            ("Sou o marido. Minha mulher teve uma convulsão", "pt-BR"), ("It's not pee, I can't stop it", "en"),
            ("vou de Uber pro hospital agora", "pt-BR"), ("is it ok to drive to Dallas at 36 weeks?", "en"),
            ("Mi suegra es de Rosario y dice que", "es"), ("Ai Jesus, o bebê não dorme", "pt-BR"),
            ("a casa é na Rua Desembargador Freitas 1200, casa 3, Teresina/PI, perto da praça", "pt-BR"),
            ("her pediatrician is at Texas Children's Hospital downtown", "en"),
            ("a reminder from Riverside Women's Health: your visit is on Monday", "en"),
            // An endearment calls her by no name; a word opening a question about it is the word.
            ("Linda, me liga qdo puder", "pt-BR"), ("Flor, vc viu a mensagem?", "pt-BR"),
            ("Clara, a gema do ovo pode comer?", "pt-BR"),
            ("Someone from the lactation team said to pump", "en"),
            ("o q e a diferença entre a vacina A e a B?", "pt-BR"), ("S O C O R R O alguém me ajuda", "pt-BR"),
            ("vou na UBS e no SUS amanhã, FELIZ NATAL", "pt-BR"), ("a festa de Nossa Senhora de Nazaré", "pt-BR"),
            ("la maestra dijo que no hay clase", "es"), ("the rash started on Tuesday and my sister said", "en"),
            ("Abril chegou e nada do bebê", "pt-BR"), ("Festa da escola amanhã, vou levar o bolo", "pt-BR"),
            ("o resultado deu POSITIVO MAS FRACO", "pt-BR"),
            // Places named by their kind or after a nobleman, and where she is from after "aqui de".
            ("Nós aqui de Antônio Prado somos 3 grávidas", "pt-BR"), ("ela pariu no Barão de Lucena", "pt-BR"),
            ("ela mora no Alto Santa Terezinha", "pt-BR"), ("a parteira do Quilombo Frechal veio", "pt-BR"),
            // A town of 100,000 named after a person, at a sentence's start.
            ("Teófilo Otoni tem maternidade de alto risco?", "pt-BR"), ("comi feijão com arroz e mamão", "pt-BR"),
            ("a psicóloga do CAPS é muito boa", "pt-BR"), ("la dirección es Los Pinos 234, La Molina", "es"),
            ("ela trabalha lá no Pronto Socorro de Arapiraca", "pt-BR"),
            ("tomei o xarope Vick e melhorou", "pt-BR"),
        ])
    func notGrammaticalNames(text: String, language: String) {
        #expect(masker.names(in: text, language: language).isEmpty)
    }

    @Test(
        "a word of no language after 'mi nombre es'/'meu nome é' is her name; a lower-case full name keeps its surnames",
        arguments: [
            ("hola mi nombre es dayelis y tengo 20 semanas", "es", ["dayelis"]),
            ("meu nome é yuleisy e tô com 30 semanas", "pt-BR", ["yuleisy"]),
            ("o nome dela é ana paula ferreira lima e ela tá internada", "pt-BR", ["ana paula ferreira lima"]),
            // The phrase as it is written by ear (session 26).
            ("boa tarde meu nomi e rosilene da silva eu to com 30 semana", "pt-BR", ["rosilene da silva"]),
            // A word of her language after the phrase is no name.
            ("meu nome é muito comum", "pt-BR", [String]()),
        ])
    func namingPhrasesAndLowerCaseSurnames(text: String, language: String, names: [String]) {
        #expect(masker.names(in: text, language: language) == names)
    }

    @Test(
        "a hospital called after its patron (a given name and a surname after 'no'/'pro', 'en el', a clinician's 'do'), a programme called 'Mãe' and a word, an Indigenous people",
        arguments: [
            ("a bolsa estourou e tô indo pro Fernando Magalhães", "pt-BR", [String]()),
            ("meu filho nasceu no Ana Bezerra ontem à noite", "pt-BR", []),
            ("a enfermeira Cida do Otávio de Freitas me ligou", "pt-BR", ["Cida"]),
            ("o obstetra do hélio angotti disse que tá tudo bem", "pt-BR", []),
            ("tengo control en el Fernando Vélez Paiz mañana", "es", []),
            // A person after the same words: a given name alone, two given names, or a word after it.
            ("dei banho no Pedro Henrique agora", "pt-BR", ["Pedro Henrique"]),
            ("comprei um presente pro Davi Lucca", "pt-BR", ["Davi Lucca"]),
            ("a pediatra do miguel falou que tá tudo bem", "pt-BR", ["miguel"]),
            // A programme for mothers: "Mãe" and a word no given name; a person after a person word or a name.
            ("chegou o enxoval da Mãe Maranhense hoje", "pt-BR", []),
            ("a parteira Mãe Toinha veio ontem", "pt-BR", ["Toinha"]),
            // Her people after "sou"/"é"/"somos" is no name; as a surname it goes on with hers.
            ("meu nome é Joana, sou Xavante da aldeia", "pt-BR", ["Joana"]),
            ("ela é Macuxi e tá com dor", "pt-BR", []), ("somos Warao, estamos en Manaus", "es", []),
            ("aqui é a Raimunda Guajajara, da aldeia", "pt-BR", ["Raimunda Guajajara"]),
        ])
    func patronInstitutions(text: String, language: String, names: [String]) {
        #expect(masker.names(in: text, language: language) == names)
    }

    @Test(
        "the river she lives by is no part of her address, after 'no' or a comma, nor her town after a rural address",
        arguments: [
            ("moro na comunidade Bom Jesus no rio Arapiuns, longe", "comunidade Bom Jesus"),
            ("da comunidade Ilha das Flores, rio Negro, tá com dor", "comunidade Ilha das Flores"),
            // After a rural address a town of 20,000 people is her town; in a city's the name is her neighbourhood.
            ("fazenda Santa Maria, estrada do Taquari km 38, Coxim", "fazenda Santa Maria, estrada do Taquari km 38"),
            ("Rua das Flores, 45, Boa Viagem, Recife", "Rua das Flores, 45, Boa Viagem"),
        ])
    func riversStayOutOfAddresses(text: String, address: String) {
        let bytes = Array(text.utf8)
        let found = masker.spans(in: text, language: "pt-BR").filter { $0.kind != .name }.map {
            String(decoding: bytes[$0.range], as: UTF8.self)
        }
        #expect(found == [address], "\(found)")
    }

    @Test(
        "a bare day stays unless her baby's birth is told before it; 'um do dois' without a year is no date; one number after a document's name is no piece of it",
        arguments: [
            "a consulta é dia 12 de manhã", "a bebê vai tomar vacina dia 9", "Dia dos Namorados, a bebê nasceu",
            "ganhei um do dois que pedi", "a fila do sus tinha 2000 pessoas", "o cpf dela tem 11 números",
            // Two numbers on two lines that make no CPF; counting said in figures and words.
            "glicemia 95\n120 depois do almoço", "contei 1 2 3 quatro 5 6 contrações",
            "tomei dois do três comprimidos", "o dia dois do três meses de licença",
            // Where she lives, said no closer than a town or a region.
            "moro no interior do Ceará", "moro na beira do Rio Negro", "moro no estado do Pará",
            "moro na zona rural de Caruaru", "moro em Recife, perto do centro",
            // A distance, a kilometre passed, a lot without its settlement.
            "andei 5 km hoje", "fica a 40 km de Cuiabá", "passei do km 12 da BR-101 e tive contração",
            "o lote 3 do PA tá alagado",
            // Text after "@" and a comma that is no e-mail's ending.
            "falei com @,com todo mundo", "tá@casa,comendo",
        ])
    func bareDaysStay(text: String) {
        #expect(masker.spans(in: text, language: "pt-BR").filter { $0.kind != .name }.isEmpty)
    }

    @Test(
        "identifiers of this round: record numbers, one-digit dates after a day word, URLs that point at one person",
        arguments: [
            ("Prontuário nº 458.221, paciente", "458.221"), ("tomei a vacina dia 3/4, quando", "dia 3/4"),
            // Session 16: a date with its time after it; a record number after its abbreviated name.
            ("remarcada pro dia 24/04 08:00 na policlínica", "dia 24/04"), ("Paciente: Ana. Exp. 458872", "458872"),
            ("scheduled for 09/22 at 9:30", "09/22"),
            (
                "manda pra https://drive.google.com/drive/folders/1aB3xYz9QpLm7Kd2 por favor",
                "https://drive.google.com/drive/folders/1aB3xYz9QpLm7Kd2"
            ),
            (
                "o link https://agendamento.saude.ma.gov.br/gestante/4471 da erro",
                "https://agendamento.saude.ma.gov.br/gestante/4471"
            ),
            ("me segue la: https://instagram.com/gabifontes.mae 😊", "https://instagram.com/gabifontes.mae"),
            ("please send it to Leeds LS6 2AB, thanks", "LS6 2AB"),
            ("mandei pro enf.patricia.ubs @ saude.pe.gov.br ontem", "enf.patricia.ubs @ saude.pe.gov.br"),
            ("reenvia pro adriele.souza(arroba)gmail.com por favor", "adriele.souza(arroba)gmail.com"),
            ("Vivo en la Cra 45 # 26-85, Medellín", "Cra 45 # 26-85"),
            ("ela nasceu no dia dois de fevereiro e", "dia dois de fevereiro"),
            ("nascimento: 15 mar 2024. peso", "15 mar 2024"),
            ("nasc. 05/jun/2023 / sexo masc", "05/jun/2023"), ("my appointment is tuesday march 18, Dr", "march 18"),
            ("pode mandar pra paulinha.m.santos arroba gmail.com hoje", "paulinha.m.santos arroba gmail.com"),
            (
                "meu email: lu.ferreira_92 (arroba) yahoo (ponto) com (ponto) br",
                "lu.ferreira_92 (arroba) yahoo (ponto) com (ponto) br"
            ),
            ("Scarborough ON M1N 1P9, ring twice", "M1N 1P9"), ("Dorchester, Boston MA 02124, the buzzer", "02124"),
            ("passa o link da sala? meet.google.com/xkz-pqrt-abc", "meet.google.com/xkz-pqrt-abc"),
            ("Guadalajara, Jalisco, C.P. 44600", "44600"), ("mi dirección es CABA, CP 1425", "1425"),
            ("vivo en Lavapiés, 28009 Madrid", "28009"), ("Bondi NSW 2026? ta", "2026"),
            // Session 25: day, month and year all said as numbers; a spoken date with its "dia"; a bare day after
            // her baby's birth ("a consulta é dia 12" stays: see the look-alike sets).
            ("a data de nascimento dela é dezoito do dois de noventa e oito tá", "dezoito do dois de noventa e oito"),
            ("nasci 7 do 11 de 1996, quer o rg?", "7 do 11 de 1996"),
            ("a vacina é dia trinta de junho né", "dia trinta de junho"),
            ("minha cunhada teve a bebê dia 9 e está bem", "dia 9"),
            ("ela ganhou neném dia quinze lá no hospital", "dia quinze"),
            // Pieces of a document's number after its name, said or in groups.
            (
                "meu cpf é zero quatro sete ponto três três oito e o resto mando",
                "zero quatro sete ponto três três oito"
            ),
            ("o resto do rg é 4471 22, obrigada", "4471 22"),
            // A CPF as bank receipts print it, partly hidden.
            ("Pagador: fulana / CPF: ***.302.118-** / Valor", "***.302.118-**"),
            ("CPF •••.915.407-•• recebedor", "•••.915.407-••"),
            ("o cpf é 054 e depois 331 e depois 887 e depois 20 tá", "054 e depois 331 e depois 887 e depois 20"),
            // Session 26: a Spanish date with its "el"; a month written by ear.
            ("la fecha probable de parto es el 3 de diciembre, tengo", "el 3 de diciembre"),
            ("marcaro pro dia 9 de dezenbro no hospital", "dia 9 de dezenbro"),
            // A CPF broken over two lines; a phone said partly in figures and partly in words.
            ("o cpf é 529.982\n247-25 ok", "529.982\n247-25"),
            ("meu cel 85 9 nove 8 8 7 dois 3 4 5 0", "85 9 nove 8 8 7 dois 3 4 5 0"),
            // A year said in words after a date; "dia" and a month's number with "do" without a year.
            ("eu nasci no dia quatro de abril de dois mil e um", "dia quatro de abril de dois mil e um"),
            ("remarcada pro dia vinte e cinco do dez por causa do feriado", "dia vinte e cinco do dez"),
            // Her home place by a place word and its name; her neighbourhood after her town and a comma.
            ("a gente mora no lago do Jacaré a menina", "lago do Jacaré"),
            ("moro no vão do Moleque em Cavalcante", "vão do Moleque"),
            ("vivo en Ponta Porã, barrio Jardim Ivone, mi cédula", "barrio Jardim Ivone"),
            // A rural address by its kilometre first, or a settlement's lot.
            ("moro no km 47 da BR-319 sentido Humaitá", "km 47 da BR-319"),
            (
                "é no quilômetro quarenta e sete da BR três um nove sentido",
                "quilômetro quarenta e sete da BR três um nove"
            ),
            (
                "Travessão do km 120 da Transamazônica, lote 15, sentido Uruará",
                "Travessão do km 120 da Transamazônica, lote 15"
            ),
            ("Lote 7 do PA Itamarati em Ponta Porã", "Lote 7 do PA Itamarati"),
            // An RG's issuing state before its number in lower case, or after its issuer by name.
            ("rg mg 18.456.002", "mg 18.456.002"), ("o RG é 3.421.809 SSP Piauí ok", "3.421.809 SSP Piauí"),
            ("El bebé nació el 22/01/2025 en Brasília", "el 22/01/2025"),
            ("mandem pro meu email: joyce.ferraz87@hotmail,com (é ponto)", "joyce.ferraz87@hotmail,com"),
        ])
    func identifiersOfThisRound(text: String, span: String) {
        let bytes = Array(text.utf8)
        let found = masker.spans(in: text).filter { $0.kind != .name }.map {
            String(decoding: bytes[$0.range], as: UTF8.self)
        }
        #expect(found == [span], "\(found)")
    }

    @Test(
        "what stays of this round: a public page's link, a reading named after its figures, '1/2 copo'",
        arguments: [
            "o formulário é https://www.gov.br/pt-br/servicos/solicitar-salario-maternidade , a Ana preencheu",
            "15/10 de pressão, to indo pra emergencia", "tomei 1/2 copo de água",
        ])
    func staysUnmaskedThisRound(text: String) {
        let bytes = Array(text.utf8)
        let found = masker.spans(in: text).filter { $0.kind != .name }.map {
            String(decoding: bytes[$0.range], as: UTF8.self)
        }
        #expect(found.isEmpty, "\(found)")
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
        "in lower case: a common name after a person word, signed with 'aqui', before a person's verb after her article, or after her own 'my name is'; the word where the context says so",
        arguments: [
            ("meu marido pedro chegou do trabalho", "pt-BR", ["pedro"]),
            ("é o pedro aqui marido da ana", "pt-BR", ["pedro", "ana"]),
            ("mi suegra carmen la deja prendida", "es", ["carmen"]), ("el doctor rodrigo me dijo", "es", ["rodrigo"]),
            ("my mom linda says it's the baby blues", "en", ["linda"]),
            ("a clara disse que vem amanhã", "pt-BR", ["clara"]),
            ("my name is kettia and i am pregnant", "en", ["kettia"]),
            ("me llamo yorleidys y tengo 20 semanas", "es", ["yorleidys"]),
            ("meu cachorro Thor late muito", "pt-BR", ["Thor"]),
            ("minha filha linda ta com febre", "pt-BR", []), ("mi marido armando la cuna jajaja", "es", []),
            ("o bebê atingiu seu marco", "pt-BR", []), ("ai nossa senhora aparecida me ajuda", "pt-BR", []),
            ("a rosa murchou no vaso", "pt-BR", []), ("my name is very common", "en", []),
            ("meu nome é diferente do RG", "pt-BR", []),
            ("my daughter is called precious she's four months old", "en", ["precious"]),
            ("a minha bebê chama esperança e ela tá com uma mancha", "pt-BR", ["esperança"]),
            ("isso se chama ansiedade e é normal", "pt-BR", []), ("ela chama atenção e todo mundo olha", "pt-BR", []),
            ("identificado com nome e data.", "pt-BR", []), ("my midwife hasn't called back", "en", []),
            ("June turned 6 months today", "en", ["June"]), ("May is 5 weeks away", "en", []),
            ("Março faz 3 meses que ganhei", "pt-BR", []),
            ("oye la pediatra dijo que fabián tiene ictericia", "es", ["fabián"]),
            ("a thayllane tá com assadura", "pt-BR", ["thayllane"]),
            ("hola mi nombre es yorleidis pérez y tengo treinta semanas", "es", ["yorleidis pérez"]),
            ("la valentina quiere tomar el pecho", "es", ["valentina"]), ("los dolores no paran", "es", []),
            ("la luna salió", "es", []),
            ("meu nome é maria das chagas eu moro no sítio", "pt-BR", ["maria das chagas"]),
            ("meu nome é ana muito prazer e queria saber", "pt-BR", ["ana"]),
            ("o lucas tá vindo me buscar", "pt-BR", ["lucas"]), ("o bolo tá assando", "pt-BR", []),
            ("Grace (my 2yo) has a rash", "en", ["Grace"]),
            ("hello this is abena calling from jaboatão", "en", ["abena"]),
            ("hi its funmi from paulista the agent said", "en", ["funmi"]),
            ("this is normal here and i worry", "en", []), ("o nome dele é caio", "pt-BR", ["caio"]),
            ("Grace, thank you for yesterday", "en", ["Grace"]), ("God, thanks for everything", "en", []),
        ])
    func lowerCaseNamesByContext(text: String, language: String, names: [String]) {
        #expect(masker.names(in: text, language: language) == names)
    }

    @Test(
        "names told by a thanks, a role after her introduction, 'seu', a person's predicate, 'mi' before a month; saints, towns stay",
        arguments: [
            ("Thank you Grace!! You've been amazing", "en", ["Grace"]), ("thank you for the grace", "en", []),
            ("Gracias Mercedes por el consejo del sacaleche", "es", ["Mercedes"]),
            ("buenos días soy la doula amparo les escribo", "es", ["amparo"]),
            ("aqui é a doula graça liguei pra ela", "pt-BR", ["graça"]),
            ("sou a enfermeira chefe do posto", "pt-BR", []),
            ("aqui é o seu joão avô da menina", "pt-BR", ["joão"]), ("atingiu seu marco de peso", "pt-BR", []),
            ("hello my wife joy is having strong pains", "en", ["joy"]),
            ("my husband will is working in manaus", "en", ["will"]), ("my baby girl is sleeping", "en", []),
            ("my husband will be home soon", "en", []), ("my friend june is bleeding a little", "en", ["june"]),
            ("a minha cachorra a mel não para de cheirar a barriga", "pt-BR", ["mel"]),
            ("minha filha linda está dormindo", "pt-BR", []), ("a parteira da aldeia disse que pode", "pt-BR", []),
            ("minha tia reza pra são benedito e funciona", "pt-BR", []),
            ("vou pra casa da minha mãe lá em frederico westphalen", "pt-BR", []),
            ("Jordan and I are so grateful", "en", ["Jordan"]), ("we went to Jordan and I loved it", "en", []),
            ("Angel is finally sleeping through the night", "en", ["Angel"]), ("Hope is finally here", "en", []),
            ("hi this is kwame the husband of abena", "en", ["kwame"]), ("this is normal the doctor said", "en", []),
            ("ya respira solita mi Abril", "es", ["Abril"]), ("mi abril fue difícil", "es", []),
            ("uno de ellos, Jesús Alberto (1,7 kg)", "es", ["Jesús Alberto"]),
            // Spanish names Brazil's census counts few of, after a person word or a title, before what follows a
            // subject; adjectives after the noun and the census's Spanish verbs stay.
            ("es la mamá de la bebé rocío ella tiene dos meses", "es", ["rocío"]),
            ("la comadre rocío me dijo que", "es", ["rocío"]), ("doña rosario la partera dice", "es", ["rosario"]),
            ("la doctora luz marina del puesto", "es", ["luz marina"]), ("mi bebé hermosa duerme", "es", []),
            ("mi hija tiene dolores", "es", []), ("la enfermera dice que es milia", "es", []),
            ("el parto cuesta como 15 mil dólares", "es", []), ("mi abuela no deja que lo saque", "es", []),
            ("o lucas tem a pele rosa", "pt-BR", ["lucas"]),
            ("oi aqui é a francisca das chagas eu queria", "pt-BR", ["francisca das chagas"]),
            ("soy Lucía de Rosario", "es", ["Lucía"]), ("boa noite é o painho da thayla falando", "pt-BR", ["thayla"]),
            ("Summer here is brutal", "en", []), ("Faith here again, baby's jaundice", "en", ["Faith"]),
            ("i cry all the time lily is two weeks old", "en", ["lily"]), ("the milk is two weeks old", "en", []),
            ("me arde cuando la Abril mama", "es", ["Abril"]), ("de abril a junio", "es", []),
        ])
    func namesByThanksRoleAndPredicate(text: String, language: String, names: [String]) {
        #expect(masker.names(in: text, language: language) == names)
    }

    @Test(
        "a town named like a farm is the town; the farm with its lot, the cédula said aloud, where she lives, are hers",
        arguments: [
            ("Conselho Municipal de Saúde de Fazenda Rio Grande", "pt-BR", nil as String?),
            ("moro na Fazenda Boa Vista", "pt-BR", "na [endereço]"),
            ("moro na Fazenda Rio Grande, lote 4", "pt-BR", "na [endereço]"),
            ("the refugee support NGO Cáritas in Campo Grande", "en", nil),
            (
                "mi cédula es ve veinte millones trescientos cuarenta y cinco mil seiscientos setenta y ocho", "es",
                "es [rg]"
            ),
            (
                "meu rg é vinte e três milhões quatrocentos e cinquenta e seis mil setecentos e oitenta e nove",
                "pt-BR",
                "é [rg]"
            ),
            ("obrigada um milhão de vezes", "pt-BR", nil),
            // Her neighbourhood where she says she lives; a district of 50,000 people, or a health unit's, stays.
            ("a gente mora no bairro cidade nova o que eu faço", "pt-BR", "no [endereço] o que eu faço"),
            ("vivo en la ocupación monte horebe y mi bebé tiene tos", "es", "la [endereço] y mi bebé tiene tos"),
            ("Moramos no Jardim Ângela", "pt-BR", nil), ("o posto do bairro Alvorada fecha cedo", "pt-BR", nil),
            ("eu sou do parque piauí e quero saber", "pt-BR", "do [endereço] e quero saber"),
            ("eles moram lá no ramal do km vinte e dois", "pt-BR", "no [endereço]"),
            ("a cesárea tá marcada pra 3/9 às 7h", "pt-BR", "pra [data] às 7h"),
            ("a pressão deu 12/8 às 7h", "pt-BR", nil), ("feeling so alone here, family is all in Ohio", "en", nil),
            ("eu sou a Maria do quilombo são josé da serra", "pt-BR", "do [endereço]"),
            ("moro no abrigo Rondon 3 em Boa Vista", "pt-BR", nil),
            ("Sou a Joana, do bairro Alvorada, a ACS disse", "pt-BR", "do [endereço], a ACS disse"),
            ("moro no bairro Copacabana", "pt-BR", nil),
            ("my date of birth is march fourteen nineteen ninety six", "en", "is [data]"),
            ("call me may five five five one two one two", "en", "may [telefone]"),
        ])
    func townsFarmsAndSaidDocuments(text: String, language: String, mask: String?) {
        let masked = masker.mask(text, language: language)
        if let mask { #expect(masked.hasSuffix(mask), "\(masked)") } else { #expect(masked == text) }
    }

    @Test(
        "numbers said aloud: tens joined by 'e', 'ponto' and 'traço' between digits, a said 'plus', a street's; an age stays",
        arguments: [
            ("o telefone é oitenta e um nove nove oito sete seis cinco quatro três dois", "pt-BR", "[telefone]"),
            ("o cpf é zero nove oito ponto oito quatro cinco ponto quatro dois dois traço zero um", "pt-BR", "[cpf]"),
            ("my phone number is plus one six one seven five five five zero one four two", "en", "[telefone]"),
            ("tenho vinte e dois anos e trinta e oito semanas", "pt-BR", nil as String?),
            // A street and its block and lot said aloud, and the neighbourhood said before them without a comma.
            ("eu moro lá no jardim das oliveiras rua doze quadra sete lote quatro", "pt-BR", "lá no [endereço]"),
            ("moro na quadra sete lote quatro", "pt-BR", "na [endereço]"),
            ("a rua doze é perigosa de noite", "pt-BR", nil),
        ])
    func spokenNumbers(text: String, language: String, mask: String?) {
        let masked = masker.mask(text, language: language)
        if let mask {
            #expect(masked.hasSuffix(mask), "\(masked)")
            #expect(!masked.contains(" um ") && !masked.contains("plus") && !masked.contains("ponto"), "\(masked)")
        } else {
            #expect(masked == text)
        }
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
            ("fixo 3456-7890", .phone, "3456-7890"), ("RG 12.345.678-9 SSP", .rg, "12.345.678-9 SSP"),
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

    @Test("the clinical-signs messages (readings, weeks, fevers, doses; no identifiers) keep every number and place")
    func clinicalMessagesKeepTheirNumbers() throws {
        let folder = repositoryRoot.appendingPathComponent("eval-suites/clinical-signs")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".jsonl") }
        #expect(files.count >= 10)
        var masked: [String] = []
        var messages = 0
        for file in files.sorted() {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let message = (object["text"] ?? object["answer"] ?? object["message"]) as? String
                else { continue }
                messages += 1
                let language = object["language"] as? String
                let bytes = Array(message.utf8)
                // Dates are masked by policy (a day with its month dates the pregnancy), names when they are there.
                for span in masker.spans(in: message, language: language)
                where ![.name, .date, .birthdate].contains(span.kind) {
                    masked.append("\(file): \(span.kind) \(String(decoding: bytes[span.range], as: UTF8.self))")
                }
            }
        }
        #expect(messages >= 1000)
        // Names are in them on purpose ("sou o marido da Kelly"); identifiers are not. The one left: the repellent
        // "IR3535" has an old plate's shape.
        #expect(masked.count <= 1, "\(masked.joined(separator: "\n"))")
    }

    @Test("a look-alike inside a labelled name is that name; its own occurrence decides whether it stayed")
    func lookAlikeInsideName() throws {
        let line =
            #"{"id":"s","lang":"pt-BR","text":"Sou Maria Aparecida da Silva Santos, moro em Santos","names":["Maria Aparecida da Silva Santos"],"identifiers":[],"keep":["Santos"]}"#
        let cases = try PrivacyMeasurement.cases(jsonl: Data(line.utf8), file: "inline.jsonl")
        let report = PrivacyMeasurement.measure(cases, masker: masker)
        #expect(report.namesMasked == 1)
        #expect(masker.mask(cases[0].text, language: "pt-BR").hasSuffix("moro em Santos"))
        #expect(report.keep == 1 && report.keepMasked == 0, "\(report.misses)")
        // The town masked too would count.
        let masked =
            #"{"id":"t","lang":"pt-BR","text":"Sou a Joana, minha filha Santos","names":["Joana"],"identifiers":[],"keep":["Santos"]}"#
        let other = PrivacyMeasurement.measure(
            try PrivacyMeasurement.cases(jsonl: Data(masked.utf8), file: "inline.jsonl"), masker: masker)
        #expect(other.keepMasked == 1)
    }

    @Test("a name inside a labelled look-alike is that look-alike; the name's own occurrence decides")
    func nameInsideLookAlike() throws {
        let line =
            #"{"id":"p","lang":"pt-BR","text":"A Paz do Senhor! aqui é a irmã Paz, da igreja","names":["Paz"],"identifiers":[],"keep":["A Paz do Senhor"]}"#
        let report = PrivacyMeasurement.measure(
            try PrivacyMeasurement.cases(jsonl: Data(line.utf8), file: "inline.jsonl"), masker: masker)
        #expect(report.namesMasked == 1 && report.keepMasked == 0, "\(report.misses)")
        // The name left where it stands alone still counts as missed.
        let missed =
            #"{"id":"q","lang":"pt-BR","text":"em homenagem a São João, e o João vem","names":["João"],"identifiers":[],"keep":["São João"]}"#
        let other = PrivacyMeasurement.measure(
            try PrivacyMeasurement.cases(jsonl: Data(missed.utf8), file: "inline.jsonl"), masker: masker)
        #expect(masker.mask("em homenagem a São João, e o João vem", language: "pt-BR").contains("o [nome] vem"))
        #expect(other.namesMasked == 1)
        let alone =
            #"{"id":"r","lang":"pt-BR","text":"em homenagem a São João","names":["João"],"identifiers":[],"keep":["São João"]}"#
        let none = PrivacyMeasurement.measure(
            try PrivacyMeasurement.cases(jsonl: Data(alone.utf8), file: "inline.jsonl"), masker: masker)
        #expect(none.namesMasked == 0)
    }

    @Test("promptctl review privacy-check measures a file: json figures, exit 1 below the thresholds")
    func privacyCheckCommand() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let good =
            #"{"id":"a","lang":"pt-BR","text":"Sou a Joana, CPF 529.982.247-25","names":["Joana"],"identifiers":[{"kind":"cpf","text":"529.982.247-25"}],"keep":[]}"#
        let bad = #"{"id":"b","lang":"pt-BR","text":"tenho muita fé","names":["fé"],"identifiers":[],"keep":[]}"#
        try directory.write("good.jsonl", good + "\n")
        let pass = try runPromptctl(["review", "privacy-check", "good.jsonl", "--format", "json"], in: directory.url)
        #expect(pass.status == 0, "\(pass.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(pass.stdout.utf8)) as? [String: Any]
        #expect(object?["namesMasked"] as? Int == 1 && object?["identifiersMasked"] as? Int == 1)
        let worse =
            #"{"id":"c","lang":"pt-BR","text":"muita esperança","names":["esperança"],"identifiers":[],"keep":[]}"#
        try directory.write("bad.jsonl", good + "\n" + bad + "\n" + worse + "\n")
        let fail = try runPromptctl(["review", "privacy-check", "bad.jsonl"], in: directory.url)
        #expect(fail.status == 1)
        // Each miss on its own line, then the figures.
        let lines = fail.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines[0].hasPrefix("name b: fé") && lines[1].hasPrefix("name c: esperança"))
        #expect(lines.last?.hasPrefix("names masked 1/3") == true)
        try directory.write("broken.jsonl", "{not json\n")
        #expect(try runPromptctl(["review", "privacy-check", "broken.jsonl"], in: directory.url).status == 2)
    }

    @Test("word salads of address parts, numbers and punctuation never trap the masker (a seeded fuzz)")
    func wordSaladsNeverTrap() {
        let vocabulary = [
            "4400", "Apt", "12", "Unit", "5/42", "RR", "2", "Site", "Box", "Rue", "Est", "W", "N", "número", "cento",
            "e", "vinte", "(", ")", "casa", "sin", "bloco", "b", "Calle", "10", "Norte", "#4-22", "de", "la", "Paseo",
            "Itaquera", "Copacabana,", "Rio", "CABA", "BH", ",", "-", "—", "perto", "Marabá", "rua", "Rua", "Av.",
            "apto", "8-B,", "piso", "s/n", "nº", "Jd.", "vila", "Maria", "da", "Silva", "moro", "na", "endereço:",
            "St", "Ave", "floor", "3º", "izq", "km", "quadra", "lote", "Sinop", "MT", "01310-100", "(11)", "98765-4321",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var masked = 0
        for _ in 0..<8_000 {
            let words = (0..<(1 + next(14))).map { _ in vocabulary[next(vocabulary.count)] }
            let text = words.joined(separator: next(4) == 0 ? ", " : " ")
            let language = ["pt-BR", "en", "es"][next(3)]
            if masker.mask(text, language: language) != text { masked += 1 }
        }
        #expect(masked > 400)  // the salads hold addresses and phones: the masker ran on them
    }
}
