"""Words that carry slots, in English, Spanish, Hindi (Devanagari) and romanised Hindi.

Only data lives here; the extractors build their patterns from it. Spanish words are written
without accents because ``scan.normalise`` folds them ("sábado" is read as "sabado"). Romanised
Hindi has no fixed spelling, so common variants are listed ("chaar", "char").
"""

from __future__ import annotations

from typing import Final

# --- numbers -------------------------------------------------------------------------------------

NUMBERS_EN: Final = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
#: "do" is also an English verb and "sat" a weekday, so these count only next to a Hindi cue.
NUMBERS_HI: Final = {
    "ek": 1, "do": 2, "teen": 3, "tin": 3, "char": 4, "chaar": 4, "chār": 4, "paanch": 5,
    "panch": 5, "paach": 5, "chhe": 6, "chhah": 6, "chhai": 6, "chah": 6, "che": 6, "saat": 7,
    "aath": 8, "ath": 8, "nau": 9, "das": 10, "gyarah": 11, "gyara": 11, "barah": 12, "baarah": 12,
    "एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5, "छह": 6, "छः": 6, "छे": 6, "सात": 7,
    "आठ": 8, "नौ": 9, "दस": 10, "ग्यारह": 11, "बारह": 12,
}  # fmt: skip
#: "once" (11) is also English, so Spanish words count only next to a Spanish cue.
NUMBERS_ES: Final = {
    "uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
}  # fmt: skip
NUMBERS: Final = {**NUMBERS_EN, **NUMBERS_HI, **NUMBERS_ES}

# --- days ----------------------------------------------------------------------------------------

#: Relative day words -> days from today. Longer phrases win over their parts.
RELATIVE_DAYS: Final = {
    "today": 0, "tday": 0, "2day": 0, "aaj": 0, "aj": 0, "hoy": 0, "आज": 0,
    "tonight": 0, "tonite": 0, "2nite": 0, "esta noche": 0, "esta tarde": 0, "esta manana": 0,
    "this evening": 0, "this afternoon": 0, "this morning": 0,
    "yesterday": -1, "yday": -1, "ystrdy": -1, "ayer": -1,
    "tomorrow": 1, "tomorow": 1, "tommorow": 1, "tommorrow": 1, "tmrw": 1, "tmr": 1, "tmrow": 1,
    "2moro": 1, "2morrow": 1, "kal": 1, "kl": 1, "manana": 1, "कल": 1,
    "day after tomorrow": 2, "day after tmrw": 2, "overmorrow": 2, "parson": 2, "parso": 2,
    "parsoon": 2, "parsun": 2, "parsu": 2, "pasado manana": 2, "परसों": 2, "परसो": 2,
}  # fmt: skip

WEEKDAYS: Final = {
    "monday": 0, "mon": 0, "lunes": 0, "somvar": 0, "somwar": 0, "सोमवार": 0,
    "tuesday": 1, "tue": 1, "tues": 1, "martes": 1, "mangalvar": 1, "mangalwar": 1, "मंगलवार": 1,
    "wednesday": 2, "wed": 2, "miercoles": 2, "budhvar": 2, "budhwar": 2, "बुधवार": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "jueves": 3, "guruvar": 3, "guruwar": 3,
    "veervar": 3, "brihaspativar": 3, "गुरुवार": 3, "बृहस्पतिवार": 3,
    "friday": 4, "fri": 4, "viernes": 4, "shukravar": 4, "shukrawar": 4, "sukravar": 4,
    "शुक्रवार": 4,
    "saturday": 5, "sat": 5, "sabado": 5, "shanivar": 5, "shaniwar": 5, "शनिवार": 5,
    "sunday": 6, "sun": 6, "domingo": 6, "ravivar": 6, "raviwar": 6, "itwar": 6, "itvaar": 6,
    "etwar": 6, "रविवार": 6, "इतवार": 6,
}  # fmt: skip
#: Before a weekday: "next" means the one after this week's when the weekday is today.
NEXT_WORDS: Final = ("next", "agle", "agla", "agli", "अगले", "अगला", "proximo", "el proximo")
THIS_WORDS: Final = ("this", "this coming", "coming", "is", "iss", "este", "el", "इस", "on")
#: After a weekday (Spanish): "el viernes que viene".
NEXT_AFTER: Final = ("que viene",)

WEEKEND: Final = ("weekend", "week end", "wknd", "fin de semana", "finde", "वीकेंड")

MONTHS: Final = (
    "january", "jan", "february", "feb", "march", "mar", "april", "apr", "may", "june", "jun",
    "july", "jul", "august", "aug", "september", "sept", "sep", "october", "oct", "november",
    "nov", "december", "dec",
    "enero", "ene", "febrero", "marzo", "abril", "abr", "mayo", "junio", "julio", "agosto", "ago",
    "septiembre", "setiembre", "set", "octubre", "noviembre", "diciembre", "dic",
    "जनवरी", "फरवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर",
    "सितम्बर", "अक्टूबर", "अक्तूबर", "नवंबर", "नवम्बर", "दिसंबर", "दिसम्बर",
)  # fmt: skip

