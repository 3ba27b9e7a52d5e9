import Foundation

/// Korean names of organisations as an English name writes them (contract section 11): the
/// words that name a kind of organisation or what it does (은행 bank, 조선 Korea, 무역 trading,
/// 회사 company, 총국 general bureau…) in English, the proper part between them romanised as
/// one word (강봉 `gangbong`, which screening compares with KANGBONG by its Korean word key).
/// A word with none of these is a person's name, left to the syllable-by-syllable reading.
enum KoreanNames {
    /// Korean words of organisation names and their English, longest first when read.
    static let words: [String: String] = [
        "조선": "korea", "고려": "koryo", "은행": "bank", "무역": "trading", "회사": "company",
        "총회사": "general corporation", "총국": "general bureau", "국무": "state affairs", "국가": "national state",
        "보위": "security", "보안": "security", "위원회": "commission committee", "신용": "credit",
        "개발": "development", "발전": "development", "항공": "air airlines", "우주": "aerospace space",
        "군수": "munitions", "공업": "industry", "농업": "agricultural", "상업": "commercial", "동방": "east land",
        "동북아시아": "north east asia", "아시아": "asia", "선전": "propaganda", "선동": "agitation",
        "원양": "ocean", "해운": "maritime shipping", "관리": "management", "원자력": "atomic energy",
        "인민": "people", "무력": "armed forces", "국제": "international", "정찰": "reconnaissance",
        "경제": "economic", "제일": "first", "제2": "second", "제이": "second", "광업": "mining",
        "민족": "national", "보험": "insurance", "아연": "zinc", "공간": "space", "기술": "technology",
        "전략": "strategic", "로케트": "rocket", "로켓": "rocket", "콤퓨터": "computer", "컴퓨터": "computer",
        "쎈터": "center", "센터": "center", "통일": "united", "조직": "organization", "지도": "guidance",
        "합영": "joint venture", "합작": "joint venture", "련합": "associated", "연합": "associated",
        "청송": "green pine", "로동당": "workers party", "노동당": "workers party", "중앙": "central",
        "군사": "military", "기계": "machinery", "수출입": "export import", "무역회사": "trading company",
        "상사": "trading company", "공사": "corporation", "그룹": "group", "대학": "university",
        "연구소": "research institute", "연구원": "research institute", "해군": "navy", "공군": "air force",
        "육군": "army", "인민군": "people army", "광물": "minerals", "석유": "oil", "화학": "chemical",
        "전자": "electronics", "정보": "information", "운수": "transport", "선박": "ship", "물산": "products",
        "총련합": "general association", "협회": "association", "대외": "foreign", "금융": "finance",
        "투자": "investment", "철도": "railways", "제철": "steel", "탄광": "coal mine", "기업소": "enterprise",
    ]

    /// Words of one syllable that end an organisation's name: 성 ministry, 부 department,
    /// 국 administration, 군 army, 단 corps. Read as such only at the end of a name that has
    /// another organisation word (a syllable of a person's name otherwise).
    static let endings: [Character: String] = [
        "성": "ministry", "부": "department", "국": "administration bureau", "군": "army forces", "단": "corps",
        "소": "office", "청": "agency",
    ]

    /// The longest word of `words`, in syllables.
    static let longest = words.keys.map(\.count).max() ?? 1

    /// The English reading of `word` (Hangul, perhaps digits), nil when it holds no
    /// organisation word: then it is a person's name.
    static func read(_ word: String) -> String? {
        let syllables = Array(word)
        var parts: [String] = []
        var proper = ""
        var foundWord = false
        func flushProper() {
            guard !proper.isEmpty else { return }
            parts.append(proper.map { romanised($0) }.joined())
            proper = ""
        }
        var index = 0
        while index < syllables.count {
            var matched = false
            for length in stride(from: min(longest, syllables.count - index), through: 2, by: -1) {
                let candidate = String(syllables[index..<(index + length)])
                if let english = words[candidate] {
                    flushProper()
                    parts.append(english)
                    index += length
                    matched = true
                    foundWord = true
                    break
                }
            }
            if matched { continue }
            if index == syllables.count - 1, foundWord || syllables.count >= 3, let ending = endings[syllables[index]] {
                flushProper()
                parts.append(ending)
                index += 1
                continue
            }
            proper.append(syllables[index])
            index += 1
        }
        flushProper()
        return foundWord ? parts.joined(separator: " ") : nil
    }

    /// One Hangul syllable in Latin letters (Revised Romanisation, as ICU writes it).
    static func romanised(_ syllable: Character) -> String {
        guard let scalar = syllable.unicodeScalars.first, (0xAC00...0xD7A3).contains(scalar.value) else {
            return String(syllable)
        }
        return String(syllable).applyingTransform(.toLatin, reverse: false) ?? ""
    }
}
