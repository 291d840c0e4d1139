"""Which structured fact a guest asks about ("do you have parking?" → parking), by keywords.

Facts are few and their words distinctive, so rules read them better than retrieval: "check
in time?" is about check-in whatever else is said, and a rule never drifts to a neighbouring
answer. Patterns run on normalised text (``bot.nlu.normalize``: lowercase, Latin accents
folded, punctuation gone, digits as 0) in English, Hindi (Devanagari and romanised) and
Spanish. A topic's ``unless`` pattern hands questions that only sound like it to the owner's
questions and answers ("can I check out late?" is not about the check-out time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.normalize import normalize
from engine.answers.topics import FactTopic


@dataclass(frozen=True)
class TopicRule:
    """A topic's words, and what rules it out."""

    topic: FactTopic
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None


def _words(*alternatives: str) -> re.Pattern[str]:
    """Whole-word alternatives (whitespace boundaries, so Devanagari words work too)."""
    return re.compile(r"(?<!\S)(?:" + "|".join(alternatives) + r")(?!\S)")


RULES = (
    TopicRule(
        FactTopic.CHECK_IN_OUT,
        _words(
            r"check ?(?:in|out)s?",
            r"chek ?(?:in|out)",
            r"entrada",
            r"salida",
            r"चेक ?(?:इन|आउट)",
        ),
        # Late check-out or bags after it are the owner's to answer; "my check-in" is about a
        # booking.
        unless=_words(
            r"late\S*",
            r"early",
            r"tard\S*",
            r"der se",
            r"jaldi",
            r"देर",
            r"my",
            r"meri",
            r"mera",
            r"mi",
        ),
    ),
    TopicRule(
        FactTopic.PARKING,
        _words(
            r"park\S*",
            r"car park",
            r"valet",
            r"aparca\S*",
            r"aparcar",
            r"estaciona\S*",
            r"parqueo",
            r"gaa?di (?:kaha\S*|rakh\S*|khadi\S*|park\S*)",
            r"पार्क\S*",
        ),
    ),
    TopicRule(
        FactTopic.PETS,
        _words(
            r"pets?",
            r"dogs?",
            r"cats?",
            r"pupp(?:y|ies)",
            r"kutt[aei]",
            r"paa?ltu",
            r"कुत्त[ाे]",
            r"पालतू",
            r"mascotas?",
            r"perr[oa]s?",
            r"gat[oa]s?",
        ),
    ),
    TopicRule(
        FactTopic.DIETARY,
        _words(
            r"veg",
            r"vegetarian\S*",
            r"vegan\S*",
            r"jain",
            r"gluten\S*",
            r"allerg\S*",
            r"halal",
            r"lactose",
            r"dairy free",
            r"shaa?kaa?haa?ri",
            r"शाकाहारी",
            r"वीगन",
            r"vegetarian[oa]s?",
            r"vegan[oa]s?",
            r"celiac[oa]s?",
            r"alergi\S*",
        ),
    ),
    TopicRule(
        FactTopic.BREAKFAST,
        _words(r"breakfast\S*", r"brekfast", r"naa?shta", r"नाश्ता", r"desayuno\S*"),
    ),
    TopicRule(
        FactTopic.CANCELLATION,
        re.compile(
            r"(?:cancel\S*|refund\S*|reembols\S*|कैंसिल\S*|रिफंड\S*).*"
            r"(?:polic\S*|politica\S*|rules?|niyam|नियम|charges?|fees?|free|gratis|gratuit\S*"
            r"|penalt\S*|cargos?)"
            r"|(?:polic\S*|politica\S*|niyam|नियम)\s(?:\S+\s)?(?:de\s)?(?:cancel\S*|refund\S*)"
            r"|(?:what|if) (?:i|we) cancel|si cancel\S*|agar (?:\S+ )?cancel"
        ),
    ),
    TopicRule(
        FactTopic.PAYMENT,
        _words(
            r"upi",
            r"cash",
            r"credit cards?",
            r"debit cards?",
            r"cards?",
            r"gpay",
            r"paytm",
            r"payment (?:methods?|options?)",
            r"pay (?:by|with|at|on arrival|later|in cash)",
            r"how (?:do|can|should) (?:i|we) pay",
            r"tarjetas?",
            r"efectivo",
            r"(?:metodos?|formas?) de pago",
            r"nakad",
            r"नकद",
            r"कार्ड",
        ),
        unless=_words(r"gift", r"key"),  # "gift cards", "key card"
    ),
    TopicRule(
        FactTopic.HOURS,
        _words(
            r"(?:are|do|r) (?:you|u|yall) (?:\S+ )?(?:open|close)\S*",
            r"(?:you|u|restaurant|hotel|reception|kitchen|it) (?:\S+ )?(?:open|opens|close|closes)",
            r"open (?:today|tomorrow|tonight|now|on \S+|for \S+)",
            r"opening (?:hours?|times?|timings?)",
            r"(?:your|working|business|restaurant) (?:hours|timings?)",
            r"timings?",
            r"hours",
            r"khul\S*",
            r"band (?:hot\S*|kab)",
            r"खुल\S*",
            r"बंद (?:होत\S*|कब)",
            r"abr(?:en|e|is)",
            r"abiert[oa]s?",
            r"cierr\S*",
            r"horarios?",
        ),
        unless=_words(r"pool", r"piscina", r"पूल", r"bar", r"gym"),
    ),
    TopicRule(
        FactTopic.ADDRESS,
        _words(
            r"address",
            r"location",
            r"located",
            r"directions?",
            r"where (?:are|r) (?:you|u)",
            r"where is (?:the|your) (?:hotel|restaurant|place)",
            r"how (?:do|can) (?:i|we) (?:get|reach|come) (?:there|to you)",
            r"google maps?",
            r"pata",
            r"पता",
            r"(?:aap|app|hotel|restaurant) kaa?ha\S* (?:hai|ho|hain|par|pe)",
            r"कहाँ (?:है|हैं|हो)",
            r"direccion",
            r"ubicacion",
            r"donde (?:esta|estan|queda|quedan)",
            r"como llego",
        ),
    ),
)


def fact_topic(text: str) -> FactTopic | None:
    """The fact a message asks about, if it names one (the first rule that fits)."""
    normalised = normalize(text)
    for rule in RULES:
        if rule.pattern.search(normalised) and not (
            rule.unless is not None and rule.unless.search(normalised)
        ):
            return rule.topic
    return None
