"""Tables of the answers domain: the owner's questions and answers, in the owner's order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, UTCDateTime, utcnow


def wordings(
    question: str, answer: str, phrasings: list[str], translations: dict[str, dict[str, str]]
) -> list[str]:
    """What an entry is matched on: every way its question is written (the owner's, the other
    phrasings, the translations') and its answer in every language, whose words guests often
    use ("do you deliver?" for "delivery through Swiggy")."""
    translated = [text for t in translations.values() for text in t.values() if text]
    return [question, answer, *phrasings, *translated]


class VenueQuestion(Base):
    """One question the owner answered for guests ("Is there a lift?").

    ``phrasings`` are other ways guests ask it, which the bot also matches; ``translations``
    maps a language to ``{"question": …, "answer": …}`` in that language, both optional: an
    answer with no translation is sent as the owner wrote it, never machine-translated.
    """

    __tablename__ = "venue_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    question: Mapped[str] = mapped_column(String(300))
    answer: Mapped[str] = mapped_column(Text)
    phrasings: Mapped[list[str]] = mapped_column(JSON, default=list)
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def texts(self) -> list[str]:
        """Every wording of the question (see ``wordings``)."""
        return wordings(self.question, self.answer, self.phrasings, self.translations)

    def answer_in(self, language: str | None) -> str:
        """The answer in ``language`` where the owner translated it, else as written."""
        translation: dict[str, Any] = self.translations.get(language or "", {})
        return str(translation.get("answer") or self.answer)
