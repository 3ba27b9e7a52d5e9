"""Latin -> Cyrillic renderings used by the labelled-set generator.

Two deterministic converters, stdlib only:

* :func:`korean_to_cyrillic` writes a romanised (DPRK-list style) Korean
  name the way Russian does: Kontsevich system, family name first, each
  syllable of the given name as a separate word (e.g. "Ким Ён Чхоль").
  It refuses (returns None) whenever a syllable cannot be parsed or the
  family name is not in the small table of Korean family names below.
* :func:`russian_to_cyrillic` reverses the BGN/PCGN-like romanisation OFAC
  uses for Russian names ("Aleksey Alekseyevich ZAYTSEV" ->
  "Алексей Алексеевич Зайцев"), with a dictionary of common given names
  and rules for the rest. It also refuses unknown letter sequences.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------
# Korean (romanised, DPRK-list style) -> Cyrillic (Kontsevich)
# ---------------------------------------------------------------------------

KOREAN_SURNAMES = {
    "kim": "Ким", "ri": "Ли", "li": "Ли", "lee": "Ли", "pak": "Пак", "park": "Пак",
    "choe": "Чхве", "chang": "Чан", "jang": "Чан", "jo": "Чо", "cho": "Чо",
    "kang": "Кан", "han": "Хан", "hwang": "Хван", "jon": "Чон", "jong": "Чон",
    "chon": "Чон", "yu": "Ю", "ryu": "Рю", "o": "О", "ko": "Ко", "mun": "Мун",
    "min": "Мин", "paek": "Пэк", "pae": "Пэ", "ho": "Хо", "ku": "Ку",
    "kwak": "Квак", "ryom": "Рём", "ji": "Чи", "cha": "Ча", "sin": "Син",
    "shin": "Син", "son": "Сон", "yun": "Юн", "ryang": "Рян", "kil": "Киль",
    "pang": "Пан", "chu": "Чу", "hyon": "Хён", "ra": "Ра", "hong": "Хон",
    "song": "Сон", "an": "Ан", "nam": "Нам", "im": "Им",
}

# Whole-name forms established in Russian usage that differ from Kontsevich.
KOREAN_FIXED = {
    "kim jong un": "Ким Чен Ын",
}

_ONSETS = ["kk", "tt", "pp", "ss", "jj", "ch", "kh", "th", "ph", "sh",
           "k", "g", "n", "t", "d", "r", "l", "m", "p", "b", "s", "j", "h", ""]
_VOWELS = ["yae", "wae", "yo", "ya", "yu", "ye", "ae", "oe", "wa", "wo", "we",
           "wi", "ui", "eu", "a", "o", "u", "i", "e"]
_CODAS = ["ng", "k", "n", "l", "m", "p", "t", ""]

# Onset: (word-initial form, medial form).
_ONSET_CYR = {
    "": ("", ""), "k": ("к", "г"), "g": ("к", "г"), "kk": ("кк", "кк"),
    "n": ("н", "н"), "t": ("т", "д"), "d": ("т", "д"), "tt": ("тт", "тт"),
    "r": ("р", "р"), "l": ("р", "р"), "m": ("м", "м"), "p": ("п", "б"),
    "b": ("п", "б"), "pp": ("пп", "пп"), "s": ("с", "с"), "sh": ("с", "с"),
    "ss": ("сс", "сс"), "j": ("чж", "дж"), "jj": ("чч", "чч"),
    "ch": ("чх", "чх"), "kh": ("кх", "кх"), "th": ("тх", "тх"),
    "ph": ("пх", "пх"), "h": ("х", "х"),
}
# Vowel: (after a consonant, syllable-initial).
_VOWEL_CYR = {
    "a": ("а", "а"), "ae": ("э", "э"), "ya": ("я", "я"), "yae": ("йе", "йе"),
    "o": ("о", "о"), "yo": ("ё", "ё"), "u": ("у", "у"), "yu": ("ю", "ю"),
    "i": ("и", "и"), "e": ("е", "э"), "ye": ("е", "йе"), "oe": ("вэ", "вэ"),
    "wa": ("ва", "ва"), "wae": ("вэ", "вэ"), "wo": ("во", "во"),
    "we": ("ве", "ве"), "wi": ("ви", "ви"), "ui": ("и", "ый"), "eu": ("ы", "ы"),
}
_CODA_CYR = {"": "", "k": "к", "n": "н", "ng": "н", "l": "ль", "m": "м", "p": "п", "t": "т"}
# In DPRK-list romanisation ㅡ is also written "u"; these name syllables are
# (almost always) written with ㅡ: 은 Un, 금 Kum, 승 Sung, 을 Ul, 득 Tuk, 흥 Hung, 능 Nung.
_EU_SYLLABLES = {"un": "eun", "kum": "keum", "sung": "seung", "ul": "eul",
                 "tuk": "teuk", "hung": "heung", "nung": "neung"}


def _parse_syllable(syl: str) -> tuple[str, str, str] | None:
    for onset in _ONSETS:
        if not syl.startswith(onset):
            continue
        rest = syl[len(onset):]
        for vowel in _VOWELS:
            if not rest.startswith(vowel):
                continue
            coda = rest[len(vowel):]
            if coda in _CODAS:
                return onset, vowel, coda
    return None


def _syllable_cyr(syl: str, medial: bool, prev_coda: str) -> str | None:
    syl = _EU_SYLLABLES.get(syl, syl)
    parsed = _parse_syllable(syl)
    if parsed is None:
        return None
    onset, vowel, coda = parsed
    initial_form, medial_form = _ONSET_CYR[onset]
    # Voicing of k/t/p/j between voiced sounds (not after a k/p/t coda).
    on = medial_form if (medial and prev_coda not in ("k", "p", "t")) else initial_form
    v = _VOWEL_CYR[vowel][0 if onset else 1]
    return on + v + _CODA_CYR[coda]


def korean_to_cyrillic(family: str, given: str) -> str | None:
    """('KIM', 'Yong Chol') -> 'Ким Ён Чхоль'. None if unsure."""
    fam = family.lower().strip()
    giv = re.sub(r"[\s\-]+", " ", given.lower()).strip()
    if "'" in giv or "’" in giv or "'" in fam or "’" in fam:
        return None  # McCune-Reischauer with apostrophes: ambiguous ch/j
    fixed = KOREAN_FIXED.get(f"{fam} {giv}")
    if fixed:
        return fixed
    if fam not in KOREAN_SURNAMES:
        return None
    syllables = giv.split()
    if not 1 <= len(syllables) <= 3:
        return None
    out = [KOREAN_SURNAMES[fam]]
    prev_coda = ""
    for i, syl in enumerate(syllables):
        cyr = _syllable_cyr(syl, medial=i > 0, prev_coda=prev_coda)
        if cyr is None:
            return None
        parsed = _parse_syllable(_EU_SYLLABLES.get(syl, syl))
        prev_coda = parsed[2] if parsed else ""
        out.append(cyr.capitalize())
    return " ".join(out)


# ---------------------------------------------------------------------------
# Russian (OFAC romanisation) -> Cyrillic
# ---------------------------------------------------------------------------

RUSSIAN_GIVEN = {
    "aleksandr": "Александр", "alexander": "Александр", "aleksey": "Алексей",
    "alexei": "Алексей", "aleksei": "Алексей", "alexey": "Алексей",
    "andrey": "Андрей", "andrei": "Андрей", "anatoliy": "Анатолий",
    "anatoly": "Анатолий", "artem": "Артем", "artyom": "Артём", "boris": "Борис",
    "denis": "Денис", "dmitriy": "Дмитрий", "dmitry": "Дмитрий", "dmitri": "Дмитрий",
    "yevgeniy": "Евгений", "evgeniy": "Евгений", "evgeny": "Евгений",
    "yevgeny": "Евгений", "igor": "Игорь", "ilya": "Илья", "ivan": "Иван",
    "konstantin": "Константин", "maksim": "Максим", "maxim": "Максим",
    "mikhail": "Михаил", "nikolay": "Николай", "nikolai": "Николай",
    "oleg": "Олег", "pavel": "Павел", "roman": "Роман", "ruslan": "Руслан",
    "sergey": "Сергей", "sergei": "Сергей", "vladimir": "Владимир",
    "viktor": "Виктор", "victor": "Виктор", "vladislav": "Владислав",
    "vyacheslav": "Вячеслав", "yuriy": "Юрий", "yuri": "Юрий", "yury": "Юрий",
    "gennadiy": "Геннадий", "gennady": "Геннадий", "vitaliy": "Виталий",
    "vitaly": "Виталий", "valeriy": "Валерий", "valery": "Валерий",
    "arkadiy": "Аркадий", "arkady": "Аркадий", "grigoriy": "Григорий",
    "grigory": "Григорий", "vasiliy": "Василий", "vasily": "Василий",
    "petr": "Петр", "pyotr": "Пётр", "fedor": "Федор", "fyodor": "Фёдор",
    "olga": "Ольга", "yelena": "Елена", "elena": "Елена", "tatyana": "Татьяна",
    "tatiana": "Татьяна", "natalya": "Наталья", "natalia": "Наталья",
    "irina": "Ирина", "marina": "Марина", "svetlana": "Светлана",
    "lyudmila": "Людмила", "anna": "Анна", "yekaterina": "Екатерина",
    "ekaterina": "Екатерина", "aleksandra": "Александра", "valentina": "Валентина",
    "larisa": "Лариса", "oksana": "Оксана", "yuliya": "Юлия", "yulia": "Юлия",
    "kirill": "Кирилл", "stanislav": "Станислав", "gleb": "Глеб",
    "yaroslav": "Ярослав", "leonid": "Леонид", "mikhailovich": "Михайлович",
    "valentin": "Валентин", "vadim": "Вадим", "anton": "Антон",
    "timur": "Тимур", "georgiy": "Георгий", "georgy": "Георгий", "lev": "Лев",
    "semen": "Семен", "semyon": "Семён", "stepan": "Степан", "eduard": "Эдуард",
    "emil": "Эмиль", "ilyich": "Ильич", "nikita": "Никита", "daniil": "Даниил",
}

_VOWELS_LAT = set("aeiouy")
_MULTI = [("shch", "щ"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш")]
_SIMPLE = {
    "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з",
    "i": "и", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф", "h": "х", "w": "в",
    "x": "кс", "c": "к", "q": "к",
}


def _ru_word(word: str) -> str | None:
    """Romanised Russian word -> Cyrillic (lower case)."""
    w = word.lower()
    if w in RUSSIAN_GIVEN:
        return RUSSIAN_GIVEN[w].lower()
    if not re.fullmatch(r"[a-z']+", w):
        return None
    out: list[str] = []
    i = 0
    prev = ""  # previous Latin letter consumed ('' at start)
    while i < len(w):
        rest = w[i:]
        if rest[0] == "'":
            out.append("ь")
            prev = "'"
            i += 1
            continue
        if rest.startswith("iy") and i + 2 == len(w):
            out.append("ий"); i += 2; prev = "y"; continue
        if rest.startswith("yy") and i + 2 == len(w):
            out.append("ый"); i += 2; prev = "y"; continue
        if rest[0] == "y" and len(rest) > 1 and rest[1] in "aueo":
            nxt = rest[1]
            iot = {"a": "я", "u": "ю", "e": "е", "o": "ё"}[nxt]
            if prev and prev not in _VOWELS_LAT and prev != "'" and nxt == "e":
                out.append("ь")  # consonant + 'ye' = ье (Vasilyevich)
            out.append(iot)
            i += 2
            prev = nxt
            continue
        if rest[0] == "y":
            # vowel + y (not before a vowel) = й; otherwise ы
            out.append("й" if prev in _VOWELS_LAT else "ы")
            i += 1
            prev = "y"
            continue
        matched = False
        for lat, cyr in _MULTI:
            if rest.startswith(lat):
                out.append(cyr)
                i += len(lat)
                prev = lat[-1]
                matched = True
                break
        if matched:
            continue
        ch = rest[0]
        if ch == "e" and (i == 0 or prev in _VOWELS_LAT):
            # word-initial e is э (Eduard), except the Evgeniy family (Евгений)
            out.append("э" if i == 0 and not w.startswith("evg") else "е")
        else:
            out.append(_SIMPLE[ch])
        prev = ch
        i += 1
    return "".join(out)


def russian_to_cyrillic(words: list[str]) -> list[str] | None:
    """['Aleksey', 'Alekseyevich', 'ZAYTSEV'] -> ['Алексей', 'Алексеевич', 'Зайцев']."""
    out = []
    for word in words:
        parts = word.split("-")
        conv = [_ru_word(p) for p in parts]
        if any(c is None or c == "" for c in conv):
            return None
        out.append("-".join(c.capitalize() for c in conv))  # type: ignore[union-attr]
    return out


if __name__ == "__main__":
    for fam, giv in [("KIM", "Yong Chol"), ("KIM", "Jong Un"), ("RI", "Su Yong"),
                     ("CHOE", "Ryong Hae"), ("PAK", "Pong Ju"), ("RI", "Pyong Chol"),
                     ("KIM", "Yo Jong"), ("JO", "Yong-Won"), ("HWANG", "Pyong So"),
                     ("RI", "Man Gon"), ("CHA", "Sung Jun"), ("RYOM", "Hui-bong")]:
        print(fam, giv, "->", korean_to_cyrillic(fam, giv))
    for n in ["Aleksey Alekseyevich ZAYTSEV", "Vladimir Vasilyevich RUSAKEVICH",
              "Sergey Yevgenyevich NARYSHKIN", "Artem Mikhaylovich LIFSHITS",
              "Mikhail Yur'evich PISKLIN", "Dmitry Olegovich ROGOZIN",
              "Viktor Alekseevich OZEROV", "Yury Nikolaevich PODOBED",
              "Vyacheslav Georgievich KHLEBNIKOV", "Valentina Ivanovna MATVIYENKO",
              "Igor Leonidovich SHLYKOV", "Sergey Valeryevich AKSYONOV",
              "Nikolai Ivanovich RYZHKOV", "Oleg Evgenevich PANTELEEV"]:
        print(n, "->", russian_to_cyrillic(n.split()))
