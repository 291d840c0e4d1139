"""Which language a guest writes in, and explicit requests to switch language.

Detection is deliberately conservative: the dialogue keeps the guest's current language unless a
message is clear evidence of another one. Devanagari script is Hindi ("hi"). Romanised Hindi
(Hinglish) is "hi-Latn": a guest who writes Hindi in Latin letters reads it that way too, so the
bot answers in kind rather than in a script the guest chose not to type. Hinglish borrows
English booking words ("booking cancel karo please"), so Hindi and Spanish marker words weigh
more than English ones, and English loanwords common in Hinglish count only half.
Short or ambiguous messages ("4", "ok", "no", an emoji) give None.
"""

from __future__ import annotations

import re

from bot.nlu.normalize import normalize

HINDI = "hi"
HINDI_LATIN = "hi-Latn"
ENGLISH = "en"
SPANISH = "es"

_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_SPANISH_CHARS = re.compile(r"[ñ¿¡áéíóú]")
_WORD = re.compile(r"[^\W\d_]+")

_HINGLISH = frozenset(
    """
    kal aaj parso baje baja log logo logon chahiye chaiye chahie karo kardo karna karni kar
    karao karwa karwao kijiye dijiye hai hain mujhe muje mujhko kya kyaa mera meri mere humko
    hume hamein nahi nahin nhi haan haa hanji aap aapka aapki batao bataiye dikhao dikha wala
    wali wale raat subah shaam dopahar kaise kitne kitna liye bhi aur abhi madad baat shukriya
    dhanyavad dhanyavaad dhanyawad namaste namaskar accha acha theek thik bilkul ji bhai bhaiya
    hoga sakte sakta chalega rehne mat band chalu dobara phir wapas jagah badal badlo kaun
    """.split()
)
_SPANISH = frozenset(
    """
    quiero quisiera necesito mesa manana para reserva reservar reservacion habitacion
    habitaciones gracias hola por favor una uno dos tres personas noche noches cancelar mi
    mis el los las del con esta que hay tengo cambiar ayuda hablar buenos buenas dias tardes
    si vale claro sabado domingo viernes lunes hoy hora fecha cuando como puedo puede
    """.split()
)
_ENGLISH = frozenset(
    """
    the i my me want to for can you is at do have need would like of and it this that with am
    are on what how when where tomorrow tonight today people yes could will be there
    your our we us show move make get some any just about from
    """.split()
)
# English words Hindi and Spanish speakers also use; weak evidence of English.
_LOANWORDS = frozenset(
    """
    book booking bookings table room rooms cancel change check help thanks thank reservation
    reserve date time night nights confirm double single suite dinner lunch deluxe please pls
    """.split()
)
_MARKER_WEIGHT = 2.0
_LOANWORD_WEIGHT = 0.5


def _words(text: str) -> list[str]:
    """Accent-folded lowercase words, digits and emoji dropped."""
    return _WORD.findall(normalize(text))


def detect_language(text: str) -> str | None:
    """ "hi", "hi-Latn", "es" or "en" when the message clearly is that language, else None."""
    if _DEVANAGARI.search(text):
        return HINDI
    words = _words(text)
    scores = {
        HINDI_LATIN: _MARKER_WEIGHT * sum(w in _HINGLISH for w in words),
        SPANISH: _MARKER_WEIGHT * sum(w in _SPANISH for w in words)
        + (_MARKER_WEIGHT if _SPANISH_CHARS.search(text.lower()) else 0.0),
        ENGLISH: sum(w in _ENGLISH for w in words)
        + _LOANWORD_WEIGHT * sum(w in _LOANWORDS for w in words),
    }
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, runner_up) = ranked[0], ranked[1]
    return best if top >= 1.0 and top > runner_up else None


_LANGUAGE_NAMES = {
    ENGLISH: frozenset({"english", "inglish", "angrezi", "angreji", "ingles", "अंग्रेज़ी", "अंग्रेजी"}),
    HINDI: frozenset({"hindi", "हिंदी", "हिन्दी"}),
    SPANISH: frozenset({"spanish", "espanol", "castellano", "स्पेनिश"}),
}
# Words that may surround a language name in a switch request, in any of the languages.
_REQUEST_FILLER = frozenset(
    """
    in please pls plz speak talk write reply answer can could you me to with only language use
    switch change let us lets the chat continue
    mein me main mai baat karo kijiye karein kare karte bolo likho sirf bhasha please ji
    en por favor habla hablame hable hablar puedes puede escribe escribeme solo idioma cambiar
    al a el
    में बात करो कीजिए करें करिए बोलो लिखो सिर्फ़ सिर्फ भाषा कृपया प्लीज़ प्लीज
    """.split()
)


def requested_language(text: str) -> str | None:
    """The language a message explicitly asks to switch to ("hindi mein baat karo"), if any.

    Only short messages made of a language name and request words count, so "do you have an
    English menu?" is not a switch. Hindi asked for in Hinglish ("hindi mein baat karo") is
    romanised Hindi; asked for in English or Devanagari, it is Hindi in Devanagari.
    """
    words = normalize(text).split()
    named = {code for code, names in _LANGUAGE_NAMES.items() for w in words if w in names}
    if len(named) != 1:
        return None
    names = _LANGUAGE_NAMES[next(iter(named))]
    others = [w for w in words if w not in names]
    if not all(w in _REQUEST_FILLER for w in others):
        return None
    code = next(iter(named))
    return HINDI_LATIN if code == HINDI and detect_language(text) == HINDI_LATIN else code