#: Joining two dates into a stay: "24-27", "24 to 27", "24 se 27", "del 24 al 27".
RANGE_JOINERS: Final = (
    "-", "to", "till", "until", "thru", "through", "se", "al", "a", "hasta", "से", "तक",
)  # fmt: skip
CHECK_IN_CUES: Final = (
    "check in", "check-in", "checkin", "arrive", "arriving", "arrival", "from", "starting",
    "llegada", "llego", "llegamos", "entrada", "desde", "del", "aana", "aayenge", "aaunga",
)  # fmt: skip
CHECK_OUT_CUES: Final = (
    "check out", "check-out", "checkout", "leave", "leaving", "depart", "departing",
    "departure", "till", "until", "salida", "salgo", "salimos", "hasta", "jaana", "jayenge",
)  # fmt: skip
#: Postpositions after the check-out date: "27 tak", "27 तक".
CHECK_OUT_AFTER: Final = ("tak", "तक")
#: A date said right after one of these is taken back: "not tomorrow, Wednesday".
NOT_BEFORE: Final = ("not", "no", "na")
#: ... and right before one of these: "kal nahi, parso", "कल नहीं", "el viernes no, el sábado".
NOT_AFTER: Final = ("not", "no", "nahi", "nahin", "nhi", "नहीं", "नही")

# --- nights and stays ----------------------------------------------------------------------------

NIGHT_NOUNS: Final = (
    "night", "nights", "nite", "nites", "noche", "noches", "raat", "raatein", "raaten", "raaton",
    "ratein", "raat ke liye", "रात", "रातें", "रातों", "रात्रि",
)  # fmt: skip

# --- time of day ---------------------------------------------------------------------------------

#: Part-of-day words -> how a bare hour 1-11 near them is read.
PARTS_OF_DAY: Final = {
    "night": "night", "tonight": "night", "tonite": "night", "2nite": "night", "raat": "night",
    "rat": "night", "noche": "night", "रात": "night",
    "evening": "evening", "eve": "evening", "shaam": "evening", "sham": "evening",
    "tarde": "evening", "शाम": "evening",
    "afternoon": "afternoon", "dopahar": "afternoon", "dopehar": "afternoon",
    "dophar": "afternoon", "dupahar": "afternoon", "दोपहर": "afternoon",
    "morning": "morning", "morn": "morning", "subah": "morning", "subha": "morning",
    "suba": "morning", "सुबह": "morning", "de la manana": "morning", "por la manana": "morning",
    "en la manana": "morning", "esta manana": "morning",
}  # fmt: skip
#: Greetings that name a part of the day without saying when to come.
GREETINGS: Final = (
    "good morning", "good evening", "good night", "good afternoon", "gm", "buenos dias",
    "buenas tardes", "buenas noches", "shubh ratri", "suprabhat", "शुभ रात्रि", "सुप्रभात",
)  # fmt: skip

#: Meal words -> (the hour they imply when no hour is given, the meal).
MEALS: Final = {
    "dinner": (20, "dinner"), "supper": (20, "dinner"), "cena": (20, "dinner"),
    "raat ka khana": (20, "dinner"), "रात का खाना": (20, "dinner"), "डिनर": (20, "dinner"),
    "lunch": (13, "lunch"), "almuerzo": (13, "lunch"), "comida": (13, "lunch"),
    "dopahar ka khana": (13, "lunch"), "लंच": (13, "lunch"),
    "breakfast": (9, "breakfast"), "desayuno": (9, "breakfast"), "nashta": (9, "breakfast"),
    "nasta": (9, "breakfast"), "नाश्ता": (9, "breakfast"), "brunch": (11, "breakfast"),
}  # fmt: skip

NOON: Final = ("noon", "midday", "mediodia", "दोपहर 12")
MIDNIGHT: Final = ("midnight", "medianoche", "aadhi raat", "आधी रात")

# --- party size ----------------------------------------------------------------------------------

#: Not romanised "jan": "4 jan" is the 4th of January far more often than four people.
PEOPLE_NOUNS: Final = (
    "people", "peoples", "person", "persons", "ppl", "pax", "guest", "guests", "member",
    "members", "diners", "heads", "of us", "log", "logo", "logon", "logg", "bande",
    "banda", "persona", "personas", "comensales", "invitados", "लोग", "लोगों", "जन", "व्यक्ति",
    "सदस्य", "मेहमान",
)  # fmt: skip
ADULT_NOUNS: Final = (
    "adult", "adults", "grown ups", "grownups", "adulto", "adultos", "bade", "bde", "बड़े", "वयस्क",
)  # fmt: skip
CHILD_NOUNS: Final = (
    "kid", "kids", "child", "children", "childs", "infant", "infants", "baby", "babies", "toddler",
    "toddlers", "bachcha", "bachche", "bacche", "baccha", "bachhe", "bache", "bachi", "nino",
    "ninos", "nina", "ninas", "bebe", "bebes", "hijo", "hijos", "बच्चा", "बच्चे", "बच्चों",
)  # fmt: skip
#: "a kid", "one child", "un niño", "ek bachcha".
ONE_WORDS: Final = ("a", "an", "one", "un", "una", "ek", "एक")
#: Words for a party of one.
ALONE: Final = ("just me", "only me", "myself only", "solo yo", "sirf main", "sirf mai", "akela")
#: "me and my wife" / "my husband and I" / "me and my friend".
COMPANIONS: Final = (
    "wife", "husband", "partner", "friend", "girlfriend", "boyfriend", "mom", "mother", "dad",
    "father", "son", "daughter", "colleague", "sister", "brother", "fiance", "fiancee",
)  # fmt: skip
#: Things counted that are not people: "2 rooms", "room 204", "kamra 5".
NOT_PEOPLE: Final = ("room", "rooms", "kamra", "kamre", "habitacion", "habitaciones", "कमरा")

# --- room types ----------------------------------------------------------------------------------

#: Devanagari spellings of room words, mapped to the Latin word the venue's names use.
ROOM_WORDS_HI: Final = {
    "डीलक्स": "deluxe", "डिलक्स": "deluxe", "सुइट": "suite", "स्वीट": "suite",
    "स्टैंडर्ड": "standard", "स्टैण्डर्ड": "standard",
}  # fmt: skip
